# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import threading
from unittest.mock import patch

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

from ..lib.guard import internal


def patch_thread_dbname(case_class):
    """Set the test thread's database for the whole class, as Odoo does.

    ir.http.routing_map() opens the registry of the thread's database
    (threading.current_thread().dbname): Odoo's server sets it on the thread
    that runs the tests, pytest-odoo does not."""
    thread = threading.current_thread()
    case_class.startClassPatcher(
        patch.object(thread, "dbname", case_class.env.cr.dbname, create=True)
    )


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
        return internal(cls.env["support.pack.move"]).create(values)


class SupportConsumptionCommon(SupportPackCommon):
    """Tickets, a helpdesk agent who logs time, categories of every coverage."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env,
            login="hsp-agent",
            groups="helpdesk_mgmt.group_helpdesk_user,"
            "hr_timesheet.group_hr_timesheet_user",
            name="Andy Agent",
        )
        cls.agent_employee = cls.env["hr.employee"].create(
            {"name": "Andy Agent", "user_id": cls.agent.id}
        )
        cls.project = cls.env["project.project"].create(
            {"name": "Support", "allow_timesheets": True}
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Support team",
                "allow_timesheet": True,
                "default_project_id": cls.project.id,
                "user_ids": [Command.set(cls.agent.ids)],
            }
        )
        category_model = cls.env["helpdesk.ticket.category"]
        cls.cat_counted = category_model.create(
            {"name": "Usage assistance", "support_coverage": "counted"}
        )
        cls.cat_included = category_model.create(
            {"name": "Software error", "support_coverage": "included"}
        )
        cls.cat_not_covered = category_model.create(
            {"name": "Consulting", "support_coverage": "not_covered"}
        )
        cls.cat_estimate = category_model.create(
            {
                "name": "Light change",
                "support_coverage": "counted",
                "support_estimate_required": True,
            }
        )
        cls.hour_pack_product = cls._create_pack_product("TMA 5 h", "hour", 5, 450.0)
        cls.company.write(
            {
                "support_rounding_minutes": 15,
                "support_minimum_minutes": 15,
                "support_multiplier_low": 1.0,
                "support_multiplier_medium": 1.0,
                "support_multiplier_high": 1.0,
                "support_multiplier_very_high": 2.0,
                "support_cap_hours": 4.0,
            }
        )

    @classmethod
    def _ticket(cls, partner=None, priority="1", category=None, **values):
        partner = cls.contact_a1 if partner is None else partner
        return (
            cls.env["helpdesk.ticket"]
            .with_user(cls.agent)
            .create(
                dict(
                    {
                        "name": "Help",
                        "description": "<p>Help</p>",
                        "team_id": cls.team.id,
                        "project_id": cls.project.id,
                        "partner_id": partner.id,
                        "priority": priority,
                        "category_id": (category or cls.cat_counted).id,
                        "user_id": cls.agent.id,
                    },
                    **values,
                )
            )
        )

    @classmethod
    def _log(cls, ticket, minutes, date=None, **values):
        """A timesheet line logged on the ticket by the agent."""
        vals = {
            "name": "Work",
            "ticket_id": ticket.id,
            "project_id": ticket.project_id.id,
            "unit_amount": minutes / 60.0,
        }
        if date:
            vals["date"] = date
        vals.update(values)
        return cls.env["account.analytic.line"].with_user(cls.agent).create(vals)
