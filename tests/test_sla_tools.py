# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.tests import BaseCase, tagged

from ..lib.sla import (
    allowed_hours,
    elapsed_hours_24_7,
    plan_hours_24_7,
    plan_on_intervals,
    warning_hours,
)


@tagged("post_install", "-at_install")
class TestSlaTools(BaseCase):
    """Pure helpers, no database."""

    def test_allowed_hours(self):
        self.assertEqual(allowed_hours(7, 0), 168.0, "1 week 24/7")
        self.assertEqual(allowed_hours(0, 48), 48.0)
        self.assertEqual(allowed_hours(2, 4, hours_per_day=7.0), 18.0)
        self.assertEqual(allowed_hours(False, False), 0.0)

    def test_warning_hours(self):
        self.assertEqual(warning_hours(12.0, 80), 9.6)
        self.assertEqual(warning_hours(4.0, 0), 0.04, "clamped to 1 %")
        self.assertEqual(warning_hours(4.0, 150), 4.0, "clamped to 100 %")

    def test_24_7_clock(self):
        friday = datetime(2026, 1, 16, 15, 0)
        self.assertEqual(plan_hours_24_7(friday, 48), datetime(2026, 1, 18, 15, 0))
        self.assertEqual(plan_hours_24_7(friday, -1.5), datetime(2026, 1, 16, 13, 30))
        self.assertEqual(elapsed_hours_24_7(friday, datetime(2026, 1, 17, 3, 0)), 12.0)
        self.assertEqual(elapsed_hours_24_7(friday, datetime(2026, 1, 16, 14, 0)), 0.0)

    def test_plan_on_intervals(self):
        """Monday and Tuesday 9:00-12:30, 13:30-17:00 from Monday 10:00."""
        intervals = [
            (datetime(2026, 1, 19, 10, 0), datetime(2026, 1, 19, 12, 30)),
            (datetime(2026, 1, 19, 13, 30), datetime(2026, 1, 19, 17, 0)),
            (datetime(2026, 1, 20, 9, 0), datetime(2026, 1, 20, 12, 30)),
            (datetime(2026, 1, 20, 13, 30), datetime(2026, 1, 20, 17, 0)),
        ]
        self.assertEqual(
            plan_on_intervals(intervals, [12.0, 9.6, 0.0, 2.5, 20.0]),
            [
                datetime(2026, 1, 20, 16, 0),
                datetime(2026, 1, 20, 13, 36),
                datetime(2026, 1, 19, 10, 0),
                datetime(2026, 1, 19, 12, 30),
                None,
            ],
        )
