# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class SaleOrderLine(models.Model):
    """A maintenance sold by percentage (IPM): its yearly rate follows the
    duration of the contract the line sells (product_contract's start and end
    dates), and its contract line keeps that rate."""

    _inherit = "sale.order.line"

    support_maintenance_rate = fields.Float(
        string="Maintenance Rate (%)",
        compute="_compute_support_maintenance_rate",
        digits=(5, 2),
        help="Yearly percentage of the sale value of the covered configuration "
        "items, from the product's rates for the duration of this contract.",
    )

    @api.depends("product_id", "date_start", "date_end")
    def _compute_support_maintenance_rate(self):
        for line in self:
            product = line.product_id.product_tmpl_id
            line.support_maintenance_rate = (
                product._support_maintenance_rate(line.date_start, line.date_end)
                if product.support_maintenance_ok
                else 0.0
            )

    def _support_maintained_sale_lines(self):
        """The sale lines of the configuration items this maintenance line
        covers at its confirmation: the customer's sold items, and the lines of
        its own order that become items at confirmation."""
        self.ensure_one()
        items = self.env["support.configuration.item"]._support_maintained_items(
            self.order_id.partner_id, self.company_id, self.order_id
        )
        return items.sale_line_id | self.order_id.order_line.filtered(
            lambda line: line.product_id.support_configuration_item_type
        )

    def _support_configuration_item_create(self):
        """Each unit sold of a product that is a configuration item becomes an
        item of the customer, linked to its line (once). The addon's own flow
        at confirmation: written as superuser, for a salesperson confirms."""
        lines = self.filtered(
            lambda line: line.product_id.support_configuration_item_type
            and line.product_uom_qty > 0
        )
        if not lines:
            return self.env["support.configuration.item"]
        Item = self.env["support.configuration.item"].sudo()
        recorded = Item.with_context(active_test=False).search(
            [("sale_line_id", "in", lines.ids)]
        )
        vals_list = []
        for line in lines - recorded.sale_line_id:
            count = max(int(line.product_uom_qty), 1)
            for index in range(count):
                name = line.product_id.name
                vals_list.append(
                    {
                        "name": f"{name} #{index + 1}" if count > 1 else name,
                        "partner_id": line.order_id.partner_id.id,
                        "company_id": line.company_id.id,
                        "item_type": line.product_id.support_configuration_item_type,
                        "product_id": line.product_id.id,
                        "sale_line_id": line.id,
                    }
                )
        return Item.create(vals_list)

    def _prepare_contract_line_values(
        self, contract, predecessor_contract_line_id=False
    ):
        values = super()._prepare_contract_line_values(
            contract, predecessor_contract_line_id=predecessor_contract_line_id
        )
        if self.product_id.support_maintenance_ok:
            # The first period's price, from the items covered at confirmation;
            # each invoice sets it again for its own period.
            values["support_maintenance_rate"] = self.support_maintenance_rate
            values["price_unit"] = self.env[
                "contract.line"
            ]._support_maintenance_amount(
                self._support_maintained_sale_lines(),
                self.support_maintenance_rate,
                self.recurring_rule_type,
                self.recurring_interval,
                self.order_id.currency_id,
            )
        return values
