# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ...lib.guard import internal, is_internal

PACK_READERS = (
    "helpdesk_support_pack.group_support_pack_user,"
    "helpdesk_mgmt.group_helpdesk_user_own"
)

# Set by the vendor on the customer form, or by an authorized contact from the
# portal (through _support_set_authorized): never by a portal user's own write.
SUPPORT_CONTACT_FIELDS = ("support_restricted", "support_authorized")
# Set by the vendor on the customer form, or by an authorized contact from My
# support (through _support_set_auto_renew).
SUPPORT_AUTO_RENEW_FIELDS = ("support_auto_renew", "support_auto_renew_mode")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # The figures read the packs and the ledger: only for who may read them
    # (an employee without those rights reads the partner without them).
    support_pack_ids = fields.One2many(
        "support.pack",
        "partner_id",
        string="Support Packs",
        readonly=True,
        groups=PACK_READERS,
    )
    support_balance_credit = fields.Float(
        string="Credits Left",
        compute="_compute_support_balance",
        digits=(16, 2),
        groups=PACK_READERS,
        help="Credits remaining on the active packs of the company.",
    )
    support_balance_hour = fields.Float(
        string="Hours Left",
        compute="_compute_support_balance",
        digits=(16, 2),
        groups=PACK_READERS,
        help="Hours remaining on the active packs of the company.",
    )
    support_pack_count = fields.Integer(
        compute="_compute_support_balance", groups=PACK_READERS
    )
    support_forecast_text = fields.Char(
        string="Support Forecast",
        compute="_compute_support_forecast_text",
        groups=PACK_READERS,
        help="At the pace of the last 8 weeks, when the company's balance runs "
        "out, or what is left when its last pack expires (per unit).",
    )
    # the packs of the company, on the company and on each of its contacts
    support_customer_pack_ids = fields.Many2many(
        "support.pack",
        string="Customer's Support Packs",
        compute="_compute_support_customer_pack_ids",
        groups=PACK_READERS,
    )
    support_overdraft_credit = fields.Float(
        string="Credits Overdrawn",
        compute="_compute_support_overdraft",
        digits=(16, 2),
        groups=PACK_READERS,
        help="Credits consumed with no pack left (negative), not settled yet.",
    )
    support_overdraft_hour = fields.Float(
        string="Hours Overdrawn",
        compute="_compute_support_overdraft",
        digits=(16, 2),
        groups=PACK_READERS,
        help="Hours consumed with no pack left (negative), not settled yet.",
    )
    # record rules of agents of their own or their team's tickets use it.
    support_commercial_ticket_ids = fields.One2many(
        "helpdesk.ticket",
        "commercial_partner_id",
        string="Tickets of the Company",
        readonly=True,
        groups="helpdesk_mgmt.group_helpdesk_user_own",
    )
    # Customers' rules: authorized contacts, service mode
    support_restricted = fields.Boolean(
        string="Support Restricted to Authorized Contacts",
        help="Only the contacts marked as authorized submit tickets, approve or "
        "refuse estimates, reopen tickets and confirm fixes for this company; "
        "the other contacts read the company's tickets.",
    )
    support_authorized = fields.Boolean(
        string="Authorized Support Contact",
        help="When the company restricts support to its authorized contacts, "
        "this contact may submit tickets and answer for the company.",
    )
    support_service_mode_id = fields.Many2one(
        "support.service.mode",
        string="Service Mode",
        help="Who installs a fix and who verifies it for this customer; new "
        "tickets take it.",
    )
    # Subscriptions (models/subscription/): set when a support subscription
    # is sold to the company, kept after it ends (its tickets are then not
    # covered unless it holds valid packs).
    support_subscriber = fields.Boolean(
        readonly=True,
        copy=False,
        help="A support subscription was sold to this company: its tickets "
        "follow the subscription's scope while it runs, and are not covered "
        "once it has ended (unless the company holds valid packs).",
    )
    # Auto top-up (models/pack/support_pack_top_up.py)
    support_auto_renew = fields.Boolean(
        string="Renew Automatically",
        help="When the balance of one of the customer's packs falls to the "
        "low balance threshold, a quotation for its usual pack (the product "
        "of its latest pack) is made, once per dip: sent to the customer or "
        "confirmed, as the mode says. The customer's authorized contacts switch "
        "it on and off on My support.",
    )
    support_auto_renew_mode = fields.Selection(
        [
            ("send", "Send the quotation"),
            ("confirm", "Confirm the order (agreed in advance)"),
        ],
        string="Automatic Renewal",
        default="send",
        required=True,
        help="Send the quotation: the customer signs and pays it on the portal. "
        "Confirm the order: the customer agreed in advance; the pack starts as "
        "its product says (on confirmation or on payment of the invoice).",
    )
    # Configuration under maintenance
    support_configuration_item_count = fields.Integer(
        string="Configuration Items",
        compute="_compute_support_configuration_item_count",
    )

    # the packs of the companies the user works in (the multi-company rule)
    @api.depends_context("allowed_company_ids")
    def _compute_support_balance(self):
        commercials = self.commercial_partner_id
        balances = {}
        counts = {}
        if commercials.ids:
            pack_model = self.env["support.pack"]
            for partner, unit, remaining in pack_model._read_group(
                [
                    ("partner_id", "in", commercials.ids),
                    ("state", "in", ("active", "exhausted")),
                ],
                ["partner_id", "unit"],
                ["quantity_remaining:sum"],
            ):
                balances[(partner.id, unit)] = remaining
            counts = {
                partner.id: count
                for partner, count in pack_model._read_group(
                    [("partner_id", "in", commercials.ids)],
                    ["partner_id"],
                    ["__count"],
                )
            }
        for partner in self:
            commercial = partner.commercial_partner_id.id
            partner.support_balance_credit = balances.get((commercial, "credit"), 0.0)
            partner.support_balance_hour = balances.get((commercial, "hour"), 0.0)
            partner.support_pack_count = counts.get(commercial, 0)

    @api.depends_context("allowed_company_ids", "lang", "tz")
    def _compute_support_forecast_text(self):
        pack_model = self.env["support.pack"]
        texts = {}
        for commercial in self.commercial_partner_id:
            forecasts = pack_model._support_get_customer_forecasts(commercial)
            texts[commercial] = " · ".join(f["short"] for f in forecasts)
        for partner in self:
            partner.support_forecast_text = texts.get(
                partner.commercial_partner_id, False
            )

    @api.depends_context("allowed_company_ids")
    def _compute_support_customer_pack_ids(self):
        packs = self.env["support.pack"]
        commercials = self.commercial_partner_id
        if commercials.ids:
            packs = packs.search(
                [("partner_id", "in", commercials.ids)],
                order="date_end desc, id desc",
            )
        by_customer = packs.grouped("partner_id")
        for partner in self:
            partner.support_customer_pack_ids = by_customer.get(
                partner.commercial_partner_id, packs.browse()
            )

    @api.depends_context("allowed_company_ids")
    def _compute_support_overdraft(self):
        commercials = self.commercial_partner_id
        totals = {}
        if commercials.ids:
            for partner, unit, quantity in self.env["support.pack.move"]._read_group(
                [
                    ("partner_id", "in", commercials.ids),
                    ("move_type", "=", "overdraft"),
                    ("settled", "=", False),
                ],
                ["partner_id", "unit"],
                ["quantity:sum"],
            ):
                totals[(partner.id, unit)] = quantity
        for partner in self:
            commercial = partner.commercial_partner_id.id
            partner.support_overdraft_credit = totals.get((commercial, "credit"), 0.0)
            partner.support_overdraft_hour = totals.get((commercial, "hour"), 0.0)

    def action_view_support_overdraft(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_pack_move_overdraft_action"
        )
        action["domain"] = [
            ("move_type", "=", "overdraft"),
            ("settled", "=", False),
            ("partner_id", "=", self.commercial_partner_id.id),
        ]
        return action

    def action_view_support_packs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_pack_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"create": False, "search_default_filter_valid": 1}
        return action

    # Customers' rules: authorized contacts, service mode
    def _support_check_contact_fields(self, vals):
        """A portal user (even through a sudo() flow) changes neither the
        flags of who may act for a company nor its automatic renewal; the
        same value written back (the commercial fields' sync when a customer
        edits their VAT number) is no change."""
        if is_internal(self.env) or not self.env.user.share:
            return
        guarded = SUPPORT_CONTACT_FIELDS + SUPPORT_AUTO_RENEW_FIELDS
        changed = set()
        for name in set(vals) & set(guarded):
            field = self._fields[name]
            value = bool(vals[name]) if field.type == "boolean" else vals[name]
            olds = (
                [field.default(self) if field.default else False]
                if not self
                else self.sudo().mapped(lambda p, name=name: p[name])
            )
            if any(
                (bool(old) if field.type == "boolean" else old) != value for old in olds
            ):
                changed.add(name)
        if changed & set(SUPPORT_AUTO_RENEW_FIELDS):
            raise AccessError(
                self.env._(
                    "Only the vendor, or an authorized contact from My support, "
                    "changes the automatic renewal of a company."
                )
            )
        if changed:
            raise AccessError(
                self.env._(
                    "Only the vendor, or an authorized contact from the portal's "
                    "Support contacts, changes who may act for a company."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.browse()._support_check_contact_fields(vals)
            self.browse()._support_check_subscriber(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._support_check_contact_fields(vals)
        self._support_check_subscriber(vals)
        return super().write(vals)

    def _support_check_subscriber(self, vals):
        """Whether a company subscribes is written by the sale of a support
        subscription only."""
        if "support_subscriber" in vals and not is_internal(self.env):
            raise AccessError(
                self.env._(
                    "A company becomes a support subscriber when a support "
                    "subscription is sold to it."
                )
            )

    def _support_is_authorized(self):
        """Whether this contact may act for its company on support matters:
        any contact of an unrestricted company, an authorized contact (or the
        company itself) of a restricted one."""
        self.ensure_one()
        partner = self.sudo()
        commercial = partner.commercial_partner_id
        return (
            not commercial.support_restricted
            or partner == commercial
            or partner.support_authorized
        )

    def _support_get_authorized_contacts(self):
        """The authorized contacts of this partner's company (restricted or
        not: they are the ones the other contacts are sent to)."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        if not commercial.support_restricted:
            return self.browse()
        return self.search(
            [
                ("commercial_partner_id", "=", commercial.id),
                ("support_authorized", "=", True),
                ("id", "!=", commercial.id),
            ],
            order="name, id",
        )

    def _support_get_not_authorized_message(self):
        self.ensure_one()
        names = ", ".join(self.sudo()._support_get_authorized_contacts().mapped("name"))
        return self.env._(
            "%(company)s restricts support to its authorized contacts "
            "(%(names)s): ask one of them.",
            company=self.sudo().commercial_partner_id.name,
            names=names or self.env._("none yet"),
        )

    def _support_check_authorized(self):
        """Refuse a support action of a contact who may not act for its
        company (translated message, nothing written)."""
        for partner in self:
            if not partner._support_is_authorized():
                raise AccessError(partner._support_get_not_authorized_message())

    def _support_set_authorized(self, authorized, by_partner):
        """An authorized contact grants or removes the flag of a colleague
        (portal). The caller checked nothing: everything is checked here."""
        self.ensure_one()
        by_partner._support_check_authorized()
        commercial = by_partner.sudo().commercial_partner_id
        contact = self.sudo()
        if (
            contact == commercial
            or contact.commercial_partner_id != commercial
            or not commercial.support_restricted
        ):
            raise AccessError(
                self.env._("You can only manage the support contacts of your company.")
            )
        if not authorized and contact.support_authorized:
            others = contact._support_get_authorized_contacts() - contact
            if not others:
                raise UserError(
                    self.env._(
                        "%s is the last authorized contact of your company: "
                        "authorize a colleague first.",
                        contact.name,
                    )
                )
        internal(contact).support_authorized = bool(authorized)
        commercial.message_post(
            body=Markup("<p>%s</p>")
            % (
                self.env._(
                    "%(contact)s authorized for support by %(by)s.",
                    contact=contact.name,
                    by=by_partner.name,
                )
                if authorized
                else self.env._(
                    "%(contact)s no longer authorized for support (by %(by)s).",
                    contact=contact.name,
                    by=by_partner.name,
                )
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _support_set_auto_renew(self, enabled, mode, by_partner):
        """An authorized contact ``by_partner`` switches the automatic renewal
        of its own company (``self``, the commercial partner) on or off, with
        the mode ``mode`` ('send' or 'confirm'; kept as it is when empty). The
        caller checked nothing: everything is checked here."""
        self.ensure_one()
        by_partner._support_check_authorized()
        customer = self.sudo()
        if customer != by_partner.sudo().commercial_partner_id:
            raise AccessError(
                self.env._("You can only change the automatic renewal of your company.")
            )
        modes = dict(
            self._fields["support_auto_renew_mode"]._description_selection(self.env)
        )
        if mode and mode not in modes:
            raise UserError(self.env._("Choose how to renew: send or confirm."))
        vals = {"support_auto_renew": bool(enabled)}
        if mode:
            vals["support_auto_renew_mode"] = mode
        internal(customer).write(vals)
        customer.message_post(
            body=Markup("<p>%s</p>")
            % (
                self.env._(
                    "Automatic renewal switched on by %(by)s: %(mode)s.",
                    by=by_partner.name,
                    mode=modes[customer.support_auto_renew_mode],
                )
                if enabled
                else self.env._(
                    "Automatic renewal switched off by %s.", by_partner.name
                )
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    @api.model
    def _commercial_fields(self):
        # The restriction, the service mode and the automatic renewal are the
        # company's: contacts follow it, as the VAT number does.
        return super()._commercial_fields() + [
            "support_restricted",
            "support_service_mode_id",
            "support_auto_renew",
            "support_auto_renew_mode",
        ]

    # Configuration under maintenance
    def _compute_support_configuration_item_count(self):
        item_model = self.env["support.configuration.item"]
        counts = {}
        if item_model.has_access("read"):
            counts = dict(
                item_model._read_group(
                    [("partner_id", "in", self.commercial_partner_id.ids)],
                    ["partner_id"],
                    ["__count"],
                )
            )
        for partner in self:
            partner.support_configuration_item_count = counts.get(
                partner.commercial_partner_id, 0
            )

    def action_view_support_configuration(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_configuration_item_action"
        )
        partner = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action

    # Overdraft
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
