# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import SupportPackCommon


@tagged("post_install", "-at_install")
class TestSupportCarryOverCap(SupportPackCommon):
    """Issue 24's worked example: a 20-credit pack with a 25 % cap and 9
    credits left at expiry, renewed: 5 credits carried over, 4 expired."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.capped = cls._create_pack_product("Capped 20", "credit", 20, 500.0)
        cls.capped.support_pack_carry_over_cap = 25

    def _pack_with_9_left(self, product=None):
        with freeze_time("2026-01-15 09:00:00"):
            __, pack = self._sell(self.customer_a, product or self.capped)
        self._consume(pack, 11, date=date(2026, 6, 1))
        self.assertEqual(pack.quantity_remaining, 9.0)
        with freeze_time("2026-12-20 09:00:00"):
            __, renewal = self._sell(self.customer_a, self.light)
        return pack, renewal

    def _expire(self):
        with freeze_time("2027-01-16 02:00:00"):
            self.env["support.pack"]._cron_expire_packs()

    def _moves(self, pack, move_type):
        return pack.move_ids.filtered(lambda m: m.move_type == move_type)

    def test_cap_25_percent_of_20_credits_with_9_left(self):
        pack, renewal = self._pack_with_9_left()
        self.assertEqual(pack.carry_over_cap, 25)
        self._expire()
        self.assertEqual(pack.state, "expired")
        self.assertEqual(pack.quantity_remaining, 0.0)
        carried = self._moves(pack, "carry_over_out")
        expired = self._moves(pack, "expiry")
        self.assertEqual(carried.quantity, -5.0)
        self.assertEqual(expired.quantity, -4.0)
        self.assertEqual(expired.date, date(2027, 1, 14))
        self.assertEqual(
            expired.note,
            "Above the carry-over cap of 25 % of the purchased quantity "
            "(5 credits): expired",
        )
        carried_in = self._moves(renewal, "carry_over_in")
        self.assertEqual(carried_in.quantity, 5.0)
        self.assertEqual(carried_in.counterpart_move_id, carried)
        self.assertEqual(renewal.quantity_remaining, 25.0)
        self.assertEqual(pack.quantity_carried_over, 5.0)
        self.assertEqual(pack.quantity_expired, 4.0)
        self.assertEqual(pack.carried_over_pack_id, renewal)
        self.assertEqual(
            pack.expiry_outcome,
            f"5 credits carried over to {renewal.name}, 4 credits lost at expiry",
        )
        self.assertIn(
            f"5 credits left on this pack carried over to {renewal.name}. "
            "4 credits above the carry-over cap of 25 % expired.",
            pack.message_ids.mapped("body")[0],
        )

    def test_no_cap_carries_all_9_over(self):
        self.capped.support_pack_carry_over_cap = 0
        pack, renewal = self._pack_with_9_left()
        self._expire()
        self.assertEqual(self._moves(pack, "carry_over_out").quantity, -9.0)
        self.assertFalse(self._moves(pack, "expiry"))
        self.assertEqual(renewal.quantity_remaining, 29.0)

    def test_balance_under_the_cap_is_carried_in_full(self):
        self.capped.support_pack_carry_over_cap = 50  # 10 credits
        pack, renewal = self._pack_with_9_left()
        self._expire()
        self.assertEqual(self._moves(pack, "carry_over_out").quantity, -9.0)
        self.assertFalse(self._moves(pack, "expiry"))
        self.assertEqual(renewal.quantity_remaining, 29.0)

    def test_not_renewed_the_whole_balance_expires(self):
        with freeze_time("2026-01-15 09:00:00"):
            __, pack = self._sell(self.customer_a, self.capped)
        self._consume(pack, 11)
        self._expire()
        expired = self._moves(pack, "expiry")
        self.assertEqual(expired.quantity, -9.0)
        self.assertEqual(expired.note, "Expired unused balance")

    def test_the_cap_is_the_packs_own(self):
        """The cap in force when the pack was sold: a later change of the
        product never rewrites it."""
        pack, renewal = self._pack_with_9_left()
        self.capped.support_pack_carry_over_cap = 0
        self._expire()
        self.assertEqual(self._moves(pack, "carry_over_out").quantity, -5.0)
        self.assertEqual(self._moves(pack, "expiry").quantity, -4.0)

    def test_cap_of_hours(self):
        """10 h with a 25 % cap and 3:30 left: 2:30 carried over, 1:00 expired."""
        hours = self._create_pack_product("Hours 10", "hour", 10, 900.0)
        hours.support_pack_carry_over_cap = 25
        with freeze_time("2026-01-15 09:00:00"):
            __, pack = self._sell(self.customer_a, hours)
        self._consume(pack, 6.5)
        with freeze_time("2026-12-20 09:00:00"):
            __, renewal = self._sell(self.customer_a, hours)
        self._expire()
        self.assertEqual(self._moves(pack, "carry_over_out").quantity, -2.5)
        self.assertEqual(self._moves(pack, "expiry").quantity, -1.0)
        self.assertEqual(
            self._moves(pack, "expiry").note,
            "Above the carry-over cap of 25 % of the purchased quantity "
            "(2.5 h): expired",
        )
        self.assertEqual(renewal.quantity_remaining, 12.5)

    def test_cap_is_a_percentage(self):
        for cap in (-1, 101):
            with self.assertRaises(ValidationError):
                self.capped.support_pack_carry_over_cap = cap
        self.capped.support_pack_carry_over_cap = 100
        self.assertEqual(self.capped.support_pack_carry_over_cap, 100)

    def test_cap_is_protected_on_the_pack(self):
        pack, __ = self._pack_with_9_left()
        with self.assertRaises(AccessError):
            pack.with_user(self.pack_manager).write({"carry_over_cap": 0})
        self.assertEqual(pack.carry_over_cap, 25)
