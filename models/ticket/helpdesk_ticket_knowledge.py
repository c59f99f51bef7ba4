# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Knowledge kept (IPM): the solved tickets that look like this one, offered
to the agent on the ticket's form, and the search of a customer's own solved
tickets on the portal.

Both read one full-text search of the resolutions: the ``tsvector`` column
``support_resolution_tsv`` of ``helpdesk_ticket``, which is no ORM field. A
trigger computes it from the resolution (HTML tags and entities stripped) and
the title (lower weight) whenever either is written, whoever writes it; it is
NULL when the resolution has no word, so the partial GIN index holds the
solved knowledge only. Why a column kept by a trigger rather than an
expression index or a generated column: docs/DEVELOP.md ("Knowledge kept").

Every query starts from ``_search`` (the record rules of the reader); the
full-text conditions and the ranking are added to it with ``SQL``."""

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_index

from ...lib.knowledge import search_words, tsquery_text

TSV_COLUMN = "support_resolution_tsv"
TSV_FUNCTION = "helpdesk_support_pack_resolution_tsv"
TSV_TRIGGER_FUNCTION = "helpdesk_support_pack_resolution_tsv_trigger"
TSV_TRIGGER = "helpdesk_ticket_support_resolution_tsv"
TSV_INDEX = "helpdesk_ticket_support_resolution_tsv_index"
CATEGORY_INDEX = "helpdesk_ticket_support_solved_category_index"
# How many similar solved tickets the form offers.
SIMILAR_LIMIT = 8
# A title's word found in more solved tickets than this is not searched for
# the suggestions (see _support_get_similar_query).
FREQUENT_WORD_ROWS = 2000
ITEM_REL = "helpdesk_ticket_configuration_item_rel"

# The words of a resolution (tags and entities stripped, weight A) and of the
# ticket's title (weight D); NULL when the resolution has no word. (Literal
# SQL: the names above, spelled out.)
TSV_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION helpdesk_support_pack_resolution_tsv(
    resolution text, title text
) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $function$
    SELECT CASE WHEN body = ''::tsvector THEN NULL
           ELSE setweight(body, 'A')
                || setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'D')
           END
      FROM (SELECT to_tsvector(
                'simple'::regconfig,
                regexp_replace(coalesce(resolution, ''),
                               '<[^>]*>|&[#a-zA-Z0-9]+;', ' ', 'g')
            ) AS body) AS resolution_words
$function$
"""
TSV_TRIGGER_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION helpdesk_support_pack_resolution_tsv_trigger()
RETURNS trigger LANGUAGE plpgsql AS $function$
BEGIN
    NEW.support_resolution_tsv := helpdesk_support_pack_resolution_tsv(
        NEW.support_resolution, NEW.name
    );
    RETURN NEW;
END
$function$
"""
TSV_TRIGGER_SQL = """
CREATE TRIGGER helpdesk_ticket_support_resolution_tsv
BEFORE INSERT OR UPDATE OF support_resolution, name ON helpdesk_ticket
FOR EACH ROW EXECUTE FUNCTION helpdesk_support_pack_resolution_tsv_trigger()
"""
TSV_FILL_SQL = """
UPDATE helpdesk_ticket
   SET support_resolution_tsv = helpdesk_support_pack_resolution_tsv(
           support_resolution, name
       )
 WHERE support_resolution IS NOT NULL
"""


def drop_knowledge_search(cr):
    """What ``init`` creates, dropped (the uninstall hook). Dropping a column
    only marks it dropped in PostgreSQL's catalog: nothing is rewritten."""
    cr.execute(
        SQL(
            "DROP TRIGGER IF EXISTS %s ON helpdesk_ticket",
            SQL.identifier(TSV_TRIGGER),
        )
    )
    cr.execute(
        SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(TSV_TRIGGER_FUNCTION))
    )
    cr.execute(
        SQL(
            "ALTER TABLE helpdesk_ticket DROP COLUMN IF EXISTS %s",
            SQL.identifier(TSV_COLUMN),
        )
    )
    cr.execute(
        SQL("DROP FUNCTION IF EXISTS %s(text, text)", SQL.identifier(TSV_FUNCTION))
    )


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    support_similar_ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        string="Similar Solved Tickets",
        compute="_compute_support_similar_ticket_ids",
        help="Closed tickets with a resolution that look like this one: the "
        "words of the title found in their resolution first, then the same "
        "affected item, then the same category. Only the tickets you may "
        "read are offered.",
    )

    def init(self):
        """The full-text search of the resolutions: the column (already
        created by the pre-init hook on an install), its function and trigger,
        the indexes. Each step only when missing: an upgrade rewrites
        nothing. The rows are filled once, when the trigger is created (on an
        install the resolutions are all empty: nothing to fill)."""
        result = super().init()
        cr = self.env.cr
        if not column_exists(cr, self._table, TSV_COLUMN):
            # nullable, no default: no row rewritten
            cr.execute(
                SQL(
                    "ALTER TABLE helpdesk_ticket ADD COLUMN %s tsvector",
                    SQL.identifier(TSV_COLUMN),
                )
            )
        cr.execute(SQL(TSV_FUNCTION_SQL))
        cr.execute(SQL(TSV_TRIGGER_FUNCTION_SQL))
        cr.execute(
            SQL(
                "SELECT 1 FROM pg_trigger WHERE tgname = %s "
                "AND tgrelid = 'helpdesk_ticket'::regclass",
                TSV_TRIGGER,
            )
        )
        if not cr.rowcount:
            cr.execute(SQL(TSV_TRIGGER_SQL))
            cr.execute(SQL(TSV_FILL_SQL))
        create_index(
            cr,
            TSV_INDEX,
            self._table,
            [TSV_COLUMN],
            method="gin",
            where="support_resolution_tsv IS NOT NULL",
        )
        # The latest solved tickets of a category, without a sort.
        create_index(
            cr,
            CATEGORY_INDEX,
            self._table,
            ["category_id", "closed_date DESC NULLS LAST", "id DESC"],
            where="support_resolution_tsv IS NOT NULL",
        )
        return result

    # Similar solved tickets ------------------------------------------------
    @api.depends("name", "category_id", "configuration_item_ids")
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_support_similar_ticket_ids(self):
        """The solved tickets like each ticket, best first, in ONE query for
        all of ``self`` whatever their number (see
        ``_support_get_similar_query``)."""
        if not self:
            return
        result = {ticket: [] for ticket in self}
        by_key = dict(enumerate(self))
        rows = self.env.execute_query(
            self._support_get_similar_query(self._support_similar_sources())
        )
        for key, similar_id in rows:
            result[by_key[key]].append(similar_id)
        for ticket, similar_ids in result.items():
            ticket.support_similar_ticket_ids = self.browse(similar_ids)

    def _support_similar_sources(self):
        """What the suggestions of each ticket of ``self`` are looked up with,
        as the ticket is (a new ticket in its form too): (key, ticket id or 0,
        the words of its title, category id or None, item ids)."""
        return [
            (
                key,
                ticket._origin.id or 0,
                search_words(ticket.name),
                ticket.category_id._origin.id or None,
                ticket.configuration_item_ids._origin.ids,
            )
            for key, ticket in enumerate(self)
        ]

    @api.model
    def _support_solved_query(self, domain=()):
        """The solved tickets the current user may read (record rules) with
        words in their resolution, within ``domain``: the ``Query`` every
        search starts from."""
        self.flush_model(["name", "support_resolution"])
        query = self._search([("stage_id.closed", "=", True), *domain])
        query.add_where(SQL("%s IS NOT NULL", self._support_tsv_sql(query.table)))
        return query

    @api.model
    def _support_tsv_sql(self, alias):
        return SQL.identifier(alias, TSV_COLUMN)

    @api.model
    def _support_similar_order(self, alias):
        """The order of the suggestions, for the ticket of ``alias`` and the
        source ``src``: the title's words found (ts_rank), the same affected
        item, the same category, the latest closed."""
        tsv = self._support_tsv_sql(alias)
        ticket_id = SQL.identifier(alias, "id")
        category = SQL.identifier(alias, "category_id")
        return SQL(
            """CASE WHEN %(tsv)s @@ src.query THEN ts_rank(%(tsv)s, src.query)
                    ELSE 0 END DESC,
               %(id)s IN (SELECT item_rel.ticket_id FROM %(rel)s item_rel
                           WHERE item_rel.item_id = ANY(src.item_ids)) DESC,
               coalesce(%(category)s = src.category_id, FALSE) DESC,
               %(latest)s""",
            tsv=tsv,
            rel=SQL.identifier(ITEM_REL),
            id=ticket_id,
            category=category,
            latest=self._support_latest_order(alias),
        )

    @api.model
    def _support_latest_order(self, alias):
        """The latest closed first (the order of CATEGORY_INDEX)."""
        return SQL(
            "%s DESC NULLS LAST, %s DESC",
            SQL.identifier(alias, "closed_date"),
            SQL.identifier(alias, "id"),
        )

    @api.model
    def _support_get_similar_query(self, sources, limit=SIMILAR_LIMIT):
        """One SQL query giving (source key, similar ticket id) rows, best
        first, for ``sources``: (key, ticket id or 0, words of the title,
        category id or None, item ids).

        The title's words are OR-ed, but a word that PostgreSQL's statistics
        of the column (``most_common_elems``, refreshed by autovacuum) count
        in more than ``FREQUENT_WORD_ROWS`` solved tickets is left out, as
        long as another word remains: it says little (the inverse document
        frequency of search engines, language-neutral) and ranking all its
        rows would cost more than the rest of the query. A small database
        never leaves a word out.

        For each source, three branches each limited to ``limit`` (the best
        title matches; the best of the same items; the latest of the same
        category, read from an index) are merged and ordered: the best
        ``limit`` of the three are the best ``limit`` of all (a ticket below
        ``limit`` better ones in its branch is below them in the merged order
        too: in the category's branch, a newer ticket of the category is
        never below an older one). Each branch is a
        ``_search`` query: the record rules of the reader apply."""
        self.flush_model(
            ["name", "stage_id", "category_id", "closed_date", "configuration_item_ids"]
        )
        values = SQL(", ").join(
            SQL(
                "(%s, %s, %s::text[], %s::integer, %s::integer[])",
                key,
                ticket_id,
                list(words),
                category_id,
                list(item_ids),
            )
            for key, ticket_id, words, category_id, item_ids in sources
        )
        branches = []
        for condition, latest_only in (
            ("%(tsv)s @@ src.query", False),
            (
                "%(id)s IN (SELECT item_rel.ticket_id FROM %(rel)s item_rel "
                "WHERE item_rel.item_id = ANY(src.item_ids))",
                False,
            ),
            # the latest first is enough here, read from CATEGORY_INDEX
            ("%(category)s = src.category_id", True),
        ):
            query = self._support_solved_query()
            alias = query.table
            query.add_where(
                SQL(
                    condition,
                    tsv=self._support_tsv_sql(alias),
                    id=SQL.identifier(alias, "id"),
                    rel=SQL.identifier(ITEM_REL),
                    category=SQL.identifier(alias, "category_id"),
                )
            )
            query.add_where(SQL("%s != src.id", SQL.identifier(alias, "id")))
            query.order = (
                self._support_latest_order(alias)
                if latest_only
                else self._support_similar_order(alias)
            )
            query.limit = limit
            branches.append(SQL("(%s)", query.select()))
        return SQL(
            """WITH frequent AS (
                SELECT stat.lexeme
                  FROM pg_stats column_stats
                  JOIN pg_class ON pg_class.oid = 'helpdesk_ticket'::regclass
                 CROSS JOIN LATERAL unnest(
                           column_stats.most_common_elems::text::text[],
                           column_stats.most_common_elem_freqs
                       ) AS stat(lexeme, freq)
                 WHERE column_stats.schemaname = current_schema()
                   AND column_stats.tablename = 'helpdesk_ticket'
                   AND column_stats.attname = %(column)s
                   -- the frequencies end with 3 figures that are no lexeme's
                   AND stat.lexeme IS NOT NULL
                   AND stat.freq * (1 - column_stats.null_frac) * pg_class.reltuples
                       > %(frequent_rows)s
               )
               SELECT src.key, suggestion.id
                 FROM (
                     SELECT given.key, given.id, given.category_id,
                            given.item_ids,
                            to_tsquery('simple', NULLIF(coalesce(
                                (SELECT string_agg(word, ' | ')
                                   FROM unnest(given.words) AS word
                                  WHERE word NOT IN (SELECT lexeme FROM frequent)),
                                array_to_string(given.words, ' | ')
                            ), '')) AS query
                       FROM (VALUES %(values)s)
                            AS given(key, id, words, category_id, item_ids)
                 ) AS src
                 CROSS JOIN LATERAL (
                     SELECT candidate.id,
                            row_number() OVER (ORDER BY %(order)s) AS place
                       FROM helpdesk_ticket candidate
                      WHERE candidate.id IN (%(branches)s)
                      ORDER BY place
                      LIMIT %(limit)s
                 ) AS suggestion
                ORDER BY src.key, suggestion.place""",
            column=TSV_COLUMN,
            frequent_rows=FREQUENT_WORD_ROWS,
            values=values,
            order=self._support_similar_order("candidate"),
            branches=SQL(" UNION ").join(branches),
            limit=limit,
        )

    def action_support_open_similar(self):
        """Open a similar solved ticket (from the list of another one)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    # The customer's solved tickets (portal) ---------------------------------
    @api.model
    def _support_search_solved(self, partner, search=None, limit=None, offset=0):
        """The solved tickets of ``partner``'s company holding all the words of
        ``search`` (in the title or the resolution), best match first, else
        the latest closed first: (tickets, total). The company's domain and
        the reader's record rules apply; nothing is read as superuser here."""
        commercial = partner.commercial_partner_id
        query = self._support_solved_query(
            [("commercial_partner_id", "=", commercial.id)]
        )
        alias = query.table
        query_text = tsquery_text(search_words(search), "&")
        tsv = self._support_tsv_sql(alias)
        tsquery = SQL("to_tsquery('simple', %s)", query_text)
        if query_text:
            query.add_where(SQL("%s @@ %s", tsv, tsquery))
        [(total,)] = self.env.execute_query(query.select("count(*)"))
        closed = self._support_latest_order(alias)
        query.order = (
            SQL("ts_rank(%s, %s) DESC, %s", tsv, tsquery, closed)
            if query_text
            else closed
        )
        query.limit = limit
        query.offset = offset
        ids = [row[0] for row in self.env.execute_query(query.select())]
        return self.browse(ids), total
