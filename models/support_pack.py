# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, float_is_zero, format_date

from ..tools.formatting import format_duration, format_number
from ..tools.guard import internal, is_internal
from ..tools.locking import PACK_BUSY_ERRORS, PackBusy

QUANTITY_DIGITS = 2


class SupportPack(models.Model):
    _name = "support.pack"
    _description = "Support Pack"
    _inherit = ["mail.thread", "mail.activity.mixin", "support.protected.mixin"]
    _order = "date_end, id"
    _check_company_auto = True

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
        domain=[("support_pack_ok", "=", True)],
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
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        tracking=True,
    )
    unit = fields.Selection(
        [("hour", "Hours"), ("credit", "Credits")],
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
    consumed_percent = fields.Float(
        string="Consumed (%)", compute="_compute_consumed_percent"
    )
    move_count = fields.Integer(compute="_compute_move_count")
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
    notification_partner_ids = fields.Many2many(
        "res.partner",
        string="Notified Contacts",
        compute="_compute_notification_partner_ids",
        help="Contacts of the customer who get the low balance and expiry "
        "emails: the customer and its contacts with an email address.",
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
    def _compute_notification_partner_ids(self):
        partners = self._get_notification_partners_by_pack()
        for pack in self:
            pack.notification_partner_ids = partners.get(pack._origin.id, [])

    @api.model
    def _support_protected_fields(self):
        """Identity, validity, state and balance: set by the sale, activation,
        expiry and cancellation flows, and by the ledger's moves."""
        return super()._support_protected_fields() + [
            "name",
            "partner_id",
            "company_id",
            "product_id",
            "sale_line_id",
            "unit",
            "validity_months",
            "activation",
            "carry_over",
            "date_start",
            "date_end",
            "state",
            "move_ids",
            "quantity_granted",
            "quantity_consumed",
            "quantity_remaining",
            "low_balance_notified",
            "expiry_notified",
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

    def action_renew(self):
        """Draft renewal quotation for the customer, with the same pack product."""
        self.ensure_one()
        order = self.env["sale.order"].create(self._prepare_renewal_order_values())
        # The flow's own note: salespeople read packs and may not post on them
        # (only the pack managers write them); it is signed by the salesperson.
        self.sudo().message_post(
            body=self.env._("Renewal quotation %s created.", order.name),
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )
        renew_type = self.env.ref(
            "helpdesk_support_pack.mail_activity_type_support_pack_renew",
            raise_if_not_found=False,
        )
        activities = self.activity_ids.filtered(
            lambda a: a.activity_type_id == renew_type
        )
        if activities:
            activities.action_feedback(
                feedback=self.env._("Renewal quotation %s created.", order.name)
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Renewal quotation"),
            "res_model": "sale.order",
            "res_id": order.id,
            "views": [(False, "form")],
            "view_mode": "form",
        }

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

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_date_end(self, date_start):
        """Last day of validity (included): "12 months from its activation" on
        2026-04-02 ends on 2027-04-01."""
        self.ensure_one()
        return date_start + relativedelta(months=self.validity_months, days=-1)

    def _action_activate(self, date_start=None):
        """Activate pending packs from ``date_start`` (today by default)."""
        date_start = date_start or fields.Date.context_today(self)
        activated = internal(self).filtered(lambda p: p.state == "pending")
        for pack in activated:
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
        self.ensure_one()
        return dict(
            {
                "pack_id": self.id,
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "unit": self.unit,
                "move_type": move_type,
                "quantity": quantity,
                "date": values.get("date") or fields.Date.context_today(self),
            },
            **values,
        )

    @api.model
    def _prepare_overdraft_move_values(
        self, partner, company, unit, quantity, **values
    ):
        """An overdraft move: time consumed by ``partner`` with no pack left."""
        return dict(
            {
                "pack_id": False,
                "partner_id": partner.id,
                "company_id": company.id,
                "unit": unit,
                "move_type": "overdraft",
                "quantity": quantity,
                "date": values.get("date") or fields.Date.context_today(self),
            },
            **values,
        )

    @api.model
    def _get_consumption_query(self, partner_ids, pack_ids):
        """The active packs of ``partner_ids`` and the packs ``pack_ids``."""
        return SQL(
            """
            SELECT id, partner_id, company_id, unit, state, date_start,
                   date_end, quantity_remaining
              FROM support_pack
             WHERE (
                       partner_id = ANY(%s)
                       AND state = 'active'
                       AND date_start IS NOT NULL
                       AND date_end IS NOT NULL
                   )
                OR id = ANY(%s)
          ORDER BY id
            """,
            list(partner_ids),
            list(pack_ids),
        )

    @api.model
    def _sorted_consumption_rows(self, rows):
        return sorted(
            rows, key=lambda r: (r["date_end"] is None, r["date_end"], r["id"])
        )

    @api.model
    def _flush_consumption_fields(self):
        self.flush_model(
            [
                "partner_id",
                "company_id",
                "unit",
                "state",
                "date_start",
                "date_end",
                "quantity_remaining",
            ]
        )

    @api.model
    def _read_for_consumption(self, partner_ids, pack_ids=()):
        """The rows :meth:`_lock_for_consumption` locks, read without locking
        (this transaction's snapshot): for checks that need no balance."""
        self._flush_consumption_fields()
        self.env.cr.execute(self._get_consumption_query(partner_ids, pack_ids))
        return self._sorted_consumption_rows(self.env.cr.dictfetchall())

    @api.model
    def _lock_for_consumption(self, partner_ids, pack_ids=(), nowait=False):
        """Lock the rows of the active packs of ``partner_ids`` and of ``pack_ids``.

        ``SELECT ... FOR UPDATE`` in a stable order (id): two transactions posting
        on one pack queue behind each other, and the second one sees the first
        one's moves (or gets a serialization failure and is retried) instead of
        losing an update. Returns the locked rows as dicts, read under the lock,
        expiry first (date_end, id).

        With ``nowait``, raise :class:`PackBusy` at once, with the transaction
        still usable, when a row is locked by another transaction or was
        updated by one that committed after this transaction's snapshot (under
        Odoo's REPEATABLE READ, waiting for the lock would end in a
        serialization failure anyway): the caller queues its posting
        (``support.posting.queue``) instead of failing the user's call.
        """
        self._flush_consumption_fields()
        query = SQL("%s FOR UPDATE", self._get_consumption_query(partner_ids, pack_ids))
        if not nowait:
            self.env.cr.execute(query)
            return self._sorted_consumption_rows(self.env.cr.dictfetchall())
        # The savepoint and the lock travel in one statement (one round trip);
        # the savepoint is released with the transaction.
        try:
            self.env.cr.execute(
                SQL("SAVEPOINT support_pack_lock; %s NOWAIT", query),
                log_exceptions=False,
            )
        except PACK_BUSY_ERRORS as error:
            self.env.cr.execute(SQL("ROLLBACK TO SAVEPOINT support_pack_lock"))
            raise PackBusy(str(error)) from error
        return self._sorted_consumption_rows(self.env.cr.dictfetchall())

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

    def _action_cancel(self):
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
                        note=self.env._("Sale order cancelled"),
                    )
                )
        internal(self.env["support.pack.move"]).create(moves)
        internal(packs).write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # Reports and notifications
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

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Statement - %s", self.name)

    def _get_statement_values(self, date_from=None, date_to=None):
        """Opening balance, the moves of the period with a running balance, and
        the closing balance of the pack (the whole life without dates)."""
        self.ensure_one()
        date_from = fields.Date.to_date(date_from) if date_from else None
        date_to = fields.Date.to_date(date_to) if date_to else None
        moves = self.env["support.pack.move"].search(
            [("pack_id", "=", self.id)], order="date, id"
        )
        labels = dict(moves._fields["move_type"]._description_selection(self.env))
        opening = sum(m.quantity for m in moves if date_from and m.date < date_from)
        balance = opening
        rows = []
        for move in moves:
            if (date_from and move.date < date_from) or (
                date_to and move.date > date_to
            ):
                continue
            balance += move.quantity
            rows.append(
                {
                    "move": move,
                    "date": move.date,
                    "type": labels.get(move.move_type, move.move_type),
                    "ticket": move.ticket_id.sudo().display_name or "",
                    "description": move.note
                    or (move.timesheet_id.sudo().name if move.timesheet_id else "")
                    or "",
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
        return {
            "date_from": date_from,
            "date_to": date_to,
            "opening": round(opening, QUANTITY_DIGITS),
            "opening_text": self._format_quantity(opening, self.unit),
            "rows": rows,
            "closing": round(balance, QUANTITY_DIGITS),
            "closing_text": self._format_quantity(balance, self.unit),
        }

    def _get_notification_partners(self):
        """The customer and its contacts with an email address."""
        self.ensure_one()
        partners = self._get_notification_partners_by_pack().get(self._origin.id)
        return partners or self.env["res.partner"]

    def _get_notification_partners_by_pack(self):
        """{pack id: its notified contacts} for all packs of ``self``, in one
        query: the customer and its contacts with an email address."""
        packs = self.filtered("partner_id")
        if not packs:
            return {}
        contacts = (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "in", packs.partner_id.ids),
                    ("type", "in", ("contact", "invoice")),
                    ("email", "!=", False),
                ],
                order="id",
            )
            .with_env(self.env)
        )
        by_customer = contacts.grouped("commercial_partner_id")
        return {
            pack._origin.id: by_customer.get(pack.partner_id, self.env["res.partner"])
            for pack in packs
        }

    def _get_low_balance_threshold(self):
        self.ensure_one()
        return self.company_id.sudo()._support_get_low_balance_threshold(
            self.unit, self.quantity_granted
        )

    def _is_low_balance(self):
        self.ensure_one()
        return (
            float_compare(
                self.quantity_remaining,
                self._get_low_balance_threshold(),
                precision_digits=QUANTITY_DIGITS,
            )
            <= 0
        )

    def _support_check_low_balance(self, moves):
        """Warn once when consumption ``moves`` bring a pack to its threshold.

        The flag ``low_balance_notified`` is reset only when a purchase, an
        adjustment or a carry-over brings the balance back above the threshold:
        a timesheet line edited (reversal, then new posting) never warns twice.
        """
        consumed = moves.filtered(
            lambda m: m.move_type in self._consumed_move_types() and m.quantity < 0
        ).pack_id
        granted = moves.filtered(
            lambda m: m.move_type in self._granted_move_types() and m.quantity > 0
        ).pack_id
        to_notify = self.browse()
        for pack in self & (consumed | granted):
            if pack.state not in ("active", "exhausted") or pack.quantity_granted <= 0:
                continue
            low = pack._is_low_balance()
            if low and not pack.low_balance_notified and pack in consumed:
                to_notify |= pack
            elif not low and pack.low_balance_notified and pack in granted:
                internal(pack).low_balance_notified = False
        if to_notify:
            to_notify._support_notify_low_balance()

    def _get_renewal_activity_user(self):
        self.ensure_one()
        return self.user_id or self.sale_order_id.user_id or self.env.user

    def _support_notify(self, template_xmlid, texts):
        """Email the customer's contacts (mail template) and schedule a renewal
        activity for the salesperson; ``texts``: {pack id: (summary, note)}.
        The contacts are read and the activities created for all packs at
        once; each email is posted by Odoo's composer, pack by pack."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        packs = self.sudo()
        if template:
            partners = packs._get_notification_partners_by_pack()
            for pack in packs.filtered(lambda p: partners.get(p.id)):
                pack.message_post_with_source(
                    template,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
        # activity_schedule's values (automated), in one creation
        activity_type = self.env.ref(
            "helpdesk_support_pack.mail_activity_type_support_pack_renew"
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        deadline = fields.Date.context_today(self)
        self.env["mail.activity"].sudo().create(
            [
                {
                    "activity_type_id": activity_type.id,
                    "automated": True,
                    "res_model_id": model_id,
                    "res_id": pack.id,
                    "summary": texts[pack.id][0],
                    "note": texts[pack.id][1],
                    "date_deadline": deadline,
                    "user_id": pack._get_renewal_activity_user().id,
                }
                for pack in packs
            ]
        )

    def _support_notify_low_balance(self):
        internal(self).low_balance_notified = True
        self._support_notify(
            "helpdesk_support_pack.mail_template_support_pack_low_balance",
            {
                pack.id: (
                    self.env._("Low balance: renew %s", pack.name),
                    self.env._(
                        "Only %(remaining)s left on %(pack)s of %(customer)s. Use "
                        "the button 'Renew' of the pack to make the renewal "
                        "quotation.",
                        remaining=self._format_quantity(
                            pack.quantity_remaining, pack.unit
                        ),
                        pack=pack.name,
                        customer=pack.partner_id.display_name,
                    ),
                )
                for pack in self
            },
        )

    def _support_notify_expiry(self):
        internal(self).expiry_notified = True
        self._support_notify(
            "helpdesk_support_pack.mail_template_support_pack_expiry",
            {
                pack.id: (
                    self.env._("Expires soon: renew %s", pack.name),
                    self.env._(
                        "%(pack)s of %(customer)s expires on %(date)s with "
                        "%(remaining)s left. Use the button 'Renew' of the pack to "
                        "make the renewal quotation.",
                        pack=pack.name,
                        customer=pack.partner_id.display_name,
                        date=format_date(self.env, pack.date_end),
                        remaining=self._format_quantity(
                            pack.quantity_remaining, pack.unit
                        ),
                    ),
                )
                for pack in self
            },
        )

    def _prepare_renewal_order_values(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "user_id": (self.user_id or self.env.user).id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.product_id.id,
                        "product_uom_qty": self.sale_line_id.product_uom_qty or 1.0,
                    }
                )
            ],
        }

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
        labels = dict(move_model._fields["move_type"]._description_selection(self.env))
        balance = older or 0.0
        rows = []
        for move in reversed(moves):
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
                    "quantity_text": self._format_quantity(move.quantity, self.unit),
                    "quantity": move.quantity,
                    "balance_text": self._format_quantity(balance, self.unit),
                }
            )
        rows.reverse()
        return rows
