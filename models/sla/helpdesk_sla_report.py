# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ..ticket.helpdesk_ticket import (
    SUPPORT_LEVELS,
    SUPPORT_MAINTENANCE_TYPES,
    SUPPORT_SEVERITIES,
    ticket_priorities,
)


class HelpdeskSlaReport(models.Model):
    """SLA compliance by policy, target, priority, level, customer, error
    severity and maintenance type."""

    _inherit = "helpdesk.sla.report"

    company_id = fields.Many2one("res.company", readonly=True)
    sla_id = fields.Many2one("helpdesk.sla", string="Policy", readonly=True)
    target = fields.Selection(
        [("first_response", "First response"), ("resolution", "Resolution")],
        readonly=True,
    )
    priority = fields.Selection(
        selection=ticket_priorities,
        readonly=True,
    )
    support_level = fields.Selection(SUPPORT_LEVELS, readonly=True)
    commercial_partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True
    )
    deadline = fields.Datetime(readonly=True)
    reached_date = fields.Datetime(readonly=True)
    state = fields.Selection(
        [
            ("on_going", "Ongoing"),
            ("expired", "Breached"),
            ("accomplished", "Reached"),
        ],
        string="Status",
        help="Reached in time; breached (reached late, or past its deadline); "
        "ongoing (still running or paused, not due yet).",
    )
    reached_count = fields.Integer(string="# Reached", readonly=True)
    breached_count = fields.Integer(string="# Breached", readonly=True)
    ongoing_count = fields.Integer(
        string="# Ongoing",
        readonly=True,
        help="Targets still running or paused, not due yet.",
    )
    target_count = fields.Integer(string="# Targets", readonly=True)
    reached_percent = fields.Float(
        string="% Reached of Closed Targets",
        aggregator="avg",
        readonly=True,
        help="Share of the closed targets (reached or breached) that were reached "
        "in time; ongoing targets are not counted: read it with # Ongoing "
        "(4 reached and 6 ongoing read 100 %).",
    )
    support_severity = fields.Selection(
        SUPPORT_SEVERITIES, string="Severity", readonly=True
    )
    support_maintenance_type = fields.Selection(
        SUPPORT_MAINTENANCE_TYPES, string="Maintenance Type", readonly=True
    )

    def _select_sla(self):
        state = """CASE
                WHEN hts.state = 'accomplished' THEN 'accomplished'
                WHEN hts.state = 'expired' OR
                    (hts.state = 'in_progress' and hts.deadline < NOW())
                    THEN 'expired'
                ELSE 'on_going'
            END"""
        return (
            super()._select_sla()
            + f""",
            ht.company_id AS company_id,
            hts.sla_id AS sla_id,
            hts.target AS target,
            ht.priority AS priority,
            ht.support_level AS support_level,
            ht.commercial_partner_id AS commercial_partner_id,
            hts.deadline AS deadline,
            hts.reached_date AS reached_date,
            1 AS target_count,
            CASE WHEN {state} = 'accomplished' THEN 1 ELSE 0 END AS reached_count,
            CASE WHEN {state} = 'expired' THEN 1 ELSE 0 END AS breached_count,
            CASE WHEN {state} = 'on_going' THEN 1 ELSE 0 END AS ongoing_count,
            CASE
                WHEN {state} = 'accomplished' THEN 100.0
                WHEN {state} = 'expired' THEN 0.0
            END AS reached_percent,
            ht.support_severity AS support_severity,
            ht.support_maintenance_type AS support_maintenance_type
            """
        )
