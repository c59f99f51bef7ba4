# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import ast
from contextlib import contextmanager

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..lib.guard import internal
from .common import SupportConsumptionCommon


@tagged("post_install", "-at_install")
class TestSupportOverdraft(SupportConsumptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.overage = cls.env["product.product"].create(
            {
                "name": "Support overage (credit)",
                "type": "service",
                "list_price": 30.0,
                "invoice_policy": "order",
            }
        )
        cls.company.write(
            {
                "support_overdraft_policy": "deduct",
                "support_overage_product_id": cls.overage.id,
                "support_overage_unit": "credit",
            }
        )

    @contextmanager
    def _raises(self, exception, regex=""):
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    def _overdraft(self, minutes=30, partner=None, priority="1"):
        """Time logged by the agent on a customer with no pack left."""
        with freeze_time("2026-02-02"):
            line = self._log(self._ticket(partner=partner, priority=priority), minutes)
        return line, line.support_move_ids

    def _to_invoice(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_pack_move_overdraft_action"
        )
        return self.env["support.pack.move"].search(ast.literal_eval(action["domain"]))

    # ------------------------------------------------------------------
    # Deduct from the next pack
    # ------------------------------------------------------------------
    def test_deduct_30_min_from_the_next_20_credit_pack(self):
        __, overdraft = self._overdraft(30)
        self.assertRecordValues(
            overdraft,
            [{"move_type": "overdraft", "unit": "credit", "quantity": -2.0}],
        )
        self.assertFalse(overdraft.settled)
        self.assertEqual(self.customer_a.support_overdraft_credit, -2.0)
        self.assertEqual(self._to_invoice(), overdraft)
        with freeze_time("2026-02-10"):
            __, pack = self._sell(self.customer_a, self.light)
        self.assertEqual(pack.quantity_granted, 20.0)
        self.assertEqual(pack.quantity_consumed, 2.0)
        self.assertEqual(pack.quantity_remaining, 18.0)
        self.assertEqual(pack.state, "active")
        settlement = overdraft.settled_move_id
        self.assertTrue(overdraft.settled)
        self.assertRecordValues(
            settlement,
            [
                {
                    "pack_id": pack.id,
                    "move_type": "consumption",
                    "unit": "credit",
                    "quantity": -2.0,
                    "ticket_id": overdraft.ticket_id.id,
                    "timesheet_id": False,
                    "rounded_hours": 0.5,
                }
            ],
        )
        self.assertEqual(settlement.settled_overdraft_ids, overdraft)
        # the purchase first, then the settlement
        purchase = pack.move_ids.filtered(lambda m: m.move_type == "purchase")
        self.assertLess(purchase.id, settlement.id)
        self.env.invalidate_all()
        self.assertEqual(self.customer_a.support_overdraft_credit, 0.0)
        self.assertFalse(self._to_invoice())
        summary = self.env["support.pack.move"]._get_overdraft_summary(self.customer_a)
        self.assertEqual(summary, {})

    def test_deduct_on_payment_activation_only(self):
        """A pack activated on payment settles nothing while pending."""
        __, overdraft = self._overdraft(30)
        hours_on_payment = self._create_pack_product(
            "TMA 2 h", "hour", 2, 180.0, activation="payment"
        )
        __, pack = self._sell(self.customer_a, hours_on_payment)
        self.assertEqual(pack.state, "pending")
        self.assertFalse(overdraft.settled)
        pack._action_activate()
        self.assertTrue(overdraft.settled)
        # credits to hours: 0.5 h rounded x 1
        self.assertEqual(overdraft.settled_move_id.quantity, -0.5)
        self.assertEqual(pack.quantity_remaining, 1.5)

    def test_deduct_credits_from_an_hour_pack_and_urgent(self):
        __, overdraft = self._overdraft(30, priority="3")
        self.assertEqual(overdraft.quantity, -4.0)
        with freeze_time("2026-02-10"):
            __, pack = self._sell(self.customer_a, self.hour_pack_product)
        # 0.5 h rounded x 2 = 1 h deducted from 5 h
        self.assertEqual(overdraft.settled_move_id.quantity, -1.0)
        self.assertEqual(pack.quantity_remaining, 4.0)

    def test_deduct_only_what_the_pack_covers(self):
        """6 h = 24 credits do not fit a 20-credit pack: the overdraft stays
        open (whole moves only), the pack keeps its 20 credits."""
        __, big = self._overdraft(360)
        self.assertEqual(big.quantity, -24.0)
        with freeze_time("2026-02-03"):
            __, small = self._overdraft(15)
        with freeze_time("2026-02-10"):
            __, pack = self._sell(self.customer_a, self.light)
        self.assertFalse(big.settled)
        self.assertTrue(small.settled)
        self.assertEqual(pack.quantity_remaining, 19.0)
        self.assertEqual(self._to_invoice(), big)

    def test_invoice_policy_deducts_nothing(self):
        self.company.support_overdraft_policy = "invoice"
        __, overdraft = self._overdraft(30)
        with freeze_time("2026-02-10"):
            __, pack = self._sell(self.customer_a, self.light)
        self.assertFalse(overdraft.settled)
        self.assertEqual(pack.quantity_remaining, 20.0)
        summary = self.env["support.pack.move"]._get_overdraft_summary(self.contact_a1)
        self.assertEqual(summary["text"], "2 credits")
        self.assertEqual(summary["outcome"], "It will be invoiced.")

    def test_deleting_a_deducted_overdraft_gives_back_to_the_pack(self):
        line, overdraft = self._overdraft(30)
        with freeze_time("2026-02-10"):
            __, pack = self._sell(self.customer_a, self.light)
        self.assertEqual(pack.quantity_remaining, 18.0)
        with freeze_time("2026-02-11"):
            line.with_user(self.agent).unlink()
        self.assertEqual(pack.quantity_remaining, 20.0)
        reversal = pack.move_ids.filtered(lambda m: m.counterpart_move_id == overdraft)
        self.assertRecordValues(
            reversal, [{"move_type": "consumption", "quantity": 2.0}]
        )
        self.env.invalidate_all()
        self.assertEqual(self.customer_a.support_overdraft_credit, 0.0)
        self.assertFalse(self._to_invoice())

    def test_open_overdraft_reversed_is_settled(self):
        line, overdraft = self._overdraft(30)
        line.with_user(self.agent).unlink()
        reversal = self.env["support.pack.move"].search(
            [("counterpart_move_id", "=", overdraft.id)]
        )
        self.assertEqual(reversal.quantity, 2.0)
        self.assertTrue(overdraft.settled)
        self.assertTrue(reversal.settled)
        self.assertFalse(self._to_invoice())
        __, pack = self._sell(self.customer_a, self.light)
        self.assertEqual(pack.quantity_remaining, 20.0)

    def test_settlement_fields_are_written_by_the_flow_only(self):
        __, overdraft = self._overdraft(30)
        for user in (self.pack_manager, self.agent, self.salesman):
            for vals in (
                {"settled": True},
                {"settled_move_id": overdraft.id},
                {"sale_line_id": False, "settled": True},
            ):
                with self._raises((AccessError, UserError)):
                    overdraft.with_user(user).write(vals)
        with self._raises(UserError):
            overdraft.sudo().write({"settled": True})
        # the flow's mark allows these fields only, never a figure
        with self._raises(UserError):
            internal(overdraft).write({"settled": True, "quantity": 0.0})
        self.env.invalidate_all()
        self.assertFalse(overdraft.settled)
        self.assertEqual(overdraft.quantity, -2.0)

    # ------------------------------------------------------------------
    # Invoice with the overage product
    # ------------------------------------------------------------------
    def test_invoice_2_credits_then_settled_on_confirmation(self):
        self.company.support_overdraft_policy = "invoice"
        __, overdraft = self._overdraft(30)
        action = self.customer_a.with_user(
            self.salesman
        ).action_support_invoice_overdraft()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.partner_id, self.customer_a)
        self.assertEqual(order.user_id, self.salesman)
        self.assertRecordValues(
            order.order_line,
            [{"product_id": self.overage.id, "product_uom_qty": 2.0}],
        )
        self.assertEqual(order.order_line.support_overdraft_move_ids, overdraft)
        self.assertFalse(overdraft.settled)
        summary = self.env["support.pack.move"]._get_overdraft_summary(self.customer_a)
        self.assertIn(order.name, summary["outcome"])
        # the same overdraft is not quoted twice
        with self._raises(UserError, "Nothing to invoice"):
            self.customer_a.with_user(self.salesman).action_support_invoice_overdraft()
        order.with_user(self.salesman).action_confirm()
        self.assertTrue(overdraft.settled)
        self.assertEqual(overdraft.sale_line_id, order.order_line)
        self.env.invalidate_all()
        self.assertEqual(self.customer_a.support_overdraft_credit, 0.0)
        self.assertFalse(self._to_invoice())
        # a pack bought later deducts nothing (even under the deduct policy)
        self.company.support_overdraft_policy = "deduct"
        __, pack = self._sell(self.customer_a, self.light)
        self.assertEqual(pack.quantity_remaining, 20.0)
        # cancelling the order opens the overdraft again
        order.with_user(self.salesman)._action_cancel()
        self.assertFalse(overdraft.settled)
        self.assertFalse(overdraft.sale_line_id)

    def test_invoice_from_the_to_invoice_list_per_customer_in_hours(self):
        self.company.support_overage_unit = "hour"
        __, move_a = self._overdraft(30)
        __, move_a2 = self._overdraft(20, priority="3")
        __, move_b = self._overdraft(10, partner=self.contact_b1)
        action = (
            self._to_invoice()
            .with_user(self.salesman)
            .action_support_invoice_overdraft()
        )
        orders = self.env["sale.order"].search(action["domain"], order="id")
        self.assertEqual(len(orders), 2)
        by_partner = {o.partner_id: o for o in orders}
        # 0.5 h + 0.5 h x 2 = 1.5 h for A; 0.25 h for B
        self.assertEqual(by_partner[self.customer_a].order_line.product_uom_qty, 1.5)
        self.assertEqual(
            by_partner[self.customer_a].order_line.support_overdraft_move_ids,
            move_a | move_a2,
        )
        self.assertEqual(by_partner[self.customer_b].order_line.product_uom_qty, 0.25)
        self.assertEqual(
            by_partner[self.customer_b].order_line.support_overdraft_move_ids, move_b
        )
        # a quoted overdraft is not deducted meanwhile
        __, pack = self._sell(self.customer_a, self.light)
        self.assertEqual(pack.quantity_remaining, 20.0)

    def test_invoice_needs_sales_rights_and_an_overage_product(self):
        self._overdraft(30)
        with self._raises(AccessError):
            self.customer_a.with_user(self.agent).action_support_invoice_overdraft()
        with self._raises(AccessError):
            self.customer_a.with_user(
                self.pack_manager
            ).action_support_invoice_overdraft()
        self.company.support_overage_product_id = False
        with self._raises(UserError, "overage product"):
            self.customer_a.with_user(self.salesman).action_support_invoice_overdraft()
        self.assertFalse(
            self.env["sale.order"].search([("partner_id", "=", self.customer_a.id)])
        )

    def test_quotation_line_link_is_written_by_the_flow_only(self):
        __, overdraft = self._overdraft(30)
        order = self._create_order(self.customer_a, self.overage)
        with self._raises(AccessError):
            order.order_line.with_user(self.salesman).write(
                {"support_overdraft_move_ids": [Command.set(overdraft.ids)]}
            )
        with self._raises(AccessError):
            order.with_user(self.salesman).write(
                {
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.overage.id,
                                "support_overdraft_move_ids": [
                                    Command.set(overdraft.ids)
                                ],
                            }
                        )
                    ]
                }
            )
        order.with_user(self.salesman).action_confirm()
        self.assertFalse(overdraft.settled)

    def test_confirming_a_stale_quotation_is_refused(self):
        self.company.support_overdraft_policy = "invoice"
        __, overdraft = self._overdraft(30)
        action = self.customer_a.with_user(
            self.salesman
        ).action_support_invoice_overdraft()
        order = self.env["sale.order"].browse(action["res_id"])
        internal(overdraft).write({"settled": True})
        with self._raises(UserError, "settled meanwhile"):
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")

    # ------------------------------------------------------------------
    # Customer-facing summary
    # ------------------------------------------------------------------
    def test_summary_says_what_will_happen(self):
        self._overdraft(30)
        summary = self.env["support.pack.move"]._get_overdraft_summary(self.customer_a)
        self.assertEqual(summary["text"], "2 credits")
        self.assertEqual(
            summary["outcome"], "It will be deducted from your next support pack."
        )
        self.assertEqual(
            self.env["support.pack.move"]._get_overdraft_summary(self.customer_b), {}
        )

    def test_statement_shows_the_open_overdraft(self):
        with freeze_time("2026-01-05"):
            __, pack = self._sell(self.customer_a, self.light)
        self._consume(pack, 20)
        self.assertEqual(pack.state, "exhausted")
        __, overdraft = self._overdraft(30)
        self.assertEqual(overdraft.quantity, -2.0)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.salesman)
            ._render_qweb_html(
                "helpdesk_support_pack.support_pack_report_statement", pack.ids
            )[0]
            .decode()
        )
        self.assertIn("o_support_overdraft", html)
        self.assertIn("2 credits", html)
        self.assertIn("It will be deducted from your next support pack.", html)


@tagged("post_install", "-at_install")
class TestSupportOverdraftPortal(HttpCase, SupportConsumptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.support_overdraft_policy = "deduct"
        for key, contact in (("a1", cls.contact_a1), ("b1", cls.contact_b1)):
            new_test_user(
                cls.env,
                login=f"hsp-od-portal-{key}",
                groups="base.group_portal",
                partner_id=contact.id,
            )

    def test_my_support_shows_the_open_overdraft_of_its_company_only(self):
        with freeze_time("2026-02-02"):
            self._log(self._ticket(), 30)
        self.authenticate("hsp-od-portal-a1", "hsp-od-portal-a1")
        response = self.url_open("/my/support")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_support_overdraft", response.text)
        self.assertIn("2 credits", response.text)
        self.assertIn("It will be deducted from your next support pack.", response.text)
        self.authenticate("hsp-od-portal-b1", "hsp-od-portal-b1")
        response = self.url_open("/my/support")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_support_overdraft", response.text)
