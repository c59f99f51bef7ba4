# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import convert_file

from ..lib.sla import allowed_hours
from .common_sla import SlaCommon


@tagged("post_install", "-at_install")
class TestSlaDefaults(SlaCommon):
    """The calendar and the policies of the seeds ship as demo data (a company
    did not ask for them): the tests run without demo data, so the class loads
    the two files it checks, and only them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for filename in ("resource_calendar_demo.xml", "helpdesk_sla_demo.xml"):
            convert_file(
                cls.env,
                "helpdesk_support_pack",
                f"demo/{filename}",
                {},
                mode="init",
                kind="demo",
            )

    def test_support_hours_calendar(self):
        calendar = self.env.ref("helpdesk_support_pack.resource_calendar_support_hours")
        self.assertEqual(calendar.tz, "Europe/Paris")
        self.assertEqual(len(calendar.attendance_ids), 10)
        self.assertEqual(calendar.hours_per_day, 7.0)

    def test_default_policies_from_the_seeds(self):
        """e-ABC resolution grid and a first response graded by priority
        (24, 8, 4, 1 h), counted 24/7: always due before the resolution (the
        seed's 24 h came after a high ticket's 12 h resolution)."""
        expected = {
            "resolution_low": ("0", 168.0),
            "resolution_medium": ("1", 48.0),
            "resolution_high": ("2", 12.0),
            "resolution_very_high": ("3", 4.0),
            "first_response_low": ("0", 24.0),
            "first_response_medium": ("1", 8.0),
            "first_response_high": ("2", 4.0),
            "first_response_very_high": ("3", 1.0),
        }
        policies = self.env["helpdesk.sla"]
        for key, (priority, hours) in expected.items():
            policy = self.env.ref(f"helpdesk_support_pack.helpdesk_sla_{key}")
            policies |= policy
            self.assertEqual(policy.priority, priority)
            target = "resolution" if key.startswith("resolution") else "first_response"
            self.assertEqual(policy.target, target)
            self.assertFalse(policy.use_calendar)
            self.assertFalse(policy.team_ids, "only teams that opt in use them")
            self.assertEqual(allowed_hours(policy.days, policy.hours), hours)
        policies.active = True
        self.env["helpdesk.sla"].search([("id", "not in", policies.ids)]).active = False
        ticket = self._create_ticket("2026-01-16 16:00", "1")
        self.assertEqual(len(ticket.ticket_sla_ids), 2)
        # Medium: 48 h around the clock, holidays and week-end included.
        self.assertEqual(
            self._line(ticket, "resolution").deadline, self._utc("2026-01-18 16:00")
        )
        self.assertEqual(
            self._line(ticket, "first_response").deadline,
            self._utc("2026-01-17 00:00"),
        )

    def test_resolution_policy_needs_a_stage(self):
        with self.assertRaises(ValidationError):
            self.env["helpdesk.sla"].create({"name": "No stage", "hours": 4})
        first_response = self.env["helpdesk.sla"].create(
            {"name": "Reply", "hours": 4, "target": "first_response"}
        )
        self.assertTrue(first_response.use_calendar, "working hours by default")
