# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Knowledge kept (IPM): the similar solved tickets offered to the agent
(the title's words in their resolution, then the same item, then the same
category; the reader's record rules), the customer's search of its own solved
tickets on the portal, the full-text column kept by its trigger, and a
constant number of queries."""

from datetime import datetime

from markupsafe import Markup
from werkzeug.urls import url_encode

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from ..lib.knowledge import search_words, tsquery_text
from ..models.ticket.helpdesk_ticket_knowledge import drop_knowledge_search
from .common import SupportConsumptionCommon, patch_thread_dbname


class SupportKnowledgeCommon(SupportConsumptionCommon):
    """Solved tickets of customers A and B whose resolutions hold (or not) the
    words of the open ticket "Printer toner empty" of customer A."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_open = cls.env["helpdesk.ticket.stage"].create(
            {"name": "HSP Open", "sequence": 1, "team_ids": [Command.set(cls.team.ids)]}
        )
        cls.stage_done = cls.env["helpdesk.ticket.stage"].create(
            {
                "name": "HSP Solved",
                "sequence": 90,
                "closed": True,
                "team_ids": [Command.set(cls.team.ids)],
            }
        )
        item_model = cls.env["support.configuration.item"].with_user(cls.agent)
        cls.item_printer = item_model.create(
            {"name": "Office printer", "partner_id": cls.customer_a.id}
        )
        cls.item_erp = item_model.create(
            {"name": "ERP", "partner_id": cls.customer_a.id}
        )
        cls.source = cls._ticket(
            name="Printer toner empty",
            category=cls.cat_included,
            stage_id=cls.stage_open.id,
            configuration_item_ids=[Command.set(cls.item_printer.ids)],
        )
        solved = cls._solved
        # three words of the title in the resolution
        cls.s_three = solved(
            "Paper jam",
            "<p>The <b>toner</b> cartridge was empty; the printer works again.</p>",
            day=3,
        )
        # one word of the title in the resolution
        cls.s_one = solved("Slow screen", "<p>Replaced the toner&nbsp;drum.</p>", day=4)
        # two words of the title in the other ticket's title only (lower weight)
        cls.s_title = solved("Printer toner", "<p>Cleaned the rollers.</p>", day=5)
        # the same affected item, no word
        cls.s_item = solved(
            "Network down",
            "<p>Rebooted the switch.</p>",
            day=6,
            configuration_item_ids=[Command.set(cls.item_printer.ids)],
        )
        # the same category, no word: the latest closed first
        cls.s_category_old = solved(
            "Login refused", "<p>Password reset.</p>", day=1, category=cls.cat_included
        )
        cls.s_category_new = solved(
            "Login again",
            "<p>Account unlocked.</p>",
            day=8,
            category=cls.cat_included,
        )
        # never offered: nothing in common; solved but no resolution (or an
        # empty one); a resolution but still open
        cls.s_unrelated = solved("Invoice question", "<p>Explained the VAT.</p>", day=2)
        cls.s_no_resolution = solved("Toner printer", False, category=cls.cat_included)
        cls.s_empty_resolution = solved(
            "Toner printer", "<p><br></p>", category=cls.cat_included
        )
        cls.open_with_resolution = cls._ticket(
            name="Printer toner",
            category=cls.cat_included,
            stage_id=cls.stage_open.id,
            support_resolution="<p>Printer toner empty.</p>",
        )
        # Customer B's solved ticket, with a word of customer A's search.
        cls.s_b = solved(
            "Zebra label printer",
            "<p>The toner of the zebra unit was replaced.</p>",
            day=7,
            partner=cls.contact_b1,
        )
        cls.expected = [
            cls.s_three,
            cls.s_b,
            cls.s_one,
            cls.s_title,
            cls.s_item,
            cls.s_category_new,
            cls.s_category_old,
        ]

    @classmethod
    def _solved(cls, name, resolution, day=1, category=None, **values):
        """A ticket closed on 2026-03-<day> with ``resolution``."""
        ticket = cls._ticket(
            name=name,
            category=category or cls.cat_counted,
            stage_id=cls.stage_open.id,
            **values,
        )
        ticket.with_user(cls.agent).write(
            {"support_resolution": resolution, "stage_id": cls.stage_done.id}
        )
        ticket.sudo().closed_date = datetime(2026, 3, day, 12, 0)
        return ticket

    def _similar(self, tickets, user=None):
        self.env.invalidate_all()
        return tickets.with_user(user or self.agent).support_similar_ticket_ids


@tagged("post_install", "-at_install")
class TestSupportKnowledge(SupportKnowledgeCommon):
    def assertTickets(self, tickets, expected):
        self.assertEqual(
            tickets.mapped("name"), [t.name for t in expected], "names, in order"
        )
        self.assertEqual(tickets.ids, [t.id for t in expected])

    # The words searched ----------------------------------------------------
    def test_search_words(self):
        self.assertEqual(
            search_words("The printer's toner est vide: printer PB n° 42"),
            ["printer", "toner", "vide"],
        )
        self.assertEqual(search_words("Le débit de l'écran"), ["débit", "écran"])
        self.assertEqual(search_words(False), [])
        self.assertEqual(len(search_words(" ".join(f"word{i}" for i in range(20)))), 12)
        self.assertEqual(tsquery_text(["printer", "toner"]), "printer | toner")
        self.assertEqual(tsquery_text(["printer", "toner"], "&"), "printer & toner")
        self.assertIsNone(tsquery_text([]))

    # The column kept by its trigger --------------------------------------
    def _tsv(self, ticket):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT support_resolution_tsv::text FROM helpdesk_ticket WHERE id = %s",
            (ticket.id,),
        )
        return self.env.cr.fetchone()[0]

    def test_trigger_keeps_the_words_of_resolution_and_title(self):
        # tags and entities stripped; resolution weight A, title weight D
        self.assertEqual(
            self._tsv(self.s_one),
            "'drum':4A 'replaced':1A 'screen':6 'slow':5 'the':2A 'toner':3A",
        )
        self.assertIsNone(self._tsv(self.s_no_resolution))
        self.assertIsNone(self._tsv(self.s_empty_resolution), "no word: no entry")
        self.s_one.with_user(self.agent).write(
            {"support_resolution": Markup("<p>Swapped the <i>fuser</i>.</p>")}
        )
        self.assertEqual(
            self._tsv(self.s_one),
            "'fuser':3A 'screen':5 'slow':4 'swapped':1A 'the':2A",
        )
        self.s_one.with_user(self.agent).name = "Dim display"
        self.assertEqual(
            self._tsv(self.s_one),
            "'dim':4 'display':5 'fuser':3A 'swapped':1A 'the':2A",
        )

    def test_upgrade_fills_the_existing_resolutions(self):
        """The search dropped (the uninstall hook), then set up again on a
        database whose tickets already have resolutions (an upgrade): the
        column is filled once, the suggestions are back."""
        self.env.flush_all()
        drop_knowledge_search(self.env.cr)
        self.env.cr.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = 'helpdesk_ticket' "
            "AND column_name = 'support_resolution_tsv'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.env["helpdesk.ticket"].init()
        self.assertEqual(
            self._tsv(self.s_three),
            "'again':9A 'cartridge':3A 'empty':5A 'jam':11 'paper':10 "
            "'printer':7A 'the':1A,6A 'toner':2A 'was':4A 'works':8A",
        )
        self.assertTickets(self._similar(self.source), self.expected)

    def test_index_and_trigger_exist(self):
        self.env.cr.execute(
            """SELECT indexname FROM pg_indexes
                WHERE tablename = 'helpdesk_ticket'
                  AND indexname LIKE 'helpdesk_ticket_support_%%'
                ORDER BY indexname"""
        )
        self.assertEqual(
            [row[0] for row in self.env.cr.fetchall()],
            [
                "helpdesk_ticket_support_resolution_tsv_index",
                "helpdesk_ticket_support_solved_category_index",
            ],
        )
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ("helpdesk_ticket_support_resolution_tsv_index",),
        )
        self.assertIn("USING gin (support_resolution_tsv)", self.env.cr.fetchone()[0])

    # Similar solved tickets ------------------------------------------------
    def test_similar_tickets_in_order(self):
        """Title words in the resolution (3 words; then 1 word and the other
        ticket's title: B's ticket; 1 word), the words in the other ticket's
        title only, the same item, the same category (latest closed first)."""
        self.assertTickets(self._similar(self.source), self.expected)

    def test_similar_tickets_exclude_open_empty_and_itself(self):
        similar = self._similar(self.source)
        for ticket in (
            self.source,
            self.s_unrelated,
            self.s_no_resolution,
            self.s_empty_resolution,
            self.open_with_resolution,
        ):
            self.assertNotIn(ticket, similar)
        # A solved ticket is not its own suggestion.
        self.assertNotIn(self.s_three, self._similar(self.s_three))

    def test_similar_tickets_follow_the_ticket_being_edited(self):
        """A new ticket (the form, before saving): its title, category and items
        as typed."""
        draft = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .new(
                {
                    "name": "Account refused",
                    "category_id": self.cat_included.id,
                    "partner_id": self.contact_a1.id,
                }
            )
        )
        self.assertTickets(
            draft.support_similar_ticket_ids,
            [self.s_category_new, self.s_category_old],
        )
        # "again" in a resolution, then "login" in a title of the category
        self.assertTickets(
            self._similar(self.s_category_new), [self.s_three, self.s_category_old]
        )

    def test_several_tickets_at_once(self):
        tickets = self.source | self.s_category_new
        similar = {
            t: t.support_similar_ticket_ids for t in tickets.with_user(self.agent)
        }
        self.assertEqual(similar[self.source].ids, [t.id for t in self.expected])
        self.assertEqual(
            similar[self.s_category_new].ids, [self.s_three.id, self.s_category_old.id]
        )

    def test_limit_of_eight(self):
        extra = [
            self._solved(f"Case {i}", "<p>Printer toner empty again.</p>", day=9)
            for i in range(3)
        ]
        similar = self._similar(self.source)
        self.assertEqual(len(similar), 8)
        # five tickets with the three words: four equal ranks, latest id first
        self.assertEqual(
            similar[:4].ids, [extra[2].id, extra[1].id, extra[0].id, self.s_three.id]
        )
        self.assertEqual(similar[4:].ids, [t.id for t in self.expected[1:5]])

    def test_record_rules_team(self):
        """A helpdesk user of its team's tickets is not offered the solved
        tickets of another team; a user of all tickets is."""
        other_team = self.env["helpdesk.ticket.team"].create({"name": "Level 3"})
        self.stage_done.team_ids |= other_team
        other = self.env["helpdesk.ticket"].create(
            {
                "name": "Toner printer empty",
                "description": "<p>x</p>",
                "team_id": other_team.id,
                "partner_id": self.contact_a1.id,
                "category_id": self.cat_counted.id,
                "stage_id": self.stage_done.id,
                "support_resolution": "<p>Printer toner empty: refilled.</p>",
                "closed_date": datetime(2026, 3, 2),
            }
        )
        team_user = new_test_user(
            self.env,
            login="hsp-knowledge-team-user",
            groups="helpdesk_mgmt.group_helpdesk_user_team",
        )
        self.team.user_ids |= team_user
        self.assertEqual(self._similar(self.source)[:1], other, "best match")
        self.assertTickets(self._similar(self.source, team_user), self.expected)

    def test_record_rules_company(self):
        """The solved ticket of another company is never offered."""
        company_2 = self.env["res.company"].create({"name": "Other vendor"})
        team_2 = self.env["helpdesk.ticket.team"].create(
            {"name": "Other vendor support", "company_id": company_2.id}
        )
        self.env["helpdesk.ticket"].with_company(company_2).create(
            {
                "name": "Printer toner empty",
                "description": "<p>x</p>",
                "company_id": company_2.id,
                "team_id": team_2.id,
                "stage_id": self.stage_done.id,
                "support_resolution": "<p>Printer toner empty: refilled.</p>",
            }
        )
        self.assertTickets(self._similar(self.source), self.expected)

    def test_query_count_is_constant(self):
        """One query for the suggestions, whatever the number of tickets and
        of candidates (the tickets' own fields are read once, batched)."""
        sources = self.source | self.s_category_new | self.s_item
        self._similar(sources)  # the record rules' domains cached
        for tickets in (self.source, sources):
            self.env.invalidate_all()
            tickets = tickets.with_user(self.agent)
            with self.assertQueryCount(5):
                tickets.mapped("support_similar_ticket_ids")
        for i in range(30):
            self._solved(f"Case {i}", "<p>Printer toner empty again.</p>", day=9)
        self.env.invalidate_all()
        source = self.source.with_user(self.agent)
        with self.assertQueryCount(5):
            self.assertEqual(len(source.support_similar_ticket_ids), 8)

    def test_form_shows_the_similar_tickets(self):
        arch = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="support_similar_ticket_ids"', arch)
        self.assertIn('name="action_support_open_similar"', arch)
        action = self.s_three.with_user(self.agent).action_support_open_similar()
        self.assertEqual(
            (action["res_model"], action["res_id"], action["view_mode"]),
            ("helpdesk.ticket", self.s_three.id, "form"),
        )


@tagged("post_install", "-at_install")
class TestSupportKnowledgePortal(HttpCase, SupportKnowledgeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        patch_thread_dbname(cls)
        cls.portal_a = new_test_user(
            cls.env,
            login="hsp-knowledge-a",
            groups="base.group_portal",
            partner_id=cls.contact_a2.id,
        )
        cls.portal_b = new_test_user(
            cls.env,
            login="hsp-knowledge-b",
            groups="base.group_portal",
            partner_id=cls.contact_b1.id,
        )

    def _page(self, login, search=None):
        self.authenticate(login, login)
        self.env.flush_all()
        url = "/my/support/solved"
        if search:
            url = f"{url}?{url_encode({'search': search})}"
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response.text

    def _numbers(self, html, tickets):
        """The tickets of ``tickets`` listed on the page, in page order."""
        found = [(html.find(f'data-ticket-id="{t.id}"'), t) for t in tickets]
        return [t for position, t in sorted(found, key=lambda f: f[0]) if position >= 0]

    def test_model_search_of_a_customer(self):
        ticket_model = self.env["helpdesk.ticket"].with_user(self.portal_a)
        tickets, total = ticket_model._support_search_solved(self.contact_a2, "toner")
        # all the words: the title counts too (weight D)
        self.assertEqual(tickets.ids, [self.s_one.id, self.s_three.id, self.s_title.id])
        self.assertEqual(total, 3)
        tickets, total = ticket_model._support_search_solved(
            self.contact_a2, "toner printer"
        )
        self.assertEqual(tickets.ids, [self.s_three.id, self.s_title.id])
        self.assertEqual(total, 2)
        # the record rules apply even when another company is asked for
        tickets, total = ticket_model._support_search_solved(self.contact_b1, "zebra")
        self.assertFalse(tickets)
        self.assertEqual(total, 0)

    def test_word_finds_the_ticket(self):
        html = self._page(self.portal_a.login, "jam")
        self.assertEqual(self._numbers(html, self.expected), [self.s_three])
        self.assertIn("The <b>toner</b> cartridge was empty", html)
        self.assertIn(f"/my/ticket/{self.s_three.id}", html)
        self.assertIn("1 solved ticket(s) found.", html)

    def test_customer_never_sees_another_customers_tickets(self):
        # "toner" is in B's resolution too: A gets its own tickets only
        html = self._page(self.portal_a.login, "toner")
        self.assertEqual(
            self._numbers(html, self.expected),
            [self.s_one, self.s_three, self.s_title],
        )
        self.assertNotIn("zebra", html.lower())
        # B's own word: nothing for A, the ticket for B
        html = self._page(self.portal_a.login, "zebra")
        self.assertNotIn(f'data-ticket-id="{self.s_b.id}"', html)
        self.assertIn("No solved ticket holds these words.", html)
        html = self._page(self.portal_b.login, "zebra")
        self.assertEqual(self._numbers(html, self.expected), [self.s_b])
        self.assertIn("The toner of the zebra unit was replaced.", html)

    def test_empty_search_lists_the_latest_solved(self):
        html = self._page(self.portal_a.login)
        self.assertEqual(
            self._numbers(
                html,
                [*self.expected, self.s_unrelated, self.s_no_resolution],
            ),
            [
                self.s_category_new,
                self.s_item,
                self.s_title,
                self.s_one,
                self.s_three,
                self.s_unrelated,
                self.s_category_old,
            ],
        )
        self.assertIn("Your latest solved tickets.", html)

    def test_my_support_links_to_the_solved_tickets(self):
        self.authenticate(self.portal_a.login, self.portal_a.login)
        response = self.url_open("/my/support")
        self.assertEqual(response.status_code, 200)
        self.assertIn('href="/my/support/solved"', response.text)
