# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_is_zero

from ...lib.formatting import format_duration, format_number
from ...lib.guard import internal, is_internal
from ...lib.units import QUANTITY_DIGITS, UNITS


class SupportPack(models.Model):
    """A prepaid support pack: identity, validity, balance, state machine
    (pending, active, exhausted, expired, cancelled) and its ledger as the
    customer reads it (rows with the balance after each move, portal).

    The pack's other jobs stand in the files of this folder named after them,
    each adding its own methods (none overrides another file's):
    ``support_pack_locking`` (reading and locking packs for a posting),
    ``support_pack_renewal`` (expiry, carry-over, reminders, low balance
    warning, renewal quotation), ``support_pack_overdraft`` (the customer's
    open overdraft deducted from a new pack). The statement's values are
    built by its report (``report/support_pack_statement_report.py``)."""

    _name = "support.pack"
    _description = "Support Pack"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "support.protected.mixin",
        "support.unit.dimension.mixin",
    ]
    _order = "date_end, id"
    _check_company_auto = True
    # Whoever reads a pack may post on it (a salesperson logs a note); only
    # internal users, see _get_mail_message_access.
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        help="Commercial partner (company) that owns the pack: all its contacts "
        "consume it.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        readonly=True,
        ondelete="restrict",
        domain=[
            "|",
            ("support_pack_ok", "=", True),
            ("support_subscription_ok", "=", True),
        ],
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sale Order Line",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )
    sale_order_id = fields.Many2one(
        related="sale_line_id.order_id", string="Sale Order", store=True, index=True
    )
    # A subscription's period (models/subscription/): issued by the posted
    # invoice line of that period, valid for exactly the period.
    contract_line_id = fields.Many2one(
        "contract.line",
        string="Subscription",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        copy=False,
        help="The subscription line whose period this pack is the allowance of.",
    )
    invoice_line_id = fields.Many2one(
        "account.move.line",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        help="The period's invoice line: its payment activates the pack.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        tracking=True,
    )
    unit = fields.Selection(
        UNITS,
        required=True,
        readonly=True,
    )
    validity_months = fields.Integer(string="Validity (months)", readonly=True)
    activation = fields.Selection(
        [("order", "On order confirmation"), ("payment", "On invoice payment")],
        required=True,
        readonly=True,
        default="order",
    )
    carry_over = fields.Selection(
        [("renewal", "On renewal"), ("never", "Never")],
        string="Carry-over",
        required=True,
        readonly=True,
        default="renewal",
    )
    carry_over_cap = fields.Integer(
        string="Carry-over Cap (%)",
        readonly=True,
        help="At expiry, at most this share of the quantity purchased with the "
        "pack is carried over to the renewal pack; the rest expires. 0: no cap.",
    )
    date_start = fields.Date(string="Valid From", readonly=True, tracking=True)
    date_end = fields.Date(
        string="Valid Until",
        readonly=True,
        index=True,
        tracking=True,
        help="Last day on which the pack can be consumed.",
    )
    state = fields.Selection(
        [
            ("pending", "Pending payment"),
            ("active", "Active"),
            ("exhausted", "Exhausted"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        readonly=True,
        default="pending",
        index=True,
        tracking=True,
        copy=False,
        # the kanban shows a column per state, even an empty one
        group_expand="_group_expand_states",
    )
    move_ids = fields.One2many("support.pack.move", "pack_id", string="Ledger")
    quantity_granted = fields.Float(
        string="Granted",
        compute="_compute_quantities",
        store=True,
        digits=(16, QUANTITY_DIGITS),
        help="Purchased, carried over from an expired pack, or adjusted.",
    )
    quantity_consumed = fields.Float(
        string="Consumed",
        compute="_compute_quantities",
        store=True,
        digits=(16, QUANTITY_DIGITS),
    )
    quantity_remaining = fields.Float(
        string="Remaining",
        compute="_compute_quantities",
        store=True,
        digits=(16, QUANTITY_DIGITS),
        help="Sum of every move of the ledger.",
    )
    # The quantities as people read them in the back office: hours as a
    # duration ("03:00 h"), credits as a number ("12 credits").
    quantity_granted_text = fields.Char(
        string="Granted (with unit)", compute="_compute_quantity_texts"
    )
    quantity_consumed_text = fields.Char(
        string="Consumed (with unit)", compute="_compute_quantity_texts"
    )
    quantity_remaining_text = fields.Char(
        string="Remaining (with unit)", compute="_compute_quantity_texts"
    )
    consumed_percent = fields.Float(
        string="Consumed (%)", compute="_compute_consumed_percent"
    )
    move_count = fields.Integer(compute="_compute_move_count")
    support_posting_pending = fields.Boolean(
        string="Posting Pending",
        compute="_compute_support_posting_pending",
        help="A posting of the customer's is queued (another one was being "
        "recorded on its packs at that moment): the balance will change in a "
        "moment.",
    )
    low_balance_notified = fields.Boolean(
        readonly=True,
        copy=False,
        help="The low balance warning was sent. It is sent again only after the "
        "balance went back above the threshold thanks to a purchase, an "
        "adjustment or a carry-over.",
    )
    expiry_notified = fields.Boolean(
        string="Expiry Reminder Sent",
        readonly=True,
        copy=False,
    )

    _sql_constraints = [
        (
            "date_check",
            "CHECK(date_end IS NULL OR date_start IS NULL OR date_end >= date_start)",
            "A pack cannot end before it starts.",
        ),
    ]

    @api.depends("sale_line_id.order_id.user_id")
    def _compute_user_id(self):
        for pack in self:
            pack.user_id = pack.sale_line_id.order_id.user_id or pack.user_id

    @api.model
    def _support_unit_measures(self):
        return ["quantity_granted", "quantity_consumed", "quantity_remaining"]

    @api.model
    def _granted_move_types(self):
        return ["purchase", "carry_over_in", "adjustment"]

    @api.model
    def _consumed_move_types(self):
        return ["consumption"]

    @api.depends("move_ids.quantity", "move_ids.move_type")
    def _compute_quantities(self):
        totals = {}
        if self.ids:
            groups = self.env["support.pack.move"]._read_group(
                [("pack_id", "in", self.ids)],
                ["pack_id", "move_type"],
                ["quantity:sum"],
            )
            for pack, move_type, quantity in groups:
                totals.setdefault(pack.id, {})[move_type] = quantity
        granted_types = self._granted_move_types()
        consumed_types = self._consumed_move_types()
        for pack in self:
            by_type = totals.get(pack._origin.id or pack.id, {})
            pack.quantity_granted = sum(by_type.get(t, 0.0) for t in granted_types)
            pack.quantity_consumed = -sum(by_type.get(t, 0.0) for t in consumed_types)
            pack.quantity_remaining = sum(by_type.values())

    def _support_quantity_fields(self):
        return [self._fields[name] for name in self._support_unit_measures()]

    def _support_get_known_quantities(self):
        """{pack: (granted, consumed, remaining)} of the packs of ``self`` whose
        balance is in the cache and up to date (e.g. read by the posting's
        lock): new moves may add to it."""
        quantity_fields = self._support_quantity_fields()
        return {
            pack: tuple(self.env.cache.get(pack, field) for field in quantity_fields)
            for pack in self
            if all(
                self.env.cache.contains(pack, field)
                and not self.env.is_to_compute(field, pack)
                for field in quantity_fields
            )
        }

    @api.model
    def _support_add_to_quantities(self, previous, moves):
        """The balance of the packs of ``previous`` (known before ``moves``
        were created, :meth:`_support_get_known_quantities`) plus ``moves``,
        instead of :meth:`_compute_quantities`'s sum of the whole ledger: the
        same figures, the ledger being append-only. Packs recomputed meanwhile
        are left as they are."""
        quantity_fields = self._support_quantity_fields()
        packs = self.browse(
            pack.id
            for pack in previous
            if all(self.env.is_to_compute(field, pack) for field in quantity_fields)
        )
        if not packs:
            return
        granted_types = self._granted_move_types()
        consumed_types = self._consumed_move_types()
        for field in quantity_fields:
            self.env.remove_to_compute(field, packs)
        with self.env.protecting(quantity_fields, packs):
            for pack in packs:
                granted, consumed, remaining = previous[pack]
                for move in moves.filtered(lambda m, pack=pack: m.pack_id == pack):
                    if move.move_type in granted_types:
                        granted += move.quantity
                    if move.move_type in consumed_types:
                        consumed -= move.quantity
                    remaining += move.quantity
                pack.quantity_granted = granted
                pack.quantity_consumed = consumed
                pack.quantity_remaining = remaining

    @api.depends("unit", "quantity_granted", "quantity_consumed", "quantity_remaining")
    @api.depends_context("lang")
    def _compute_quantity_texts(self):
        for pack in self:
            pack.quantity_granted_text = pack._format_quantity_backoffice(
                pack.quantity_granted, pack.unit
            )
            pack.quantity_consumed_text = pack._format_quantity_backoffice(
                pack.quantity_consumed, pack.unit
            )
            pack.quantity_remaining_text = pack._format_quantity_backoffice(
                pack.quantity_remaining, pack.unit
            )

    @api.depends("quantity_granted", "quantity_consumed")
    def _compute_consumed_percent(self):
        for pack in self:
            pack.consumed_percent = (
                100.0 * pack.quantity_consumed / pack.quantity_granted
                if pack.quantity_granted > 0
                else 0.0
            )

    def _compute_move_count(self):
        counts = dict(
            self.env["support.pack.move"]._read_group(
                [("pack_id", "in", self.ids)], ["pack_id"], ["__count"]
            )
        )
        for pack in self:
            pack.move_count = counts.get(pack, 0)

    @api.depends("partner_id")
    def _compute_support_posting_pending(self):
        pending = self.env["support.posting.queue"]._support_get_pending_partner_ids(
            self.partner_id
        )
        for pack in self:
            pack.support_posting_pending = pack.partner_id.id in pending

    @api.model
    def _group_expand_states(self, states, domain):
        """Every state but cancelled (unless a cancelled pack is shown)."""
        return [
            key
            for key, __ in self._fields["state"].selection
            if key != "cancelled" or key in states
        ]

    @api.model
    def _support_protected_fields(self):
        """Identity, validity, state and balance: set by the sale, activation,
        expiry and cancellation flows, and by the ledger's moves; the warnings'
        flags, set by the warnings themselves."""
        return super()._support_protected_fields() + [
            "name",
            "partner_id",
            "company_id",
            "product_id",
            "sale_line_id",
            "contract_line_id",
            "invoice_line_id",
            "unit",
            "validity_months",
            "activation",
            "carry_over",
            "carry_over_cap",
            "date_start",
            "date_end",
            "state",
            "move_ids",
            "quantity_granted",
            "quantity_consumed",
            "quantity_remaining",
            "low_balance_notified",
            "expiry_notified",
            "next_period_issued",
        ]

    @api.model_create_multi
    def create(self, vals_list):
        if not is_internal(self.env):
            raise AccessError(
                self.env._(
                    "Support packs are created by confirming a quotation with a "
                    "support pack product."
                )
            )
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("support.pack") or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        self._support_check_protected(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_moves(self):
        if self.move_ids:
            raise UserError(
                self.env._(
                    "A support pack with a ledger cannot be deleted: cancel it instead."
                )
            )

    @api.model
    def _get_mail_message_access(self, res_ids, operation, model_name=None):
        """Internal users who read a pack may post on it (a salesperson logs a
        note without editing the pack); a portal user, who reads the packs of
        their company, still needs the right to write them, which they never
        have."""
        check_operation = super()._get_mail_message_access(
            res_ids, operation, model_name=model_name
        )
        if (
            operation == "create"
            and check_operation == "read"
            and not self.env.su
            and not self.env.user._is_internal()
        ):
            return "write"
        return check_operation

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_moves(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_pack_move_action"
        )
        action["domain"] = [("pack_id", "=", self.id)]
        action["context"] = {"default_pack_id": self.id, "search_default_pack": 0}
        return action

    def action_open_adjust(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_pack_adjust_action"
        )
        action["context"] = {"default_pack_id": self.id}
        return action

    def action_print_statement(self):
        """Statement wizard: the ledger of the pack over a period."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_pack_statement_action"
        )
        action["context"] = {
            "default_partner_id": self[:1].partner_id.id,
            "default_pack_ids": self.ids,
        }
        return action

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Statement - %s", self.name)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_date_end(self, date_start):
        """Last day of validity (included): "12 months from its activation" on
        2026-04-02 ends on 2027-04-01."""
        self.ensure_one()
        return date_start + relativedelta(months=self.validity_months, days=-1)

    def _action_activate(self, date_start=None):
        """Activate pending packs from ``date_start`` (today by default). The
        pack of a subscription's period keeps the period's dates."""
        date_start = date_start or fields.Date.context_today(self)
        activated = internal(self).filtered(lambda p: p.state == "pending")
        for pack in activated:
            if pack.contract_line_id and pack.date_start and pack.date_end:
                pack.write({"state": "active"})
                continue
            pack.write(
                {
                    "state": "active",
                    "date_start": date_start,
                    "date_end": pack._get_date_end(date_start),
                }
            )
        self._refresh_consumption_state()
        # the customer's open overdraft, deducted from the new pack (setting)
        activated._support_settle_overdraft()
        return True

    def _refresh_consumption_state(self):
        """Switch active packs with nothing left to exhausted, and back."""
        for pack in internal(self).filtered(
            lambda p: p.state in ("active", "exhausted")
        ):
            empty = (
                float_compare(
                    pack.quantity_remaining, 0.0, precision_digits=QUANTITY_DIGITS
                )
                <= 0
            )
            new_state = "exhausted" if empty else "active"
            if pack.state != new_state:
                pack.state = new_state

    def _prepare_move_values(self, move_type, quantity, **values):
        """A move of this pack (see ``support.pack.move._prepare_values``)."""
        self.ensure_one()
        return self.env["support.pack.move"]._prepare_values(
            self,
            self.partner_id,
            self.company_id,
            self.unit,
            move_type,
            quantity,
            **values,
        )

    @api.model
    def _prepare_overdraft_move_values(
        self, partner, company, unit, quantity, **values
    ):
        """An overdraft move: time consumed by ``partner`` with no pack left."""
        return self.env["support.pack.move"]._prepare_values(
            self.browse(), partner, company, unit, "overdraft", quantity, **values
        )

    def _check_cancellable(self):
        blocked = self.filtered(
            lambda p: p.state != "cancelled"
            and (
                not float_is_zero(p.quantity_consumed, precision_digits=QUANTITY_DIGITS)
                or "carry_over_in" in p.move_ids.mapped("move_type")
            )
        )
        if blocked:
            raise UserError(
                self.env._(
                    "These support packs were already consumed (or received "
                    "credits carried over from an expired pack) and cannot be "
                    "cancelled: %(packs)s. Record a credit note and a manual "
                    "adjustment instead.",
                    packs=", ".join(
                        self.env._(
                            "%(pack)s (%(qty)s consumed)",
                            pack=p.name,
                            qty=self._format_quantity(p.quantity_consumed, p.unit),
                        )
                        for p in blocked
                    ),
                )
            )

    def _action_cancel(self, note=None):
        """Cancel the packs (none consumed): their balance leaves by a
        cancellation move noted ``note`` (default: the order's cancellation)."""
        packs = self.filtered(lambda p: p.state != "cancelled")
        packs._check_cancellable()
        moves = []
        for pack in packs:
            if not float_is_zero(
                pack.quantity_remaining, precision_digits=QUANTITY_DIGITS
            ):
                moves.append(
                    pack._prepare_move_values(
                        "cancellation",
                        -pack.quantity_remaining,
                        note=note or self.env._("Sale order cancelled"),
                    )
                )
        internal(self.env["support.pack.move"]).create(moves)
        internal(packs).write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # Ledger as the customer reads it (statement, portal)
    # ------------------------------------------------------------------
    def _get_ledger_rows(self, moves, balance=0.0):
        """The rows of ``moves`` (this pack's, oldest first), each with
        the balance after it, starting from ``balance``: the rows of the
        statement and of the portal's ledger. Returns (rows, closing balance).
        Reads nothing but the moves."""
        self.ensure_one()
        labels = dict(
            self.env["support.pack.move"]
            ._fields["move_type"]
            ._description_selection(self.env)
        )
        rows = []
        for move in moves:
            balance += move.quantity
            rows.append(
                {
                    "move": move,
                    "date": move.date,
                    "type": labels.get(move.move_type, move.move_type),
                    "ticket": move.ticket_id,
                    "logged": format_duration(move.logged_hours)
                    if move.logged_hours
                    else "",
                    "rounded": format_duration(move.rounded_hours)
                    if move.rounded_hours
                    else "",
                    "multiplier": "×" + format_number(self.env, move.multiplier)
                    if move.multiplier
                    else "",
                    "quantity": round(move.quantity, QUANTITY_DIGITS),
                    "quantity_text": self._format_quantity(move.quantity, self.unit),
                    "balance": round(balance, QUANTITY_DIGITS),
                    "balance_text": self._format_quantity(balance, self.unit),
                }
            )
        return rows, balance

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------
    @api.model
    def _get_portal_balance_summary(self, partner):
        """Remaining balance of the live packs of a customer, per unit:
        '12 credits, 3.5 h' (empty when the customer has no live pack)."""
        groups = self._read_group(
            [
                ("partner_id", "=", partner.id),
                ("state", "in", ("active", "exhausted")),
            ],
            ["unit"],
            ["quantity_remaining:sum"],
        )
        return ", ".join(
            self._format_quantity(remaining, unit) for unit, remaining in sorted(groups)
        )

    def _is_portal_expiring_soon(self):
        self.ensure_one()
        days = self.company_id.support_expiry_reminder_days or 30
        return (
            self.state == "active"
            # a subscription's period ends every period: its next one follows
            and not self.contract_line_id
            and bool(self.date_end)
            and self.date_end <= fields.Date.context_today(self) + timedelta(days=days)
        )

    def _get_portal_ledger_rows(self, offset=0, limit=None):
        """One page of the ledger, newest first, each move with the balance
        after it: the moves of the page and one sum of the older moves."""
        self.ensure_one()
        move_model = self.env["support.pack.move"]
        moves = move_model.search(
            [("pack_id", "=", self.id)],
            order="date desc, id desc",
            offset=offset,
            limit=limit,
        )
        if not moves:
            return []
        oldest = moves[-1]
        [[older]] = move_model._read_group(
            [
                ("pack_id", "=", self.id),
                "|",
                ("date", "<", oldest.date),
                "&",
                ("date", "=", oldest.date),
                ("id", "<", oldest.id),
            ],
            [],
            ["quantity:sum"],
        )
        rows, __ = self._get_ledger_rows(reversed(moves), older or 0.0)
        rows.reverse()
        return rows

    # ------------------------------------------------------------------
    # Formatting
    # ------------------------------------------------------------------
    @api.model
    def _format_quantity(self, quantity, unit):
        """A quantity in a pack unit, in the language of the environment, for
        reports, emails and portal pages: '4 credits', '1.5 h' ('1,5 h' in
        French)."""
        text = format_number(self.env, quantity, QUANTITY_DIGITS)
        if unit == "hour":
            return self.env._("%s h", text)
        if float_compare(abs(quantity), 1.0, precision_digits=QUANTITY_DIGITS) == 0:
            return self.env._("%s credit", text)
        return self.env._("%s credits", text)

    @api.model
    def _format_quantity_backoffice(self, quantity, unit, signed=False):
        """A quantity as the back office shows it (the widget float_time of
        the forms and lists): hours as a duration, '03:00 h' ('-00:54 h'),
        credits as a number, '12 credits'. ``signed`` adds '+' to a positive
        quantity: '+02:00 h'."""
        sign = "+" if signed and quantity > 0 else ""
        if unit == "hour":
            return self.env._("%s h", sign + format_duration(quantity))
        text = sign + format_number(self.env, quantity, QUANTITY_DIGITS)
        if float_compare(abs(quantity), 1.0, precision_digits=QUANTITY_DIGITS) == 0:
            return self.env._("%s credit", text)
        return self.env._("%s credits", text)
