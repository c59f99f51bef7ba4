# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from .res_company_configuration import SEVERITY_PRIORITY_FIELDS, TICKET_PRIORITIES

TEAM_HELP = "Empty: the company's mapping (Helpdesk settings)."


class HelpdeskTicketTeam(models.Model):
    """The team may map the error severities to other priorities than the
    company's."""

    _inherit = "helpdesk.ticket.team"

    support_priority_critical = fields.Selection(
        TICKET_PRIORITIES, string="Priority of Critical Errors", help=TEAM_HELP
    )
    support_priority_major = fields.Selection(
        TICKET_PRIORITIES, string="Priority of Major Errors", help=TEAM_HELP
    )
    support_priority_minor = fields.Selection(
        TICKET_PRIORITIES, string="Priority of Minor Errors", help=TEAM_HELP
    )
    support_priority_temporary = fields.Selection(
        TICKET_PRIORITIES, string="Priority of Temporary Errors", help=TEAM_HELP
    )

    def _support_get_severity_priority(self, severity):
        """The team's priority for ``severity``; False without team or mapping."""
        if len(self) != 1:
            return False
        fname = SEVERITY_PRIORITY_FIELDS.get(severity)
        return self[fname] if fname else False
