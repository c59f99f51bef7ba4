# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, float_is_zero

from ..lib.guard import internal
from ..lib.units import QUANTITY_DIGITS


class SupportPackAdjust(models.TransientModel):
    _name = "support.pack.adjust"
    _description = "Support Pack Manual Adjustment"

    pack_id = fields.Many2one("support.pack", required=True)
    unit = fields.Selection(related="pack_id.unit")
    quantity_remaining = fields.Float(related="pack_id.quantity_remaining")
    quantity = fields.Float(
        string="Adjustment",
        digits=(16, QUANTITY_DIGITS),
        help="Signed quantity in the pack's unit: positive adds to the balance, "
        "negative removes from it.",
    )
    reason = fields.Text(help="Why the balance changes: kept on the ledger move.")

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group(
            "helpdesk_support_pack.group_support_pack_manager"
        ):
            raise AccessError(
                self.env._("Only support pack managers can adjust a balance.")
            )
        pack = self.pack_id
        if not (self.reason or "").strip():
            raise ValidationError(self.env._("An adjustment needs a reason."))
        if float_is_zero(self.quantity, precision_digits=QUANTITY_DIGITS):
            raise ValidationError(self.env._("An adjustment cannot be zero."))
        if pack.state in ("cancelled", "expired"):
            raise UserError(
                self.env._(
                    "The pack %s is closed: adjust the customer's current pack.",
                    pack.name,
                )
            )
        if (
            float_compare(
                pack.quantity_remaining + self.quantity,
                0.0,
                precision_digits=QUANTITY_DIGITS,
            )
            < 0
        ):
            raise ValidationError(
                self.env._(
                    "Only %(remaining)s left on the pack %(pack)s: it cannot "
                    "go below zero.",
                    remaining=pack._format_quantity_backoffice(
                        pack.quantity_remaining, pack.unit
                    ),
                    pack=pack.name,
                )
            )
        internal(self.env["support.pack.move"]).create(
            pack._prepare_move_values(
                "adjustment", self.quantity, note=self.reason.strip()
            )
        )
        pack.message_post(
            body=self.env._(
                "Manual adjustment of %(qty)s: %(reason)s",
                qty=pack._format_quantity_backoffice(
                    self.quantity, pack.unit, signed=True
                ),
                reason=self.reason.strip(),
            )
        )
        return {"type": "ir.actions.act_window_close"}
