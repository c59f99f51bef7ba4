# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import SupportPackCommon


@tagged("post_install", "-at_install")
class TestSupportPackExpiry(SupportPackCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pack_50 = cls._create_pack_product("Pack 50", "credit", 50, 1000.0)
        cls.pack_50_never = cls._create_pack_product(
            "Pack 50 no carry-over", "credit", 50, 1000.0, carry_over="never"
        )
        cls.hours_50 = cls._create_pack_product("Hours 50", "hour", 50, 1000.0)

    def _pack_with_35_left(self, product=None):
        with freeze_time("2026-01-15 09:00:00"):
            __, pack = self._sell(self.customer_a, product or self.pack_50)
        self._consume(pack, 15, date=date(2026, 6, 1))
        self.assertEqual(pack.quantity_remaining, 35.0)
        self.assertEqual(pack.date_end, date(2027, 1, 14))
        return pack

    def _assert_expired_with_loss(self, pack, lost):
        self.assertEqual(pack.state, "expired")
        self.assertEqual(pack.quantity_remaining, 0.0)
        expiry = pack.move_ids.filtered(lambda m: m.move_type == "expiry")
        self.assertEqual(expiry.quantity, -lost)
        self.assertFalse(
            pack.move_ids.filtered(lambda m: m.move_type == "carry_over_out")
        )

    def _run_cron(self, when):
        with freeze_time(when):
            self.env["support.pack"]._cron_expire_packs()

    def test_carry_over_to_newer_pack_bought_before_expiry(self):
        pack_a = self._pack_with_35_left()
        with freeze_time("2026-12-20 09:00:00"):
            __, pack_b = self._sell(self.customer_a, self.maxi)
        # 12 months from 2026-01-15: valid up to and including 2027-01-14
        self._run_cron("2027-01-14 23:00:00")
        self.assertEqual(pack_a.state, "active", "still valid on its last day")
        self._run_cron("2027-01-15 02:00:00")
        self.assertEqual(pack_a.state, "expired")
        self.assertEqual(pack_a.quantity_remaining, 0.0)
        self.assertEqual(pack_b.quantity_remaining, 135.0)
        self.assertEqual(pack_b.quantity_granted, 135.0)
        out_move = pack_a.move_ids.filtered(lambda m: m.move_type == "carry_over_out")
        in_move = pack_b.move_ids.filtered(lambda m: m.move_type == "carry_over_in")
        self.assertEqual(out_move.quantity, -35.0)
        self.assertEqual(in_move.quantity, 35.0)
        self.assertEqual(in_move.counterpart_move_id, out_move)
        self.assertEqual(out_move.date, date(2027, 1, 14))
        moves_before = self.env["support.pack.move"].search_count([])
        self._run_cron("2027-01-17 02:00:00")
        self.assertEqual(self.env["support.pack.move"].search_count([]), moves_before)
        self.assertEqual(pack_b.quantity_remaining, 135.0)

    def test_expiry_without_newer_pack(self):
        pack_a = self._pack_with_35_left()
        self._run_cron("2027-01-16 02:00:00")
        self.assertEqual(pack_a.state, "expired")
        self.assertEqual(pack_a.quantity_remaining, 0.0)
        expiry = pack_a.move_ids.filtered(lambda m: m.move_type == "expiry")
        self.assertEqual(expiry.quantity, -35.0)
        self._run_cron("2027-01-17 02:00:00")
        self.assertEqual(len(pack_a.move_ids), 3, "purchase, consumption, expiry")

    def test_no_carry_over_to_pack_bought_after_expiry(self):
        pack_a = self._pack_with_35_left()
        with freeze_time("2027-02-01 09:00:00"):
            __, pack_b = self._sell(self.customer_a, self.maxi)
        self._run_cron("2027-02-02 02:00:00")
        self._assert_expired_with_loss(pack_a, 35.0)
        self.assertEqual(pack_b.quantity_remaining, 100.0)

    def test_no_carry_over_when_product_says_never(self):
        pack_a = self._pack_with_35_left(self.pack_50_never)
        with freeze_time("2026-12-20 09:00:00"):
            __, pack_b = self._sell(self.customer_a, self.maxi)
        self._run_cron("2027-01-16 02:00:00")
        self._assert_expired_with_loss(pack_a, 35.0)
        self.assertEqual(pack_b.quantity_remaining, 100.0)

    def test_no_carry_over_across_units_or_customers(self):
        pack_a = self._pack_with_35_left()
        with freeze_time("2026-12-20 09:00:00"):
            __, hours = self._sell(self.customer_a, self.hours_50)
            __, other = self._sell(self.customer_b, self.maxi)
        self._run_cron("2027-01-16 02:00:00")
        self._assert_expired_with_loss(pack_a, 35.0)
        self.assertEqual(hours.quantity_remaining, 50.0)
        self.assertEqual(other.quantity_remaining, 100.0)

    def test_carry_over_goes_to_the_newest_pack(self):
        pack_a = self._pack_with_35_left()
        with freeze_time("2026-06-01 09:00:00"):
            __, older = self._sell(self.customer_a, self.light)
        with freeze_time("2026-12-01 09:00:00"):
            __, newest = self._sell(self.customer_a, self.light)
        self._run_cron("2027-01-16 02:00:00")
        self.assertEqual(pack_a.quantity_remaining, 0.0)
        self.assertEqual(older.quantity_remaining, 20.0)
        self.assertEqual(newest.quantity_remaining, 55.0)

    def test_exhausted_pack_expires_without_move(self):
        with freeze_time("2026-01-15 09:00:00"):
            __, pack = self._sell(self.customer_a, self.light)
        self._consume(pack, 20)
        self.assertEqual(pack.state, "exhausted")
        self._run_cron("2027-01-16 02:00:00")
        self.assertEqual(pack.state, "expired")
        self.assertEqual(len(pack.move_ids), 2)
