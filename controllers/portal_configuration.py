# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal_support import support_record_id

PORTAL_REQUEST_TYPES = ("incident", "feature")


def support_configuration_domain():
    """Items of the user's company: the domain is applied before any sudo()."""
    partner = request.env.user.partner_id.commercial_partner_id
    return [("partner_id", "=", partner.id)]


class SupportConfigurationPortal(CustomerPortal):
    """My configuration: the customer's items, their current version and the
    history of their deliveries."""

    _support_items_per_page = 50

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "support_configuration_count" in counters:
            item_model = request.env["support.configuration.item"]
            values["support_configuration_count"] = (
                item_model.search_count(support_configuration_domain())
                if item_model.has_access("read")
                else 0
            )
        return values

    @http.route(
        ["/my/configuration", "/my/configuration/page/<int:page>"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
        readonly=True,
    )
    def portal_my_configuration(self, page=1, **kw):
        item_model = request.env["support.configuration.item"]
        if not item_model.has_access("read"):
            return request.redirect("/my")
        domain = support_configuration_domain()
        pager = portal_pager(
            url="/my/configuration",
            total=item_model.search_count(domain),
            page=page,
            step=self._support_items_per_page,
        )
        items = item_model.search(
            domain,
            order="item_type, name, id",
            limit=self._support_items_per_page,
            offset=pager["offset"],
        ).sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "items": items,
                "deliveries": self._support_item_deliveries(items),
                "item_types": dict(
                    item_model._fields["item_type"]._description_selection(request.env)
                ),
                "pager": pager,
                "page_name": "support_configuration",
                "default_url": "/my/configuration",
            }
        )
        return request.render("helpdesk_support_pack.portal_my_configuration", values)

    def _support_item_deliveries(self, items):
        """{item id: its deliveries, newest first}, read in one batch."""
        deliveries = (
            request.env["support.delivery"]
            .sudo()
            .search([("item_id", "in", items.ids)], order="date desc, id desc")
        )
        # One read of what the page shows, for all the deliveries.
        deliveries.mapped("ticket_id.number")
        deliveries.mapped("user_id.name")
        result = {item.id: deliveries.browse() for item in items}
        for delivery in deliveries:
            result[delivery.item_id.id] |= delivery
        return result


class SupportConfigurationTicketController(HelpdeskTicketController):
    """New ticket: error report or feature request, and the affected items of
    the customer's configuration."""

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        item_model = request.env["support.configuration.item"]
        values["support_configuration_items"] = (
            item_model.search(support_configuration_domain())
            if item_model.has_access("read")
            else item_model
        )
        return values

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        vals.update(self._support_configuration_ticket_vals(**kw))
        return vals

    def _support_configuration_ticket_vals(self, **kw):
        """Request type and affected items of the form, checked: a value the
        form does not offer raises a clear error, and no ticket is created."""
        vals = {}
        request_type = (kw.get("request_type") or "").strip()
        if request_type:
            if request_type not in PORTAL_REQUEST_TYPES:
                raise UserError(
                    request.env._(
                        "Choose whether you report an error or request a new feature."
                    )
                )
            vals["support_request_type"] = request_type
            vals["support_maintenance_type"] = (
                "evolutive" if request_type == "feature" else "corrective"
            )
        values = request.httprequest.form.getlist("configuration_item_ids")
        values = [value for value in values if value.strip()]
        if values:
            item_ids = {support_record_id(value) for value in values}
            items = request.env["support.configuration.item"]
            if None not in item_ids and items.has_access("read"):
                items = items.search(
                    support_configuration_domain() + [("id", "in", list(item_ids))]
                )
            if None in item_ids or len(items) != len(item_ids):
                raise UserError(
                    request.env._(
                        "Pick the affected items among the items of your configuration."
                    )
                )
            vals["configuration_item_ids"] = [Command.set(items.ids)]
        return vals
