# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Plain unit tests of the pure helpers (no database, no ORM)."""

from datetime import date

from odoo.tests import BaseCase, tagged

from ..lib import allocation, formatting, rounding


@tagged("post_install", "-at_install")
class TestRounding(BaseCase):
    def test_round_up_to_started_quarter_hour(self):
        for minutes, expected in [
            (0, 0.0),
            (1, 0.25),
            (7, 0.25),
            (15, 0.25),
            (16, 0.5),
            (30, 0.5),
            (31, 0.75),
            (61, 1.25),
        ]:
            with self.subTest(minutes=minutes):
                self.assertEqual(rounding.round_up_hours(minutes / 60.0), expected)

    def test_float_time_noise_adds_nothing(self):
        # 0.25 h typed in a float_time widget, or 15 min summed from 3 x 5 min
        self.assertEqual(rounding.round_up_hours(0.1 + 0.1 + 0.05), 0.25)
        self.assertEqual(rounding.round_up_hours(0.25000000001), 0.25)
        self.assertEqual(rounding.round_up_hours(1.0 / 3.0), 0.5)

    def test_unit_and_minimum(self):
        self.assertEqual(rounding.round_up_hours(7 / 60.0, unit_minutes=30), 0.5)
        self.assertEqual(rounding.round_up_hours(7 / 60.0, unit_minutes=5), 10 / 60)
        self.assertEqual(
            rounding.round_up_hours(7 / 60.0, unit_minutes=5, minimum_minutes=15),
            0.25,
        )
        self.assertEqual(rounding.round_up_hours(0.0, minimum_minutes=15), 0.0)

    def test_bad_input(self):
        with self.assertRaises(ValueError):
            rounding.round_up_minutes(-1)
        with self.assertRaises(ValueError):
            rounding.round_up_minutes(10, unit_minutes=0)
        with self.assertRaises(ValueError):
            rounding.consumed_quantity(0.25, "day")

    def test_consumed_quantity(self):
        self.assertEqual(rounding.consumed_quantity(0.25, "credit"), 1.0)
        self.assertEqual(rounding.consumed_quantity(0.25, "credit", 2.0), 2.0)
        self.assertEqual(rounding.consumed_quantity(1.25, "hour"), 1.25)
        self.assertEqual(rounding.consumed_quantity(1.25, "hour", 2.0), 2.5)
        self.assertEqual(rounding.consumed_quantity(0.5, "credit", 1.0, 30), 1.0)


@tagged("post_install", "-at_install")
class TestAllocation(BaseCase):
    def test_expiry_first_split(self):
        buckets = allocation.sort_buckets(
            [
                allocation.Bucket(2, 10.0, date(2026, 6, 30)),
                allocation.Bucket(1, 3.0, date(2026, 3, 31)),
            ]
        )
        parts, leftover = allocation.allocate(4.0, buckets)
        self.assertEqual(parts, [(1, 3.0), (2, 1.0)])
        self.assertEqual(leftover, 0.0)

    def test_same_expiry_lowest_key_first(self):
        buckets = allocation.sort_buckets(
            [
                allocation.Bucket(9, 5.0, date(2026, 3, 31)),
                allocation.Bucket(4, 5.0, date(2026, 3, 31)),
            ]
        )
        self.assertEqual(allocation.allocate(2.0, buckets)[0], [(4, 2.0)])

    def test_overdraft_and_empty_buckets(self):
        buckets = [
            allocation.Bucket(1, 0.0, date(2026, 1, 31)),
            allocation.Bucket(2, -1.0, date(2026, 2, 28)),
            allocation.Bucket(3, 1.5, date(2026, 3, 31)),
        ]
        parts, leftover = allocation.allocate(2.0, buckets)
        self.assertEqual(parts, [(3, 1.5)])
        self.assertEqual(leftover, 0.5)
        self.assertEqual(allocation.allocate(2.0, []), ([], 2.0))
        self.assertEqual(allocation.allocate(0.0, buckets), ([], 0.0))

    def test_split_prorata_sums_to_total(self):
        self.assertEqual(allocation.split_prorata(0.5, [3.0, 1.0]), [0.38, 0.12])
        self.assertEqual(
            allocation.split_prorata(1.0, [1.0, 1.0, 1.0]), [0.33, 0.33, 0.34]
        )
        self.assertEqual(allocation.split_prorata(0.75, [5.0]), [0.75])
        self.assertEqual(allocation.split_prorata(0.75, []), [])

    def test_negative_quantity_refused(self):
        with self.assertRaises(ValueError):
            allocation.allocate(-1.0, [])


@tagged("post_install", "-at_install")
class TestFormatting(BaseCase):
    def test_significant_digits(self):
        """The decimals formatLang is asked for: no trailing zeros."""
        for quantity, expected in [
            (1.0, 0),
            (4.0, 0),
            (0.25, 2),
            (1.5, 1),
            (-2.0, 0),
            (-0.0, 0),
            (0.001, 0),
            (0.05, 2),
            (1234567.0, 0),
        ]:
            with self.subTest(quantity=quantity):
                self.assertEqual(formatting.significant_digits(quantity), expected)
