# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .helpdesk_ticket import SUPPORT_LEVELS


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
