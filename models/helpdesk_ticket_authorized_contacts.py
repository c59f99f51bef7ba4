# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's rules on a ticket: only its authorized contacts submit
from the portal and answer for it; an email of another contact is flagged."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib.guard import get_flag, with_flag

# Private flag (lib.guard.with_flag): a ticket created by the mail gateway,
# which runs as the sender's user; it is created and flagged, not refused.
MAIL_GATEWAY_KEY = "helpdesk_support_pack_mail_gateway"


class HelpdeskTicketAuthorizedContacts(models.Model):
    _inherit = "helpdesk.ticket"

    # Authorized contacts --------------------------------------------------
    support_unauthorized_contact = fields.Boolean(
        string="Not an Authorized Contact",
        compute="_compute_support_unauthorized_contact",
        store=True,
        help="The customer restricts support to its authorized contacts and "
        "this ticket came from another contact (by email): check with an "
        "authorized contact before working on it.",
    )

    @api.depends("partner_id")
    def _compute_support_unauthorized_contact(self):
        for ticket in self:
            ticket.support_unauthorized_contact = bool(
                ticket.partner_id and not ticket.partner_id._support_is_authorized()
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        user_partner = self.env.user.partner_id
        if (
            self.env.user.share
            and not get_flag(self.env, MAIL_GATEWAY_KEY)
            and not user_partner._support_is_authorized()
        ):
            # The portal form (and any portal user's call): only the authorized
            # contacts submit. By email the ticket is created, flagged for the
            # team (support_unauthorized_contact).
            raise UserError(user_partner._support_get_not_authorized_message())
        return super().create(vals_list)

    @api.model
    def message_new(self, msg, custom_values=None):
        # An email of a contact who is not authorized is still a ticket: the
        # team sees it flagged (support_unauthorized_contact).
        gateway = with_flag(self, MAIL_GATEWAY_KEY)
        return super(HelpdeskTicketAuthorizedContacts, gateway).message_new(
            msg, custom_values=custom_values
        )

    # ------------------------------------------------------------------
    # Authorized contacts
    # ------------------------------------------------------------------
    def _support_check_customer(self, partner):
        res = super()._support_check_customer(partner)
        partner._support_check_authorized()
        return res
