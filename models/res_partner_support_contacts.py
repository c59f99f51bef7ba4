# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.guard import internal, is_internal

# Set by the vendor on the customer form, or by an authorized contact from the
# portal (through _support_set_authorized): never by a portal user's own write.
SUPPORT_CONTACT_FIELDS = ("support_restricted", "support_authorized")


class ResPartner(models.Model):
    _inherit = "res.partner"

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

    def _support_check_contact_fields(self, vals):
        """A portal user (even through a sudo() flow) changes neither flag;
        the same value written back (the commercial fields' sync when a
        customer edits their VAT number) is no change."""
        if is_internal(self.env) or not self.env.user.share:
            return
        names = set(vals) & set(SUPPORT_CONTACT_FIELDS)
        changed = (
            any(bool(vals[name]) for name in names)
            if not self
            else any(
                bool(vals[name]) != partner[name]
                for partner in self.sudo()
                for name in names
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
        return super().create(vals_list)

    def write(self, vals):
        self._support_check_contact_fields(vals)
        return super().write(vals)

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

    @api.model
    def _commercial_fields(self):
        # The restriction and the service mode are the company's: contacts
        # follow it, as the VAT number does.
        return super()._commercial_fields() + [
            "support_restricted",
            "support_service_mode_id",
        ]
