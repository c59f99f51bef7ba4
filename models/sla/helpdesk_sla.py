# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..ticket.helpdesk_ticket import ticket_priorities


class HelpdeskSla(models.Model):
    _inherit = "helpdesk.sla"

    priority = fields.Selection(
        selection=ticket_priorities,
        help="Ticket priority this policy applies to; empty: every priority.",
        tracking=True,
    )
    target = fields.Selection(
        [("first_response", "First response"), ("resolution", "Resolution")],
        required=True,
        default="resolution",
        tracking=True,
        help="First response: reached at the first public reply of an internal "
        "user to the customer. Resolution: reached when the ticket enters the "
        "target stage.",
    )
    use_calendar = fields.Boolean(
        string="Working hours only",
        default=True,
        tracking=True,
        help="Count only the working hours of the team's calendar (public "
        "holidays excluded); unchecked: count around the clock (24/7).",
    )

    @api.constrains("target", "stage_id", "active")
    def _check_target_stage(self):
        # Archived policies may lack it (helpdesk_mgmt_sla's migration creates one).
        for sla in self.filtered("active"):
            if sla.target == "resolution" and not sla.stage_id:
                raise ValidationError(
                    self.env._(
                        "The resolution policy %s needs a target stage.", sla.name
                    )
                )
