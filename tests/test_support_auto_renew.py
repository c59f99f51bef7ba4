# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..lib.guard import internal
from .common import SupportConsumptionCommon


@tagged("post_install", "-at_install")
class TestSupportAutoRenew(SupportConsumptionCommon):
    """Issue 24's auto top-up. Customer A bought LIGHT (20 credits) from Sam;
    its own salesperson is Ada. Low balance threshold: 20 % of the granted
    quantity, 4 credits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"support_low_balance_type": "percent", "support_low_balance_percent": 20}
        )
        cls.customer_a.write(
            {"email": "support@a.example.com", "user_id": cls.accountant.id}
        )
        __, cls.pack = cls._sell(cls.customer_a, cls.light)
        cls.renew_type = cls.env.ref(
            "helpdesk_support_pack.mail_activity_type_support_pack_renew"
        )

    def _orders(self, customer=None):
        return (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", (customer or self.customer_a).id),
                    ("support_auto_renewal", "=", True),
                ]
            )
        )

    def _activities(self, pack=None):
        return (pack or self.pack).activity_ids.filtered(
            lambda a: a.activity_type_id == self.renew_type
        )

    def _adjust(self, pack, quantity):
        internal(self.env["support.pack.move"]).create(
            pack._prepare_move_values("adjustment", quantity, note="Goodwill")
        )

    def test_off_by_default(self):
        self.assertFalse(self.customer_a.support_auto_renew)
        self.assertEqual(self.customer_a.support_auto_renew_mode, "send")
        self._consume(self.pack, 16)
        self.assertTrue(self.pack.low_balance_notified)
        self.assertFalse(self._orders())
        self.assertIn("Use the button 'Renew'", self._activities().note)

    def test_threshold_reached_sends_one_quotation(self):
        self.customer_a.support_auto_renew = True
        self.assertTrue(self.contact_a1.support_auto_renew, "the company's setting")
        self._consume(self.pack, 15)
        self.assertEqual(self.pack.quantity_remaining, 5.0)
        self.assertFalse(self._orders(), "5 credits left: above the threshold")
        self._consume(self.pack, 1)
        self.assertEqual(self.pack.quantity_remaining, 4.0)
        order = self._orders()
        self.assertEqual(len(order), 1)
        self.assertEqual(order.partner_id, self.customer_a)
        self.assertEqual(order.order_line.product_id, self.light)
        self.assertEqual(order.order_line.product_uom_qty, 1.0)
        self.assertEqual(order.origin, self.pack.name)
        self.assertEqual(order.user_id, self.accountant, "the customer's salesperson")
        self.assertEqual(order.state, "sent")
        self.assertFalse(order.support_portal_purchase)
        # sent by email with Odoo's quotation template (portal link)
        sent = order.message_ids.filtered(
            lambda m: self.customer_a in m.partner_ids
            and m.subject == f"{self.company.name} Quotation (Ref {order.name})"
        )
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent.notification_ids.res_partner_id, self.customer_a)
        self.assertTrue(order.access_token, "the email's portal link")
        # the salesperson's activity says what the renewal did
        activity = self._activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.accountant)
        self.assertEqual(activity.summary, f"Automatic renewal: follow {order.name} up")
        self.assertIn(f"sent quotation {order.name}", activity.note)
        # a second drop while the quotation is open: no second one
        self._consume(self.pack, 1)
        self.assertEqual(self.pack.quantity_remaining, 3.0)
        self.assertEqual(self._orders(), order)

    def test_once_per_dip(self):
        """Down to 4 (quotation 1); back above 4 while it is open and down
        again: none; quotation 1 cancelled, back above and down again:
        quotation 2."""
        self.customer_a.support_auto_renew = True
        self._consume(self.pack, 16)
        first = self._orders()
        self.assertEqual(len(first), 1)
        self._adjust(self.pack, 10)
        self.assertEqual(self.pack.quantity_remaining, 14.0)
        self.assertFalse(self.pack.low_balance_notified, "the dip is over")
        self._consume(self.pack, 10)
        self.assertEqual(self.pack.quantity_remaining, 4.0)
        self.assertEqual(self._orders(), first, "quotation 1 is still open")
        self.assertIn(f"Quotation {first.name} is still open", self._activities().note)
        first.sudo()._action_cancel()
        self._consume(self.pack, 1)
        self.assertEqual(self._orders(), first, "the same dip: nothing")
        self._adjust(self.pack, 10)
        self.assertEqual(self.pack.quantity_remaining, 13.0)
        self._consume(self.pack, 9)
        self.assertEqual(self.pack.quantity_remaining, 4.0)
        orders = self._orders()
        self.assertEqual(len(orders), 2)
        second = orders - first
        self.assertEqual(second.state, "sent")
        self.assertEqual(second.order_line.product_id, self.light)

    def test_confirm_mode_activates_on_confirmation(self):
        self.customer_a.write(
            {"support_auto_renew": True, "support_auto_renew_mode": "confirm"}
        )
        self._consume(self.pack, 16)
        order = self._orders()
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "sale")
        new_pack = order.support_pack_ids
        self.assertEqual(len(new_pack), 1)
        self.assertEqual(new_pack.product_id, self.light)
        self.assertEqual(new_pack.activation, "order")
        self.assertEqual(new_pack.state, "active")
        self.assertEqual(new_pack.quantity_remaining, 20.0)
        self.assertEqual(new_pack.partner_id, self.customer_a)
        self.assertEqual(self.customer_a.support_balance_credit, 24.0)
        activity = self._activities()
        self.assertEqual(activity.summary, f"Automatic renewal: {order.name} confirmed")
        self.assertEqual(activity.user_id, self.accountant)
        # the customer gets Odoo's order confirmation
        self.assertTrue(
            order.message_ids.filtered(
                lambda m: self.customer_a in m.partner_ids
                and m.subject == f"{self.company.name} Order (Ref {order.name})"
            )
        )
        # the old pack keeps going down: the same dip, nothing more
        self._consume(self.pack, 4)
        self.assertEqual(self._orders(), order)

    def test_confirm_mode_activates_on_payment(self):
        """TMA 10 h starts on payment: 2 h left (20 %) confirms a renewal
        whose pack waits for the payment of its invoice."""
        self.customer_b.write(
            {"support_auto_renew": True, "support_auto_renew_mode": "confirm"}
        )
        __, pack = self._sell(self.customer_b, self.tma_10h)
        self.assertEqual(pack.state, "pending")
        internal(pack)._action_activate()
        self._consume(pack, 8)
        self.assertEqual(pack.quantity_remaining, 2.0)
        order = self._orders(self.customer_b)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line.product_id, self.tma_10h)
        new_pack = order.support_pack_ids
        self.assertEqual(new_pack.activation, "payment")
        self.assertEqual(new_pack.state, "pending")
        self.assertEqual(new_pack.quantity_granted, 10.0)
        self.assertFalse(self._orders(), "customer A is not concerned")

    def test_overdraft_deducted_from_the_renewal_renews_once(self):
        """B's 17 credits of overdraft (logged before it bought a pack, while
        the company invoiced overdraft) go onto the pack the automatic renewal
        confirms once the company deducts it: 3 credits left, low at once, yet
        no second renewal from there."""
        overage = self.env["product.product"].create(
            {"name": "Overage", "type": "service", "invoice_policy": "order"}
        )
        self.company.write(
            {
                "support_overdraft_policy": "invoice",
                "support_overage_product_id": overage.id,
                "support_overage_unit": "credit",
            }
        )
        with freeze_time("2026-02-02"):
            line = self._log(self._ticket(partner=self.contact_b1), 255)
        self.assertEqual(line.support_move_ids.move_type, "overdraft")
        self.assertEqual(line.support_move_ids.quantity, -17.0)
        __, pack = self._sell(self.customer_b, self.light)
        self.assertEqual(pack.quantity_remaining, 20.0)
        self.company.support_overdraft_policy = "deduct"
        self.customer_b.write(
            {"support_auto_renew": True, "support_auto_renew_mode": "confirm"}
        )
        self._consume(pack, 16)
        order = self._orders(self.customer_b)
        self.assertEqual(len(order), 1)
        renewal = order.support_pack_ids
        self.assertEqual(renewal.quantity_consumed, 17.0)
        self.assertEqual(renewal.quantity_remaining, 3.0)
        self.assertTrue(renewal.low_balance_notified, "the warning still goes")
        self.assertEqual(self._orders(self.customer_b), order)

    def test_pack_low_from_its_overdraft_deduction_is_warned_only(self):
        """A pack the salesperson sells, left at 3 credits by the 17 credits
        of overdraft it settles: warned, never renewed from inside the
        settlement (which marks the overdraft settled only after it)."""
        self.customer_b.support_auto_renew = True
        with freeze_time("2026-02-02"):
            line = self._log(self._ticket(partner=self.contact_b1), 255)
        overdraft = line.support_move_ids
        self.assertEqual(overdraft.quantity, -17.0)
        __, pack = self._sell(self.customer_b, self.light)
        self.assertEqual(pack.quantity_remaining, 3.0)
        self.assertTrue(overdraft.settled)
        self.assertEqual(overdraft.settled_move_id.pack_id, pack)
        self.assertTrue(pack.low_balance_notified)
        self.assertIn("Use the button 'Renew'", self._activities(pack).note)
        self.assertFalse(self._orders(self.customer_b))

    def test_no_renewal_while_another_pack_takes_over(self):
        """A newer pack above its threshold, or one waiting for its payment,
        takes over: the old pack's dip makes no quotation."""
        self.customer_a.support_auto_renew = True
        __, newer = self._sell(self.customer_a, self.light)
        self._consume(self.pack, 16)
        self.assertFalse(self._orders())
        self.assertTrue(self._activities(), "the low balance warning still goes")
        # the newer pack falls too: now the customer needs a pack
        self._consume(newer, 16)
        self.assertEqual(len(self._orders()), 1)

    def test_one_renewal_for_two_packs_low_in_one_posting(self):
        """9 h logged at once (36 credits) empty the first LIGHT and leave 4
        credits on the second: one quotation, named by both activities."""
        self.customer_a.support_auto_renew = True
        __, second = self._sell(self.customer_a, self.light)
        self._log(self._ticket(), 60 * 9)
        self.assertEqual(self.pack.quantity_remaining, 0.0)
        self.assertEqual(second.quantity_remaining, 4.0)
        order = self._orders()
        self.assertEqual(len(order), 1)
        for pack in self.pack | second:
            self.assertIn(f"sent quotation {order.name}", self._activities(pack).note)

    def test_posting_by_an_agent(self):
        """The trigger is in the model: an agent who logs time (no sales
        rights) makes the renewal, under the flow's own rights."""
        self.customer_a.support_auto_renew = True
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.agent).check_access("create")
        ticket = self._ticket()
        self._log(ticket, 60 * 4)  # 16 credits: 4 left
        self.assertEqual(self.pack.quantity_remaining, 4.0)
        order = self._orders()
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "sent")

    def test_query_count_of_a_posting_above_the_threshold(self):
        """The automatic renewal costs a posting nothing until the balance
        reaches the threshold: the same queries with it on as with it off."""
        ticket = self._ticket()
        line_model = self.env["account.analytic.line"].with_user(self.agent)
        values = {
            "name": "Work",
            "ticket_id": ticket.id,
            "project_id": self.project.id,
            "unit_amount": 0.25,
        }
        line_model.create(dict(values))  # warm the caches
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        line_model.create(dict(values))
        self.env.flush_all()
        baseline = self.env.cr.sql_log_count - before
        self.customer_a.support_auto_renew = True
        self.env.flush_all()
        self.env.invalidate_all()
        # One more is allowed, as in test_query_count_of_timesheet_creation:
        # the acting user's record may be read again (25 or 26 seen with the
        # same code).
        with self.assertQueryCount(baseline + 1):
            line_model.create(dict(values))
            self.env.flush_all()
        self.assertEqual(self.pack.quantity_remaining, 17.0)
        self.assertFalse(self._orders())

    def test_failed_renewal_never_stops_the_posting(self):
        """No pack product can be sold: the posting goes through and the
        salesperson's activity says the renewal failed."""
        self.customer_a.support_auto_renew = True
        self.light.sale_ok = False
        self.company.support_default_pack_product_id = False
        ticket = self._ticket()
        line = self._log(ticket, 60 * 4)
        self.assertTrue(line.support_move_ids)
        self.assertEqual(self.pack.quantity_remaining, 4.0)
        self.assertFalse(self._orders())
        self.assertIn("The automatic renewal failed", self._activities().note)

    def test_portal_user_never_writes_the_setting(self):
        portal = self.env["res.users"].create(
            {
                "login": "hsp-portal-auto-renew",
                "partner_id": self.contact_a1.id,
                "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        for vals in (
            {"support_auto_renew": True},
            {"support_auto_renew_mode": "confirm"},
        ):
            with self.assertRaises(AccessError):
                self.customer_a.with_user(portal).sudo().write(vals)
        self.assertFalse(self.customer_a.support_auto_renew)
        self.assertEqual(self.customer_a.support_auto_renew_mode, "send")
        # the same values written back are no change (commercial fields sync)
        self.customer_a.with_user(portal).sudo().write(
            {"support_auto_renew": False, "support_auto_renew_mode": "send"}
        )

    def test_set_auto_renew_only_for_the_own_company(self):
        with self.assertRaises(AccessError):
            self.customer_b._support_set_auto_renew(True, "send", self.contact_a1)
        self.assertFalse(self.customer_b.support_auto_renew)
        self.customer_a.support_restricted = True
        with self.assertRaises(AccessError):
            self.customer_a._support_set_auto_renew(True, "send", self.contact_a1)
        self.assertFalse(self.customer_a.support_auto_renew)
        self.contact_a1.sudo().support_authorized = True
        self.customer_a._support_set_auto_renew(True, "confirm", self.contact_a1)
        self.assertTrue(self.customer_a.support_auto_renew)
        self.assertEqual(self.customer_a.support_auto_renew_mode, "confirm")
        self.assertIn(
            "Automatic renewal switched on by Alice A1",
            self.customer_a.message_ids[0].body,
        )
