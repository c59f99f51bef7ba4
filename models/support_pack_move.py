# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

MOVE_TYPES = [
    ("purchase", "Purchase"),
    ("consumption", "Consumption"),
    ("carry_over_out", "Carry-over out"),
    ("carry_over_in", "Carry-over in"),
    ("expiry", "Expiry"),
    ("adjustment", "Adjustment"),
    ("overdraft", "Overdraft"),
    ("cancellation", "Cancellation"),
]


class SupportPackMove(models.Model):
    """Append-only ledger of a support pack: the balance is the sum of its moves.

    Moves are never edited nor deleted; a correction is a new move.
    """

    _name = "support.pack.move"
    _description = "Support Pack Ledger Move"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "move_type"

    pack_id = fields.Many2one(
        "support.pack",
        string="Pack",
        index=True,
        ondelete="restrict",
        readonly=True,
        check_company=True,
        help="Empty on an overdraft: time consumed with no pack left.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    date = fields.Date(
        required=True, readonly=True, default=fields.Date.context_today, index=True
    )
    move_type = fields.Selection(
        MOVE_TYPES, string="Type", required=True, readonly=True, index=True
    )
    unit = fields.Selection(
        [("hour", "Hours"), ("credit", "Credits")], required=True, readonly=True
    )
    quantity = fields.Float(
        required=True,
        readonly=True,
        digits=(16, 2),
        help="Signed, in the pack's unit: positive adds to the balance.",
    )
    timesheet_id = fields.Many2one(
        "account.analytic.line",
        string="Timesheet Line",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Ticket",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    logged_hours = fields.Float(readonly=True, digits=(16, 2))
    rounded_hours = fields.Float(readonly=True, digits=(16, 2))
    multiplier = fields.Float(readonly=True, digits=(16, 2))
    note = fields.Text(readonly=True)
    counterpart_move_id = fields.Many2one(
        "support.pack.move",
        string="Counterpart",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The other side of a carry-over, or the move a reversal cancels.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded by",
        readonly=True,
        default=lambda self: self.env.user,
    )

    @api.constrains("move_type", "pack_id", "quantity", "note")
    def _check_move(self):
        for move in self:
            if move.move_type == "overdraft" and move.pack_id:
                raise ValidationError(
                    self.env._("An overdraft move belongs to no pack.")
                )
            if move.move_type != "overdraft" and not move.pack_id:
                raise ValidationError(
                    self.env._("Only an overdraft move may have no pack.")
                )
            if move.move_type == "adjustment" and not (move.note or "").strip():
                raise ValidationError(self.env._("A manual adjustment needs a reason."))
            if move.pack_id and move.pack_id.partner_id != move.partner_id:
                raise ValidationError(
                    self.env._("A move belongs to the customer of its pack.")
                )
            if move.pack_id and move.pack_id.unit != move.unit:
                raise ValidationError(
                    self.env._("A move is counted in the unit of its pack.")
                )

    @api.depends("pack_id", "move_type", "date")
    def _compute_display_name(self):
        labels = dict(self._fields["move_type"]._description_selection(self.env))
        for move in self:
            move.display_name = " - ".join(
                filter(
                    None,
                    [move.pack_id.name, labels.get(move.move_type), str(move.date)],
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves.pack_id._refresh_consumption_state()
        return moves

    def _prepare_reversal_values(self, note=None):
        """Values of the move that cancels this one (same pack, opposite sign)."""
        self.ensure_one()
        return {
            "pack_id": self.pack_id.id,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "unit": self.unit,
            "move_type": self.move_type,
            "quantity": -self.quantity,
            "date": self.date,
            "timesheet_id": self.timesheet_id.id,
            "ticket_id": self.ticket_id.id,
            "logged_hours": -self.logged_hours,
            "rounded_hours": -self.rounded_hours,
            "multiplier": self.multiplier,
            "counterpart_move_id": self.id,
            "note": note or self.env._("Reversal"),
        }

    def write(self, vals):
        self.check_access("write")
        raise UserError(
            self.env._(
                "The support pack ledger is append-only: a move cannot be "
                "modified. Record a new adjustment move instead."
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "The support pack ledger is append-only: a move cannot be "
                "deleted. Record a new adjustment move instead."
            )
        )
