# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, float_compare, float_is_zero, format_date

from ...lib.guard import internal
from ...lib.units import QUANTITY_DIGITS

# Packs handled per transaction by the scheduled jobs: the cron framework
# commits after each batch (``ir.cron._notify_progress``) and calls the job
# again while some are left.
CRON_BATCH = 200


class SupportPack(models.Model):
    """The end of a pack and its renewal: expiry (the balance carried over to
    the renewal pack, or expired), the expiry reminder and the low balance
    warning (email to the customer's contacts, activity for the salesperson),
    and the renewal quotation. The scheduled jobs work in batches: each batch
    reads what it needs (carry-over targets, notified contacts) for all its
    packs at once."""

    _inherit = "support.pack"

    notification_partner_ids = fields.Many2many(
        "res.partner",
        string="Notified Contacts",
        compute="_compute_notification_partner_ids",
        help="Contacts of the customer who get the low balance and expiry "
        "emails: the customer and its contacts with an email address.",
    )
    renewal_due = fields.Boolean(
        compute="_compute_renewal_due",
        help="The pack is exhausted, low or expires soon: renewing it is the "
        "next thing to do.",
    )
    # What became of the balance at expiry (the ledger's closing moves)
    quantity_carried_over = fields.Float(
        string="Carried Over",
        compute="_compute_expiry_outcome",
        digits=(16, QUANTITY_DIGITS),
        help="Balance carried over to the renewal pack at expiry.",
    )
    carried_over_pack_id = fields.Many2one(
        "support.pack",
        string="Carried Over To",
        compute="_compute_expiry_outcome",
    )
    quantity_expired = fields.Float(
        string="Lost at Expiry",
        compute="_compute_expiry_outcome",
        digits=(16, QUANTITY_DIGITS),
        help="Balance lost at expiry (nothing to carry it over to).",
    )
    expiry_outcome = fields.Char(
        string="At Expiry",
        compute="_compute_expiry_outcome",
    )
    next_period_issued = fields.Boolean(
        readonly=True,
        copy=False,
        help="A subscription's period: the pack of its next period was issued "
        "(its balance is carried over there at expiry).",
    )

    @api.depends("partner_id")
    def _compute_notification_partner_ids(self):
        partners = self._get_notification_partners_by_pack()
        for pack in self:
            pack.notification_partner_ids = partners.get(pack._origin.id, [])

    @api.depends(
        "state", "date_end", "quantity_remaining", "quantity_granted", "company_id"
    )
    @api.depends_context("uid")
    def _compute_renewal_due(self):
        today = fields.Date.context_today(self)
        for pack in self:
            if pack.contract_line_id:
                # a subscription's period: its next invoice renews it
                pack.renewal_due = False
            elif pack.state == "exhausted":
                pack.renewal_due = True
            elif pack.state != "active" or pack.quantity_granted <= 0:
                pack.renewal_due = False
            else:
                days = pack.company_id.support_expiry_reminder_days or 30
                pack.renewal_due = pack._is_low_balance() or bool(
                    pack.date_end and pack.date_end <= today + timedelta(days=days)
                )

    @api.depends("state", "move_ids.move_type", "move_ids.quantity")
    @api.depends_context("lang")
    def _compute_expiry_outcome(self):
        moves = self.env["support.pack.move"]
        if self.ids:
            moves = moves.search(
                [
                    ("pack_id", "in", self.ids),
                    ("move_type", "in", ("carry_over_out", "expiry")),
                ]
            )
        # the carry-over in moves name the out moves as their counterpart
        targets = {}
        carried_out = moves.filtered(lambda m: m.move_type == "carry_over_out")
        if carried_out:
            for move_in in moves.sudo().search(
                [("counterpart_move_id", "in", carried_out.ids)]
            ):
                targets[move_in.counterpart_move_id.id] = move_in.pack_id.id
        by_pack = moves.grouped("pack_id")
        for pack in self:
            closing = by_pack.get(pack._origin, moves.browse())
            carried = closing.filtered(lambda m: m.move_type == "carry_over_out")
            expired = closing - carried
            pack.quantity_carried_over = -sum(carried.mapped("quantity"))
            pack.carried_over_pack_id = targets.get(carried[-1:].id, False)
            pack.quantity_expired = -sum(expired.mapped("quantity"))
            pack.expiry_outcome = pack._get_expiry_outcome_text()

    def _get_expiry_outcome_text(self):
        """'03:00 h carried over to SP/0002', '2 credits lost at expiry',
        'Fully used' (empty while the pack is not expired)."""
        self.ensure_one()
        if self.state != "expired":
            return False
        texts = []
        if self.carried_over_pack_id:
            texts.append(
                self.env._(
                    "%(qty)s carried over to %(pack)s",
                    qty=self._format_quantity_backoffice(
                        self.quantity_carried_over, self.unit
                    ),
                    pack=self.carried_over_pack_id.sudo().name,
                )
            )
        if self.quantity_expired:
            texts.append(
                self.env._(
                    "%s lost at expiry",
                    self._format_quantity_backoffice(self.quantity_expired, self.unit),
                )
            )
        return ", ".join(texts) or self.env._("Nothing left at expiry")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_renew(self):
        """Draft renewal quotation for the customer, with the same pack product."""
        self.ensure_one()
        if self.contract_line_id:
            raise UserError(
                self.env._(
                    "%(pack)s is the allowance of a period of the subscription "
                    "%(contract)s: the subscription's next invoice renews it. "
                    "To add hours or credits, sell a support pack.",
                    pack=self.name,
                    contract=self.contract_line_id.sudo().contract_id.display_name,
                )
            )
        order = self.env["sale.order"].create(self._prepare_renewal_order_values())
        # salespeople read packs and log notes on them (_mail_post_access)
        self.message_post(
            body=self.env._("Renewal quotation %s created.", order.name),
            subtype_xmlid="mail.mt_note",
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

    # ------------------------------------------------------------------
    # Warnings
    # ------------------------------------------------------------------
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
                pack._support_close_low_balance_activities()
        if to_notify:
            to_notify._support_notify_low_balance()

    def _support_close_low_balance_activities(self):
        """The balance went back above the threshold: the renewal activities
        of the low balance warning are done (marked done, with the new
        balance, as Odoo closes an activity). A pack whose expiry reminder
        was sent keeps them: it still needs renewing."""
        renew_type = self.env.ref(
            "helpdesk_support_pack.mail_activity_type_support_pack_renew",
            raise_if_not_found=False,
        )
        for pack in self.sudo().filtered(lambda p: not p.expiry_notified):
            activities = pack.activity_ids.filtered(
                lambda a, t=renew_type: a.activity_type_id == t
            )
            if activities:
                activities.action_feedback(
                    feedback=self.env._(
                        "The balance is back above the threshold: %s left.",
                        pack._format_quantity_backoffice(
                            pack.quantity_remaining, pack.unit
                        ),
                    )
                )

    def _get_renewal_activity_user(self):
        self.ensure_one()
        return self.user_id or self.sale_order_id.user_id or self.env.user

    def _support_notify(self, template_xmlid, texts, users=None):
        """Email the customer's contacts (mail template) and schedule a renewal
        activity for the salesperson; ``texts``: {pack id: (summary, note)};
        ``users``: {pack id: the salesperson} when another than the pack's.
        The contacts are read and the activities created for all packs at
        once; each email is posted by Odoo's composer, pack by pack."""
        users = users or {}
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
                    "user_id": (
                        users.get(pack.id) or pack._get_renewal_activity_user()
                    ).id,
                }
                for pack in packs
            ]
        )

    def _support_notify_low_balance(self):
        internal(self).low_balance_notified = True
        # customers who renew automatically: their order first, the activity
        # says what became of it (support_pack_top_up.py)
        top_ups = self._support_auto_renew()
        self._support_notify(
            "helpdesk_support_pack.mail_template_support_pack_low_balance",
            {
                pack.id: pack._support_get_low_balance_texts(top_ups.get(pack.id))
                for pack in self
            },
            users={
                pack_id: top_up["order"].user_id
                for pack_id, top_up in top_ups.items()
                if top_up["order"].user_id
            },
        )

    def _support_get_low_balance_texts(self, top_up=None):
        """(summary, note) of the low balance activity; ``top_up``: what the
        automatic renewal did (:meth:`_support_auto_renew`)."""
        self.ensure_one()
        values = {
            "remaining": self._format_quantity(self.quantity_remaining, self.unit),
            "pack": self.name,
            "customer": self.partner_id.display_name,
            "order": top_up and top_up["order"].name,
        }
        status = top_up and top_up["status"]
        if status == "sent":
            return (
                self.env._("Automatic renewal: follow %s up", values["order"]),
                self.env._(
                    "Only %(remaining)s left on %(pack)s of %(customer)s: the "
                    "automatic renewal sent quotation %(order)s to the customer.",
                    **values,
                ),
            )
        if status == "confirmed":
            return (
                self.env._("Automatic renewal: %s confirmed", values["order"]),
                self.env._(
                    "Only %(remaining)s left on %(pack)s of %(customer)s: the "
                    "automatic renewal confirmed order %(order)s (agreed in "
                    "advance by the customer). Invoice it.",
                    **values,
                ),
            )
        if status == "open":
            return (
                self.env._("Low balance: renew %s", self.name),
                self.env._(
                    "Only %(remaining)s left on %(pack)s of %(customer)s. "
                    "Quotation %(order)s is still open: no automatic renewal "
                    "until it is confirmed or cancelled.",
                    **values,
                ),
            )
        if status == "failed":
            return (
                self.env._("Low balance: renew %s", self.name),
                self.env._(
                    "Only %(remaining)s left on %(pack)s of %(customer)s. The "
                    "automatic renewal failed (%(error)s): use the button "
                    "'Renew' of the pack to make the renewal quotation.",
                    error=top_up["error"],
                    **values,
                ),
            )
        return (
            self.env._("Low balance: renew %s", self.name),
            self.env._(
                "Only %(remaining)s left on %(pack)s of %(customer)s. Use "
                "the button 'Renew' of the pack to make the renewal "
                "quotation.",
                **values,
            ),
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
    # Batch reads
    # ------------------------------------------------------------------
    def _get_carry_over_targets(self):
        """{pack: target} for the packs of ``self`` that carry their balance
        over: the newest active pack of the same customer, company and unit,
        bought before the pack's expiry and still valid after it. A
        subscription's period carries over to the pack of the next period of
        its subscription, even one waiting for payment. One query for the
        whole recordset (and one for the subscriptions' periods)."""
        packs = self.filtered(lambda p: p.carry_over == "renewal" and p.date_end)
        periods = packs.filtered("contract_line_id")
        targets = periods._get_next_period_packs() if periods else {}
        packs -= periods
        if not packs:
            return targets
        candidates = self.search(
            [
                ("contract_line_id", "=", False),
                ("partner_id", "in", packs.partner_id.ids),
                ("company_id", "in", packs.company_id.ids),
                ("unit", "in", list(set(packs.mapped("unit")))),
                ("state", "in", ("active", "exhausted")),
                ("date_start", "<=", max(packs.mapped("date_end"))),
                ("date_end", ">", min(packs.mapped("date_end"))),
            ],
            order="date_start desc, id desc",
        )
        by_key = {}
        for candidate in candidates:
            key = (candidate.partner_id, candidate.company_id, candidate.unit)
            by_key.setdefault(key, []).append(candidate)
        for pack in packs:
            for candidate in by_key.get(
                (pack.partner_id, pack.company_id, pack.unit), []
            ):
                if (
                    candidate != pack
                    and candidate.date_start <= pack.date_end < candidate.date_end
                ):
                    targets[pack] = candidate
                    break
        return targets

    def _get_next_period_packs(self):
        """{pack: the pack of the next period of its subscription} for the
        subscription packs of ``self`` whose next period was issued."""
        issued = self.search(
            [
                ("contract_line_id", "in", self.contract_line_id.ids),
                ("state", "in", ("pending", "active", "exhausted")),
            ]
        )
        by_start = {(p.contract_line_id, p.date_start): p for p in issued}
        return {
            pack: by_start[pack.contract_line_id, pack.date_end + timedelta(days=1)]
            for pack in self
            if (pack.contract_line_id, pack.date_end + timedelta(days=1)) in by_start
        }

    def _support_close_previous_periods(self):
        """These subscription packs were just issued: the previous period of
        each may now close (its balance carried over here, if its product
        says so); it expires at once if its period has already ended."""
        candidates = self.search(
            [
                ("contract_line_id", "in", self.contract_line_id.ids),
                ("state", "in", ("pending", "active", "exhausted")),
                ("next_period_issued", "=", False),
                ("date_end", "in", [p.date_start - timedelta(days=1) for p in self]),
            ]
        )
        nexts = candidates._get_next_period_packs() if candidates else {}
        previous = candidates.filtered(lambda p: nexts.get(p) in self)
        if not previous:
            return
        internal(previous).write({"next_period_issued": True})
        today = fields.Date.context_today(self)
        previous.filtered(lambda p: p.date_end < today)._expire()

    def _get_carry_over_caps(self):
        """{pack: the most it carries over} for the packs of ``self`` whose
        product caps the carry-over: the cap's percentage of the quantity
        purchased with the pack (its purchase moves; what it received from
        another pack is not purchased). One query for the whole recordset."""
        packs = self.filtered(lambda p: p.carry_over_cap > 0)
        if not packs:
            return {}
        purchased = dict(
            self.env["support.pack.move"]
            .sudo()
            ._read_group(
                [("pack_id", "in", packs.ids), ("move_type", "=", "purchase")],
                ["pack_id"],
                ["quantity:sum"],
            )
        )
        return {
            pack: round(
                max(purchased.get(pack, 0.0), 0.0) * pack.carry_over_cap / 100.0,
                QUANTITY_DIGITS,
            )
            for pack in packs
        }

    # ------------------------------------------------------------------
    # Expiry
    # ------------------------------------------------------------------
    def _expire(self):
        """Post the expiry or carry-over moves of packs past their end date,
        in a constant number of queries: the moves in two batch creations, the
        chatter notes in one, the states in one write. Packs are handled in
        the order of their end date, so that a balance carried over to a pack
        that expires in the same run goes on with it."""
        packs = self.filtered(lambda p: p.state in ("active", "exhausted")).sorted(
            lambda p: (p.date_end or fields.Date.today(), p.id)
        )
        if not packs:
            return True
        targets = packs._get_carry_over_targets()
        caps = packs.filtered(lambda p: p in targets)._get_carry_over_caps()
        remaining = {pack: pack.quantity_remaining for pack in packs}
        out_values, in_values, notes = [], [], {}
        for pack in packs:
            quantity = remaining[pack]
            if float_compare(quantity, 0.0, precision_digits=QUANTITY_DIGITS) <= 0:
                continue
            target = targets.get(pack)
            carried = min(quantity, caps.get(pack, quantity)) if target else 0.0
            lost = round(quantity - carried, QUANTITY_DIGITS)
            if float_compare(carried, 0.0, precision_digits=QUANTITY_DIGITS) > 0:
                out_values.append(
                    pack._prepare_move_values(
                        "carry_over_out",
                        -carried,
                        date=pack.date_end,
                        note=self.env._("Carried over to %s", target.name),
                    )
                )
                in_values.append(
                    target._prepare_move_values(
                        "carry_over_in",
                        carried,
                        date=pack.date_end,
                        note=self.env._("Carried over from %s", pack.name),
                    )
                )
                if target in remaining:
                    remaining[target] += carried
                notes[pack.id] = self.env._(
                    "%(qty)s left on this pack carried over to %(pack)s.",
                    qty=self._format_quantity(carried, pack.unit),
                    pack=target.name,
                )
            if float_is_zero(lost, precision_digits=QUANTITY_DIGITS):
                continue
            if target:
                # the carry-over cap of the pack: the part above it expires
                note = self.env._(
                    "Above the carry-over cap of %(percent)s %% of the purchased "
                    "quantity (%(cap)s): expired",
                    percent=pack.carry_over_cap,
                    cap=self._format_quantity(carried, pack.unit),
                )
                notes[pack.id] = " ".join(
                    filter(
                        None,
                        [
                            notes.get(pack.id),
                            self.env._(
                                "%(qty)s above the carry-over cap of %(percent)s "
                                "%% expired.",
                                qty=self._format_quantity(lost, pack.unit),
                                percent=pack.carry_over_cap,
                            ),
                        ],
                    )
                )
            else:
                note = self.env._("Expired unused balance")
            out_values.append(
                pack._prepare_move_values(
                    "expiry", -lost, date=pack.date_end, note=note
                )
            )
        move_model = internal(self.env["support.pack.move"])
        out_moves = move_model.create(out_values)
        carried_out = out_moves.filtered(lambda m: m.move_type == "carry_over_out")
        for values, out_move in zip(in_values, carried_out, strict=True):
            values["counterpart_move_id"] = out_move.id
        move_model.create(in_values)
        if notes:
            packs.browse(notes)._message_log_batch(bodies=notes)
        internal(packs).write({"state": "expired"})
        return True

    @api.model
    def _get_expiry_domain(self, today):
        """Packs past their end date. A subscription's period that carries
        over waits for the pack of its next period (issued when that invoice
        is posted, which expires it), unless its subscription has ended."""
        return [
            ("state", "in", ("active", "exhausted")),
            ("date_end", "<", today),
            "|",
            "|",
            ("contract_line_id", "=", False),
            ("carry_over", "=", "never"),
            "|",
            ("next_period_issued", "=", True),
            "|",
            ("contract_line_id.is_canceled", "=", True),
            ("contract_line_id.date_end", "<", today),
        ]

    @api.model
    def _cron_expire_packs(self):
        """Expire the packs past their end date, one batch per transaction."""
        domain = self._get_expiry_domain(fields.Date.context_today(self))
        packs = self.search(domain, order="date_end, id", limit=CRON_BATCH)
        packs._expire()
        self._support_cron_progress(
            "helpdesk_support_pack.ir_cron_support_pack_expire", packs, domain
        )
        return True

    # ------------------------------------------------------------------
    # Expiry reminder
    # ------------------------------------------------------------------
    @api.model
    def _get_expiry_reminder_domain(self, today):
        """Packs ending within the reminder period of their company, not
        reminded yet (no reminder when the period is 0)."""
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("support_expiry_reminder_days", ">", 0)])
        )
        return expression.AND(
            [
                [
                    ("state", "in", ("active", "exhausted")),
                    ("expiry_notified", "=", False),
                    ("date_end", ">=", today),
                    # a subscription's period ends every period: no reminder
                    ("contract_line_id", "=", False),
                ],
                expression.OR(
                    [
                        [
                            ("company_id", "=", company.id),
                            (
                                "date_end",
                                "<=",
                                today
                                + timedelta(days=company.support_expiry_reminder_days),
                            ),
                        ]
                        for company in companies
                    ]
                    or [expression.FALSE_DOMAIN]
                ),
            ]
        )

    @api.model
    def _get_renewed_packs_query(self):
        """SQL subquery: the live packs whose balance will be carried over to
        a newer pack (the same rule as ``_get_carry_over_targets``)."""
        return SQL(
            """(
            SELECT old.id
              FROM support_pack old
              JOIN support_pack new
                ON new.partner_id = old.partner_id
               AND new.company_id = old.company_id
               AND new.unit = old.unit
               AND new.id != old.id
               AND new.state IN %(live)s
               AND new.date_start <= old.date_end
               AND new.date_end > old.date_end
               AND new.contract_line_id IS NULL
             WHERE old.carry_over = 'renewal'
               AND old.state IN %(live)s
            )""",
            live=("active", "exhausted"),
        )

    @api.model
    def _cron_notify_expiring_packs(self):
        """Remind the customer and the salesperson N days before a pack ends,
        one batch per transaction. A pack already renewed (its balance will
        move onto the newer pack) is not reminded."""
        domain = expression.AND(
            [
                self._get_expiry_reminder_domain(fields.Date.context_today(self)),
                [("id", "not in", self._get_renewed_packs_query())],
            ]
        )
        packs = self.search(domain, order="date_end, id", limit=CRON_BATCH)
        packs._support_notify_expiry()
        self._support_cron_progress(
            "helpdesk_support_pack.ir_cron_support_pack_expiry_reminder",
            packs,
            domain,
        )
        return True

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _support_cron_progress(self, cron_xmlid, batch, domain):
        """Report a batch to the cron framework (it commits after it) and
        have the job run again at once while packs are left: by the framework
        when it runs the job, by the trigger when the job is run by hand."""
        # The batch's writes go in one statement per table: counting what is
        # left would otherwise flush the fields of its domain apart.
        batch.flush_model()
        left = self.search_count(domain) if len(batch) >= CRON_BATCH else 0
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=left)
        if left:
            self.env.ref(cron_xmlid)._trigger()
