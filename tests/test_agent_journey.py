# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The support agent's day (issue 23): the cost of a line as it is typed, an
escalation that keeps the customer's clock, the SLA report's counts."""

from datetime import datetime

from freezegun import freeze_time
from lxml import etree

from odoo.tests import Form, TransactionCase, tagged
from odoo.tools.misc import file_open, file_path

from .common import SupportConsumptionCommon
from .common_sla import SlaCommon


@tagged("post_install", "-at_install")
class TestAgentCostPreview(SupportConsumptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._sell(cls.customer_a, cls.light)

    def _type_line(self, ticket, minutes):
        """The agent types a line in the ticket's Timesheets tab: the preview
        before saving, then the posted figures."""
        # (the web client's context holds uid, which the view's context reads)
        agent_ticket = ticket.with_user(self.agent).with_context(uid=self.agent.id)
        with Form(agent_ticket) as form:
            with form.timesheet_ids.new() as line:
                line.name = "Phone call"
                line.unit_amount = minutes / 60.0
                preview = (
                    line.support_preview_rounded_hours,
                    line.support_preview_multiplier,
                    line.support_preview_quantity,
                    line.support_preview_unit,
                    line.support_preview_text,
                )
        return preview, ticket.timesheet_ids[-1:]

    def test_cost_shown_while_typing(self):
        ticket = self._ticket(priority="1")
        preview, line = self._type_line(ticket, 7)
        self.assertEqual(preview, (0.25, 1.0, 1.0, "credit", "1 credit"))
        # The same figures once posted.
        self.assertEqual(line.support_quantity, 1.0)
        self.assertEqual(line.support_rounded_hours, 0.25)
        self.assertEqual(line.support_preview_text, "1 credit")
        self.assertEqual(ticket.support_quantity_text, "1 credit")

    def test_posted_line_keeps_its_cost_on_the_form(self):
        ticket = self._ticket(priority="1")
        __, line = self._type_line(ticket, 7)
        agent_ticket = ticket.with_user(self.agent).with_context(uid=self.agent.id)
        with Form(agent_ticket) as form:
            # A new priority does not re-post the lines already logged.
            form.priority = "3"
            with form.timesheet_ids.edit(0) as row:
                self.assertEqual(row.support_preview_quantity, 1.0)
                self.assertEqual(row.support_preview_multiplier, 1.0)
                # A new duration re-posts it at the ticket's priority.
                row.unit_amount = 20 / 60.0
                self.assertEqual(row.support_preview_quantity, 4.0)
                self.assertEqual(row.support_preview_text, "4 credits")
        self.assertEqual(line.support_quantity, 4.0)

    def test_urgent_cost_doubled(self):
        ticket = self._ticket(priority="3")
        preview, line = self._type_line(ticket, 7)
        self.assertEqual(preview, (0.25, 2.0, 2.0, "credit", "2 credits"))
        self.assertEqual(line.support_quantity, 2.0)

    def test_included_category_costs_nothing(self):
        ticket = self._ticket(priority="1", category=self.cat_included)
        preview, line = self._type_line(ticket, 50)
        self.assertEqual(preview, (1.0, 1.0, 0.0, "credit", "0 credits"))
        self.assertEqual(line.support_quantity, 0.0)

    def test_hour_pack_in_hours(self):
        self._sell(self.customer_b, self.hour_pack_product)
        ticket = self._ticket(partner=self.contact_b1, priority="3")
        preview, __ = self._type_line(ticket, 20)
        self.assertEqual(preview, (0.5, 2.0, 1.0, "hour", "1 h"))


@tagged("post_install", "-at_install")
class TestAgentEscalationSla(SlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The level 3 team's own resolution target for urgent tickets.
        cls.sla_dev_resolution = cls._create_policy(
            "Development resolution very high", "resolution", "3", 16
        )
        cls.sla_dev_resolution.team_ids = cls.team_dev

    def test_escalation_plans_new_team_targets_from_creation(self):
        # Monday 19 January 2026, 10:00 in Paris (09:00 UTC).
        ticket = self._create_ticket("2026-01-19 10:00", "3")
        self.assertEqual(
            self._line(ticket, "resolution").sla_id, self.sla_resolution_very_high
        )
        # 4 working hours: 10:00-12:30, then 13:30-15:00 (Paris).
        self.assertEqual(
            self._line(ticket, "resolution").deadline, datetime(2026, 1, 19, 14, 0)
        )
        with freeze_time(self._utc("2026-01-19 16:00")):
            wizard = (
                self.env["helpdesk.ticket.escalate"]
                .with_user(self.agent)
                .create({"ticket_id": ticket.id, "reason": "Bug in the export"})
            )
            wizard.action_escalate()
        self.assertEqual(ticket.team_id, self.team_dev)
        resolution = self._line(ticket, "resolution")
        self.assertEqual(resolution.sla_id, self.sla_dev_resolution)
        # 16 working hours from the creation, not from the escalation:
        # Monday 6 h, Tuesday 7 h, Wednesday 9:00-12:00 (Paris).
        self.assertEqual(resolution.deadline, datetime(2026, 1, 21, 11, 0))
        # The first response target is the same policy: kept as planned.
        first = self._line(ticket, "first_response")
        self.assertEqual(first.sla_id, self.sla_response_very_high)
        self.assertEqual(first.deadline, datetime(2026, 1, 19, 14, 0))
        # Nothing left for "Update SLA targets" to do.
        self.assertTrue(ticket.sla_fits)

    def test_escalation_keeps_breached_target(self):
        ticket = self._create_ticket("2026-01-19 10:00", "3")
        # Paused past its 4 working hours (7 counted): breached.
        self._move(ticket, self.stage_waiting, "2026-01-20 10:00")
        breached = self._line(ticket, "resolution")
        self.assertEqual(breached.status, "breached")
        with freeze_time(self._utc("2026-01-20 11:00")):
            self.env["helpdesk.ticket.escalate"].with_user(self.agent).create(
                {"ticket_id": ticket.id, "reason": "Bug"}
            ).action_escalate()
        # History is never rewritten: the breached target stays.
        self.assertEqual(self._line(ticket, "resolution"), breached)
        self.assertEqual(breached.status, "breached")

    def test_update_button_explained(self):
        arch = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("Update SLA targets", arch)
        self.assertIn("new deadlines count from the ticket", arch)


@tagged("post_install", "-at_install")
class TestAgentSlaReportCounts(SlaCommon):
    def test_reached_breached_ongoing_counts(self):
        # Far in the future: the report compares ongoing deadlines with NOW().
        tickets = [self._create_ticket("2099-01-19 10:00", "2") for __ in range(10)]
        for ticket in tickets[:4]:
            self._move(ticket, self.stage_done, "2099-01-19 15:00")
        # 12 working hours: due Tuesday 16:00; solved Thursday.
        self._move(tickets[4], self.stage_done, "2099-01-22 09:30")
        self.env.flush_all()
        report = self.env["helpdesk.sla.report"].with_user(self.agent)
        domain = [("commercial_partner_id", "=", self.customer.id)]
        [totals] = report.read_group(
            domain,
            [
                "target_count:sum",
                "reached_count:sum",
                "breached_count:sum",
                "ongoing_count:sum",
                "reached_percent:avg",
            ],
            [],
            lazy=False,
        )
        self.assertEqual(totals["target_count"], 10)
        self.assertEqual(totals["reached_count"], 4)
        self.assertEqual(totals["breached_count"], 1)
        self.assertEqual(totals["ongoing_count"], 5)
        # Of the closed targets only (labelled so): 4 of 5.
        self.assertEqual(totals["reached_percent"], 80.0)
        by_state = {
            group["state"]: group["__count"]
            for group in report.read_group(domain, ["state"], ["state"], lazy=False)
        }
        self.assertEqual(by_state, {"accomplished": 4, "expired": 1, "on_going": 5})
        labels = dict(report._fields["state"]._description_selection(report.env))
        self.assertEqual(labels["expired"], "Breached")
        self.assertEqual(labels["accomplished"], "Reached")

    def test_default_view_this_month_by_status(self):
        action = self.env.ref("helpdesk_mgmt_sla.helpdesk_sla_report_act_window")
        self.assertEqual(action.view_mode.split(",")[0], "graph")
        self.assertIn("search_default_due_this_month", action.context)
        views = (
            self.env["helpdesk.sla.report"]
            .with_user(self.agent)
            .get_views([(False, "graph"), (False, "search")])["views"]
        )
        self.assertIn('name="state"', views["graph"]["arch"])
        self.assertIn('name="target_count"', views["graph"]["arch"])
        self.assertNotIn("reached_percent", views["graph"]["arch"])
        self.assertIn("due_this_month", views["search"]["arch"])


@tagged("post_install", "-at_install")
class TestAgentDemoSlaGrid(TransactionCase):
    """The demo's policies (read from the shipped file: tests never use demo
    data): for every priority the resolution is due after the first
    response, and helpdesk_mgmt_sla's 2-hour "General SLA" is archived."""

    def test_resolution_after_first_response(self):
        path = file_path("helpdesk_support_pack/demo/helpdesk_sla_host_demo.xml")
        with file_open(path, "rb") as demo:
            [record] = etree.parse(demo).getroot().iter("record")
        self.assertEqual(record.get("id"), "helpdesk_mgmt_sla.sla_1")
        self.assertEqual(record.find("field[@name='active']").get("eval"), "False")
        path = file_path("helpdesk_support_pack/demo/helpdesk_sla_demo.xml")
        with file_open(path, "rb") as demo:
            root = etree.parse(demo).getroot()
        hours = {}
        for record in root.iter("record"):
            fields_ = {node.get("name"): node for node in record.iter("field")}
            self.assertEqual(fields_["use_calendar"].get("eval"), "False")
            total = float(fields_["hours"].text) + 24 * float(
                fields_["days"].text if "days" in fields_ else 0
            )
            hours[fields_["target"].text, fields_["priority"].text] = total
        self.assertEqual(
            hours,
            {
                ("first_response", "0"): 24.0,
                ("first_response", "1"): 8.0,
                ("first_response", "2"): 4.0,
                ("first_response", "3"): 1.0,
                ("resolution", "0"): 168.0,
                ("resolution", "1"): 48.0,
                ("resolution", "2"): 12.0,
                ("resolution", "3"): 4.0,
            },
        )
        for priority in "0123":
            self.assertGreater(
                hours["resolution", priority], hours["first_response", priority]
            )
