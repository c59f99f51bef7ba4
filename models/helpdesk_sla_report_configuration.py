# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .ticket.helpdesk_ticket_configuration import (
    SUPPORT_MAINTENANCE_TYPES,
    SUPPORT_SEVERITIES,
)


class HelpdeskSlaReport(models.Model):
    """SLA compliance by error severity and maintenance type."""

    _inherit = "helpdesk.sla.report"

    support_severity = fields.Selection(
        SUPPORT_SEVERITIES, string="Severity", readonly=True
    )
    support_maintenance_type = fields.Selection(
        SUPPORT_MAINTENANCE_TYPES, string="Maintenance Type", readonly=True
    )

    def _select_sla(self):
        return (
            super()._select_sla()
            + """,
            ht.support_severity AS support_severity,
            ht.support_maintenance_type AS support_maintenance_type
            """
        )
