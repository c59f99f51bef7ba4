# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SupportConsumptionCommon
from .common_portal import SupportPortalCommon


@tagged("post_install", "-at_install")
class TestSupportSubscription(SupportConsumptionCommon):
    """e-ABC's "abono mensual" on OCA contract: a contract product whose offer
    gives an allowance per period, a scope and a team. Each posted period
    invoice issues the period's allowance as a pack valid for that period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # product_contract creates the contract at confirmation: the seller
        # of a subscription may create contracts.
        cls.contract_seller = new_test_user(
            cls.env,
            login="hsp-subscription-seller",
            groups="sales_team.group_sale_salesman,account.group_account_manager",
            name="Sara Subscriptions",
        )
        cls.sale_manager = new_test_user(
            cls.env,
            login="hsp-subscription-manager",
            groups="sales_team.group_sale_manager",
            name="Simon Sales Manager",
        )
        cls.cat_development = cls.env["helpdesk.ticket.category"].create(
            # counted by default: the subscription's scope excludes it
            {"name": "Custom development", "support_coverage": "counted"}
        )
        cls.sla_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Abono team",
                "allow_timesheet": True,
                "default_project_id": cls.project.id,
                "user_ids": [Command.set(cls.agent.ids)],
            }
        )
        cls.abono = cls._create_subscription_product("Abono mensual 10 h", 10.0)
        cls.abono.support_team_id = cls.sla_team
        cls.abono_unlimited = cls._create_subscription_product(
            "Abono mensual ilimitado", 0.0
        )

    @classmethod
    def _create_subscription_product(cls, name, allowance, **values):
        return cls.env["product.product"].create(
            dict(
                {
                    "name": name,
                    "type": "service",
                    "list_price": 450.0,
                    "is_contract": True,
                    "recurring_rule_type": "monthly",
                    "recurring_interval": 1,
                    "recurring_invoicing_type": "pre-paid",
                    "recurrence_number": 1,
                    "recurrence_interval": "yearly",
                    "support_subscription_ok": True,
                    "support_pack_unit": "hour",
                    "support_allowance_quantity": allowance,
                    "support_pack_activation": "payment",
                    "support_pack_carry_over": "never",
                    "support_included_category_ids": [
                        Command.set(cls.cat_included.ids)
                    ],
                    "support_counted_category_ids": [Command.set(cls.cat_counted.ids)],
                    "support_excluded_category_ids": [
                        Command.set(cls.cat_development.ids)
                    ],
                },
                **values,
            )
        )

    def _subscribe(self, product, partner=None):
        """Sell the subscription on a quotation and confirm it: the contract
        line product_contract creates."""
        partner = partner or self.customer_a
        order = (
            self.env["sale.order"]
            .with_user(self.contract_seller)
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": self.contract_seller.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 1})
                    ],
                }
            )
        )
        order.action_confirm()
        line = (
            self.env["contract.line"]
            .sudo()
            .search([("sale_order_line_id", "=", order.order_line.id)])
        )
        self.assertEqual(len(line), 1, "confirming the quotation creates the contract")
        return line.with_user(self.contract_seller)

    def _invoice(self, contract_line, post=True):
        invoice = contract_line.contract_id.recurring_create_invoice()
        self.assertEqual(len(invoice), 1)
        if post:
            invoice.with_user(self.contract_seller).action_post()
        return invoice

    def _pay(self, invoice, day):
        self.env["account.payment.register"].with_user(
            self.contract_seller
        ).with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"payment_date": day}
        )._create_payments()

    def _pack(self, invoice):
        return invoice.invoice_line_ids.sudo().support_pack_ids

    def _run_expiry(self):
        self.env["support.pack"].sudo()._cron_expire_packs()

    def _january(self, product=None):
        """The worked example's January: abono sold on 2027-01-01, January's
        invoice posted and paid on 2027-01-05, 3 h logged."""
        with freeze_time("2027-01-01 09:00:00"):
            line = self._subscribe(product or self.abono)
            invoice = self._invoice(line)
        with freeze_time("2027-01-05 10:00:00"):
            self._pay(invoice, date(2027, 1, 5))
            ticket = self._ticket(category=self.cat_counted, team_id=False)
            self._log(ticket, 180)
        return line, invoice, self._pack(invoice)

    # ------------------------------------------------------------------
    # Worked example: monthly abono, 10 h, 450 EUR a month
    # ------------------------------------------------------------------
    def test_january_invoice_issues_a_pack_of_the_period(self):
        with freeze_time("2027-01-01 09:00:00"):
            line = self._subscribe(self.abono)
            invoice = self._invoice(line, post=False)
            self.assertEqual(invoice.amount_untaxed, 450.0)
            self.assertFalse(self._pack(invoice), "a draft invoice issues nothing")
            invoice.with_user(self.contract_seller).action_post()
        pack = self._pack(invoice)
        self.assertEqual(len(pack), 1)
        self.assertEqual(pack.contract_line_id, line)
        self.assertEqual(pack.partner_id, self.customer_a)
        self.assertEqual(pack.unit, "hour")
        self.assertEqual(pack.quantity_granted, 10.0)
        self.assertEqual(
            (pack.date_start, pack.date_end), (date(2027, 1, 1), date(2027, 1, 31))
        )
        self.assertEqual(pack.state, "pending", "active once paid")
        self.assertFalse(pack.sale_line_id, "the invoice line says which period")
        with freeze_time("2027-01-05 10:00:00"):
            self._pay(invoice, date(2027, 1, 5))
        self.assertEqual(pack.state, "active")
        self.assertEqual(
            (pack.date_start, pack.date_end),
            (date(2027, 1, 1), date(2027, 1, 31)),
            "valid for exactly the period, whatever the payment date",
        )
        # posting again (reset to draft and posted) issues no second pack
        with freeze_time("2027-01-06 10:00:00"):
            self.assertFalse(invoice._support_issue_subscription_packs())

    def test_three_hours_leave_seven(self):
        _line, _invoice, pack = self._january()
        self.assertEqual(pack.quantity_consumed, 3.0)
        self.assertEqual(pack.quantity_remaining, 7.0)
        self.customer_a.invalidate_recordset(["support_balance_hour"])
        self.assertEqual(self.customer_a.support_balance_hour, 7.0)

    def test_february_pack_and_january_expires(self):
        line, _invoice, january = self._january()
        with freeze_time("2027-02-01 06:00:00"):
            february_invoice = self._invoice(line)
        february = self._pack(february_invoice)
        self.assertEqual(february.quantity_granted, 10.0)
        self.assertEqual(
            (february.date_start, february.date_end),
            (date(2027, 2, 1), date(2027, 2, 28)),
        )
        self.assertEqual(february.state, "pending")
        self.assertEqual(january.state, "expired")
        expiry = january.move_ids.filtered(lambda m: m.move_type == "expiry")
        self.assertEqual(expiry.quantity, -7.0)
        self.assertEqual(expiry.date, date(2027, 1, 31))
        self.assertEqual(february.quantity_remaining, 10.0, "nothing carried over")

    def test_carry_over_capped_at_half_of_the_allowance(self):
        capped = self._create_subscription_product(
            "Abono 10 h (carry-over 50 %)",
            10.0,
            support_pack_carry_over="renewal",
            support_pack_carry_over_cap=50,
        )
        line, _invoice, january = self._january(capped)
        with freeze_time("2027-02-01 00:30:00"):
            # the expiry job runs before February's invoice is posted: the
            # period waits for the pack of its next period
            self._run_expiry()
            self.assertEqual(january.state, "active")
            february_invoice = self._invoice(line)
        february = self._pack(february_invoice)
        self.assertEqual(february.state, "pending", "carried over while unpaid")
        self.assertEqual(january.state, "expired")
        moves = {m.move_type: m.quantity for m in january.move_ids}
        self.assertEqual(moves["carry_over_out"], -5.0)
        self.assertEqual(moves["expiry"], -2.0)
        self.assertEqual(february.quantity_granted, 15.0)
        self.assertEqual(
            february.move_ids.filtered(
                lambda m: m.move_type == "carry_over_in"
            ).quantity,
            5.0,
        )

    def test_carry_over_when_next_period_is_invoiced_in_advance(self):
        """February invoiced on January 25: January's balance waits until its
        end, then the expiry job carries it over."""
        capped = self._create_subscription_product(
            "Abono 10 h (carry-over)", 10.0, support_pack_carry_over="renewal"
        )
        line, _invoice, january = self._january(capped)
        with freeze_time("2027-01-25 10:00:00"):
            february_invoice = line.contract_id._recurring_create_invoice(
                date(2027, 2, 1)
            )
            february_invoice.with_user(self.contract_seller).action_post()
        february = self._pack(february_invoice)
        self.assertEqual(february.date_start, date(2027, 2, 1))
        self.assertEqual(january.state, "active", "still valid until January 31")
        with freeze_time("2027-02-01 00:30:00"):
            self._run_expiry()
        self.assertEqual(january.state, "expired")
        self.assertEqual(february.quantity_granted, 17.0)

    def test_each_payment_activates_its_own_period(self):
        with freeze_time("2027-01-01 09:00:00"):
            line = self._subscribe(self.abono)
            january_invoice = self._invoice(line)
        with freeze_time("2027-02-01 09:00:00"):
            february_invoice = self._invoice(line)
            self._pay(february_invoice, date(2027, 2, 3))
        self.assertEqual(self._pack(february_invoice).state, "active")
        self.assertEqual(self._pack(january_invoice).state, "pending", "unpaid")
        self.assertEqual(
            january_invoice.invoice_line_ids.sale_line_ids,
            february_invoice.invoice_line_ids.sale_line_ids,
            "both invoices link the same sale line",
        )

    def test_credit_note_cancels_the_unconsumed_period(self):
        with freeze_time("2027-01-01 09:00:00"):
            line = self._subscribe(self.abono)
            invoice = self._invoice(line)
            pack = self._pack(invoice)
            refund = self._credit_note(invoice)
        self.assertEqual(pack.state, "cancelled")
        self.assertEqual(pack.quantity_remaining, 0.0)
        cancellation = pack.move_ids.filtered(lambda m: m.move_type == "cancellation")
        self.assertEqual(cancellation.note, f"Credit note {refund.name}")

    def test_credit_note_leaves_a_consumed_period(self):
        _line, invoice, pack = self._january()
        with freeze_time("2027-01-10 09:00:00"):
            self._credit_note(invoice)
        self.assertEqual(pack.state, "active")
        self.assertEqual(pack.quantity_remaining, 7.0)
        self.assertIn("already consumed", pack.message_ids[:1].body)

    def _credit_note(self, invoice):
        wizard = (
            self.env["account.move.reversal"]
            .with_user(self.contract_seller)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "Period refunded"})
        )
        action = wizard.refund_moves()
        refund = self.env["account.move"].browse(action["res_id"])
        refund.with_user(self.contract_seller).action_post()
        return refund

    # ------------------------------------------------------------------
    # Scope, team, end of the contract
    # ------------------------------------------------------------------
    def test_excluded_category_is_not_covered_and_quoted(self):
        with freeze_time("2027-01-01 09:00:00"):
            line = self._subscribe(self.abono)
            self._pay(self._invoice(line), date(2027, 1, 1))
        with freeze_time("2027-01-05 10:00:00"):
            ticket = self._ticket(category=self.cat_development)
            self.assertEqual(ticket.support_coverage, "not_covered")
            with self.assertRaises(UserError) as caught:
                self._log(ticket, 60)
            self.assertIn("Custom development", str(caught.exception))
            self.assertFalse(ticket.timesheet_ids)
            # the 4 h rule's button quotes it
            self.company.support_quotation_product_id = self.env[
                "product.product"
            ].create({"name": "Development (quoted)", "type": "service"})
            ticket.with_user(self.agent).action_support_create_quotation()
            order = ticket.sudo().support_sale_order_ids
            self.assertEqual(order.partner_id.commercial_partner_id, self.customer_a)
            self.assertEqual(order.order_line.product_id.name, "Development (quoted)")

    def test_included_category_consumes_nothing(self):
        with freeze_time("2027-01-01 09:00:00"):
            line = self._subscribe(self.abono)
            invoice = self._invoice(line)
            self._pay(invoice, date(2027, 1, 1))
        with freeze_time("2027-01-05 10:00:00"):
            ticket = self._ticket(category=self.cat_included)
            timesheet = self._log(ticket, 60)
        self.assertEqual(timesheet.support_coverage, "included")
        self.assertEqual(self._pack(invoice).quantity_remaining, 10.0)

    def test_unlimited_allowance_issues_no_pack_and_includes_its_scope(self):
        with freeze_time("2027-01-01 09:00:00"):
            line = self._subscribe(self.abono_unlimited)
            invoice = self._invoice(line)
        self.assertFalse(self._pack(invoice))
        with freeze_time("2027-01-05 10:00:00"):
            ticket = self._ticket(category=self.cat_counted)
            self.assertEqual(ticket.support_coverage, "included")
            timesheet = self._log(ticket, 90)
        self.assertEqual(timesheet.support_quantity, 0.0)
        self.assertFalse(
            self.env["support.pack.move"]
            .sudo()
            .search([("partner_id", "=", self.customer_a.id)]),
            "the ledger records nothing",
        )

    def test_end_of_contract_ends_the_coverage(self):
        with freeze_time("2027-01-01 09:00:00"):
            line = self._subscribe(self.abono_unlimited)
            self._invoice(line)
        line.write({"date_end": date(2027, 3, 31)})
        with freeze_time("2027-03-31 10:00:00"):
            last_day = self._ticket(category=self.cat_counted)
        with freeze_time("2027-04-02 10:00:00"):
            after = self._ticket(category=self.cat_counted)
        self.assertEqual(last_day.support_coverage, "included")
        self.assertEqual(after.support_coverage, "not_covered")
        with freeze_time("2027-04-02 10:00:00"), self.assertRaises(UserError):
            self._log(after, 30)
        self.assertFalse(after.timesheet_ids)

    def test_valid_packs_keep_working_after_the_end(self):
        with freeze_time("2027-01-01 09:00:00"):
            line = self._subscribe(self.abono_unlimited)
            self._invoice(line)
            _order, pack = self._sell(self.customer_a, self.hour_pack_product)
        line.write({"date_end": date(2027, 3, 31)})
        with freeze_time("2027-04-02 10:00:00"):
            ticket = self._ticket(category=self.cat_counted)
            self.assertEqual(ticket.support_coverage, "counted")
            self._log(ticket, 60)
        self.assertEqual(pack.quantity_remaining, 4.0)

    def test_ticket_without_team_goes_to_the_subscription_team(self):
        with freeze_time("2027-01-01 09:00:00"):
            self._subscribe(self.abono)
            ticket = self._ticket(team_id=False)
            other = self._ticket(partner=self.contact_b1, team_id=False)
            chosen = self._ticket()
        self.assertEqual(ticket.team_id, self.sla_team)
        self.assertNotEqual(other.team_id, self.sla_team, "B subscribes to nothing")
        self.assertEqual(chosen.team_id, self.team, "a team chosen stays")

    def test_customer_without_subscription_keeps_the_category(self):
        with freeze_time("2027-01-01 09:00:00"):
            self._subscribe(self.abono)
            ticket_b = self._ticket(
                partner=self.contact_b1, category=self.cat_development
            )
        self.assertFalse(self.customer_b.support_subscriber)
        self.assertEqual(ticket_b.support_coverage, "counted")

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------
    def test_subscription_without_recurrence_is_refused(self):
        template = self.env["product.template"].with_user(self.sale_manager)
        with self.assertRaises(ValidationError) as caught:
            template.create(
                {
                    "name": "Abono without recurrence",
                    "type": "service",
                    "support_subscription_ok": True,
                    "support_allowance_quantity": 10.0,
                }
            )
        self.assertIn("needs a recurrence", str(caught.exception))
        self.env.cr.execute(
            "SELECT id FROM product_template WHERE name->>'en_US' = %s",
            ["Abono without recurrence"],
        )
        self.assertFalse(self.env.cr.fetchall(), "nothing written")

    def test_unused_allowance_expires_by_default(self):
        product = (
            self.env["product.template"]
            .with_user(self.sale_manager)
            .create(
                {
                    "name": "Abono trimestral",
                    "type": "service",
                    "is_contract": True,
                    "recurring_rule_type": "quarterly",
                    "support_subscription_ok": True,
                    "support_allowance_quantity": 30.0,
                }
            )
        )
        self.assertEqual(product.support_pack_carry_over, "never")
        self.assertEqual(self.tma_10h.support_pack_carry_over, "renewal")

    def test_category_in_two_scopes_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.abono.with_user(self.sale_manager).write(
                {
                    "support_counted_category_ids": [
                        Command.link(self.cat_development.id)
                    ]
                }
            )
        self.assertIn("listed twice", str(caught.exception))

    def test_negative_allowance_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.abono.with_user(self.sale_manager).write(
                {"support_allowance_quantity": -1.0}
            )
        self.assertIn("cannot be negative", str(caught.exception))
        self.assertEqual(self.abono.support_allowance_quantity, 10.0)

    def test_subscriber_flag_and_period_are_the_flows(self):
        with freeze_time("2027-01-01 09:00:00"):
            line = self._subscribe(self.abono)
            pack = self._pack(self._invoice(line))
        self.assertTrue(self.customer_a.support_subscriber)
        with self.assertRaises(AccessError):
            self.customer_b.with_user(self.contract_seller).write(
                {"support_subscriber": True}
            )
        self.assertFalse(self.customer_b.support_subscriber)
        with self.assertRaises(AccessError):
            pack.with_user(self.pack_manager).write({"contract_line_id": False})
        self.assertEqual(pack.contract_line_id, line)

    def test_renewing_a_period_is_refused(self):
        with freeze_time("2027-01-01 09:00:00"):
            line = self._subscribe(self.abono)
            pack = self._pack(self._invoice(line))
        with self.assertRaises(UserError) as caught:
            pack.with_user(self.salesman).action_renew()
        self.assertIn("next invoice renews it", str(caught.exception))
        self.assertFalse(pack.renewal_due)


@tagged("post_install", "-at_install")
class TestSupportSubscriptionPortal(SupportPortalCommon):
    """My support shows the customer's subscription: its allowance, scope
    and dates; never another customer's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cat_development = cls.env["helpdesk.ticket.category"].create(
            {"name": "Custom development", "support_coverage": "counted"}
        )
        product = TestSupportSubscription._create_subscription_product.__func__(
            cls, "Abono mensual 10 h", 10.0
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer_a.id,
                "order_line": [Command.create({"product_id": product.id})],
            }
        )
        order.action_confirm()
        cls.contract_line = cls.env["contract.line"].search(
            [("sale_order_line_id", "=", order.order_line.id)]
        )
        invoice = cls.contract_line.contract_id.recurring_create_invoice()
        invoice.action_post()
        cls.period_pack = invoice.invoice_line_ids.support_pack_ids

    def test_customer_reads_its_subscription(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        page = self._get("/my/support").text
        self.assertIn("o_support_subscription", page)
        self.assertIn("Abono mensual 10 h", page)
        self.assertIn(
            self.period_pack._format_quantity(10.0, "hour"), page, "the allowance"
        )
        self.assertIn("every month", page)
        self.assertIn("Not covered (quoted):", page)
        self.assertIn("Custom development", page)
        self.assertIn(self.period_pack.name, page, "the period's pack is listed")

    def test_other_customer_never_reads_it(self):
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        page = self._get("/my/support").text
        self.assertNotIn("o_support_subscription", page)
        self.assertNotIn("Abono mensual 10 h", page)
        self.assertNotIn(self.period_pack.name, page)
