# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..lib.guard import internal
from .common import SupportConsumptionCommon


class CustomerRulesCommon(SupportConsumptionCommon):
    """A credit pack for customer A, an hour pack for customer B, stages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "support_billed_low": False,
                "support_billed_medium": False,
                "support_billed_high": False,
                "support_billed_very_high": True,
                "support_reopen_grace_days": 30,
                "support_report_send": "manual",
            }
        )
        __, cls.pack_a = cls._sell(cls.customer_a, cls.maxi)
        __, cls.pack_b = cls._sell(cls.customer_b, cls.hour_pack_product)
        stage_model = cls.env["helpdesk.ticket.stage"]
        cls.stage_open = stage_model.create(
            {"name": "CR Open", "sequence": 0, "team_ids": [(6, 0, cls.team.ids)]}
        )
        cls.stage_closed = stage_model.create(
            {
                "name": "CR Closed",
                "sequence": 90,
                "closed": True,
                "close_from_portal": True,
                "team_ids": [(6, 0, cls.team.ids)],
            }
        )
        cls.portal_a1 = new_test_user(
            cls.env,
            login="hsp-cr-a1",
            groups="base.group_portal",
            partner_id=cls.contact_a1.id,
            email=cls.contact_a1.email,
        )
        cls.portal_a2 = new_test_user(
            cls.env,
            login="hsp-cr-a2",
            groups="base.group_portal",
            partner_id=cls.contact_a2.id,
            email=cls.contact_a2.email,
        )
        cls.portal_b1 = new_test_user(
            cls.env,
            login="hsp-cr-b1",
            groups="base.group_portal",
            partner_id=cls.contact_b1.id,
            email=cls.contact_b1.email,
        )

    @contextmanager
    def assertRefused(self, exception, text):
        """Refused with ``text`` in the message, and rolled back (savepoint)."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertIn(text, str(caught.exception))

    @classmethod
    def _restrict_a(cls):
        cls.customer_a.support_restricted = True
        cls.contact_a1.support_authorized = True


@tagged("post_install", "-at_install")
class TestSupportUrgentAlwaysBilled(CustomerRulesCommon):
    def test_urgent_on_included_category_is_billed(self):
        """16 min on an urgent ticket of an included category (a confirmed
        bug): 0:30 x 2 = 4 credits; on a medium ticket of that category: 0."""
        urgent = self._ticket(priority="3", category=self.cat_included)
        medium = self._ticket(priority="1", category=self.cat_included)
        urgent_line = self._log(urgent, 16)
        medium_line = self._log(medium, 16)
        self.assertEqual(urgent_line.support_rounded_hours, 0.5)
        self.assertEqual(urgent_line.support_multiplier, 2.0)
        self.assertEqual(urgent_line.support_coverage, "counted")
        self.assertEqual(urgent_line.support_quantity, 4.0)
        self.assertEqual(urgent_line.support_move_ids.quantity, -4.0)
        self.assertEqual(medium_line.support_coverage, "included")
        self.assertEqual(medium_line.support_quantity, 0.0)
        self.assertEqual(sum(medium_line.support_move_ids.mapped("quantity")), 0.0)
        self.assertEqual(self.pack_a.quantity_remaining, 96.0)
        # The ticket tells why; the medium one has nothing to explain.
        self.assertEqual(
            urgent.support_billed_reason,
            "Very High priority: billed even for a bug",
        )
        self.assertFalse(medium.support_billed_reason)
        self.assertEqual(
            urgent.with_user(self.agent)._get_support_portal_values()["rules"][
                "billed_reason"
            ],
            urgent.support_billed_reason,
        )

    def test_setting_lists_the_priorities(self):
        """Unticked, urgent work on a bug is included again; ticked for high,
        16 min high = 2 credits (multiplier 1)."""
        self.company.support_billed_very_high = False
        self.company.support_billed_high = True
        urgent = self._ticket(priority="3", category=self.cat_included)
        high = self._ticket(priority="2", category=self.cat_included)
        self.assertEqual(self._log(urgent, 16).support_quantity, 0.0)
        self.assertEqual(self._log(high, 16).support_quantity, 2.0)
        self.assertFalse(urgent.support_billed_reason)

    def test_default_setting(self):
        company = self.env["res.company"].create({"name": "Fresh vendor"})
        self.assertTrue(company.support_billed_very_high)
        self.assertFalse(
            company.support_billed_low
            or company.support_billed_medium
            or company.support_billed_high
        )

    def test_report_shows_the_reason(self):
        urgent = self._ticket(priority="3", category=self.cat_included)
        self._log(urgent, 16)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.agent)
            ._render_qweb_html(
                "helpdesk_support_pack.helpdesk_ticket_report_intervention", urgent.ids
            )[0]
            .decode()
        )
        self.assertIn("billed even for a bug", html)


@tagged("post_install", "-at_install")
class TestSupportDeclaredUrgency(CustomerRulesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["helpdesk.sla"].search([]).write({"active": False})
        cls.team.use_sla = True
        for priority, response, resolution_days, resolution_hours in (
            ("3", 4, 0, 4),
            ("1", 24, 2, 0),
        ):
            cls.env["helpdesk.sla"].create(
                {
                    "name": f"CR response {priority}",
                    "target": "first_response",
                    "priority": priority,
                    "hours": response,
                    "use_calendar": False,
                    "team_ids": [(6, 0, cls.team.ids)],
                }
            )
            cls.env["helpdesk.sla"].create(
                {
                    "name": f"CR resolution {priority}",
                    "target": "resolution",
                    "priority": priority,
                    "days": resolution_days,
                    "hours": resolution_hours,
                    "use_calendar": priority == "1",
                    "stage_id": cls.stage_closed.id,
                    "team_ids": [(6, 0, cls.team.ids)],
                }
            )

    def _levels(self, user, partner):
        return {
            level["value"]: level
            for level in self.env["helpdesk.ticket"]
            .with_user(user)
            ._support_get_portal_priority_levels(partner, self.team)
        }

    def test_levels_with_sla_and_cost(self):
        levels = self._levels(self.portal_a1, self.contact_a1)
        self.assertEqual(list(levels), ["0", "1", "2", "3"])
        self.assertEqual(
            levels["3"]["slas"],
            ["First response: 4 h (24/7)", "Resolution: 4 h (24/7)"],
        )
        self.assertEqual(
            levels["1"]["slas"],
            ["First response: 24 h (24/7)", "Resolution: 2 days (working hours)"],
        )
        self.assertEqual(levels["0"]["slas"], [])
        self.assertEqual(levels["3"]["cost"], "2 credits per started quarter-hour")
        self.assertEqual(levels["1"]["cost"], "1 credit per started quarter-hour")
        self.assertEqual(levels["3"]["billed_note"], "billed even for a bug")
        self.assertFalse(levels["1"]["billed_note"])
        self.assertIn("Service down", levels["3"]["description"])
        # Customer B holds an hour pack: its cost is in hours.
        levels_b = self._levels(self.portal_b1, self.contact_b1)
        self.assertEqual(levels_b["3"]["cost"], "0.5 h per started quarter-hour")
        self.assertEqual(levels_b["0"]["cost"], "0.25 h per started quarter-hour")

    def test_team_without_sla(self):
        self.team.use_sla = False
        self.assertEqual(self._levels(self.portal_a1, self.contact_a1)["3"]["slas"], [])


@tagged("post_install", "-at_install")
class TestSupportAuthorizedContacts(CustomerRulesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._restrict_a()

    def test_flags(self):
        self.assertTrue(self.contact_a1._support_is_authorized())
        self.assertFalse(self.contact_a2._support_is_authorized())
        # The company's flag is the contacts' (a commercial field).
        self.assertTrue(self.contact_a2.support_restricted)
        # Unrestricted: every contact acts.
        self.assertTrue(self.contact_b1._support_is_authorized())
        self.assertEqual(
            self.contact_a2._support_get_authorized_contacts(), self.contact_a1
        )

    def test_ticket_actions_refused(self):
        ticket = self._ticket(partner=self.contact_a2, category=self.cat_estimate)
        ticket.support_estimate_hours = 1.0
        ticket.with_user(self.agent).action_support_send_estimate()
        as_a2 = ticket.with_user(self.portal_a2).sudo()
        with self.assertRefused(AccessError, "restricts support"):
            as_a2._support_portal_answer_estimate(True, self.contact_a2)
        self.assertEqual(ticket.support_estimate_state, "sent")
        ticket.with_user(self.portal_a1).sudo()._support_portal_answer_estimate(
            True, self.contact_a1
        )
        self.assertEqual(ticket.support_estimate_state, "approved")

    def test_portal_user_cannot_create_or_flag_itself(self):
        count = self.env["helpdesk.ticket"].search_count([])
        with self.assertRefused(UserError, "restricts support"):
            self.env["helpdesk.ticket"].with_user(self.portal_a2).sudo().create(
                {
                    "name": "Not allowed",
                    "description": "x",
                    "partner_id": self.contact_a2.id,
                }
            )
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)
        with self.assertRaises(AccessError):
            self.contact_a2.with_user(self.portal_a2).sudo().write(
                {"support_authorized": True}
            )
        with self.assertRaises(AccessError):
            self.customer_a.with_user(self.portal_a2).sudo().write(
                {"support_restricted": False}
            )
        self.assertFalse(self.contact_a2.support_authorized)
        self.assertTrue(self.customer_a.support_restricted)

    def test_mail_gateway_flags_the_ticket(self):
        self.env["helpdesk.ticket.team"].search([]).write({"alias_name": False})
        template = (
            "From: {sender}\nTo: helpdesk@example.com\nSubject: {subject}\n"
            "Message-ID: <{subject}@example.com>\n"
            "Content-Type: text/plain\n\nThe portal is down\n"
        )
        thread = self.env["mail.thread"]
        ids = {}
        for key, contact in (("a1", self.contact_a1), ("a2", self.contact_a2)):
            ids[key] = thread.message_process(
                "helpdesk.ticket",
                template.format(sender=contact.email, subject=f"cr-mail-{key}"),
            )
        tickets = self.env["helpdesk.ticket"].browse([ids["a1"], ids["a2"]])
        self.assertEqual(tickets[0].partner_id, self.contact_a1)
        self.assertEqual(tickets[1].partner_id, self.contact_a2)
        self.assertFalse(tickets[0].support_unauthorized_contact)
        self.assertTrue(tickets[1].support_unauthorized_contact)

    def test_authorized_contact_manages_colleagues(self):
        # Not authorized: refused, nothing written.
        with self.assertRaises(AccessError):
            self.contact_a2.with_user(self.portal_a2)._support_set_authorized(
                True, self.contact_a2
            )
        self.assertFalse(self.contact_a2.support_authorized)
        # Another company's contact: refused.
        with self.assertRaises(AccessError):
            self.contact_a2.with_user(self.portal_b1)._support_set_authorized(
                True, self.contact_b1
            )
        self.assertFalse(self.contact_a2.support_authorized)
        # The last authorized contact stays.
        with self.assertRefused(UserError, "last authorized contact"):
            self.contact_a1.with_user(self.portal_a1)._support_set_authorized(
                False, self.contact_a1
            )
        self.assertTrue(self.contact_a1.support_authorized)
        self.contact_a2.with_user(self.portal_a1)._support_set_authorized(
            True, self.contact_a1
        )
        self.assertTrue(self.contact_a2.support_authorized)
        self.assertIn(
            f"{self.contact_a2.name} authorized for support by {self.contact_a1.name}",
            self.customer_a.message_ids[:1].body,
        )

    def test_vendor_manages_on_the_customer_form(self):
        manager = new_test_user(
            self.env,
            login="hsp-cr-helpdesk-manager",
            groups="base.group_partner_manager,helpdesk_mgmt.group_helpdesk_manager",
        )
        self.customer_a.with_user(manager).write({"support_restricted": False})
        self.assertTrue(self.contact_a2._support_is_authorized())


@tagged("post_install", "-at_install")
class TestSupportEstimateInCustomerUnit(CustomerRulesCommon):
    def _estimate(self, partner, priority, hours):
        ticket = self._ticket(
            partner=partner, priority=priority, category=self.cat_estimate
        )
        ticket.support_estimate_hours = hours
        ticket.with_user(self.agent).action_support_send_estimate()
        return ticket

    def test_two_hours_urgent_against_credits(self):
        """2 h on an urgent ticket against a credit pack = 16 credits; the
        approved amount is recorded on the ticket and in the chatter."""
        ticket = self._estimate(self.contact_a1, "3", 2.0)
        self.assertEqual(ticket.support_estimate_cost, "16 credits")
        ticket.with_user(self.portal_a1).sudo()._support_portal_answer_estimate(
            True, self.contact_a1
        )
        self.assertEqual(ticket.support_estimate_quantity, 16.0)
        self.assertEqual(ticket.support_estimate_unit, "credit")
        self.assertIn("Approved amount: 16 credits", ticket.message_ids[:1].body)
        # Against an hour pack: 2 h x 2 = 4 h.
        ticket_b = self._estimate(self.contact_b1, "3", 2.0)
        self.assertEqual(ticket_b.support_estimate_cost, "4 h")
        ticket_b.with_user(self.agent).action_support_approve_estimate_phone()
        self.assertEqual(ticket_b.support_estimate_quantity, 4.0)
        self.assertEqual(ticket_b.support_estimate_unit, "hour")

    def test_consumption_beyond_needs_new_approval(self):
        ticket = self._estimate(self.contact_a1, "3", 2.0)
        ticket.with_user(self.agent).action_support_approve_estimate_phone()
        self.assertEqual(self._log(ticket, 60).support_quantity, 8.0)
        lines = self.env["account.analytic.line"].search_count([])
        # 70 min -> 1:15 x 2 = 10 credits: 18 > 16 approved.
        with self.assertRefused(UserError, "beyond the 16 credits"):
            self._log(ticket, 70)
        self.assertEqual(self.env["account.analytic.line"].search_count([]), lines)
        self.assertEqual(self.pack_a.quantity_remaining, 92.0)
        # 60 min more = exactly 16: allowed.
        self.assertEqual(self._log(ticket, 60).support_quantity, 8.0)

    def test_approved_amount_is_protected(self):
        ticket = self._estimate(self.contact_a1, "1", 1.0)
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).write({"support_estimate_quantity": 99.0})
        with self.assertRaises(AccessError):
            ticket.sudo().write({"support_estimate_unit": "hour"})
        self.assertFalse(ticket.support_estimate_quantity)


@tagged("post_install", "-at_install")
class TestSupportServiceModes(CustomerRulesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mode_model = cls.env["support.service.mode"]
        cls.mode_external = mode_model.create(
            {"name": "External", "install_by": "customer", "verify_by": "customer"}
        )
        cls.mode_tma = mode_model.create(
            {"name": "External TMA", "install_by": "vendor", "verify_by": "vendor"}
        )
        cls.mode_hosted = mode_model.create(
            {"name": "Hosted", "install_by": "vendor", "verify_by": "customer"}
        )
        cls.mode_saas = mode_model.create(
            {"name": "SaaS", "install_by": "vendor", "verify_by": "vendor"}
        )

    def _mode_ticket(self, mode):
        self.customer_a.support_service_mode_id = mode
        ticket = self._ticket(partner=self.contact_a1)
        ticket.stage_id = self.stage_open
        self.assertEqual(ticket.support_service_mode_id, mode)
        return ticket

    def _attach(self, ticket, name):
        return self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(b"fix"),
                "res_model": "helpdesk.ticket",
                "res_id": ticket.id,
            }
        )

    def _close(self, ticket):
        ticket.with_user(self.agent).write({"stage_id": self.stage_closed.id})

    def test_customer_installs(self):
        ticket = self._mode_ticket(self.mode_external)
        with self.assertRefused(UserError, "attach the fixed component"):
            self._close(ticket)
        self.assertEqual(ticket.stage_id, self.stage_open)
        component = self._attach(ticket, "fix-1.2.3.zip")
        ticket.with_user(self.agent).support_component_attachment_ids = [
            Command.link(component.id)
        ]
        self._close(ticket)
        self.assertEqual(ticket.support_closing_status, "awaiting_installation")
        rules = (
            ticket.with_user(self.portal_a1)
            .sudo()
            ._get_support_portal_values()["rules"]
        )
        self.assertEqual(rules["components"][0]["name"], "fix-1.2.3.zip")
        self.assertIn("access_token=", rules["components"][0]["url"])
        self.assertIn("Awaiting your installation", rules["closing_text"])
        ticket.with_user(self.portal_a1).sudo()._support_portal_confirm(self.contact_a1)
        self.assertEqual(ticket.support_closing_status, "accepted")

    def test_customer_verifies(self):
        ticket = self._mode_ticket(self.mode_hosted)
        self._close(ticket)
        self.assertEqual(ticket.support_closing_status, "awaiting_acceptance")
        rules = (
            ticket.with_user(self.portal_a1)
            .sudo()
            ._get_support_portal_values()["rules"]
        )
        self.assertIn("Awaiting your acceptance", rules["closing_text"])
        self.assertTrue(rules["acceptance_deadline"])
        # Within the grace period: nothing accepted.
        self.assertFalse(self.env["helpdesk.ticket"]._cron_support_auto_accept())
        ticket.closed_date = fields.Datetime.now() - timedelta(days=31)
        accepted = self.env["helpdesk.ticket"]._cron_support_auto_accept()
        self.assertEqual(accepted, ticket)
        self.assertTrue(ticket.support_fix_confirmed_date)
        self.assertEqual(ticket.support_closing_status, "accepted")
        self.assertIn("accepted automatically", ticket.message_ids[:1].body)

    def test_customer_verifies_on_the_portal(self):
        ticket = self._mode_ticket(self.mode_hosted)
        self._close(ticket)
        ticket.with_user(self.portal_a1).sudo()._support_portal_confirm(self.contact_a1)
        self.assertEqual(ticket.support_closing_status, "accepted")
        self.assertFalse(self.env["helpdesk.ticket"]._cron_support_auto_accept())

    def _check_vendor_verifies(self, mode):
        ticket = self._mode_ticket(mode)
        with self.assertRefused(UserError, "give the proof"):
            self._close(ticket)
        self.assertEqual(ticket.stage_id, self.stage_open)
        ticket.with_user(self.agent).support_proof_note = "Tested on the staging"
        self._close(ticket)
        self.assertEqual(ticket.support_closing_status, "proven")
        rules = (
            ticket.with_user(self.portal_a1)
            .sudo()
            ._get_support_portal_values()["rules"]
        )
        self.assertIn("Tested on the staging", rules["proof_note"])
        self.assertEqual(rules["closing_text"], "Fix verified by our team.")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "helpdesk_support_pack.helpdesk_ticket_report_intervention", ticket.ids
            )[0]
            .decode()
        )
        self.assertIn("Tested on the staging", html)
        self.assertIn(mode.name, html)
        return ticket

    def test_vendor_verifies_tma(self):
        self._check_vendor_verifies(self.mode_tma)

    def test_vendor_verifies_saas_with_attachment(self):
        ticket = self._mode_ticket(self.mode_saas)
        proof = self._attach(ticket, "screenshot.png")
        ticket.with_user(self.agent).support_proof_attachment_ids = [
            Command.link(proof.id)
        ]
        self._close(ticket)
        self.assertEqual(ticket.support_closing_status, "proven")
        rules = (
            ticket.with_user(self.portal_a1)
            .sudo()
            ._get_support_portal_values()["rules"]
        )
        self.assertEqual(rules["proofs"][0]["name"], "screenshot.png")

    def test_customer_closes_own_ticket(self):
        """helpdesk_mgmt's portal closing button: no proof asked from the
        customer."""
        ticket = self._mode_ticket(self.mode_saas)
        ticket.with_user(self.portal_a1).sudo().stage_id = self.stage_closed
        self.assertTrue(ticket.stage_id.closed)

    def test_attachment_of_another_record_refused(self):
        ticket = self._mode_ticket(self.mode_external)
        other = self._ticket(partner=self.contact_a1)
        foreign = self._attach(other, "other.zip")
        with self.assertRaises(ValidationError):
            ticket.with_user(self.agent).support_component_attachment_ids = [
                Command.link(foreign.id)
            ]

    def test_no_mode_unchanged(self):
        self.customer_a.support_service_mode_id = False
        ticket = self._ticket(partner=self.contact_a1)
        self._close(ticket)
        self.assertFalse(ticket.support_closing_status)
        # The team may change the mode of a ticket.
        other = self._ticket(partner=self.contact_a1)
        other.with_user(self.agent).support_service_mode_id = self.mode_saas
        self.assertEqual(other.support_service_mode_id, self.mode_saas)

    def test_modes_managed_by_helpdesk_managers(self):
        """Agents and portal users read the modes; only a helpdesk manager
        changes them."""
        mode_model = self.env["support.service.mode"]
        self.assertTrue(mode_model.with_user(self.agent).search([]))
        self.assertEqual(self.mode_saas.with_user(self.portal_a1).name, "SaaS")
        with self.assertRaises(AccessError):
            mode_model.with_user(self.agent).create(
                {"name": "x", "install_by": "vendor", "verify_by": "vendor"}
            )
        with self.assertRaises(AccessError):
            self.mode_saas.with_user(self.agent).verify_by = "customer"
        self.assertEqual(self.mode_saas.verify_by, "vendor")
        manager = new_test_user(
            self.env,
            login="hsp-cr-mode-manager",
            groups="helpdesk_mgmt.group_helpdesk_manager",
        )
        mode_model.with_user(manager).create(
            {"name": "On premise", "install_by": "customer", "verify_by": "vendor"}
        )

    def test_new_ticket_takes_customer_mode_internal_flag(self):
        self.customer_a.support_service_mode_id = self.mode_tma
        ticket = internal(self.env["helpdesk.ticket"]).create(
            {"name": "x", "description": "x", "partner_id": self.contact_a2.id}
        )
        self.assertEqual(ticket.support_service_mode_id, self.mode_tma)


@tagged("post_install", "-at_install")
class TestSupportContactsCommercialSync(CustomerRulesCommon):
    def test_portal_edit_of_commercial_fields(self):
        """A restricted company's own portal user edits its VAT number (the
        commercial fields are synced to the contacts): no change of the
        flags, so no refusal."""
        self._restrict_a()
        company_user = new_test_user(
            self.env,
            login="hsp-cr-company",
            groups="base.group_portal",
            partner_id=self.customer_a.id,
            email="company@a.example.com",
        )
        self.customer_a.with_user(company_user).sudo().write({"vat": "BE0477472701"})
        self.assertEqual(self.contact_a2.vat, "BE0477472701")
        self.assertTrue(self.contact_a2.support_restricted)


@tagged("post_install", "-at_install")
class TestSupportDeclaredUrgencyTeams(CustomerRulesCommon):
    def test_teams_with_different_targets(self):
        """Two teams offered with different targets: each team's own."""
        self.env["helpdesk.sla"].search([]).write({"active": False})
        other = self.env["helpdesk.ticket.team"].create(
            {"name": "Night team", "use_sla": True}
        )
        self.team.use_sla = True
        for team, hours in ((self.team, 4), (other, 8)):
            self.env["helpdesk.sla"].create(
                {
                    "name": f"Urgent response {team.name}",
                    "target": "first_response",
                    "priority": "3",
                    "hours": hours,
                    "use_calendar": False,
                    "team_ids": [(6, 0, team.ids)],
                }
            )
        levels = {
            level["value"]: level
            for level in self.env["helpdesk.ticket"]
            .with_user(self.portal_a1)
            ._support_get_portal_priority_levels(self.contact_a1, self.team | other)
        }
        self.assertEqual(levels["3"]["slas"], [])
        self.assertEqual(
            [(t["team"], t["texts"]) for t in levels["3"]["sla_teams"]],
            [
                ("Support team", ["First response: 4 h (24/7)"]),
                ("Night team", ["First response: 8 h (24/7)"]),
            ],
        )
        self.assertEqual(levels["1"]["slas"], [])
        self.assertEqual(levels["1"]["sla_teams"], [])
