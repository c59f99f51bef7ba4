# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..lib.guard import internal
from .common import SupportPackCommon


@tagged("post_install", "-at_install")
class TestSupportPackLedger(SupportPackCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order, cls.pack = cls._sell(cls.customer_a, cls.maxi, qty=2)

    def _adjust(self, user, quantity, reason):
        wizard = (
            self.env["support.pack.adjust"]
            .with_user(user)
            .create({"pack_id": self.pack.id, "quantity": quantity, "reason": reason})
        )
        return wizard.action_apply()

    def test_salesman_cannot_write_or_unlink_moves(self):
        move = self.pack.move_ids.with_user(self.salesman)
        self.assertEqual(move.quantity, 200.0, "salesman reads the ledger")
        with self.assertRaises(AccessError):
            move.write({"quantity": 999})
        with self.assertRaises(AccessError):
            move.unlink()
        with self.assertRaises(AccessError):
            self.env["support.pack.move"].with_user(self.salesman).create(
                self.pack._prepare_move_values("adjustment", 50, note="gift")
            )
        self.assertEqual(self.pack.quantity_remaining, 200.0)

    def test_ledger_is_append_only_even_for_managers_and_superuser(self):
        as_manager = self.pack.move_ids.with_user(self.pack_manager)
        with self.assertRaises(AccessError):
            as_manager.write({"quantity": 999})
        with self.assertRaises(AccessError):
            as_manager.unlink()
        with self.assertRaisesRegex(UserError, "append-only"):
            self.pack.move_ids.sudo().write({"quantity": 999})
        with self.assertRaisesRegex(UserError, "append-only"):
            self.pack.move_ids.sudo().unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            self.pack.sudo().unlink()
        self.assertEqual(self.pack.quantity_remaining, 200.0)

    def test_non_manager_cannot_adjust(self):
        with self.assertRaises(AccessError):
            self._adjust(self.salesman, 10, "gift")
        self.assertEqual(len(self.pack.move_ids), 1)

    def test_adjustment_needs_a_reason_and_writes_nothing_without(self):
        for reason in (False, "", "   "):
            with self.assertRaisesRegex(ValidationError, "needs a reason"):
                self._adjust(self.pack_manager, 10, reason)
        self.assertEqual(len(self.pack.move_ids), 1)
        self.assertEqual(self.pack.quantity_remaining, 200.0)

    def test_adjustment_zero_or_below_zero_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be zero"):
            self._adjust(self.pack_manager, 0, "nothing")
        with self.assertRaisesRegex(ValidationError, "below zero"):
            self._adjust(self.pack_manager, -201, "too much")
        self.assertEqual(len(self.pack.move_ids), 1)

    def test_manager_adjusts_with_reason(self):
        self._adjust(self.pack_manager, 5, "Commercial gesture after incident")
        self.assertEqual(self.pack.quantity_granted, 205.0)
        self.assertEqual(self.pack.quantity_remaining, 205.0)
        move = self.pack.move_ids.filtered(lambda m: m.move_type == "adjustment")
        self.assertEqual(move.quantity, 5.0)
        self.assertEqual(move.note, "Commercial gesture after incident")
        self.assertEqual(move.user_id, self.pack_manager)
        self.assertIn("Commercial gesture", self.pack.message_ids[0].body)

    def test_balance_and_state_follow_the_moves(self):
        self._consume(self.pack, 150)
        self.assertEqual(self.pack.quantity_consumed, 150.0)
        self.assertEqual(self.pack.quantity_remaining, 50.0)
        self.assertEqual(self.pack.consumed_percent, 75.0)
        self._consume(self.pack, 50)
        self.assertEqual(self.pack.quantity_remaining, 0.0)
        self.assertEqual(self.pack.state, "exhausted")
        self._adjust(self.pack_manager, 8, "Goodwill")
        self.assertEqual(self.pack.state, "active")
        self.assertEqual(self.pack.quantity_remaining, 8.0)

    def test_overdraft_and_adjustment_move_rules(self):
        moves = internal(self.env["support.pack.move"])
        with self.assertRaisesRegex(ValidationError, "belongs to no pack"):
            moves.create(self.pack._prepare_move_values("overdraft", -2))
        with self.assertRaisesRegex(ValidationError, "may have no pack"):
            moves.create(
                {
                    "partner_id": self.customer_a.id,
                    "move_type": "consumption",
                    "unit": "credit",
                    "quantity": -2,
                }
            )
        with self.assertRaisesRegex(ValidationError, "customer of its pack"):
            moves.create(
                self.pack._prepare_move_values(
                    "consumption", -2, partner_id=self.customer_b.id
                )
            )
        overdraft = moves.create(
            {
                "partner_id": self.customer_a.id,
                "move_type": "overdraft",
                "unit": "credit",
                "quantity": -2,
            }
        )
        self.assertFalse(overdraft.pack_id)

    def test_statement_wizard_lists_the_company_packs_for_a_contact(self):
        """A contact chosen as the customer: the pack picker offers its
        company's packs, the ones the printout takes."""
        __, other_pack = self._sell(self.customer_b, self.light)
        wizard = (
            self.env["support.pack.statement"]
            .with_user(self.salesman)
            .create({"partner_id": self.contact_a1.id})
        )
        domain = safe_eval(
            wizard._fields["pack_ids"].domain,
            {"commercial_partner_id": wizard.commercial_partner_id.id},
        )
        offered = self.env["support.pack"].with_user(self.salesman).search(domain)
        self.assertEqual(offered, self.pack)
        self.assertNotIn(other_pack, offered)
        self.assertEqual(wizard._get_packs(), self.pack)
