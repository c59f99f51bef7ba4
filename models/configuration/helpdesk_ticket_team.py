# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..ticket.helpdesk_ticket import SUPPORT_LEVELS, ticket_priorities
from .res_company import SEVERITY_PRIORITY_FIELDS

TEAM_HELP = "Empty: the company's mapping (Helpdesk settings)."


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    support_level = fields.Selection(
        SUPPORT_LEVELS,
        default="2",
        help="Support level this team handles.",
    )
    support_escalation_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Escalation Team",
        domain="[('support_level', '=', '3'), ('id', '!=', id)]",
        check_company=True,
        help="Team that takes the tickets escalated to level 3; empty: the first "
        "level 3 team.",
    )
    support_resolution_required = fields.Boolean(
        string="Resolution required on closing",
        help="A ticket of this team is closed only with its resolution: what "
        "was wrong and what was done. The customer reads it on the portal, in "
        "the intervention report and in the closing email.",
    )
    # The team may map the error severities to other priorities than the
    support_priority_critical = fields.Selection(
        ticket_priorities, string="Priority of Critical Errors", help=TEAM_HELP
    )
    support_priority_major = fields.Selection(
        ticket_priorities, string="Priority of Major Errors", help=TEAM_HELP
    )
    support_priority_minor = fields.Selection(
        ticket_priorities, string="Priority of Minor Errors", help=TEAM_HELP
    )
    support_priority_temporary = fields.Selection(
        ticket_priorities, string="Priority of Temporary Errors", help=TEAM_HELP
    )

    @api.constrains("support_escalation_team_id")
    def _check_support_escalation_team_id(self):
        for team in self:
            target = team.support_escalation_team_id
            if target and (target == team or target.support_level != "3"):
                raise ValidationError(
                    self.env._(
                        "The escalation team of %s must be another level 3 team.",
                        team.display_name,
                    )
                )

    # The team may map the error severities to other priorities than the
    def _support_get_severity_priority(self, severity):
        """The team's priority for ``severity``; False without team or mapping."""
        if len(self) != 1:
            return False
        fname = SEVERITY_PRIORITY_FIELDS.get(severity)
        return self[fname] if fname else False
