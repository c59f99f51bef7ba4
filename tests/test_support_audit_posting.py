# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, money and the ledger: an agent restricted to its own tickets
charges only the tickets it may read, in their company; work on a request
that needs an approved estimate stops at the approved amount."""

from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..lib.guard import internal
from ..lib.locking import PackBusy
from .common import SupportConsumptionCommon

REFUSED = "not allowed to read"


@tagged("post_install", "-at_install")
class TestSupportAuditPosting(SupportConsumptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.support_report_send = "manual"
        __, cls.pack_a = cls._sell(cls.customer_a, cls.maxi)
        __, cls.pack_b = cls._sell(cls.customer_b, cls.maxi)
        # The least privileged agent who logs time: its own tickets only.
        cls.own_agent = new_test_user(
            cls.env,
            login="hsp-audit-own-agent",
            groups="helpdesk_mgmt.group_helpdesk_user_own,"
            "hr_timesheet.group_hr_timesheet_user",
            name="Olga Own",
        )
        cls.env["hr.employee"].create({"name": "Olga Own", "user_id": cls.own_agent.id})
        cls.team.user_ids = [Command.link(cls.own_agent.id)]
        cls.own_ticket = cls._ticket(user_id=cls.own_agent.id)
        cls.own_ticket_2 = cls._ticket(user_id=cls.own_agent.id)
        # Customer B's ticket, the other agent's: same company, not readable.
        cls.foreign_ticket = cls._ticket(partner=cls.contact_b1)
        # Customer B in another company, with a pack there; the ticket is even
        # assigned to the own-tickets agent, who has no access to that company.
        cls.company_2 = cls.env["res.company"].create({"name": "Audit vendor 2"})
        cls.ticket_2 = (
            cls.env["helpdesk.ticket"]
            .with_company(cls.company_2)
            .create(
                {
                    "name": "Help elsewhere",
                    "description": "<p>Help</p>",
                    "partner_id": cls.contact_b1.id,
                    "company_id": cls.company_2.id,
                    "category_id": cls.cat_counted.id,
                    "user_id": cls.own_agent.id,
                }
            )
            .with_env(cls.env)
        )
        cls.pack_b2 = internal(cls.env["support.pack"]).create(
            {
                "partner_id": cls.customer_b.id,
                "company_id": cls.company_2.id,
                "product_id": cls.maxi.id,
                "unit": "credit",
                "validity_months": 12,
                "state": "active",
                "date_start": date(2020, 1, 1),
                "date_end": date(2099, 12, 31),
            }
        )
        internal(cls.env["support.pack.move"]).create(
            cls.pack_b2._prepare_move_values("purchase", 100.0, date=date(2020, 1, 1))
        )

    @contextmanager
    def assertRefused(self, exception, text):
        """Refused with ``text`` in the message (rolled back: savepoint)."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertIn(text, str(caught.exception))

    def _log_as(self, user, ticket, minutes, **values):
        vals = {
            "name": "Work",
            "ticket_id": ticket.id,
            "project_id": self.project.id,
            "unit_amount": minutes / 60.0,
        }
        vals.update(values)
        return self.env["account.analytic.line"].with_user(user).create(vals)

    def _ledger(self):
        """(timesheet lines, moves, balances of A, B and B in company 2), read
        from the database."""
        self.env.invalidate_all()
        return (
            self.env["account.analytic.line"].search_count([]),
            self.env["support.pack.move"].search_count([]),
            self.pack_a.quantity_remaining,
            self.pack_b.quantity_remaining,
            self.pack_b2.quantity_remaining,
        )

    # ------------------------------------------------------------------
    # Charging a pack the agent cannot see
    # ------------------------------------------------------------------
    def test_own_ticket_is_charged(self):
        """The control: 7 min on its own ticket -> 0.25 h -> 1 credit."""
        line = self._log_as(self.own_agent, self.own_ticket, 7)
        self.assertEqual(line.support_rounded_hours, 0.25)
        self.assertEqual(line.support_quantity, 1.0)
        self.assertEqual(self.pack_a.quantity_remaining, 99.0)
        self.assertEqual(self.pack_b.quantity_remaining, 100.0)

    def test_other_customer_ticket_same_company_refused(self):
        self.assertFalse(
            self.foreign_ticket.with_user(self.own_agent).has_access("read")
        )
        before = self._ledger()
        with self.assertRefused(AccessError, REFUSED):
            self._log_as(self.own_agent, self.foreign_ticket, 180)
        self.assertEqual(self._ledger(), before)
        self.assertEqual(before[2:], (100.0, 100.0, 100.0))
        self.assertFalse(
            self.env["support.pack.move"].search(
                [("ticket_id", "=", self.foreign_ticket.id)]
            )
        )

    def test_other_company_ticket_refused(self):
        """Assigned to the agent, but in a company it has no access to."""
        self.assertFalse(self.ticket_2.with_user(self.own_agent).has_access("read"))
        before = self._ledger()
        with self.assertRefused(AccessError, REFUSED):
            self._log_as(self.own_agent, self.ticket_2, 180)
        self.assertEqual(self._ledger(), before)
        self.assertEqual(self.pack_b2.quantity_remaining, 100.0)

    def test_ticket_from_a_default_refused(self):
        """The ticket given by a default (context or user default) is checked
        too: the check reads the created line, not the values sent."""
        before = self._ledger()
        with self.assertRefused(AccessError, REFUSED):
            self.env["account.analytic.line"].with_user(self.own_agent).with_context(
                default_ticket_id=self.foreign_ticket.id
            ).create(
                {
                    "name": "Work",
                    "project_id": self.project.id,
                    "unit_amount": 3.0,
                }
            )
        self.assertEqual(self._ledger(), before)

    def test_other_company_ticket_refused_to_a_multi_company_agent(self):
        """An agent of both companies reads the ticket of company 2, but logs
        time in company 1: the time goes to the ticket's company only."""
        agent_2 = new_test_user(
            self.env,
            login="hsp-audit-two-companies",
            groups="helpdesk_mgmt.group_helpdesk_user,"
            "hr_timesheet.group_hr_timesheet_user",
            company_id=self.company.id,
            company_ids=[Command.set([self.company.id, self.company_2.id])],
        )
        self.env["hr.employee"].create({"name": "Two", "user_id": agent_2.id})
        self.assertTrue(self.ticket_2.with_user(agent_2).has_access("read"))
        before = self._ledger()
        with self.assertRefused(ValidationError, "logged in the ticket's company"):
            self._log_as(agent_2, self.ticket_2, 60)
        self.assertEqual(self._ledger(), before)

    def test_ticket_without_customer_keeps_the_host_rules(self):
        """Time on a ticket without customer is charged to no pack: the host's
        rules apply (helpdesk_mgmt_timesheet lets a timesheet user log on any
        ticket). It is posted once the ticket gets a customer, by whoever may
        set it."""
        ticket = self._ticket(partner=self.env["res.partner"])
        self.assertFalse(ticket.with_user(self.own_agent).has_access("read"))
        line = self._log_as(self.own_agent, ticket, 7)
        self.assertFalse(line.support_move_ids)
        self.assertEqual(self._ledger()[2:], (100.0, 100.0, 100.0))

    def test_import_on_other_customer_ticket_refused(self):
        before = self._ledger()
        result = (
            self.env["account.analytic.line"]
            .with_user(self.own_agent)
            .load(
                ["name", "project_id/.id", "ticket_id/.id", "unit_amount"],
                [["Imported", str(self.project.id), str(self.foreign_ticket.id), "3"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertIn(REFUSED, " ".join(m["message"] for m in result["messages"]))
        self.assertEqual(self._ledger(), before)

    def test_write_ticket_id_onto_other_customer_ticket_refused(self):
        line = self._log_as(self.own_agent, self.own_ticket, 7)
        before = self._ledger()
        self.assertEqual(before[2:], (99.0, 100.0, 100.0))
        for ticket in (self.foreign_ticket, self.ticket_2):
            with self.assertRefused(AccessError, REFUSED):
                line.write({"ticket_id": ticket.id})
            self.assertEqual(self._ledger(), before)
            self.assertEqual(line.ticket_id, self.own_ticket)
            self.assertEqual(line.support_quantity, 1.0)
        # onto another of its own tickets: reposted there
        line.write({"ticket_id": self.own_ticket_2.id})
        self.assertEqual(line.support_quantity, 1.0)
        self.assertEqual(self.pack_a.quantity_remaining, 99.0)
        self.assertEqual(self.own_ticket_2.support_quantity, 1.0)

    def test_time_on_a_ticket_no_longer_readable_refused(self):
        """The ticket went to another agent: its time is no longer the agent's
        to change, move or delete (the customer's balance would move)."""
        line = self._log_as(self.own_agent, self.own_ticket, 7)
        self.own_ticket.user_id = self.agent
        self.assertFalse(self.own_ticket.with_user(self.own_agent).has_access("read"))
        line = line.with_user(self.own_agent)
        before = self._ledger()
        moves = line.sudo().support_move_ids
        for vals in (
            {"unit_amount": 8.0},
            {"date": date(2020, 1, 2)},
            {"ticket_id": self.own_ticket_2.id},
            {"ticket_id": False},
        ):
            with self.assertRefused(AccessError, REFUSED):
                line.write(vals)
            self.assertEqual(self._ledger(), before)
            self.assertEqual(line.sudo().support_move_ids, moves)
            self.assertEqual(line.unit_amount, 7 / 60.0)
            self.assertEqual(line.ticket_id.id, self.own_ticket.id)
        with self.assertRefused(AccessError, REFUSED):
            line.unlink()
        self.assertTrue(line.exists())
        self.assertEqual(self._ledger(), before)
        # its description is the agent's own
        line.name = "Work, described"
        self.assertEqual(line.name, "Work, described")
        self.assertEqual(self._ledger(), before)

    def test_queued_posting_still_posts(self):
        """A posting queued when the pack was busy was checked when logged: the
        scheduled job posts it, even if the ticket changed hands meanwhile."""
        pack_class = type(self.env["support.pack"])
        with patch.object(pack_class, "_lock_for_consumption", side_effect=PackBusy):
            line = self._log_as(self.own_agent, self.own_ticket, 7)
        entries = self.env["support.posting.queue"].search(
            [("timesheet_id", "=", line.id)]
        )
        self.assertEqual(len(entries), 1)
        self.assertEqual(entries.create_uid, self.own_agent)
        self.assertEqual(self.pack_a.quantity_remaining, 100.0)
        self.own_ticket.user_id = self.agent
        entries._process()
        self.env.invalidate_all()
        self.assertEqual(line.support_quantity, 1.0)
        self.assertEqual(self.pack_a.quantity_remaining, 99.0)
        self.assertEqual(line.sudo().support_move_ids.user_id, self.own_agent)

    # ------------------------------------------------------------------
    # Work beyond an approved estimate
    # ------------------------------------------------------------------
    def test_feature_request_capped_at_approved_amount(self):
        """A feature request (its category does not ask for an estimate):
        0.5 h approved = 2 credits; 3 h (12 credits) is refused, 0.5 h
        accepted, then nothing more until a new estimate is approved."""
        ticket = self._ticket(
            user_id=self.own_agent.id, support_request_type="feature"
        ).with_user(self.own_agent)
        self.assertFalse(ticket.category_id.support_estimate_required)
        ticket.support_estimate_hours = 0.5
        ticket.action_support_send_estimate()
        ticket.action_support_approve_estimate_phone()
        self.assertEqual(ticket.support_estimate_quantity, 2.0)
        self.assertEqual(ticket.support_estimate_unit, "credit")
        before = self._ledger()
        with self.assertRefused(UserError, "beyond the 2 credits"):
            self._log_as(self.own_agent, ticket, 180)
        self.assertEqual(self._ledger(), before)
        self.assertEqual(ticket.support_quantity, 0.0)

        line = self._log_as(self.own_agent, ticket, 30)
        self.assertEqual(line.support_quantity, 2.0)
        self.assertEqual(self.pack_a.quantity_remaining, 98.0)
        before = self._ledger()
        # 7 min more, or the line raised to 1 h: 3 and 4 credits > 2
        with self.assertRefused(UserError, "beyond the 2 credits"):
            self._log_as(self.own_agent, ticket, 7)
        with self.assertRefused(UserError, "beyond the 2 credits"):
            line.write({"unit_amount": 1.0})
        self.assertEqual(self._ledger(), before)
        self.assertEqual(line.unit_amount, 0.5)
        self.assertEqual(line.support_quantity, 2.0)

        # A new estimate of 1 h: nothing until approved, then 4 credits.
        ticket.support_estimate_hours = 1.0
        self.assertEqual(ticket.support_estimate_state, "none")
        with self.assertRefused(UserError, "not approved the estimate"):
            self._log_as(self.own_agent, ticket, 7)
        ticket.action_support_send_estimate()
        ticket.action_support_approve_estimate_phone()
        self.assertEqual(ticket.support_estimate_quantity, 4.0)
        self.assertEqual(self._log_as(self.own_agent, ticket, 30).support_quantity, 2.0)
        self.assertEqual(self.pack_a.quantity_remaining, 96.0)
        with self.assertRefused(UserError, "beyond the 4 credits"):
            self._log_as(self.own_agent, ticket, 7)
        self.assertEqual(self.pack_a.quantity_remaining, 96.0)

    def test_cap_counts_the_other_agents_time(self):
        """The own-tickets agent reads only its own timesheet lines; the cap
        still counts the time the other agent logged on the ticket."""
        ticket = self._ticket(
            user_id=self.own_agent.id, support_request_type="feature"
        ).with_user(self.own_agent)
        ticket.support_estimate_hours = 0.5
        ticket.action_support_send_estimate()
        ticket.action_support_approve_estimate_phone()
        self._log_as(self.agent, ticket, 15)
        self.assertEqual(self.pack_a.quantity_remaining, 99.0)
        before = self._ledger()
        with self.assertRefused(UserError, "beyond the 2 credits"):
            self._log_as(self.own_agent, ticket, 30)
        self.assertEqual(self._ledger(), before)
        self.assertEqual(self._log_as(self.own_agent, ticket, 15).support_quantity, 1.0)
        self.assertEqual(self.pack_a.quantity_remaining, 98.0)
