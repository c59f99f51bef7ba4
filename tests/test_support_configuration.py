# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import SupportConsumptionCommon
from .common_sla import SlaCommon


class SupportConfigurationCommon(SupportConsumptionCommon):
    """Each customer's configuration: a terminal and an application on it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.helpdesk_manager = new_test_user(
            cls.env,
            login="hsp-helpdesk-manager",
            groups="helpdesk_mgmt.group_helpdesk_manager",
            name="Hana Helpdesk Manager",
        )
        cls.portal_a1 = new_test_user(
            cls.env,
            login="hsp-conf-portal-a1",
            groups="base.group_portal",
            partner_id=cls.contact_a1.id,
        )
        item_model = cls.env["support.configuration.item"].with_user(cls.agent)
        # A contact is given: the item belongs to the contact's company.
        cls.terminal_a = item_model.create(
            {
                "name": "Terminal A secret-a",
                "partner_id": cls.contact_a1.id,
                "item_type": "hardware",
                "serial": "T-A-1",
            }
        )
        cls.app_a = item_model.create(
            {
                "name": "Application A",
                "partner_id": cls.customer_a.id,
                "item_type": "application",
                "parent_id": cls.terminal_a.id,
            }
        )
        cls.app_b = item_model.create(
            {
                "name": "Application B secret-b",
                "partner_id": cls.contact_b1.id,
                "item_type": "application",
                "version": "2.0",
            }
        )

    def _deliver(self, item, version, date, user=None, **values):
        return (
            self.env["support.delivery"]
            .with_user(user or self.agent)
            .create(
                dict(
                    {"item_id": item.id, "version": version, "date": date},
                    **values,
                )
            )
        )


@tagged("post_install", "-at_install")
class TestSupportConfiguration(SupportConfigurationCommon):
    def test_item_belongs_to_the_commercial_partner(self):
        self.assertEqual(self.terminal_a.partner_id, self.customer_a)
        self.assertEqual(self.app_b.partner_id, self.customer_b)
        self.assertEqual(self.customer_a.support_configuration_item_count, 2)
        self.assertEqual(self.contact_a1.support_configuration_item_count, 2)

    def test_history_newest_first_and_version_of_last_delivery(self):
        # Recorded out of order: the January one is entered last.
        self._deliver(self.app_a, "1.1", "2026-02-10")
        self._deliver(self.app_a, "1.2", "2026-03-10", note="Fix of the export")
        self._deliver(self.app_a, "1.0", "2026-01-10")
        self.assertEqual(
            self.app_a.delivery_ids.mapped("version"), ["1.2", "1.1", "1.0"]
        )
        self.assertEqual(self.app_a.version, "1.2")
        self.assertEqual(str(self.app_a.last_delivery_date), "2026-03-10")
        # A correction is a new delivery: the history keeps the old ones.
        self._deliver(self.app_a, "1.2.1", "2026-03-10", note="Correction")
        self.assertEqual(self.app_a.version, "1.2.1")
        self.assertEqual(len(self.app_a.delivery_ids), 4)
        self.assertIn("1.2.1", self.app_a.message_ids[0].body)

    def test_deliveries_are_append_only(self):
        delivery = self._deliver(self.app_a, "1.0", "2026-01-10")
        # No user has the right to edit or delete one (access rights), and
        # not even the superuser gets past the model's guard.
        for user in (self.agent, self.helpdesk_manager, self.portal_a1):
            with self.assertRaises(AccessError):
                delivery.with_user(user).write({"version": "9.9"})
            with self.assertRaises(AccessError):
                delivery.with_user(user).unlink()
        with self.assertRaises(UserError):
            delivery.sudo().write({"note": "rewritten"})
        with self.assertRaises(UserError):
            delivery.sudo().unlink()
        self.env.invalidate_all()
        self.assertTrue(delivery.exists())
        self.assertEqual(delivery.version, "1.0")
        self.assertFalse(delivery.note)
        # Nor can the item's version be edited once delivered.
        with self.assertRaises(UserError):
            self.app_a.with_user(self.agent).write({"version": "9.9"})
        self.assertEqual(self.app_a.version, "1.0")
        # Before any delivery, the version is entered by hand.
        self.terminal_a.with_user(self.agent).version = "Rev. B"
        self.assertEqual(self.terminal_a.version, "Rev. B")

    def test_ticket_refuses_another_customers_item(self):
        ticket_model = self.env["helpdesk.ticket"].with_user(self.agent)
        count = ticket_model.search_count([])
        with self.assertRaises(ValidationError), mute_logger("odoo.sql_db"):
            self._ticket(configuration_item_ids=[Command.set(self.app_b.ids)])
        self.assertEqual(ticket_model.search_count([]), count)
        ticket = self._ticket(configuration_item_ids=[Command.set(self.app_a.ids)])
        self.assertEqual(ticket.configuration_item_ids, self.app_a)
        with self.assertRaises(ValidationError):
            ticket.write({"configuration_item_ids": [Command.link(self.app_b.id)]})
        with self.assertRaises(ValidationError):
            ticket.write({"partner_id": self.contact_b1.id})
        self.env.invalidate_all()
        self.assertEqual(ticket.configuration_item_ids, self.app_a)
        self.assertEqual(ticket.partner_id, self.contact_a1)

    def test_delivery_for_another_customers_ticket_is_refused(self):
        ticket_b = self._ticket(partner=self.contact_b1)
        with self.assertRaises(ValidationError):
            self._deliver(self.app_a, "1.0", "2026-01-10", ticket_id=ticket_b.id)
        self.assertFalse(self.app_a.delivery_ids)
        ticket_a = self._ticket()
        delivery = self._deliver(self.app_a, "1.0", "2026-01-10", ticket_id=ticket_a.id)
        self.assertEqual(ticket_a.support_delivery_ids, delivery)
        self.assertEqual(delivery.partner_id, self.customer_a)
        # The ticket's button opens the delivery form for it.
        action = ticket_a.action_support_record_delivery()
        self.assertEqual(action["res_model"], "support.delivery")
        self.assertEqual(action["context"]["default_ticket_id"], ticket_a.id)

    def test_record_a_delivery_from_the_ticket(self):
        """The ticket's button opens the delivery form for the ticket; the
        agent picks the item and the version, the item follows."""
        ticket = self._ticket(configuration_item_ids=[Command.set(self.app_a.ids)])
        action = ticket.with_user(self.agent).action_support_record_delivery()
        model = self.env["support.delivery"].with_user(self.agent)
        with Form(model.with_context(**action["context"])) as form:
            self.assertEqual(form.item_id, self.app_a)
            self.assertEqual(form.ticket_partner_id, self.customer_a)
            form.version = "3.0"
            form.note = "Hotfix installed"
        delivery = form.record
        self.assertEqual(delivery.ticket_id, ticket)
        self.assertEqual(delivery.user_id, self.agent)
        self.assertEqual(self.app_a.version, "3.0")
        self.assertEqual(ticket.support_delivery_count, 1)
        self.assertIn("3.0", ticket.message_ids[0].body)

    def test_other_company_items_are_not_read(self):
        other = self.env["res.company"].create({"name": "Other vendor"})
        item = (
            self.env["support.configuration.item"]
            .with_company(other)
            .create({"name": "Other's", "partner_id": self.customer_a.id})
        )
        self.assertEqual(item.company_id, other)
        item_model = self.env["support.configuration.item"].with_user(self.agent)
        self.assertNotIn(item, item_model.search([]))
        with self.assertRaises(AccessError):
            item_model.browse(item.id).read(["name"])

    def test_deliveries_on_the_intervention_report(self):
        ticket = self._ticket(configuration_item_ids=[Command.set(self.app_a.ids)])
        self._deliver(
            self.app_a, "4.5.6", "2026-01-10", ticket_id=ticket.id, note="Hotfix"
        )
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "helpdesk_support_pack.report_helpdesk_ticket_intervention",
                ticket.ids,
            )[0]
        )
        self.assertIn("delivery_table", html)
        self.assertIn("4.5.6", html)
        self.assertIn("Hotfix", html)

    def test_portal_user_reads_its_company_items_only(self):
        self._deliver(self.app_a, "1.0", "2026-01-10")
        self._deliver(self.app_b, "2.1", "2026-01-11")
        item_model = self.env["support.configuration.item"].with_user(self.portal_a1)
        delivery_model = self.env["support.delivery"].with_user(self.portal_a1)
        self.assertEqual(item_model.search([]), self.terminal_a | self.app_a)
        self.assertEqual(delivery_model.search([]), self.app_a.delivery_ids)
        with self.assertRaises(AccessError):
            item_model.browse(self.app_b.id).read(["name"])
        with self.assertRaises(AccessError):
            delivery_model.browse(self.app_b.delivery_ids.id).read(["version"])
        # Nothing written through the ORM either.
        with self.assertRaises(AccessError):
            item_model.create({"name": "Mine", "partner_id": self.customer_a.id})
        with self.assertRaises(AccessError):
            delivery_model.create(
                {"item_id": self.app_a.id, "version": "6.6", "date": "2026-01-12"}
            )
        with self.assertRaises(AccessError):
            item_model.browse(self.app_a.id).write({"name": "Renamed"})
        self.env.invalidate_all()
        self.assertEqual(self.app_a.version, "1.0")
        self.assertEqual(self.app_a.name, "Application A")

    def test_severity_sets_the_default_priority(self):
        ticket_model = self.env["helpdesk.ticket"].with_user(self.agent)
        values = {
            "name": "Down",
            "description": "<p>Down</p>",
            "team_id": self.team.id,
            "partner_id": self.contact_a1.id,
        }
        expected = {"critical": "3", "major": "2", "minor": "1", "temporary": "0"}
        for severity, priority in expected.items():
            ticket = ticket_model.create(dict(values, support_severity=severity))
            self.assertEqual(ticket.priority, priority, severity)
        # An explicit priority wins.
        ticket = ticket_model.create(
            dict(values, support_severity="critical", priority="1")
        )
        self.assertEqual(ticket.priority, "1")
        # Qualified later: the priority follows.
        ticket.support_severity = "major"
        self.assertEqual(ticket.priority, "2")
        # The team overrides the company's mapping.
        self.team.support_priority_critical = "2"
        ticket = ticket_model.create(dict(values, support_severity="critical"))
        self.assertEqual(ticket.priority, "2")
        ticket.support_severity = "minor"
        self.assertEqual(ticket.priority, "1")

    def test_feature_request_needs_an_approved_estimate(self):
        __, pack = self._sell(self.contact_a1, self.maxi)
        # An error report of a counted category: time is logged freely.
        self._log(self._ticket(), 7)
        self.assertEqual(pack.quantity_consumed, 1.0)
        feature = self._ticket(support_request_type="feature")
        lines = self.env["account.analytic.line"].search_count([])
        with self.assertRaises(UserError):
            self._log(feature, 7)
        self.assertEqual(self.env["account.analytic.line"].search_count([]), lines)
        self.assertEqual(pack.quantity_consumed, 1.0)
        feature.with_user(self.agent).support_estimate_hours = 1.0
        feature.with_user(self.agent).action_support_send_estimate()
        with self.assertRaises(UserError):
            self._log(feature, 7)
        feature.with_user(self.agent).action_support_approve_estimate_phone()
        self._log(feature, 7)
        # 7 min -> 0.25 h -> 1 credit
        self.assertEqual(feature.support_quantity, 1.0)
        self.assertEqual(pack.quantity_consumed, 2.0)

    def test_views_load_for_agent(self):
        ticket_views = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .get_views([(False, "form"), (False, "list"), (False, "search")])
        )["views"]
        self.assertIn("action_support_record_delivery", ticket_views["form"]["arch"])
        self.assertIn("configuration_item_ids", ticket_views["form"]["arch"])
        self.assertIn("group_support_severity", ticket_views["search"]["arch"])
        for model in ("support.configuration.item", "support.delivery"):
            views = (
                self.env[model]
                .with_user(self.agent)
                .get_views([(False, "form"), (False, "list"), (False, "search")])
            )["views"]
            self.assertIn("version", views["list"]["arch"])


@tagged("post_install", "-at_install")
class TestSupportConfigurationSlaReport(SlaCommon):
    def test_compliance_by_severity(self):
        self._create_ticket("2026-01-19 10:00", "3", support_severity="critical")
        self._create_ticket(
            "2026-01-19 10:00",
            "2",
            support_severity="major",
            support_maintenance_type="corrective",
        )
        self.env.flush_all()
        report = self.env["helpdesk.sla.report"].with_user(self.agent)
        groups = report.read_group(
            [("commercial_partner_id", "=", self.customer.id)],
            ["target_count:sum"],
            ["support_severity"],
            lazy=False,
        )
        by_severity = {group["support_severity"]: group for group in groups}
        self.assertEqual(set(by_severity), {"critical", "major"})
        self.assertEqual(by_severity["critical"]["target_count"], 2)
        self.assertEqual(by_severity["major"]["target_count"], 1)
        groups = report.read_group(
            [("commercial_partner_id", "=", self.customer.id)],
            ["target_count:sum"],
            ["support_maintenance_type"],
            lazy=False,
        )
        self.assertEqual(
            {g["support_maintenance_type"]: g["target_count"] for g in groups},
            {False: 2, "corrective": 1},
        )
