# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from odoo.addons.contract.models.contract_line import _MONTHS_PER_RULE


class ContractLine(models.Model):
    """A maintenance by percentage (IPM) on its contract: before each invoice
    its price is set to the yearly rate times the sale value of the covered
    configuration items, for the length of the period. An item sold later
    counts from the next period on; an issued invoice never changes."""

    _inherit = "contract.line"

    support_maintenance_rate = fields.Float(
        string="Maintenance Rate (%)",
        compute="_compute_support_maintenance_rate",
        store=True,
        readonly=False,
        digits=(5, 2),
        help="Yearly percentage of the sale value of the covered configuration "
        "items, kept from the sale (later changes of the product's rates never "
        "change it).",
    )

    @api.depends("product_id")
    def _compute_support_maintenance_rate(self):
        for line in self:
            product = line.product_id.product_tmpl_id
            line.support_maintenance_rate = (
                product._support_maintenance_rate(line.date_start, line.date_end)
                if product.support_maintenance_ok
                else 0.0
            )

    def _prepare_invoice_line(self):
        if self.product_id.support_maintenance_ok:
            self._support_maintenance_update_price()
        return super()._prepare_invoice_line()

    def _support_maintenance_period_amount(self, period_start):
        """The price of the period starting on ``period_start``: yearly rate
        x sale value of the items covered on that day x months / 12."""
        self.ensure_one()
        order = self.sale_order_line_id.sudo().order_id
        items = self.env["support.configuration.item"]._support_maintained_items(
            self.contract_id.partner_id,
            self.contract_id.company_id,
            order,
            period_start,
        )
        return self._support_maintenance_amount(
            items.sale_line_id,
            self.support_maintenance_rate,
            self.recurring_rule_type,
            self.recurring_interval,
            self.contract_id.currency_id,
        )

    @api.model
    def _support_maintenance_amount(
        self, sale_lines, rate, rule_type, interval, currency
    ):
        """Yearly ``rate`` (percent) x the sale value of the covered items:
        the subtotals of ``sale_lines`` (the lines that sold them, after
        discount, before tax), for a period of ``interval`` x ``rule_type``."""
        value = sum(sale_lines.mapped("price_subtotal"))
        months = _MONTHS_PER_RULE.get(rule_type, 1.0) * (interval or 1)
        return currency.round(value * rate / 100.0 * months / 12.0)

    def _support_maintenance_update_price(self):
        """Set the price of the period about to be invoiced."""
        self.ensure_one()
        period_start = self._get_period_to_invoice(
            self.last_date_invoiced, self.recurring_next_date
        )[0]
        if not period_start:
            return
        amount = self._support_maintenance_period_amount(period_start)
        if self.automatic_price or self.currency_id.compare_amounts(
            amount, self.price_unit
        ):
            self.write({"automatic_price": False, "specific_price": amount})
