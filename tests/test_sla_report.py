# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common_sla import SlaCommon


@tagged("post_install", "-at_install")
class TestSlaReport(SlaCommon):
    def test_compliance_by_priority_and_customer(self):
        on_time = self._create_ticket("2026-01-19 10:00", "2")
        late = self._create_ticket("2026-01-19 10:00", "2")
        waiting = self._create_ticket("2026-01-19 10:00", "2")
        # Paused, so still ongoing whatever the clock: not in the rate.
        self._move(waiting, self.stage_waiting, "2026-01-19 11:00")
        self._move(on_time, self.stage_done, "2026-01-19 15:00")
        self._move(late, self.stage_done, "2026-01-21 09:30")
        self.env.flush_all()
        report = self.env["helpdesk.sla.report"].with_user(self.agent)
        groups = report.read_group(
            [("commercial_partner_id", "=", self.customer.id)],
            [
                "target_count:sum",
                "reached_count:sum",
                "breached_count:sum",
                "reached_percent:avg",
            ],
            ["priority", "team_id", "date:month"],
            lazy=False,
        )
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0]["priority"], "2")
        self.assertEqual(groups[0]["target_count"], 3)
        self.assertEqual(groups[0]["reached_count"], 1)
        self.assertEqual(groups[0]["breached_count"], 1)
        self.assertEqual(groups[0]["reached_percent"], 50.0)

    def test_views_load_for_agent(self):
        ticket_views = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .get_views([(False, "form"), (False, "kanban"), (False, "search")])
        )["views"]
        self.assertIn("action_escalate", ticket_views["form"]["arch"])
        self.assertIn("sla_status", ticket_views["kanban"]["arch"])
        self.assertIn("sla_at_risk", ticket_views["search"]["arch"])
        report_views = (
            self.env["helpdesk.sla.report"]
            .with_user(self.agent)
            .get_views([(False, "pivot"), (False, "graph"), (False, "search")])
        )["views"]
        self.assertIn("ongoing_count", report_views["pivot"]["arch"])
