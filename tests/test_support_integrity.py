# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The ledger and the business rules hold at the model layer, for every caller.

Each test makes the forbidden call through the ORM as the least privileged
user who could try it (helpdesk agent, pack manager, salesperson, portal user
of another customer, follower, internal user without helpdesk rights), the way
an XML-RPC/JSON-RPC client would, and proves it is refused (or has no effect)
and that nothing was written.
"""

from contextlib import contextmanager
from datetime import date

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..lib.guard import internal
from .common import SupportConsumptionCommon

NO_POSTING = {"support_pack_no_posting": True}


@tagged("post_install", "-at_install")
class TestSupportIntegrity(SupportConsumptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pack = cls._sell_on("2026-01-05", cls.customer_a, cls.maxi)
        cls.ticket = cls._ticket()

    @classmethod
    def _sell_on(cls, day, partner, product):
        with freeze_time(day):
            return cls._sell(partner, product)[1]

    @contextmanager
    def _refused(self, exception, regex=""):
        """The call raises, and what it may have written is rolled back."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield
        self.env.invalidate_all()

    def _ledger(self, pack=None):
        self.env.invalidate_all()
        pack = pack or self.pack
        return [
            (m.move_type, m.quantity, m.date)
            for m in pack.move_ids.sorted(lambda m: (m.date, m.id))
        ]

    def _move_count(self):
        return self.env["support.pack.move"].sudo().search_count([])

    # ------------------------------------------------------------------
    # No key a client sends switches posting or a check off
    # ------------------------------------------------------------------
    def test_no_posting_key_is_ignored_on_create_write_unlink(self):
        line_model = (
            self.env["account.analytic.line"]
            .with_user(self.agent)
            .with_context(**NO_POSTING)
        )
        line = line_model.create(
            {
                "name": "Import",
                "ticket_id": self.ticket.id,
                "project_id": self.project.id,
                "unit_amount": 0.5,
                "date": "2026-02-02",
            }
        )
        # 30 min medium → 0.5 h → 2 credits, posted all the same
        self.assertEqual(line.support_quantity, 2.0)
        self.assertEqual(self.pack.quantity_remaining, 98.0)
        line.write({"unit_amount": 1.0})
        self.assertEqual(line.support_quantity, 4.0)
        self.assertEqual(self.pack.quantity_remaining, 96.0)
        line.unlink()
        # no orphan consumption: the delete reversed it
        self.assertEqual(self.pack.quantity_remaining, 100.0)
        self.assertEqual(sum(self.pack.move_ids.mapped("quantity")), 100.0)

    def test_no_posting_key_does_not_switch_checks_off(self):
        line_model = (
            self.env["account.analytic.line"]
            .with_user(self.agent)
            .with_context(**NO_POSTING)
        )
        not_covered = self._ticket(category=self.cat_not_covered)
        over_cap = self._ticket()
        over_cap.support_estimate_hours = 6.0
        lines_before = line_model.sudo().search_count([])
        moves_before = self._move_count()
        for ticket, hours, exception, regex in (
            (self.ticket, 30.0, ValidationError, "cannot exceed 24 hours"),
            (not_covered, 0.5, UserError, "not covered"),
            (over_cap, 0.5, UserError, "above the 4 h"),
        ):
            with self._refused(exception, regex):
                line_model.create(
                    {
                        "name": "Work",
                        "ticket_id": ticket.id,
                        "project_id": self.project.id,
                        "unit_amount": hours,
                        "date": "2026-02-02",
                    }
                )
        line = self._log(self.ticket, 30, date="2026-02-02")
        with self._refused(ValidationError, "cannot exceed 24 hours"):
            line.with_user(self.agent).with_context(**NO_POSTING).write(
                {"unit_amount": 30.0}
            )
        self.assertEqual(line.unit_amount, 0.5)
        self.assertEqual(line_model.sudo().search_count([]), lines_before + 1)
        self.assertEqual(self._move_count(), moves_before + 1)
        self.assertEqual(self.pack.quantity_remaining, 98.0)

    # ------------------------------------------------------------------
    # Packs: balance and identity change only through moves and methods
    # ------------------------------------------------------------------
    def test_pack_manager_cannot_write_balance_identity_or_state(self):
        pack = self.pack.with_user(self.pack_manager)
        before = pack.read(
            [
                "quantity_remaining",
                "partner_id",
                "unit",
                "date_start",
                "date_end",
                "state",
            ]
        )
        for vals in (
            {"quantity_remaining": 500.0},
            {"quantity_granted": 500.0},
            {"partner_id": self.customer_b.id},
            {"unit": "hour"},
            {"date_start": "2020-01-01"},
            {"date_end": "2030-12-31"},
            {"state": "active", "date_end": "2030-12-31"},
            {"state": "expired"},
            {"move_ids": [Command.create({"move_type": "purchase", "quantity": 9})]},
        ):
            with self._refused(AccessError, "cannot be set directly"):
                pack.write(vals)
        self.assertEqual(pack.read(list(before[0])), before)
        # the salesperson field stays editable
        pack.write({"user_id": self.pack_manager.id})
        self.assertEqual(pack.user_id, self.pack_manager)
        # the next posting allocates against the ledger, not a typed balance
        self._log(self.ticket, 30, date="2026-02-02")
        self.assertEqual(self.pack.quantity_remaining, 98.0)

    def test_pack_manager_cannot_create_a_pack(self):
        packs_before = self.env["support.pack"].sudo().search_count([])
        with self._refused(AccessError):
            self.env["support.pack"].with_user(self.pack_manager).create(
                {
                    "partner_id": self.customer_b.id,
                    "product_id": self.maxi.id,
                    "unit": "credit",
                    "state": "active",
                    "date_start": "2026-01-01",
                    "date_end": "2026-12-31",
                }
            )
        self.assertEqual(self.env["support.pack"].sudo().search_count([]), packs_before)

    # ------------------------------------------------------------------
    # Moves: created only by the flows, signed by type, by the acting user
    # ------------------------------------------------------------------
    def test_no_one_creates_moves_directly(self):
        moves_before = self._move_count()
        values = self.pack._prepare_move_values(
            "purchase", 500.0, date=date(2025, 1, 1), user_id=self.salesman.id
        )
        for user in (self.pack_manager, self.salesman, self.agent):
            with self._refused(AccessError):
                self.env["support.pack.move"].with_user(user).create(dict(values))
        # not even a superuser call that skips the addon's flows
        with self._refused(AccessError, "recorded by the support pack flows"):
            self.env["support.pack.move"].sudo().create(
                self.pack._prepare_move_values("consumption", 3.0, note="backdated")
            )
        self.assertEqual(self._move_count(), moves_before)
        self.assertEqual(self.pack.quantity_remaining, 100.0)

    def test_sign_of_each_move_type_and_recorder(self):
        moves = internal(self.env["support.pack.move"])
        for move_type, quantity in (
            ("purchase", -5.0),
            ("consumption", 3.0),
            ("carry_over_out", 2.0),
            ("carry_over_in", -2.0),
            ("expiry", 1.0),
            ("cancellation", 1.0),
        ):
            with self._refused(ValidationError, "cannot be"):
                moves.create(self.pack._prepare_move_values(move_type, quantity))
        with self._refused(ValidationError, "cannot be zero"):
            moves.create(
                self.pack._prepare_move_values("adjustment", 0.0, note="nothing")
            )
        # the recorder is the acting user, whatever the values say
        move = internal(
            self.env["support.pack.move"].with_user(self.pack_manager)
        ).create(
            self.pack._prepare_move_values(
                "adjustment", -1.0, note="goodwill", user_id=self.salesman.id
            )
        )
        self.assertEqual(move.user_id, self.pack_manager)
        # a reversal has the opposite sign of the move it cancels, once
        with self._refused(ValidationError, "opposite sign"):
            moves.create(dict(move._prepare_reversal_values(), quantity=-1.0))
        moves.create(move._prepare_reversal_values())
        with self._refused(Exception), mute_logger("odoo.sql_db"):
            moves.create(move._prepare_reversal_values())
        self.assertEqual(self.pack.quantity_remaining, 100.0)

    def test_adjustment_wizard_records_the_manager(self):
        wizard = (
            self.env["support.pack.adjust"]
            .with_user(self.pack_manager)
            .create({"pack_id": self.pack.id, "quantity": 5.0, "reason": "Gift"})
        )
        wizard.action_apply()
        move = self.pack.move_ids.filtered(lambda m: m.move_type == "adjustment")
        self.assertRecordValues(
            move, [{"quantity": 5.0, "note": "Gift", "user_id": self.pack_manager.id}]
        )

    # ------------------------------------------------------------------
    # Timesheet lines: only the posting writes the posting figures
    # ------------------------------------------------------------------
    def test_agent_cannot_write_posting_figures(self):
        line = self._log(self.ticket, 7, date="2026-02-02")
        self.assertEqual(line.support_quantity, 1.0)
        agent_line = line.with_user(self.agent)
        for vals in (
            {"support_quantity": 0.0},
            {"support_rounded_hours": 0.0},
            {"support_multiplier": 0.0},
            {"support_coverage": "included"},
            {"support_reported_date": fields.Datetime.now()},
            {"support_legacy": True},
        ):
            with self._refused(AccessError, "cannot be set directly"):
                agent_line.write(vals)
        with self._refused(AccessError, "cannot be set directly"):
            self.env["account.analytic.line"].with_user(self.agent).create(
                {
                    "name": "Work",
                    "ticket_id": self.ticket.id,
                    "project_id": self.project.id,
                    "unit_amount": 2.0,
                    "date": "2026-02-02",
                    "support_legacy": True,
                }
            )
        self.assertRecordValues(
            line,
            [
                {
                    "support_quantity": 1.0,
                    "support_rounded_hours": 0.25,
                    "support_multiplier": 1.0,
                    "support_coverage": "counted",
                    "support_reported_date": False,
                    "support_legacy": False,
                }
            ],
        )
        self.assertEqual(self.pack.quantity_remaining, 99.0)

    # ------------------------------------------------------------------
    # Tickets: the flows that own a field write it
    # ------------------------------------------------------------------
    def test_agent_cannot_write_flow_fields_of_ticket(self):
        ticket = self._ticket(category=self.cat_estimate)
        agent_ticket = ticket.with_user(self.agent)
        for vals in (
            {"support_estimate_state": "approved"},
            {"first_response_date": fields.Datetime.now()},
            {"support_fix_confirmed_date": fields.Datetime.now()},
            {"support_fix_confirmed_partner_id": self.contact_a1.id},
            {"support_parent_ticket_id": self.ticket.id},
            {"support_quantity": 0.0},
        ):
            with self._refused(AccessError, "cannot be set directly"):
                agent_ticket.write(vals)
        with self._refused(UserError, "Escalate action"):
            agent_ticket.with_context(support_escalation=True).write(
                {"support_level": "3"}
            )
        with self._refused(UserError, "Escalate action"):
            self._ticket(support_level="3")
        with self._refused(AccessError, "cannot be set directly"):
            self._ticket(support_estimate_state="approved")
        self.assertRecordValues(
            ticket,
            [
                {
                    "support_estimate_state": "none",
                    "first_response_date": False,
                    "support_fix_confirmed_date": False,
                    "support_level": "2",
                }
            ],
        )
        # still refused: the estimate was never approved
        with self._refused(UserError, "not approved the estimate"):
            self._log(ticket, 30, date="2026-02-02")
        # the flows still work: send, then approve by phone
        ticket.support_estimate_hours = 2.0
        agent_ticket.action_support_send_estimate()
        agent_ticket.action_support_approve_estimate_phone()
        self.assertEqual(ticket.support_estimate_state, "approved")

    # ------------------------------------------------------------------
    # Corrections on a closed pack never revive it
    # ------------------------------------------------------------------
    def _expired_pack_with_line(self, renew):
        """LIGHT bought 2025-01-10 (until 2026-01-10), 16 min logged on it,
        expired by the cron on 2026-01-11; with ``renew``, a MAXI bought
        2025-12-01 receives the carried-over balance."""
        old = self._sell_on("2025-01-10", self.customer_b, self.light)
        ticket = self._ticket(partner=self.contact_b1)
        line = self._log(ticket, 16, date="2025-06-02")
        self.assertEqual(old.quantity_remaining, 18.0)
        new = self._sell_on("2025-12-01", self.customer_b, self.maxi) if renew else None
        with freeze_time("2026-01-11"):
            self.env["support.pack"]._cron_expire_packs()
        self.assertEqual(old.state, "expired")
        self.assertEqual(old.quantity_remaining, 0.0)
        return old, new, line

    def test_delete_on_expired_pack_goes_to_carry_over_pack(self):
        old, new, line = self._expired_pack_with_line(renew=True)
        self.assertEqual(new.quantity_remaining, 118.0)
        ledger_old = self._ledger(old)
        with freeze_time("2026-02-02"):
            line.with_user(self.agent).unlink()
        # the statement of the closed pack is unchanged
        self.assertEqual(self._ledger(old), ledger_old)
        self.assertEqual(old.quantity_remaining, 0.0)
        self.assertEqual(old.state, "expired")
        # the 2 credits went where its balance went, dated the correction day
        self.assertEqual(new.quantity_remaining, 120.0)
        self.assertEqual(self._ledger(new)[-1], ("consumption", 2.0, date(2026, 2, 2)))

    def test_shorten_on_expired_pack(self):
        old, new, line = self._expired_pack_with_line(renew=True)
        ledger_old = self._ledger(old)
        with freeze_time("2026-02-02"):
            line.with_user(self.agent).write({"unit_amount": 7 / 60})
        self.assertEqual(self._ledger(old), ledger_old)
        # +2 given back on the renewal pack today; the line now consumes 1
        # credit on 2025-06-02, when no open pack covered it: the overdraft.
        self.assertEqual(new.quantity_remaining, 120.0)
        overdraft = line.support_move_ids.filtered(lambda m: not m.pack_id)
        self.assertRecordValues(
            overdraft, [{"move_type": "overdraft", "quantity": -1.0}]
        )
        self.assertEqual(line.support_quantity, 1.0)

    def test_delete_on_expired_pack_without_successor_credits_customer(self):
        old, __, line = self._expired_pack_with_line(renew=False)
        ledger_old = self._ledger(old)
        with freeze_time("2026-02-02"):
            line.with_user(self.agent).unlink()
        self.assertEqual(self._ledger(old), ledger_old)
        credit = (
            self.env["support.pack.move"]
            .sudo()
            .search([("partner_id", "=", self.customer_b.id), ("pack_id", "=", False)])
        )
        self.assertRecordValues(
            credit,
            [{"move_type": "overdraft", "quantity": 2.0, "date": date(2026, 2, 2)}],
        )

    def test_delete_on_expired_pack_without_carry_over_goes_to_next_pack(self):
        never = self._create_pack_product(
            "LIGHT no carry-over", "credit", 20, 500.0, carry_over="never"
        )
        old = self._sell_on("2025-01-10", self.customer_b, never)
        line = self._log(self._ticket(partner=self.contact_b1), 16, date="2025-06-02")
        new = self._sell_on("2025-12-01", self.customer_b, self.maxi)
        with freeze_time("2026-01-11"):
            self.env["support.pack"]._cron_expire_packs()
        # its 18 credits were lost at expiry, not carried over
        # valid up to and including 2026-01-09
        self.assertEqual(self._ledger(old)[-1], ("expiry", -18.0, date(2026, 1, 9)))
        self.assertEqual(new.quantity_remaining, 100.0)
        ledger_old = self._ledger(old)
        with freeze_time("2026-02-02"):
            line.with_user(self.agent).unlink()
        self.assertEqual(self._ledger(old), ledger_old)
        self.assertEqual(new.quantity_remaining, 102.0)

    # ------------------------------------------------------------------
    # Intervention report: balance after, in the ledger's order
    # ------------------------------------------------------------------
    def test_report_balance_after_follows_ledger_order(self):
        other = self._ticket(name="Other")
        # created first (smaller id) but dated later
        self._log(other, 30, date="2026-02-20")
        self._log(self.ticket, 30, date="2026-02-05")
        values = (
            self.ticket.with_user(self.agent)
            .env["report.helpdesk_support_pack.report_helpdesk_ticket_intervention"]
            ._get_ticket_values(self.ticket.with_user(self.agent))
        )
        # 100 − 2 (this ticket, 5 Feb); the other ticket's 2 credits of
        # 20 Feb come after it on the statement
        self.assertEqual([b["balance"] for b in values["balances"]], [98.0])
        statement = self.env[
            "report.helpdesk_support_pack.report_support_pack_statement"
        ]._get_statement_values(self.pack)
        self.assertEqual(
            [row["balance"] for row in statement["rows"]], [100.0, 98.0, 96.0]
        )

    # ------------------------------------------------------------------
    # Only the customer's contacts act as the customer
    # ------------------------------------------------------------------
    def test_only_customer_contacts_answer_for_the_customer(self):
        other_company = self.env["res.company"].create({"name": "Elsewhere"})
        follower = self.env["res.partner"].create(
            {"name": "Fred Follower", "email": "fred@elsewhere.example.com"}
        )
        clerk = new_test_user(
            self.env,
            login="hsp-clerk",
            groups="base.group_user",
            name="Clara Clerk",
            company_id=other_company.id,
            company_ids=[Command.set([other_company.id, self.company.id])],
        )
        ticket = self._ticket(category=self.cat_estimate)
        ticket.support_estimate_hours = 2.0
        ticket.with_user(self.agent).action_support_send_estimate()
        ticket.message_subscribe(partner_ids=(follower | clerk.partner_id).ids)
        done = self.env["helpdesk.ticket.stage"].create(
            {"name": "Done (test)", "closed": True, "sequence": 90}
        )
        for partner in (follower, clerk.partner_id, self.contact_b1):
            with self._refused(AccessError, "Only the contacts of Campus A"):
                ticket.sudo()._support_portal_answer_estimate(True, partner)
        self.assertEqual(ticket.support_estimate_state, "sent")
        ticket.sudo().write({"stage_id": done.id})
        for partner in (follower, clerk.partner_id):
            with self._refused(AccessError, "Only the contacts"):
                ticket.sudo()._support_portal_confirm(partner)
            with self._refused(AccessError, "Only the contacts"):
                ticket.sudo()._support_portal_reopen("Broken", partner)
        self.assertRecordValues(
            ticket,
            [{"support_fix_confirmed_date": False, "stage_id": done.id}],
        )
        # a contact of the customer does
        ticket.sudo()._support_portal_confirm(self.contact_a2)
        self.assertEqual(ticket.support_fix_confirmed_partner_id, self.contact_a2)

    # ------------------------------------------------------------------
    # Install into a running helpdesk: old timesheets stay as they were
    # ------------------------------------------------------------------
    def _legacy_line(self, ticket, hours):
        """A line as it was before the install: on a ticket, never posted
        (``support_legacy`` is what the pre-init hook leaves on old rows)."""
        line = (
            self.env["account.analytic.line"]
            .with_user(self.agent)
            .create(
                {
                    "name": "Old work",
                    "project_id": self.project.id,
                    "unit_amount": hours,
                    "date": "2026-02-02",
                }
            )
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_analytic_line SET support_legacy = TRUE, ticket_id = %s"
            " WHERE id = %s",
            (ticket.id, line.id),
        )
        self.env.invalidate_all()
        return line

    def test_timesheets_logged_before_install_are_not_posted(self):
        not_covered = self._ticket(category=self.cat_not_covered)
        old = self._legacy_line(self.ticket, 1.0)
        old_not_covered = self._legacy_line(not_covered, 1.0)
        moves_before = self._move_count()
        # editable as before the install: no refusal, no charge in full
        old.with_user(self.agent).write({"unit_amount": 1.5})
        old_not_covered.with_user(self.agent).write({"unit_amount": 2.0, "name": "Fix"})
        self.assertEqual(self._move_count(), moves_before)
        self.assertRecordValues(
            old | old_not_covered,
            [
                {"unit_amount": 1.5, "support_quantity": 0.0, "support_legacy": True},
                {"unit_amount": 2.0, "support_quantity": 0.0, "support_legacy": True},
            ],
        )
        old.with_user(self.agent).unlink()
        self.assertEqual(self._move_count(), moves_before)
        self.assertEqual(self.pack.quantity_remaining, 100.0)
        # a line logged since the install is posted
        new = self._log(self.ticket, 7, date="2026-02-02")
        self.assertFalse(new.support_legacy)
        self.assertEqual(self.pack.quantity_remaining, 99.0)
        # a copy of an old line is new work
        copy = old_not_covered.copy({"ticket_id": self.ticket.id, "unit_amount": 0.25})
        self.assertFalse(copy.support_legacy)
        self.assertEqual(copy.support_quantity, 1.0)


@tagged("post_install", "-at_install")
class TestSupportSlaAuthorization(SupportConsumptionCommon):
    """SLA lines and the compliance report follow their tickets: portal users
    see the lines of the tickets they can read, internal users their
    companies'."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        done = cls.env["helpdesk.ticket.stage"].create(
            {"name": "Solved (test)", "closed": True, "sequence": 95}
        )
        cls.team.use_sla = True
        cls.env["helpdesk.sla"].create(
            {
                "name": "Resolution in 8 h (test)",
                "team_ids": [Command.set(cls.team.ids)],
                "stage_id": done.id,
                "hours": 8,
                "target": "resolution",
                "use_calendar": False,
            }
        )
        cls.portal_a = new_test_user(
            cls.env,
            login="hsp-int-portal-a",
            groups="base.group_portal",
            partner_id=cls.contact_a1.id,
        )
        cls.portal_b = new_test_user(
            cls.env,
            login="hsp-int-portal-b",
            groups="base.group_portal",
            partner_id=cls.contact_b1.id,
        )
        cls.ticket_a = cls._ticket(partner=cls.contact_a1)
        cls.ticket_b = cls._ticket(partner=cls.contact_b1)
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})
        cls.other_agent = new_test_user(
            cls.env,
            login="hsp-int-other-agent",
            groups="helpdesk_mgmt.group_helpdesk_user",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )

    def test_portal_user_reads_only_own_tickets_sla_lines(self):
        lines_a = self.ticket_a.sudo().ticket_sla_ids
        lines_b = self.ticket_b.sudo().ticket_sla_ids
        self.assertTrue(lines_a and lines_b)
        sla_model = self.env["helpdesk.ticket.sla"]
        self.assertEqual(sla_model.with_user(self.portal_b).search([]), lines_b)
        self.assertEqual(sla_model.with_user(self.portal_a).search([]), lines_a)
        with self.assertRaises(AccessError):
            lines_a.with_user(self.portal_b).read(["deadline"])

    def test_internal_user_reads_only_own_companies_sla_lines_and_report(self):
        lines = (self.ticket_a | self.ticket_b).sudo().ticket_sla_ids
        sla_model = self.env["helpdesk.ticket.sla"].with_user(self.other_agent)
        self.assertFalse(sla_model.search([("id", "in", lines.ids)]))
        with self.assertRaises(AccessError):
            lines.with_user(self.other_agent).read(["deadline"])
        report = self.env["helpdesk.sla.report"]
        tickets = (self.ticket_a | self.ticket_b).ids
        self.assertFalse(
            report.with_user(self.other_agent).search([("ticket_id", "in", tickets)])
        )
        found = report.with_user(self.agent).search([("ticket_id", "in", tickets)])
        self.assertEqual(sorted(found.ticket_id.ids), sorted(tickets))
