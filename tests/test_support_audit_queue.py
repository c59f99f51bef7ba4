# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21: a deferred posting is visible, and the ticket's consumed figures
are read, never written on the ticket's row."""

from datetime import datetime
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from ..lib.locking import PackBusy
from .common import SupportConsumptionCommon

PENDING_PACK = "A posting is pending: this balance will change in a moment."
PENDING_PORTAL = "A posting is pending: these balances will change in a moment."
QUEUE_LOGGER = "odoo.addons.helpdesk_support_pack.models.queue.support_posting_queue"


@tagged("post_install", "-at_install")
class TestSupportAuditQueue(HttpCase, SupportConsumptionCommon):
    """While a posting of the customer's is queued (another transaction was
    posting on its packs), the pack, its tickets and My support say so; once
    it is done, they no longer do."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.support_report_send = "manual"
        cls.portal_a1 = new_test_user(
            cls.env,
            login="hsp-queue-portal-a1",
            groups="base.group_portal",
            partner_id=cls.contact_a1.id,
        )
        cls.portal_b1 = new_test_user(
            cls.env,
            login="hsp-queue-portal-b1",
            groups="base.group_portal",
            partner_id=cls.contact_b1.id,
        )
        __, cls.pack_a = cls._sell(cls.contact_a1, cls.maxi)  # 100 credits
        __, cls.pack_b = cls._sell(cls.contact_b1, cls.maxi)
        cls.ticket_a = cls._ticket(priority="3")  # very high: x2
        cls.ticket_b = cls._ticket(partner=cls.contact_b1, priority="3")
        cls.queue = cls.env["support.posting.queue"]

    # Helpers ---------------------------------------------------------------
    def _busy(self):
        """Another transaction is posting on the packs: the agent's posting
        is queued (support.posting.queue) instead of waiting."""

        def lock(pack_model, partner_ids, pack_ids=(), nowait=False):
            raise PackBusy("another transaction holds the pack (test)")

        return patch.object(
            self.registry["support.pack"], "_lock_for_consumption", lock
        )

    def _queue_log(self, ticket, minutes):
        with self._busy(), mute_logger(QUEUE_LOGGER):
            return self._log(ticket, minutes)

    def _process(self):
        """What the after-commit processing (or the cron) does."""
        entries = self.queue.search([])
        with mute_logger(QUEUE_LOGGER):
            entries._process()
        self.env.invalidate_all()
        return entries

    def _pending(self, records, user=None):
        records.invalidate_recordset(["support_posting_pending"])
        return records.with_user(user or self.agent).mapped("support_posting_pending")

    def _assert_pending_queries(self, records, expected):
        """``expected`` queries for the pending flag of the first 2 records,
        and of all of them."""
        partner = (
            "partner_id"
            if records._name == "support.pack"
            else ("commercial_partner_id")
        )
        for batch in (records[:2], records):
            self.env.invalidate_all()
            batch = batch.with_user(self.agent)
            batch.mapped(partner)
            with self.assertQueryCount(expected):
                batch.mapped("support_posting_pending")

    def _page(self, url):
        self.env.flush_all()
        response = self.url_open(url, allow_redirects=False)
        self.env.invalidate_all()
        self.assertEqual(response.status_code, 200, url)
        return response.text

    # Tests -----------------------------------------------------------------
    def test_queued_posting_is_pending_until_processed(self):
        """7 minutes on a very high ticket while customer A's pack is busy:
        queued, nothing posted; A's pack, A's tickets and A's My support say a
        posting is pending (B's do not); once processed, 2 credits are posted
        and nothing says pending any more."""
        other_ticket_a = self._ticket()
        line = self._queue_log(self.ticket_a, 7)
        self.assertEqual(self.queue.search([]).timesheet_id, line)
        self.assertEqual(line.support_quantity, 0.0)
        self.assertEqual(self.pack_a.quantity_remaining, 100.0)
        self.assertEqual(self._pending(self.pack_a | self.pack_b), [True, False])
        self.assertEqual(
            self._pending(self.ticket_a | other_ticket_a | self.ticket_b),
            [True, True, False],
        )

        self.authenticate(self.portal_a1.login, self.portal_a1.login)
        self.assertIn(PENDING_PORTAL, self._page("/my/support"))
        self.assertIn(PENDING_PACK, self._page(f"/my/support/{self.pack_a.id}"))
        self.authenticate(self.portal_b1.login, self.portal_b1.login)
        self.assertNotIn(PENDING_PORTAL, self._page("/my/support"))
        self.assertNotIn(PENDING_PACK, self._page(f"/my/support/{self.pack_b.id}"))

        self._process()
        self.assertFalse(self.queue.search([]))
        self.assertEqual(line.support_quantity, 2.0)  # 0.25 h x 2
        self.assertEqual(self.pack_a.quantity_remaining, 98.0)
        self.assertEqual(self._pending(self.pack_a | self.pack_b), [False, False])
        self.assertEqual(self._pending(self.ticket_a | other_ticket_a), [False, False])
        self.authenticate(self.portal_a1.login, self.portal_a1.login)
        self.assertNotIn(PENDING_PORTAL, self._page("/my/support"))
        self.assertNotIn(PENDING_PACK, self._page(f"/my/support/{self.pack_a.id}"))

    def test_queued_reversal_is_pending(self):
        """A line deleted while the pack is busy: its reversal is queued (the
        entry holds the moves, the line is gone) and the pack and ticket say
        a posting is pending until it is done."""
        line = self._log(self.ticket_a, 16)  # 0.5 h x 2 = 4 credits
        self.assertEqual(self.pack_a.quantity_remaining, 96.0)
        with self._busy(), mute_logger(QUEUE_LOGGER):
            line.with_user(self.agent).unlink()
        entry = self.queue.search([])
        self.assertFalse(entry.timesheet_id)
        self.assertEqual(len(entry.move_ids), 1)
        self.assertEqual(self.pack_a.quantity_remaining, 96.0)
        self.assertEqual(self._pending(self.pack_a | self.pack_b), [True, False])
        self.assertEqual(self._pending(self.ticket_a | self.ticket_b), [True, False])
        self._process()
        self.assertEqual(self.pack_a.quantity_remaining, 100.0)
        self.assertEqual(self._pending(self.pack_a), [False])
        self.assertEqual(self._pending(self.ticket_a), [False])

    def test_pending_compute_reads_in_batch(self):
        """The same queries for 2 packs (tickets) as for 6, queue empty or
        not: one query when nothing is queued."""
        customers = self.env["res.partner"].create(
            [{"name": f"Batch {i}", "is_company": True} for i in range(4)]
        )
        packs = self.pack_a | self.pack_b
        tickets = self.ticket_a | self.ticket_b
        for customer in customers:
            packs |= self._sell(customer, self.light)[1]
            tickets |= self._ticket(partner=customer, priority="3")
        self.env.flush_all()
        self._assert_pending_queries(packs, 1)
        self._assert_pending_queries(tickets, 1)

        self._queue_log(self.ticket_a, 7)
        self._queue_log(tickets[3], 7)
        # the customers' entries, then what they reference: the entries' lines
        # and moves, the lines' tickets and moves, the tickets' customers
        # (already read when the records are the tickets), the moves' customers
        self._assert_pending_queries(packs, 6)
        self._assert_pending_queries(tickets, 5)
        self.assertEqual(self._pending(packs), [True, False, False, True, False, False])
        self.assertEqual(
            self._pending(tickets), [True, False, False, True, False, False]
        )

    def test_deferred_posting_leaves_the_ticket_row_alone(self):
        """The queued posting, done in a transaction of its own, writes the
        line and the ledger, never the ticket's row (helpdesk_mgmt_timesheet
        wrote it once, with the line): the ticket's figures are read from its
        lines, 2 credits and 0.25 h."""
        ticket_model = self.env["helpdesk.ticket"]
        for fname in ("support_quantity", "support_rounded_hours"):
            self.assertFalse(ticket_model._fields[fname].store, fname)
        self._queue_log(self.ticket_a, 7)
        self.env.flush_all()
        written = datetime(2000, 1, 1)
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET write_date = %s WHERE id = %s",
                written,
                self.ticket_a.id,
            )
        )
        self.env.invalidate_all()
        self._process()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT write_date FROM helpdesk_ticket WHERE id = %s", self.ticket_a.id
            )
        )
        self.assertEqual(self.env.cr.fetchone()[0], written)
        self.assertRecordValues(
            self.ticket_a.with_user(self.agent),
            [{"support_quantity": 2.0, "support_rounded_hours": 0.25}],
        )

    def test_consumed_figures_of_several_tickets_in_one_query(self):
        """Each ticket its own figures (x2 on very high, x1 otherwise), read
        for the whole batch at once; a ticket without time reads 0."""
        medium = self._ticket()
        idle = self._ticket()
        self._log(self.ticket_a, 7)  # 0.25 h x 2 = 2 credits
        self._log(self.ticket_a, 20)  # 0.5 h x 2 = 4 credits
        self._log(medium, 40)  # 0.75 h x 1 = 3 credits
        tickets = (self.ticket_a | medium | idle).with_user(self.agent)
        self.env.invalidate_all()
        tickets.mapped("name")
        with self.assertQueryCount(1):
            figures = [(t.support_quantity, t.support_rounded_hours) for t in tickets]
        self.assertEqual(figures, [(6.0, 0.75), (3.0, 0.75), (0.0, 0.0)])
