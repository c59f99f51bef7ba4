# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_create_contract(self):
        """A maintenance by percentage must cover at least one configuration
        item of the customer: checked before product_contract creates any
        contract, so a refusal writes nothing."""
        self._support_check_maintained_items()
        return super().action_create_contract()

    def _support_check_maintained_items(self):
        for line in self.order_line.filtered(
            lambda line: line.product_id.support_maintenance_ok and not line.contract_id
        ):
            if line.product_uom_qty != 1.0:
                raise UserError(
                    self.env._(
                        "Sell maintenance %(product)s on %(order)s with a quantity "
                        "of 1: its price follows the configuration items it covers.",
                        product=line.product_id.display_name,
                        order=line.order_id.name,
                    )
                )
            if not line._support_maintained_sale_lines():
                raise UserError(
                    self.env._(
                        "Maintenance %(product)s on %(order)s covers no "
                        "configuration item of %(customer)s: sell the items on "
                        "this quotation, or link the customer's items to the sale "
                        "order lines that sold them (field Sold On).",
                        product=line.product_id.display_name,
                        order=line.order_id.name,
                        customer=line.order_id.partner_id.commercial_partner_id.display_name,
                    )
                )
