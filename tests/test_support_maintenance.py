# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SupportPackCommon


@tagged("post_install", "-at_install")
class TestSupportMaintenance(SupportPackCommon):
    """IPM maintenance by percentage of the sale: a contract product whose
    price is a yearly rate (by duration) times the sale value of the covered
    configuration items, recomputed before each invoice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # product_contract creates the contract at confirmation: the seller of
        # a maintenance may create contracts.
        cls.contract_seller = new_test_user(
            cls.env,
            login="hsp-contract-seller",
            groups="sales_team.group_sale_salesman,account.group_account_manager",
            name="Carla Contracts",
        )
        cls.sale_manager = new_test_user(
            cls.env,
            login="hsp-sale-manager",
            groups="sales_team.group_sale_manager",
            name="Sol Sales Manager",
        )
        cls.terminal = cls.env["product.product"].create(
            {
                "name": "Terminal T-200",
                "type": "service",
                "list_price": 12000.0,
                "invoice_policy": "order",
            }
        )
        cls.maintenance = cls._create_maintenance_product("IPM Maintenance", "monthly")
        cls.maintenance_yearly = cls._create_maintenance_product(
            "IPM Maintenance (yearly)", "yearly"
        )

    @classmethod
    def _create_maintenance_product(cls, name, rule_type):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "service",
                "list_price": 0.0,
                "is_contract": True,
                "recurring_rule_type": rule_type,
                "recurring_interval": 1,
                "recurring_invoicing_type": "pre-paid",
                "recurrence_number": 1,
                "recurrence_interval": "yearly",
                "support_maintenance_ok": True,
                "support_maintenance_rate_ids": [
                    Command.create({"duration_years": 1, "rate": 18.0}),
                    Command.create({"duration_years": 3, "rate": 16.0}),
                ],
            }
        )

    def _order(self, partner, lines, user=None):
        user = user or self.contract_seller
        return (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "order_line": [
                        Command.create(dict({"product_uom_qty": 1.0}, **values))
                        for values in lines
                    ],
                }
            )
        )

    def _item(self, name, sale_line):
        return self.env["support.configuration.item"].create(
            {
                "name": name,
                "partner_id": sale_line.order_id.partner_id.id,
                "item_type": "hardware",
                "product_id": sale_line.product_id.id,
                "sale_line_id": sale_line.id,
            }
        )

    def _sell_with_items(self, maintenance, price=12000.0, discount=0.0, **values):
        """A quotation of a terminal and its maintenance, the terminal
        recorded as an item of the customer's configuration, confirmed."""
        order = self._order(
            self.customer_a,
            [
                {
                    "product_id": self.terminal.id,
                    "price_unit": price,
                    "discount": discount,
                },
                {"product_id": maintenance.id},
            ],
        )
        if values:
            # As on the quotation's line: its duration (product_contract)
            order.order_line[1].write(values)
        self._item("Terminal T-200 #1", order.order_line[0])
        order.action_confirm()
        contract_line = (
            self.env["contract.line"]
            .sudo()
            .search([("sale_order_line_id", "=", order.order_line[1].id)])
        )
        return order, contract_line.with_user(self.contract_seller)

    def _invoice(self, contract_line):
        invoice = contract_line.contract_id.recurring_create_invoice()
        self.assertEqual(len(invoice), 1)
        return invoice

    @freeze_time("2027-01-01")
    def test_yearly_maintenance_is_18_percent_of_the_sale(self):
        """12,000 EUR of items (15,000 less 20 %: after discount, before tax)
        at 18 % a year for 1 year: 2,160 EUR a year."""
        order, line = self._sell_with_items(
            self.maintenance_yearly, price=15000.0, discount=20.0
        )
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line[0].price_subtotal, 12000.0)
        self.assertEqual(line.support_maintenance_rate, 18.0)
        self.assertEqual(line.price_unit, 2160.0)
        invoice = self._invoice(line)
        self.assertEqual(invoice.amount_untaxed, 2160.0)
        self.assertEqual(invoice.invoice_line_ids.price_subtotal, 2160.0)

    @freeze_time("2027-01-01")
    def test_items_sold_on_the_quotation_join_the_configuration(self):
        """2 servers of 6,000 EUR, a product that is a configuration item,
        sold with the maintenance: 2 items linked to their line, 180 EUR a
        month from the first period."""
        server = self.env["product.product"].create(
            {
                "name": "Server S-1",
                "type": "service",
                "list_price": 6000.0,
                "support_configuration_item_type": "hardware",
            }
        )
        order = self._order(
            self.customer_a,
            [
                {"product_id": server.id, "product_uom_qty": 2.0},
                {"product_id": self.maintenance.id},
            ],
        )
        order.action_confirm()
        items = self.env["support.configuration.item"].search(
            [("sale_line_id", "=", order.order_line[0].id)]
        )
        self.assertEqual(
            sorted(items.mapped("name")), ["Server S-1 #1", "Server S-1 #2"]
        )
        self.assertEqual(items.partner_id, self.customer_a)
        self.assertEqual(set(items.mapped("item_type")), {"hardware"})
        line = (
            self.env["contract.line"]
            .search([("sale_order_line_id", "=", order.order_line[1].id)])
            .with_user(self.contract_seller)
        )
        self.assertEqual(line.price_unit, 180.0)
        self.assertEqual(self._invoice(line).amount_untaxed, 180.0)

    @freeze_time("2027-01-01")
    def test_monthly_maintenance_is_a_twelfth(self):
        """Invoiced monthly, the same maintenance is 180 EUR a month."""
        _order, line = self._sell_with_items(self.maintenance)
        self.assertEqual(line.price_unit, 180.0)
        self.assertEqual(self._invoice(line).amount_untaxed, 180.0)

    @freeze_time("2027-01-01")
    def test_three_years_take_the_three_year_rate(self):
        """Sold for 3 years, the rate is 16 % a year: 1,920 EUR a year."""
        order, line = self._sell_with_items(
            self.maintenance_yearly, recurrence_number=3
        )
        self.assertEqual(order.order_line[1].date_end.isoformat(), "2029-12-31")
        self.assertEqual(order.order_line[1].support_maintenance_rate, 16.0)
        self.assertEqual(line.support_maintenance_rate, 16.0)
        self.assertEqual(self._invoice(line).amount_untaxed, 1920.0)

    def test_item_sold_in_month_4_counts_from_the_next_period(self):
        """An item of 3,000 EUR sold in April raises the price to 225 EUR
        from May on; the invoices already issued never change."""
        with freeze_time("2027-01-01"):
            _order, line = self._sell_with_items(self.maintenance)
        invoices = self.env["account.move"]
        for day in ("2027-01-01", "2027-02-01", "2027-03-01", "2027-04-01"):
            with freeze_time(day):
                invoices |= self._invoice(line)
        with freeze_time("2027-04-15 10:00:00"):
            later = self._order(
                self.customer_a,
                [{"product_id": self.terminal.id, "price_unit": 3000.0}],
                user=self.salesman,
            )
            later.action_confirm()
            self._item("Terminal T-200 #2", later.order_line)
        with freeze_time("2027-05-01"):
            invoices |= self._invoice(line)
            self.assertEqual(line.price_unit, 225.0)
        self.assertEqual(
            invoices.sorted("invoice_date").mapped("amount_untaxed"),
            [180.0, 180.0, 180.0, 180.0, 225.0],
        )
        self.assertEqual(
            invoices.sorted("invoice_date").mapped("invoice_date")[-1].isoformat(),
            "2027-05-01",
        )

    def test_items_of_another_customer_never_count(self):
        """Customer B's sold item is not customer A's configuration."""
        with freeze_time("2026-12-01"):
            order_b = self._order(
                self.customer_b, [{"product_id": self.terminal.id}], self.salesman
            )
            order_b.action_confirm()
            self._item("B's terminal", order_b.order_line)
        with freeze_time("2027-01-01"):
            _order, line = self._sell_with_items(self.maintenance, price=6000.0)
            self.assertEqual(self._invoice(line).amount_untaxed, 90.0)

    def test_maintenance_without_item_is_refused(self):
        """A salesperson confirming a maintenance that covers no item of the
        customer gets a clear message; nothing is written."""
        order = self._order(
            self.customer_a, [{"product_id": self.maintenance.id}], self.salesman
        )
        contracts = self.env["contract.contract"].search_count([])
        with self.assertRaises(UserError) as caught:
            order.action_confirm()
        self.assertIn("covers no configuration item", str(caught.exception))
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.order_line.contract_id)
        self.assertEqual(self.env["contract.contract"].search_count([]), contracts)

    def test_maintenance_quantity_other_than_1_is_refused(self):
        """Its price follows the items: a quantity of 2 would bill it twice."""
        order = self._order(
            self.customer_a,
            [
                {"product_id": self.terminal.id},
                {"product_id": self.maintenance.id, "product_uom_qty": 2.0},
            ],
            self.salesman,
        )
        self._item("Terminal T-200 #1", order.order_line[0])
        with self.assertRaises(UserError) as caught:
            order.action_confirm()
        self.assertIn("with a quantity of 1", str(caught.exception))
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.order_line.contract_id)

    def test_rate_outside_0_100_is_refused(self):
        """The sales manager (who edits products) cannot set a rate outside
        0-100 %, nor a maintenance product without rate."""
        template = self.maintenance.product_tmpl_id.with_user(self.sale_manager)
        rate = template.support_maintenance_rate_ids[0]
        for wrong in (120.0, -5.0):
            with self.assertRaises(ValidationError) as caught:
                rate.write({"rate": wrong})
            self.assertIn("between 0 and 100", str(caught.exception))
            self.assertEqual(rate.rate, 18.0)
        with self.assertRaises(ValidationError) as caught:
            template.write({"support_maintenance_rate_ids": [Command.clear()]})
        self.assertIn("at least one yearly rate", str(caught.exception))
        self.assertEqual(len(template.support_maintenance_rate_ids), 2)

    def test_item_linked_to_another_customers_sale_is_refused(self):
        order_b = self._order(
            self.customer_b, [{"product_id": self.terminal.id}], self.salesman
        )
        item = self.env["support.configuration.item"].create(
            {"name": "A's terminal", "partner_id": self.customer_a.id}
        )
        with self.assertRaises(ValidationError) as caught:
            item.write({"sale_line_id": order_b.order_line.id})
        self.assertIn("another customer", str(caught.exception))
        self.assertFalse(item.sale_line_id)

    def test_archived_item_stops_counting(self):
        """An item taken out of the configuration (archived) no longer counts
        from the next invoice; the issued one keeps its amount."""
        with freeze_time("2027-01-01"):
            order, line = self._sell_with_items(self.maintenance)
            second = self._order(
                self.customer_a,
                [{"product_id": self.terminal.id, "price_unit": 3000.0}],
                user=self.salesman,
            )
            # sold on an earlier day than the maintenance's first period
            self._item("Terminal T-200 #2", second.order_line)
        with freeze_time("2026-12-15"):
            second.action_confirm()
        with freeze_time("2027-01-01"):
            january = self._invoice(line)
        item = self.env["support.configuration.item"].search(
            [("sale_line_id", "=", order.order_line[0].id)]
        )
        item.action_archive()
        with freeze_time("2027-02-01"):
            february = self._invoice(line)
        self.assertEqual(january.amount_untaxed, 225.0)
        self.assertEqual(february.amount_untaxed, 45.0)

    def _pricing_queries(self, line, period_start):
        # as the invoicing cron runs it
        line = line.sudo()
        line._support_maintenance_period_amount(period_start)  # warm the caches
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        amount = line._support_maintenance_period_amount(period_start)
        return amount, self.env.cr.sql_log_count - before

    def test_pricing_reads_the_items_in_batch(self):
        """Pricing a period costs the same queries for 1 covered item as for
        6: the items and their sale lines are read in batch."""
        with freeze_time("2027-01-01"):
            order, line = self._sell_with_items(self.maintenance)
        period = line.recurring_next_date
        amount_1, queries_1 = self._pricing_queries(line, period)
        more = self._order(
            self.customer_a,
            [
                {"product_id": self.terminal.id, "price_unit": 1000.0}
                for _index in range(5)
            ],
            user=self.salesman,
        )
        for index, sale_line in enumerate(more.order_line):
            self._item(f"Terminal T-200 #{index + 2}", sale_line)
        with freeze_time("2026-12-15"):
            more.action_confirm()
        amount_6, queries_6 = self._pricing_queries(line, period)
        self.assertEqual((amount_1, amount_6), (180.0, 255.0))
        self.assertEqual(queries_6, queries_1)
