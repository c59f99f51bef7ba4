# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

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


class SupportPortal(CustomerPortalHelpdesk):
    """My support: the customer's packs, their ledger and statement."""

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
    # Packs and ledger
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
        partner = self._support_commercial_partner()
        queue = request.env["support.posting.queue"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "packs": packs.sudo(),
                "pager": pager,
                "page_name": "support",
                "default_url": "/my/support",
                "balance_summary": pack_model._get_portal_balance_summary(partner),
                "forecasts": pack_model._support_get_customer_forecasts(partner),
                "unit_labels": dict(
                    pack_model._fields["unit"]._description_selection(request.env)
                ),
                "balance_level": self._support_balance_level(partner),
                # the customer's support subscriptions (none read otherwise)
                "subscriptions": request.env[
                    "contract.line"
                ]._support_get_portal_subscriptions(partner, request.env.company),
                "buy_product": request.env["sale.order"]
                .sudo()
                ._support_get_usual_pack_product(partner, request.env.company),
                # the balances are not final while a posting is queued
                "posting_pending": bool(
                    queue._support_get_pending_partner_ids(partner)
                ),
            }
        )
        return request.render("helpdesk_support_pack.portal_my_support", values)

    def _support_balance_level(self, partner):
        """How My support shows the balance of ``partner`` (the user's
        company): 'danger' when no live pack has anything left, 'warning'
        when every live pack is low, else 'info'."""
        packs = (
            request.env["support.pack"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("state", "!=", "cancelled")])
        )
        if not packs:
            return "info"
        live = packs.filtered(
            lambda p: p.state == "active" and p.quantity_remaining > 0
        )
        if not live:
            return "danger"
        if all(pack._is_low_balance() for pack in live):
            return "warning"
        return "info"

    def _support_buy_messages(self):
        _ = request.env._
        return {
            "buy_refused": (
                "danger",
                _(
                    "Your company restricts support to its authorized "
                    "contacts: ask one of them to buy more support."
                ),
            ),
            "buy_unavailable": (
                "warning",
                _(
                    "No support pack can be bought online yet: please contact "
                    "us to renew your support."
                ),
            ),
        }

    @http.route(
        "/my/support/buy",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_support_buy(self, **kw):
        """Buy more support: a quotation of the customer's usual pack for the
        user's own contact, opened on Odoo's portal quotation page (sign and
        pay there)."""
        partner = request.env.user.partner_id
        if not partner._support_is_authorized():
            return request.redirect("/my/support?support_message=buy_refused")
        try:
            with request.env.cr.savepoint():
                order = request.env["sale.order"]._support_create_portal_quotation(
                    partner
                )
        except UserError:
            return request.redirect("/my/support?support_message=buy_unavailable")
        return request.redirect(order.get_portal_url())

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
                "chart": json.dumps(pack_sudo.forecast_chart_data or {}),
                "rows": pack_sudo._get_portal_ledger_rows(
                    offset=pager["offset"], limit=self._items_per_page
                ),
                "pager": pager,
                "page_name": "support_pack",
            }
        )
        return request.render("helpdesk_support_pack.portal_my_support_pack", values)
