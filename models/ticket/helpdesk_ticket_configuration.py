# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

SUPPORT_SEVERITIES = [
    ("critical", "Critical"),
    ("major", "Major"),
    ("minor", "Minor"),
    ("temporary", "Temporary"),
]
SUPPORT_MAINTENANCE_TYPES = [
    ("preventive", "Preventive"),
    ("corrective", "Corrective"),
    ("evolutive", "Evolutive"),
]
SUPPORT_REQUEST_TYPES = [
    ("incident", "Error report"),
    ("feature", "Feature request"),
]


class HelpdeskTicket(models.Model):
    """Configuration under maintenance (IPM) on tickets: the affected items of
    the customer's configuration, the error severity (and the priority it
    sets), the maintenance type and whether the customer reports an error or
    asks for a new feature."""

    _inherit = "helpdesk.ticket"

    configuration_item_ids = fields.Many2many(
        "support.configuration.item",
        "helpdesk_ticket_configuration_item_rel",
        "ticket_id",
        "item_id",
        string="Affected Items",
        domain="[('partner_id', '=', commercial_partner_id)]",
        help="Items of the customer's configuration the request is about.",
    )

    support_severity = fields.Selection(
        SUPPORT_SEVERITIES,
        string="Severity",
        tracking=True,
        help="Qualification of the error. It sets the default priority (Helpdesk "
        "settings, or the team's own mapping).",
    )

    support_maintenance_type = fields.Selection(
        SUPPORT_MAINTENANCE_TYPES, string="Maintenance Type", tracking=True
    )

    support_request_type = fields.Selection(
        SUPPORT_REQUEST_TYPES,
        string="Request Type",
        required=True,
        default="incident",
        tracking=True,
        help="A feature request needs an estimate approved by the customer "
        "before time is logged on it.",
    )

    support_delivery_ids = fields.One2many(
        "support.delivery", "ticket_id", string="Deliveries", readonly=True
    )

    support_delivery_count = fields.Integer(compute="_compute_support_delivery_count")

    @api.depends("support_delivery_ids")
    def _compute_support_delivery_count(self):
        for ticket in self:
            ticket.support_delivery_count = len(ticket.support_delivery_ids)

    @api.constrains("configuration_item_ids", "partner_id")
    def _check_configuration_item_ids(self):
        for ticket in self.sudo():
            foreign = ticket.configuration_item_ids.filtered(
                lambda item, t=ticket: item.partner_id != t.commercial_partner_id
            )
            if foreign:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s can only reference items of its "
                        "customer's configuration; %(items)s belong to another "
                        "customer.",
                        ticket=ticket.display_name,
                        items=", ".join(foreign.mapped("display_name")),
                    )
                )

    @api.onchange("support_severity")
    def _onchange_support_severity(self):
        priority = self._support_severity_priority()
        if priority:
            self.priority = priority

    def _support_severity_priority(self, severity=None, team=None, company=None):
        """Default priority of ``severity``: the team's mapping, else the
        company's (False when there is no severity)."""
        severity = severity or (self and self.support_severity)
        if not severity:
            return False
        team = team if team is not None else self.team_id
        company = company or (self and self.company_id) or self.env.company
        return team.sudo()._support_get_severity_priority(
            severity
        ) or company.sudo()._support_get_severity_priority(severity)

    def action_support_record_delivery(self):
        self.ensure_one()
        items = self.configuration_item_ids
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a delivery"),
            "res_model": "support.delivery",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_ticket_id": self.id,
                "default_item_id": items.id if len(items) == 1 else False,
            },
        }

    def action_view_support_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_delivery_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action
