# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_support_invoice_overdraft(self):
        """Draft quotation(s) with the overage product for the open overdraft
        of these customers (one per customer and company)."""
        move_model = self.env["support.pack.move"]
        moves = move_model.search(
            move_model._support_open_overdraft_domain(self.commercial_partner_id)
        )
        if not moves:
            raise UserError(self.env._("This customer has no open overdraft."))
        return moves.action_support_invoice_overdraft()
