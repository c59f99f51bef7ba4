# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlencode

import werkzeug
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.portal.controllers.portal import pager as portal_pager

# Record ids are PostgreSQL ``integer`` columns: a larger number in a URL or a
# form would make the query fail with a 500.
MAX_RECORD_ID = 2**31 - 1


def support_record_id(value):
    """The record id carried by ``value`` (an int or a string of digits), or None
    when it is missing, malformed or out of PostgreSQL's integer range."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit() or not value.isascii():
            return None
        value = int(value)
    if not isinstance(value, int) or not 0 < value <= MAX_RECORD_ID:
        return None
    return value


class SupportPackPortal(CustomerPortalHelpdesk):
    """My support (packs, ledger, statement) and the support actions on tickets."""

    _support_packs_per_page = 20

    # ------------------------------------------------------------------
    # Home
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "support_pack_count" in counters:
            pack_model = request.env["support.pack"]
            values["support_pack_count"] = (
                pack_model.search_count(self._support_pack_domain())
                if pack_model.has_access("read")
                else 0
            )
        return values

    def _support_commercial_partner(self):
        return request.env.user.partner_id.commercial_partner_id

    def _support_pack_domain(self):
        """Packs of the user's company: the domain is applied before any sudo()."""
        return [
            ("partner_id", "=", self._support_commercial_partner().id),
            ("state", "!=", "cancelled"),
        ]

    # ------------------------------------------------------------------
    # My support: packs and ledger
    # ------------------------------------------------------------------
    # Pages that only read are readonly routes: with --db_replica_host/port,
    # Odoo serves them from the read replica (a write there would be retried
    # on the primary, with a warning).
    @http.route(
        ["/my/support", "/my/support/page/<int:page>"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_support(self, page=1, **kw):
        pack_model = request.env["support.pack"]
        if not pack_model.has_access("read"):
            return request.redirect("/my")
        domain = self._support_pack_domain()
        pack_count = pack_model.search_count(domain)
        pager = portal_pager(
            url="/my/support",
            total=pack_count,
            page=page,
            step=self._support_packs_per_page,
        )
        packs = pack_model.search(
            domain,
            order="date_end desc, id desc",
            limit=self._support_packs_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "packs": packs.sudo(),
                "pager": pager,
                "page_name": "support",
                "default_url": "/my/support",
                "balance_summary": pack_model._get_portal_balance_summary(
                    self._support_commercial_partner()
                ),
            }
        )
        return request.render("helpdesk_support_pack.portal_my_support", values)

    def _support_get_pack(self, pack_id):
        """The pack, sudoed, if it belongs to the user's company; else None."""
        pack_id = support_record_id(pack_id)
        if not pack_id:
            return None
        pack = request.env["support.pack"].search(
            self._support_pack_domain() + [("id", "=", pack_id)], limit=1
        )
        return pack.sudo() if pack else None

    @http.route(
        [
            "/my/support/<int:pack_id>",
            "/my/support/<int:pack_id>/page/<int:page>",
        ],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_support_pack(
        self, pack_id, page=1, report_type=None, download=False, **kw
    ):
        try:
            pack_sudo = self._support_get_pack(pack_id)
        except AccessError:
            pack_sudo = None
        if not pack_sudo:
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=pack_sudo,
                report_type=report_type,
                report_ref="helpdesk_support_pack.support_pack_report_statement",
                download=download,
            )
        move_count = (
            request.env["support.pack.move"]
            .sudo()
            .search_count([("pack_id", "=", pack_sudo.id)])
        )
        pager = portal_pager(
            url=f"/my/support/{pack_sudo.id}",
            total=move_count,
            page=page,
            step=self._items_per_page,
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "pack": pack_sudo,
                "rows": pack_sudo._get_portal_ledger_rows(
                    offset=pager["offset"], limit=self._items_per_page
                ),
                "pager": pager,
                "page_name": "support_pack",
            }
        )
        return request.render("helpdesk_support_pack.portal_my_support_pack", values)

    # ------------------------------------------------------------------
    # Tickets: report, support values and actions
    # ------------------------------------------------------------------
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
            "refused": (
                "danger",
                _("This action is not possible on this ticket any more."),
            ),
        }

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        values["support"] = ticket._get_support_portal_values()
        code = kwargs.get("support_message")
        if code:
            values["support_alert"] = self._support_messages().get(code)
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
        ticket (checked before any sudo()), the stage must be one of the ticket's
        team the customer may close to; then helpdesk_mgmt does the move and
        answers as it always does (302 to /my/ticket/<id>)."""
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
        """Whether the customer may move ``ticket`` (read access checked) to
        ``stage_id``: a portal closing stage of the ticket's team, and the ticket
        is not closed yet."""
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
        """The category decides billing (coverage, estimate): only a category the
        portal form offers to this user is taken. helpdesk_mgmt takes any id
        (hidden on the portal, inactive, another company's) and int()s it."""
        team_value = (kw.get("team") or "").strip()
        if team_value and support_record_id(team_value) is None:
            raise UserError(request.env._("This team does not exist."))
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
