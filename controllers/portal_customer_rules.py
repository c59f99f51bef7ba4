# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from .portal_support import SupportPortal, support_record_id
from .portal_ticket import SupportTicketPortal


class SupportCustomerRulesPortal(SupportTicketPortal, SupportPortal):
    """The customer's own rules on the portal: who may act for a restricted
    company (ticket actions, the "Support contacts" of My support)."""

    def _support_messages(self):
        messages = super()._support_messages()
        _ = request.env._
        messages.update(
            {
                "not_authorized": (
                    "danger",
                    _(
                        "Your company restricts support to its authorized "
                        "contacts: ask one of them (listed on this page) to do "
                        "this."
                    ),
                ),
            }
        )
        return messages

    def _support_contact_messages(self):
        _ = request.env._
        return {
            "contact_updated": ("success", _("The support contacts are updated.")),
            "contact_refused": (
                "danger",
                _(
                    "Only an authorized contact of your company changes its "
                    "support contacts, and one authorized contact must remain."
                ),
            ),
        }

    def _support_ticket_action(self, ticket_id, access_token, action, message):
        ticket_sudo = self._support_get_ticket(ticket_id, access_token)
        if ticket_sudo is not None and not (
            request.env.user.partner_id._support_is_authorized()
        ):
            # Refused before anything is written, with its own message.
            return self._support_ticket_redirect(
                ticket_sudo, access_token, "not_authorized"
            )
        return super()._support_ticket_action(ticket_id, access_token, action, message)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        partner = request.env.user.partner_id
        values["support_authorized"] = partner._support_is_authorized()
        values["support_authorized_contacts"] = (
            partner.sudo()._support_get_authorized_contacts()
        )
        return values

    # ------------------------------------------------------------------
    # My support: Support contacts
    # ------------------------------------------------------------------
    def _support_get_contacts_values(self):
        partner = request.env.user.partner_id
        commercial = partner.sudo().commercial_partner_id
        contacts = (
            request.env["res.partner"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", commercial.id),
                    ("id", "!=", commercial.id),
                    ("type", "=", "contact"),
                ],
                order="name, id",
            )
        )
        return {
            "support_restricted": commercial.support_restricted,
            "support_contacts": contacts,
            "support_can_manage_contacts": commercial.support_restricted
            and partner._support_is_authorized(),
        }

    def _support_auto_renew_messages(self):
        _ = request.env._
        return {
            "auto_renew_updated": (
                "success",
                _("The automatic renewal of your company is updated."),
            ),
            "auto_renew_refused": (
                "danger",
                _(
                    "Your company restricts support to its authorized "
                    "contacts: ask one of them to change the automatic renewal."
                ),
            ),
        }

    def _support_get_auto_renew_values(self):
        """The automatic renewal of the user's own company, and whether the
        user may switch it."""
        partner = request.env.user.partner_id
        commercial = partner.sudo().commercial_partner_id
        return {
            "support_auto_renew": commercial.support_auto_renew,
            "support_auto_renew_mode": commercial.support_auto_renew_mode,
            "support_can_manage_auto_renew": partner._support_is_authorized(),
        }

    @http.route()
    def portal_my_support(self, page=1, **kw):
        response = super().portal_my_support(page=page, **kw)
        if getattr(response, "qcontext", None) is not None:
            response.qcontext.update(self._support_get_contacts_values())
            response.qcontext.update(self._support_get_auto_renew_values())
            code = kw.get("support_message")
            if code:
                messages = {
                    **self._support_buy_messages(),
                    **self._support_contact_messages(),
                    **self._support_auto_renew_messages(),
                }
                response.qcontext["support_alert"] = messages.get(code)
        return response

    @http.route(
        "/my/support/contacts/<int:partner_id>/authorize",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_support_contact_authorize(self, partner_id, authorized=None, **kw):
        partner = request.env.user.partner_id
        contact_id = support_record_id(partner_id)
        commercial = partner.sudo().commercial_partner_id
        # The colleague is searched among the user's company's contacts before
        # any sudo(); the model checks the rest.
        contact = (
            request.env["res.partner"]
            .sudo()
            .search(
                [
                    ("id", "=", contact_id or 0),
                    ("commercial_partner_id", "=", commercial.id),
                ],
                limit=1,
            )
        )
        if not contact:
            return request.redirect("/my/support?support_message=contact_refused")
        try:
            with request.env.cr.savepoint():
                contact._support_set_authorized(authorized == "1", partner)
        except (AccessError, MissingError, UserError):
            return request.redirect("/my/support?support_message=contact_refused")
        return request.redirect("/my/support?support_message=contact_updated")

    # ------------------------------------------------------------------
    # My support: automatic renewal
    # ------------------------------------------------------------------
    @http.route(
        "/my/support/auto-renew",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_support_auto_renew(self, enabled=None, mode=None, **kw):
        """Switch the automatic renewal of the user's own company on or off
        (no company is read from the request); the model checks that the user
        may act for it."""
        partner = request.env.user.partner_id
        commercial = partner.sudo().commercial_partner_id
        try:
            with request.env.cr.savepoint():
                commercial._support_set_auto_renew(enabled == "1", mode, partner)
        except (AccessError, UserError):
            return request.redirect("/my/support?support_message=auto_renew_refused")
        return request.redirect("/my/support?support_message=auto_renew_updated")
