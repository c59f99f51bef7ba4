# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, fields, models
from odoo.tools import float_compare, format_date

from ..lib.guard import internal
from .support_pack import QUANTITY_DIGITS


class SupportPack(models.Model):
    """Renewal: the low balance and expiry warnings (email to the customer's
    contacts, activity for the salesperson) and the renewal quotation."""

    _inherit = "support.pack"

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

    @api.depends("partner_id")
    def _compute_notification_partner_ids(self):
        partners = self._get_notification_partners_by_pack()
        for pack in self:
            pack.notification_partner_ids = partners.get(pack._origin.id, [])

    @api.model
    def _support_protected_fields(self):
        """The warnings' flags: set by the warnings themselves."""
        return super()._support_protected_fields() + [
            "low_balance_notified",
            "expiry_notified",
        ]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
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

    # ------------------------------------------------------------------
    # Warnings
    # ------------------------------------------------------------------
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
