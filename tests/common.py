# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class SupportPackCommon(BaseCommon):
    """Own fixtures: products, customers, users. Never demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        if not cls.company.chart_template:
            cls.env["account.chart.template"].try_loading(
                "generic_coa", company=cls.company, install_demo=False
            )
        cls.salesman = new_test_user(
            cls.env,
            login="hsp-salesman",
            groups="sales_team.group_sale_salesman",
            name="Sam Salesman",
        )
        cls.pack_manager = new_test_user(
            cls.env,
            login="hsp-pack-manager",
            groups="helpdesk_support_pack.group_support_pack_manager",
            name="Mia Manager",
        )
        cls.accountant = new_test_user(
            cls.env,
            login="hsp-accountant",
            groups="account.group_account_invoice,sales_team.group_sale_salesman",
            name="Ada Accountant",
        )
        cls.customer_a = cls.env["res.partner"].create(
            {"name": "Campus A", "is_company": True}
        )
        cls.contact_a1 = cls.env["res.partner"].create(
            {
                "name": "Alice A1",
                "parent_id": cls.customer_a.id,
                "email": "a1@a.example.com",
            }
        )
        cls.contact_a2 = cls.env["res.partner"].create(
            {
                "name": "Arthur A2",
                "parent_id": cls.customer_a.id,
                "email": "a2@a.example.com",
            }
        )
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "Campus B", "is_company": True}
        )
        cls.contact_b1 = cls.env["res.partner"].create(
            {
                "name": "Bob B1",
                "parent_id": cls.customer_b.id,
                "email": "b1@b.example.com",
            }
        )
        cls.maxi = cls._create_pack_product("MAXI", "credit", 100, 2000.0)
        cls.light = cls._create_pack_product("LIGHT", "credit", 20, 500.0)
        cls.tma_10h = cls._create_pack_product(
            "TMA 10 h", "hour", 10, 900.0, activation="payment"
        )

    @classmethod
    def _create_pack_product(
        cls, name, unit, quantity, price, activation="order", carry_over="renewal"
    ):
        return cls.env["product.product"].create(
            {
                "name": name,
                "type": "service",
                "list_price": price,
                "invoice_policy": "order",
                "support_pack_ok": True,
                "support_pack_unit": unit,
                "support_pack_quantity": quantity,
                "support_pack_validity_months": 12,
                "support_pack_activation": activation,
                "support_pack_carry_over": carry_over,
            }
        )

    @classmethod
    def _create_order(cls, partner, product, qty=1.0, user=None):
        user = user or cls.salesman
        return (
            cls.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": qty}
                        )
                    ],
                }
            )
        )

    @classmethod
    def _sell(cls, partner, product, qty=1.0, user=None):
        """Quotation confirmed by the salesperson; returns (order, pack)."""
        order = cls._create_order(partner, product, qty, user)
        order.action_confirm()
        return order, order.sudo().support_pack_ids

    @classmethod
    def _consume(cls, pack, quantity, date=None):
        """A consumption move as the consumption engine posts it."""
        values = pack._prepare_move_values("consumption", -quantity)
        if date:
            values["date"] = date
        return cls.env["support.pack.move"].sudo().create(values)
