# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        for invoice in self.filtered(lambda m: m.move_type == "out_invoice"):
            packs = (
                invoice.invoice_line_ids.sale_line_ids.sudo().support_pack_ids.filtered(
                    lambda p: p.state == "pending" and p.activation == "payment"
                )
            )
            if not packs:
                continue
            payment_dates = invoice._get_reconciled_amls().mapped("date")
            date_start = (
                max(payment_dates) if payment_dates else fields.Date.context_today(self)
            )
            packs._action_activate(date_start)
            for pack in packs:
                pack.message_post(
                    body=self.env._("Pack activated: invoice %s paid.", invoice.name)
                )
        return res
