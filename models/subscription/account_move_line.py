# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountMoveLine(models.Model):
    """The period a subscription's invoice line bills (set by the contract
    line that invoices it), and the pack its posting issued."""

    _inherit = "account.move.line"

    support_period_start = fields.Date(readonly=True, copy=False)
    support_period_end = fields.Date(readonly=True, copy=False)
    support_pack_ids = fields.One2many(
        "support.pack", "invoice_line_id", string="Support Packs", readonly=True
    )

    def _support_prepare_pack_values(self):
        """The pack of the period this posted line bills."""
        self.ensure_one()
        product = self.product_id
        contract = self.contract_line_id.contract_id
        return {
            "partner_id": self.move_id.commercial_partner_id.id,
            "company_id": self.move_id.company_id.id,
            "product_id": product.id,
            "contract_line_id": self.contract_line_id.id,
            "invoice_line_id": self.id,
            "user_id": (contract.user_id or self.move_id.invoice_user_id).id,
            "unit": product.support_pack_unit,
            "validity_months": 0,
            "activation": product.support_pack_activation,
            "carry_over": product.support_pack_carry_over,
            "carry_over_cap": product.support_pack_carry_over_cap,
            "date_start": self.support_period_start,
            "date_end": self.support_period_end,
            "state": "pending",
        }
