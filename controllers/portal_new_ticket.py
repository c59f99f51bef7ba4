# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController

DEFAULT_PORTAL_PRIORITY = "1"


class SupportNewTicketController(HelpdeskTicketController):
    """The portal's new-ticket form with the customer's own rules: the declared
    urgency (each level with its SLA targets and its cost) and the authorized
    contacts of a restricted customer."""

    def _get_teams(self):
        # Customers never reach the level 3 team directly.
        return super()._get_teams().filtered(lambda t: t.sudo().support_level != "3")

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        partner = request.env.user.partner_id
        ticket_model = request.env["helpdesk.ticket"]
        values.update(
            {
                "support_priority_levels": (
                    ticket_model._support_get_portal_priority_levels(
                        partner,
                        values.get("teams"),
                        default_team=request.env.company._support_get_portal_team(),
                    )
                ),
                "support_priority_default": DEFAULT_PORTAL_PRIORITY,
                "support_authorized": partner._support_is_authorized(),
                "support_authorized_contacts": (
                    partner.sudo()._support_get_authorized_contacts()
                ),
            }
        )
        return values

    def _support_portal_priority(self, value):
        """The priority the form sent: medium when absent (an older form), else
        one of ``0``-``3``; anything else is refused (400, nothing created)."""
        if value is None or value == "":
            return DEFAULT_PORTAL_PRIORITY
        value = str(value).strip()
        priorities = request.env["helpdesk.ticket"]._fields["priority"]
        if value not in priorities.get_values(request.env):
            raise UserError(
                request.env._(
                    "This priority does not exist: choose low (0), medium (1), "
                    "high (2) or urgent (3)."
                )
            )
        return value

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        vals["priority"] = self._support_portal_priority(kw.get("priority"))
        if not vals.get("team_id"):
            # The company's default portal team (the model enforces it for
            # every caller); its first stage, as helpdesk_mgmt does for a team
            # picked.
            company = request.env["res.company"].browse(vals["company_id"])
            team = company._support_get_portal_team_or_raise()
            vals["team_id"] = team.id
            vals["stage_id"] = team.sudo()._get_applicable_stages()[:1].id
        return vals

    @http.route()
    def submit_ticket(self, **kw):
        # Checked before anything is created: a 400 page with the message.
        self._support_portal_priority(kw.get("priority"))
        partner = request.env.user.partner_id
        if not partner._support_is_authorized():
            raise UserError(partner._support_get_not_authorized_message())
        response = super().submit_ticket(**kw)
        # helpdesk_mgmt redirects to the new ticket (kept as is): its page says
        # it was received, once (portal_ticket.py).
        location = response.headers.get("Location", "")
        ticket_id = location.rpartition("/my/ticket/")[2]
        if ticket_id.isdigit():
            request.session["support_created_ticket_id"] = int(ticket_id)
        return response
