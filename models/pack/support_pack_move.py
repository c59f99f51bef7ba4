# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ...lib.guard import internal, is_internal, public
from ...lib.units import QUANTITY_DIGITS, UNITS

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

# Sign of each move type: +1 adds to the balance, -1 takes from it, 0 either
# way (a manual adjustment). A move that cancels another one (a reversal, or
# time given back after a correction) has the opposite sign of that move.
MOVE_SIGNS = {
    "purchase": 1,
    "consumption": -1,
    "carry_over_out": -1,
    "carry_over_in": 1,
    "expiry": -1,
    "adjustment": 0,
    "overdraft": -1,
    "cancellation": -1,
}


class SupportPackMove(models.Model):
    """Append-only ledger of a support pack: the balance is the sum of its moves.

    Moves are never edited nor deleted; a correction is a new move. The
    settlement of an overdraft move (deducted from the next pack or invoiced)
    is in ``support_pack_overdraft``. Quantities are analysed with the unit as
    a dimension (``support.unit.dimension.mixin``).
    """

    _name = "support.pack.move"
    _inherit = ["support.append.only.mixin", "support.unit.dimension.mixin"]
    _description = "Support Pack Ledger Move"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "move_type"

    pack_id = fields.Many2one(
        "support.pack",
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
    unit = fields.Selection(UNITS, required=True, readonly=True)
    quantity = fields.Float(
        required=True,
        readonly=True,
        digits=(16, QUANTITY_DIGITS),
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
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
    )
    logged_hours = fields.Float(readonly=True, digits=(16, 2))
    rounded_hours = fields.Float(readonly=True, digits=(16, 2))
    # a factor: never summed in groups, never offered as a measure
    multiplier = fields.Float(readonly=True, digits=(16, 2), aggregator=None)
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
    # Settlement of an overdraft move (see ``support_pack_overdraft``)
    settled = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="An overdraft deducted from a later pack or invoiced: it no longer "
        "waits under To Invoice.",
    )
    settled_move_id = fields.Many2one(
        "support.pack.move",
        string="Settled By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The move of the pack that deducted this overdraft.",
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Invoiced On",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="The confirmed order line that bills this overdraft.",
    )
    settled_overdraft_ids = fields.One2many(
        "support.pack.move",
        "settled_move_id",
        string="Overdraft Settled",
        readonly=True,
    )
    # Analysis: what was consumed, in the move's unit (group by unit)
    quantity_consumed = fields.Float(
        string="Consumed",
        compute="_compute_quantity_consumed",
        store=True,
        precompute=True,
        digits=(16, QUANTITY_DIGITS),
        help="Quantity consumed by time logged on tickets (on a pack or in "
        "overdraft), net of corrections, in the move's unit.",
    )
    salesperson_id = fields.Many2one(
        related="pack_id.user_id",
        string="Salesperson",
        store=True,
        precompute=True,
        index=True,
    )

    _sql_constraints = [
        (
            "counterpart_unique",
            "UNIQUE(counterpart_move_id)",
            "A move is reversed or carried over only once.",
        ),
    ]

    @api.constrains("move_type", "pack_id", "quantity", "note", "counterpart_move_id")
    def _check_move(self):
        for move in self:
            move._check_move_sign()
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

    def _check_move_sign(self):
        self.ensure_one()
        quantity = round(self.quantity, QUANTITY_DIGITS)
        counterpart = self.counterpart_move_id
        if counterpart and self.move_type != "carry_over_in":
            if quantity * counterpart.quantity > 0:
                raise ValidationError(
                    self.env._("A move that cancels another one has the opposite sign.")
                )
            return
        sign = MOVE_SIGNS.get(self.move_type, 0)
        if sign and quantity * sign < 0:
            labels = dict(self._fields["move_type"]._description_selection(self.env))
            raise ValidationError(
                self.env._(
                    "A %(type)s move cannot be %(sign)s.",
                    type=labels[self.move_type],
                    sign=self.env._("negative") if sign > 0 else self.env._("positive"),
                )
            )
        if self.move_type == "adjustment" and not quantity:
            raise ValidationError(self.env._("An adjustment cannot be zero."))

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

    @api.model
    def _support_unit_measures(self):
        return ["quantity", "quantity_consumed"]

    @api.model
    def _consumption_move_types(self):
        return ("consumption", "overdraft")

    def _is_overdraft_settlement(self):
        """A pack's move that settles an overdraft (never a timesheet's)."""
        self.ensure_one()
        return (
            self.move_type == "consumption"
            and not self.timesheet_id
            and bool(self.settled_overdraft_ids)
        )

    @api.depends("quantity", "move_type", "settled_overdraft_ids")
    def _compute_quantity_consumed(self):
        """An overdraft counts as consumed when it is logged; the move of the
        pack that later settles it is not counted again."""
        consumption_types = self._consumption_move_types()
        for move in self:
            move.quantity_consumed = (
                -move.quantity
                if move.move_type in consumption_types
                and not move._is_overdraft_settlement()
                else 0.0
            )

    @api.model_create_multi
    def create(self, vals_list):
        """Moves are recorded only by the addon's flows (sale, posting, expiry,
        adjustment wizard, cancellation), after their own checks: no group has
        the right to create them, and the recorder is the acting user."""
        if not is_internal(self.env):
            raise AccessError(
                self.env._(
                    "Ledger moves are recorded by the support pack flows only: "
                    "sales orders, timesheets, expiry, and the manual adjustment "
                    "of a pack (with a reason)."
                )
            )
        for vals in vals_list:
            vals["user_id"] = self.env.uid
        pack_model = internal(self.env["support.pack"])
        known = pack_model.browse(
            {vals["pack_id"] for vals in vals_list if vals.get("pack_id")}
        )._support_get_known_quantities()
        moves = super().create(vals_list)
        pack_model._support_add_to_quantities(known, moves)
        internal(moves.pack_id)._refresh_consumption_state()
        public(moves.pack_id)._support_check_low_balance(public(moves))
        return moves

    @api.model
    def _prepare_values(
        self, pack, partner, company, unit, move_type, quantity, **values
    ):
        """Values of a move: ``quantity`` signed, in ``unit``, on ``pack`` (empty
        for an overdraft), dated today unless ``values`` give a date; the other
        ``values`` (ticket, timesheet line, time, note...) as given. Every move
        of the ledger is built here: purchases, postings, expiry, carry-over,
        adjustments, settlements and reversals."""
        return dict(
            {
                "pack_id": pack.id,
                "partner_id": partner.id,
                "company_id": company.id,
                "unit": unit,
                "move_type": move_type,
                "quantity": quantity,
                "date": values.get("date") or fields.Date.context_today(self),
            },
            **values,
        )

    def _prepare_reversal_values(self, note=None):
        """Values of the move that cancels this one (same pack, opposite sign;
        another pack or the customer's credit when this one's pack is closed;
        for an overdraft that a pack deducted, that pack)."""
        self.ensure_one()
        values = self._prepare_values(
            self.pack_id,
            self.partner_id,
            self.company_id,
            self.unit,
            self.move_type,
            -self.quantity,
            date=self.date,
            timesheet_id=self.timesheet_id.id,
            ticket_id=self.ticket_id.id,
            logged_hours=-self.logged_hours,
            rounded_hours=-self.rounded_hours,
            multiplier=self.multiplier,
            counterpart_move_id=self.id,
            note=note or self.env._("Reversal"),
        )
        if self.pack_id and self.pack_id.state in self._closed_pack_states():
            values.update(self._prepare_closed_pack_reversal_values(note))
        elif self.move_type == "overdraft":
            values.update(self._prepare_settled_overdraft_reversal_values(note))
        return values

    def _create_reversals(self, note=None):
        """The moves that cancel these ones (their packs are locked by the
        caller); an open overdraft and its reversal settle each other."""
        reversals = internal(self.env["support.pack.move"]).create(
            [move._prepare_reversal_values(note) for move in self]
        )
        reversals._support_settle_reversed_overdraft()
        return reversals

    @api.model
    def _closed_pack_states(self):
        return ("expired", "cancelled")

    def _get_closed_pack_successor(self):
        """Where the balance of this move's closed pack went: the pack its
        balance was carried over to (followed while closed), else the
        customer's pack valid today that expires first (empty: none)."""
        self.ensure_one()
        pack_model = self.env["support.pack"].sudo()
        pack, seen = self.pack_id, set()
        while pack and pack.state in self._closed_pack_states() and pack.id not in seen:
            seen.add(pack.id)
            pack = (
                self.sudo()
                .search(
                    [
                        ("move_type", "=", "carry_over_in"),
                        ("counterpart_move_id.pack_id", "=", pack.id),
                    ],
                    order="id desc",
                    limit=1,
                )
                .pack_id
            )
        if pack and pack.state in ("active", "exhausted"):
            return pack
        today = fields.Date.context_today(self)
        return pack_model.search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("unit", "=", self.unit),
                ("state", "in", ("active", "exhausted")),
                ("date_start", "<=", today),
                ("date_end", ">=", today),
            ],
            order="date_end, id",
            limit=1,
        )

    def _prepare_closed_pack_reversal_values(self, note=None):
        """Undoing time consumed on a pack that is now closed never revives it
        (its statements were sent): the credits go where its balance went, or
        to the customer's credit, dated the day of the correction."""
        self.ensure_one()
        target = self._get_closed_pack_successor()
        reason = note or self.env._("Reversal")
        if target:
            text = self.env._(
                "%(reason)s: %(closed)s is closed, given back on %(pack)s",
                reason=reason,
                closed=self.pack_id.name,
                pack=target.name,
            )
        else:
            text = self.env._(
                "%(reason)s: %(closed)s is closed, credited to the customer",
                reason=reason,
                closed=self.pack_id.name,
            )
        return {
            "pack_id": target.id,
            "move_type": self.move_type if target else "overdraft",
            "date": fields.Date.context_today(self),
            "note": text,
        }

    @api.model
    def _support_flow_fields(self):
        """Fields the addon's own flows (under their private mark, after their
        checks) may still write on a recorded move: none of its figures, only
        the settlement of an overdraft."""
        return ["settled", "settled_move_id", "sale_line_id"]

    def _support_append_only_write_allowed(self, vals):
        return is_internal(self.env) and set(vals) <= set(self._support_flow_fields())

    def _support_append_only_message(self, operation):
        if operation == "write":
            return self.env._(
                "The support pack ledger is append-only: a move cannot be "
                "modified. Record a new adjustment move instead."
            )
        return self.env._(
            "The support pack ledger is append-only: a move cannot be "
            "deleted. Record a new adjustment move instead."
        )
