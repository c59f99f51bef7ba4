# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL

from ...lib.locking import PACK_BUSY_ERRORS, PackBusy


class SupportPack(models.Model):
    """The packs a posting consumes, read or locked in one stable order."""

    _inherit = "support.pack"

    @api.model
    def _get_consumption_query(self, partner_ids, pack_ids, fnames=None):
        """The active packs of ``partner_ids`` and the packs ``pack_ids``: their
        id and the fields ``fnames`` (default: :meth:`_consumption_fields`)."""
        columns = ["id", *(fnames or self._consumption_fields())]
        return SQL(
            """
            SELECT %s
              FROM support_pack
             WHERE (
                       partner_id = ANY(%s)
                       AND state = 'active'
                       AND date_start IS NOT NULL
                       AND date_end IS NOT NULL
                   )
                OR id = ANY(%s)
          ORDER BY id
            """,
            SQL(", ").join(SQL.identifier(column) for column in columns),
            list(partner_ids),
            list(pack_ids),
        )

    @api.model
    def _sorted_consumption_rows(self, rows):
        return sorted(
            rows, key=lambda r: (r["date_end"] is None, r["date_end"], r["id"])
        )

    @api.model
    def _consumption_fields(self):
        """The columns of :meth:`_get_consumption_query` that are fields."""
        return [
            "partner_id",
            "company_id",
            "unit",
            "state",
            "date_start",
            "date_end",
            "quantity_remaining",
        ]

    @api.model
    def _locked_fields(self):
        """The fields the lock reads and caches: those of the consumption and
        every other plain column a read of the pack would fetch with them
        (the moves' checks, the salesperson, the low balance warning), so that
        nothing reads the locked rows again."""
        simple_types = {
            "boolean",
            "char",
            "date",
            "datetime",
            "float",
            "integer",
            "many2one",
            "selection",
            "text",
        }
        consumption = self._consumption_fields()
        return consumption + [
            name
            for name, field in self._fields.items()
            if name not in consumption
            and name != "id"
            and field.store
            and field.column_type
            and field.prefetch is True
            and field.type in simple_types
            and not field.translate
            and not field.company_dependent
        ]

    @api.model
    def _flush_consumption_fields(self):
        self.flush_model(self._consumption_fields())

    @api.model
    def _cache_consumption_rows(self, rows):
        """Put the locked rows' values in the ORM cache (where no value is
        cached yet), like a read does: the moves read the pack's customer,
        company and unit without reading the row again (the raw ``SELECT ...
        FOR UPDATE`` does not fill the cache)."""
        if not rows:
            return
        packs = self.browse([row["id"] for row in rows])
        for name in self._locked_fields():
            field = self._fields[name]
            self.env.cache.insert_missing(
                packs,
                field,
                [
                    field.convert_to_cache(row[name], packs, validate=False)
                    for row in rows
                ],
            )

    @api.model
    def _read_for_consumption(self, partner_ids, pack_ids=()):
        """The rows :meth:`_lock_for_consumption` locks, read without locking
        (this transaction's snapshot): for checks that need no balance."""
        self._flush_consumption_fields()
        self.env.cr.execute(self._get_consumption_query(partner_ids, pack_ids))
        return self._sorted_consumption_rows(self.env.cr.dictfetchall())

    @api.model
    def _lock_for_consumption(self, partner_ids, pack_ids=(), nowait=False):
        """Lock the rows of the active packs of ``partner_ids`` and of ``pack_ids``.

        ``SELECT ... FOR UPDATE`` in a stable order (id): two transactions posting
        on one pack queue behind each other, and the second one sees the first
        one's moves (or gets a serialization failure and is retried) instead of
        losing an update. Returns the locked rows as dicts, read under the lock,
        expiry first (date_end, id).

        With ``nowait``, raise :class:`PackBusy` at once, with the transaction
        still usable, when a row is locked by another transaction or was
        updated by one that committed after this transaction's snapshot (under
        Odoo's REPEATABLE READ, waiting for the lock would end in a
        serialization failure anyway): the caller queues its posting
        (``support.posting.queue``) instead of failing the user's call.
        """
        self._flush_consumption_fields()
        query = SQL(
            "%s FOR UPDATE",
            self._get_consumption_query(partner_ids, pack_ids, self._locked_fields()),
        )
        if not nowait:
            self.env.cr.execute(query)
            rows = self.env.cr.dictfetchall()
            self._cache_consumption_rows(rows)
            return self._sorted_consumption_rows(rows)
        # The savepoint and the lock travel in one statement (one round trip);
        # the savepoint is released with the transaction.
        try:
            self.env.cr.execute(
                SQL("SAVEPOINT support_pack_lock; %s NOWAIT", query),
                log_exceptions=False,
            )
        except PACK_BUSY_ERRORS as error:
            self.env.cr.execute(SQL("ROLLBACK TO SAVEPOINT support_pack_lock"))
            raise PackBusy(str(error)) from error
        rows = self.env.cr.dictfetchall()
        self._cache_consumption_rows(rows)
        return self._sorted_consumption_rows(rows)
