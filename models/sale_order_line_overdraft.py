# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.guard import internal, is_internal


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    support_overdraft_move_ids = fields.Many2many(
        "support.pack.move",
        "sale_order_line_support_overdraft_rel",
        "sale_line_id",
        "move_id",
        string="Overdraft Billed",
        readonly=True,
        copy=False,
        help="Overdraft moves this line bills: confirming the order settles them.",
    )

    def _support_check_overdraft_vals(self, vals):
        if "support_overdraft_move_ids" in vals and not is_internal(self.env):
            raise AccessError(
                self.env._(
                    "The overdraft a quotation line bills is set by the action "
                    "'Invoice overdraft' only."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._support_check_overdraft_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._support_check_overdraft_vals(vals)
        return super().write(vals)

    def _support_settle_overdraft(self):
        """Confirmed lines settle the overdraft they bill."""
        for line in self.sudo().filtered("support_overdraft_move_ids"):
            moves = line.support_overdraft_move_ids
            if moves.filtered("settled"):
                raise UserError(
                    self.env._(
                        "Part of the overdraft billed by %(order)s was settled "
                        "meanwhile (deducted, cancelled or billed on another "
                        "order): cancel this quotation and invoice the open "
                        "overdraft again.",
                        order=line.order_id.name,
                    )
                )
            internal(moves).write({"settled": True, "sale_line_id": line.id})

    def _support_reopen_overdraft(self):
        """Cancelled lines no longer settle the overdraft they billed."""
        moves = (
            self.env["support.pack.move"]
            .sudo()
            .search([("sale_line_id", "in", self.ids)])
        )
        if moves:
            internal(moves).write({"settled": False, "sale_line_id": False})
