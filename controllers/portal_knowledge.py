# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class SupportKnowledgePortal(CustomerPortal):
    """Solved tickets: the customer searches its own company's closed tickets
    by words and reads their resolutions (knowledge kept, IPM)."""

    _support_solved_per_page = 20

    @http.route(
        ["/my/support/solved", "/my/support/solved/page/<int:page>"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_support_solved(self, page=1, search=None, **kw):
        ticket_model = request.env["helpdesk.ticket"]
        if not ticket_model.has_access("read"):
            return request.redirect("/my")
        search = (search or "").strip()
        partner = request.env.user.partner_id
        step = self._support_solved_per_page
        # The company's domain and the user's record rules, no sudo(): only
        # the page's records are read as superuser, below.
        tickets, total = ticket_model._support_search_solved(
            partner, search, limit=step, offset=(max(page, 1) - 1) * step
        )
        pager = portal_pager(
            url="/my/support/solved",
            url_args={"search": search} if search else {},
            total=total,
            page=page,
            step=step,
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "tickets": tickets.sudo(),
                "search": search,
                "total": total,
                "pager": pager,
                "page_name": "support_solved",
                "default_url": "/my/support/solved",
            }
        )
        return request.render("helpdesk_support_pack.portal_my_support_solved", values)
