# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SupportPackCommon


@tagged("post_install", "-at_install")
class TestSupportPackSale(SupportPackCommon):
    @freeze_time("2026-03-10 10:00:00")
    def test_confirm_two_maxi_creates_one_pack_of_200(self):
        order = self._create_order(self.contact_a1, self.maxi, qty=2)
        self.assertFalse(order.sudo().support_pack_ids, "no pack on a quotation")
        order.action_confirm()
        pack = order.sudo().support_pack_ids
        self.assertEqual(len(pack), 1)
        self.assertEqual(pack.partner_id, self.customer_a, "commercial partner")
        self.assertEqual(pack.state, "active")
        self.assertEqual(pack.unit, "credit")
        self.assertEqual(pack.quantity_granted, 200.0)
        self.assertEqual(pack.quantity_consumed, 0.0)
        self.assertEqual(pack.quantity_remaining, 200.0)
        self.assertEqual(pack.date_start, date(2026, 3, 10))
        self.assertEqual(pack.date_end, date(2027, 3, 9))
        self.assertEqual(pack.user_id, self.salesman)
        self.assertEqual(pack.sale_line_id, order.order_line)
        self.assertEqual(pack.move_ids.mapped("move_type"), ["purchase"])
        self.assertEqual(pack.move_ids.quantity, 200.0)
        self.assertEqual(order.support_pack_count, 1)
        self.assertEqual(self.contact_a2.support_balance_credit, 200.0)
        self.assertEqual(self.customer_a.support_balance_hour, 0.0)
        self.assertEqual(self.customer_b.support_balance_credit, 0.0)

    @freeze_time("2026-04-02 10:00:00")
    def test_validity_ends_the_day_before(self):
        """ "12 months from its activation": activated on 2026-04-02, valid up
        to and including 2027-04-01; the same for any number of months."""
        for months, last_day in (
            (1, date(2026, 5, 1)),
            (6, date(2026, 10, 1)),
            (12, date(2027, 4, 1)),
        ):
            product = self._create_pack_product(f"{months} months", "credit", 10, 100.0)
            product.support_pack_validity_months = months
            __, pack = self._sell(self.customer_a, product)
            self.assertEqual(
                (pack.date_start, pack.date_end), (date(2026, 4, 2), last_day), months
            )

    def test_one_pack_per_line(self):
        order = self._create_order(self.customer_a, self.maxi)
        order.write(
            {
                "order_line": [
                    (0, 0, {"product_id": self.light.id, "product_uom_qty": 1}),
                    (0, 0, {"product_id": self.tma_10h.id, "product_uom_qty": 3}),
                ]
            }
        )
        order.action_confirm()
        packs = order.sudo().support_pack_ids
        self.assertEqual(len(packs), 3)
        by_product = {p.product_id: p for p in packs}
        self.assertEqual(by_product[self.maxi].quantity_granted, 100.0)
        self.assertEqual(by_product[self.light].quantity_granted, 20.0)
        self.assertEqual(by_product[self.tma_10h].quantity_granted, 30.0)
        self.assertEqual(by_product[self.tma_10h].unit, "hour")
        self.assertEqual(by_product[self.tma_10h].state, "pending")

    def test_on_payment_pack_activates_when_invoice_paid(self):
        with freeze_time("2026-03-10 10:00:00"):
            order, pack = self._sell(
                self.customer_a, self.tma_10h, user=self.accountant
            )
        self.assertEqual(pack.state, "pending")
        self.assertFalse(pack.date_start)
        self.assertEqual(pack.quantity_granted, 10.0)
        self.assertEqual(
            self.customer_a.support_balance_hour, 0.0, "a pending pack is not usable"
        )
        order = order.with_user(self.accountant)
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(pack.state, "pending", "posted but unpaid")
        self.env["account.payment.register"].with_user(self.accountant).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": date(2026, 4, 2)})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(pack.state, "active")
        self.assertEqual(pack.date_start, date(2026, 4, 2))
        self.assertEqual(pack.date_end, date(2027, 4, 1))
        self.customer_a.invalidate_recordset(["support_balance_hour"])
        self.assertEqual(self.customer_a.support_balance_hour, 10.0)

    def test_cancel_order_cancels_unconsumed_pack(self):
        order, pack = self._sell(self.customer_a, self.maxi)
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(pack.state, "cancelled")
        self.assertEqual(pack.quantity_remaining, 0.0)
        self.assertEqual(
            pack.move_ids.sorted("id").mapped("move_type"),
            ["purchase", "cancellation"],
        )
        self.assertEqual(pack.quantity_granted, 100.0, "history is kept")

    def test_cancel_order_refused_once_consumed(self):
        order, pack = self._sell(self.customer_a, self.maxi)
        self._consume(pack, 3)
        with self.assertRaisesRegex(UserError, "already consumed"):
            order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "sale")
        self.assertEqual(pack.state, "active")
        self.assertEqual(pack.quantity_remaining, 97.0)

    def test_reconfirm_after_cancel_creates_a_new_pack(self):
        order, pack = self._sell(self.customer_a, self.light)
        order.with_context(disable_cancel_warning=True).action_cancel()
        order.action_draft()
        order.action_confirm()
        packs = order.sudo().support_pack_ids
        self.assertEqual(len(packs), 2)
        self.assertEqual(
            sorted(packs.mapped("state")), ["active", "cancelled"], packs.mapped("name")
        )

    def test_upsell_on_confirmed_order_adds_purchase_move(self):
        order, pack = self._sell(self.customer_a, self.maxi, qty=2)
        order.order_line.product_uom_qty = 3
        self.assertEqual(pack.quantity_granted, 300.0)
        self.assertEqual(pack.quantity_remaining, 300.0)
        self._consume(pack, 250)
        with self.assertRaisesRegex(UserError, "cannot be lowered"):
            order.order_line.product_uom_qty = 1
        self.assertEqual(pack.quantity_remaining, 50.0)

    def test_new_line_on_confirmed_order_creates_pack(self):
        order, pack = self._sell(self.customer_a, self.maxi)
        order.write(
            {
                "order_line": [
                    (0, 0, {"product_id": self.light.id, "product_uom_qty": 1})
                ]
            }
        )
        self.assertEqual(len(order.sudo().support_pack_ids), 2)

    def test_product_rules(self):
        with self.assertRaisesRegex(ValidationError, "must be a service"):
            self.env["product.product"].create(
                {
                    "name": "Goods",
                    "type": "consu",
                    "support_pack_ok": True,
                    "support_pack_quantity": 5,
                }
            )
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            self.env["product.product"].create(
                {
                    "name": "Empty",
                    "type": "service",
                    "support_pack_ok": True,
                    "support_pack_quantity": 0,
                }
            )
        form = Form(self.env["product.template"])
        form.name = "Pack from the form"
        form.type = "consu"
        form.support_pack_ok = True
        self.assertEqual(form.type, "service")
        self.assertEqual(form.support_pack_validity_months, 12)
        self.assertEqual(form.support_pack_activation, "order")
        self.assertEqual(form.support_pack_carry_over, "renewal")
