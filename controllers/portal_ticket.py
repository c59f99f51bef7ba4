# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlencode

import werkzeug
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk

from .portal_support import support_record_id


class SupportTicketPortal(CustomerPortalHelpdesk):
    """The support side of the customer's ticket page: its intervention
    report, and the customer's actions (reopen, confirm the fix, answer an
    estimate)."""

    def _support_ticket_readonly(self):
        """The intervention report of ``/my/ticket/<id>`` only reads (no
        attachment is kept): replica. The page itself stays read/write, as
        helpdesk_mgmt declares it: it gives the ticket's attachments an
        access token when they have none (a write)."""
        return request.httprequest.args.get("report_type") in ("html", "pdf", "text")

    @http.route(readonly=_support_ticket_readonly)
    def portal_my_ticket(
        self, ticket_id, access_token=None, report_type=None, download=False, **kw
    ):
        if not support_record_id(ticket_id):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            ticket_sudo = self._support_get_ticket(ticket_id, access_token)
            if ticket_sudo is None:
                return request.redirect("/my")
            return self._show_report(
                model=ticket_sudo,
                report_type=report_type,
                report_ref="helpdesk_support_pack.helpdesk_ticket_report_intervention",
                download=download,
            )
        return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)

    def _support_messages(self):
        """Messages the ticket page shows after an action, by code: the URL
        carries a code, never free text."""
        _ = request.env._
        return {
            "reopened": ("success", _("The ticket is reopened: the team is told.")),
            "reopened_new": (
                "success",
                _(
                    "The grace period is over: this new ticket follows up the "
                    "closed one."
                ),
            ),
            "confirmed": ("success", _("Thank you for confirming the fix.")),
            "estimate_approved": (
                "success",
                _("Estimate approved: the team can start."),
            ),
            "estimate_refused": (
                "warning",
                _("Estimate refused: the team is told."),
            ),
            "reason_required": ("danger", _("Tell us why you reopen the ticket.")),
            "resolution_pending": (
                "info",
                _(
                    "Our team closes this ticket with an explanation of what "
                    "was wrong and what was done. Once the fix works on your "
                    "side, confirm it on this page."
                ),
            ),
            "refused": (
                "danger",
                _("This action is not possible on this ticket any more."),
            ),
        }

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        values["support"] = ticket._get_support_portal_values()
        if values.get("closed_stages"):
            try:
                ticket.with_env(request.env)._support_check_portal_close()
            except (AccessError, MissingError):
                # helpdesk_mgmt's close buttons: only for whom may close.
                values["closed_stages"] = values["closed_stages"].browse()
        code = kwargs.get("support_message")
        if code:
            values["support_alert"] = self._support_messages().get(code)
        elif request.session.get("support_created_ticket_id") == ticket.id:
            # right after the customer sent it (portal_new_ticket.py): once
            request.session.pop("support_created_ticket_id")
            values["support_alert"] = ("success", values["support"]["created_text"])
        return values

    def _support_ticket_redirect(self, ticket, access_token=None, message=None):
        url = f"/my/ticket/{ticket.id}"
        query = {}
        if access_token:
            query["access_token"] = access_token
        if message:
            query["support_message"] = message
        if query:
            url += "?" + urlencode(query)
        return request.redirect(url)

    def _support_get_ticket(self, ticket_id, access_token):
        """The ticket as sudo once the user's access is checked, or None."""
        ticket_id = support_record_id(ticket_id)
        if not ticket_id:
            return None
        try:
            return self._document_check_access(
                "helpdesk.ticket", ticket_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return None

    def _support_ticket_action(self, ticket_id, access_token, action, message):
        """Run a customer action on a ticket the user may read (checked before the
        sudo()), then come back to the ticket page."""
        ticket_sudo = self._support_get_ticket(ticket_id, access_token)
        if ticket_sudo is None:
            return request.redirect("/my")
        partner = request.env.user.partner_id
        try:
            # A savepoint: a refusal raised half-way leaves nothing written.
            with request.env.cr.savepoint():
                result = action(ticket_sudo, partner)
        except (AccessError, UserError):
            # The actions check their conditions (who acts for the customer,
            # the ticket's state) before writing anything.
            return self._support_ticket_redirect(ticket_sudo, access_token, "refused")
        if isinstance(result, type(ticket_sudo)) and result != ticket_sudo:
            # A follow-up ticket: the customer follows it (no token needed).
            return self._support_ticket_redirect(result, None, "reopened_new")
        return self._support_ticket_redirect(ticket_sudo, access_token, message)

    @http.route(
        "/my/ticket/<int:ticket_id>/reopen",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_ticket_reopen(self, ticket_id, access_token=None, reason=None, **kw):
        if not (reason or "").strip():
            ticket_sudo = self._support_get_ticket(ticket_id, access_token)
            if ticket_sudo is None:
                return request.redirect("/my")
            return self._support_ticket_redirect(
                ticket_sudo, access_token, "reason_required"
            )
        return self._support_ticket_action(
            ticket_id,
            access_token,
            lambda ticket, partner: ticket._support_portal_reopen(reason, partner),
            "reopened",
        )

    @http.route(
        "/my/ticket/<int:ticket_id>/confirm",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_ticket_confirm(self, ticket_id, access_token=None, **kw):
        return self._support_ticket_action(
            ticket_id,
            access_token,
            lambda ticket, partner: ticket._support_portal_confirm(partner),
            "confirmed",
        )

    @http.route(
        "/my/ticket/<int:ticket_id>/estimate/<string:answer>",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_ticket_estimate(self, ticket_id, answer, access_token=None, **kw):
        if answer not in ("approve", "refuse"):
            raise NotFound()
        approve = answer == "approve"
        return self._support_ticket_action(
            ticket_id,
            access_token,
            lambda ticket, partner: ticket._support_portal_answer_estimate(
                approve, partner
            ),
            "estimate_approved" if approve else "estimate_refused",
        )


class SupportPackTicketController(HelpdeskTicketController):
    """helpdesk_mgmt's ticket routes, with the checks they lack."""

    # ------------------------------------------------------------------
    # /ticket/close
    # ------------------------------------------------------------------
    @http.route(methods=["POST"])
    def support_ticket_close(self, **kw):
        """helpdesk_mgmt moves any ticket with sudo() (OCA/helpdesk#1089): here the
        request is a POST with a CSRF token, the user must be able to read the
        ticket (checked before any sudo()) and act for its customer (a contact
        of the customer, or an internal user who may write the ticket), the
        stage must be one of the ticket's team the customer may close to; then
        helpdesk_mgmt does the move and answers as it always does (302 to
        /my/ticket/<id>)."""
        ids = {name: value for name, value in kw.items() if name.endswith("_id")}
        if any(support_record_id(value) is None for value in ids.values()):
            # helpdesk_mgmt would int() them: a 500 on a malformed id.
            return werkzeug.utils.redirect("/my")
        ticket = self._support_closable_ticket(support_record_id(kw.get("ticket_id")))
        if ticket is None:
            return werkzeug.utils.redirect("/my")
        if not self._support_may_close(ticket, support_record_id(kw.get("stage_id"))):
            # Refused as helpdesk_mgmt refuses an invalid stage: back to the page.
            return werkzeug.utils.redirect(f"/my/ticket/{ticket.id}")
        if ticket._support_is_resolution_missing():
            # The team closes it with its resolution: the customer is asked to
            # confirm the fix once it works, rather than shown an error page.
            return werkzeug.utils.redirect(
                f"/my/ticket/{ticket.id}?support_message=resolution_pending"
            )
        return super().support_ticket_close(**kw)

    def _support_closable_ticket(self, ticket_id):
        """The ticket (not sudoed) when the user may read it, else None."""
        if not ticket_id:
            return None
        ticket = request.env["helpdesk.ticket"].browse(ticket_id)
        try:
            ticket.check_access("read")
            return ticket.exists() or None
        except (AccessError, MissingError):
            return None

    def _support_may_close(self, ticket, stage_id):
        """Whether the user may move ``ticket`` (read access checked) to
        ``stage_id``: a contact of the ticket's customer, or an internal user
        who may write the ticket (the model's check); a portal closing stage of
        the ticket's team, and the ticket is not closed yet."""
        try:
            ticket._support_check_portal_close()
        except AccessError:
            return False
        ticket_sudo = ticket.sudo()
        if not stage_id or ticket_sudo.stage_id.closed:
            return False
        stages = ticket_sudo.team_id._get_applicable_stages()
        return stage_id in stages.filtered("close_from_portal").ids

    # ------------------------------------------------------------------
    # /submitted/ticket
    # ------------------------------------------------------------------
    @http.route()
    def submit_ticket(self, **kw):
        """The team and the category decide the ticket's company, SLA and
        billing (coverage, estimate): only a team and a category the portal
        form offers to this user are taken. helpdesk_mgmt takes any id (hidden
        on the portal, inactive, another company's) and int()s it."""
        team_value = (kw.get("team") or "").strip()
        if team_value:
            if support_record_id(team_value) is None:
                raise UserError(request.env._("This team does not exist."))
            # (the same company setting as helpdesk_mgmt's _get_teams)
            if not request.env.user.company_id.helpdesk_mgmt_portal_select_team:
                # The form has no team field: a team sent anyway is not taken.
                kw = dict(kw, team="")
            elif not self._support_portal_team(team_value):
                # A 400 page with the message; the transaction is rolled back.
                raise UserError(
                    request.env._(
                        "This team cannot be chosen on the portal: pick one of "
                        "the teams the form offers."
                    )
                )
        category_value = (kw.get("category") or "").strip()
        if category_value:
            # (the same company setting as helpdesk_mgmt's _get_categories)
            if not request.env.user.company_id.helpdesk_mgmt_portal_select_category:
                # The form has no category field: the team categorizes the ticket.
                kw = dict(kw, category="")
            elif not self._support_portal_category(category_value, **kw):
                # A 400 page with the message; the transaction is rolled back.
                raise UserError(
                    request.env._(
                        "This category cannot be chosen on the portal: pick one "
                        "of the categories the form offers."
                    )
                )
        return super().submit_ticket(**kw)

    def _support_portal_category(self, value, **kw):
        """The category of id ``value`` if the portal form offers it to the user
        (helpdesk_mgmt's own list: active, shown on the portal, of the user's
        company), else an empty recordset."""
        category_id = support_record_id(value)
        if not category_id:
            return request.env["helpdesk.ticket.category"]
        return self._get_categories(**kw).filtered(lambda c: c.id == category_id)

    def _support_portal_team(self, value):
        """The team of id ``value`` if the portal form offers it to the user
        (helpdesk_mgmt's own list: active, shown on the portal, of the user's
        company), else an empty recordset."""
        team_id = support_record_id(value)
        if not team_id:
            return request.env["helpdesk.ticket.team"]
        return self._get_teams().filtered(lambda t: t.id == team_id)
