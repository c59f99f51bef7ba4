# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .helpdesk_ticket_sla import DEFAULT_WARNING_PERCENT, WARNING_PERCENT_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    helpdesk_sla_warning_percent = fields.Integer(
        string="SLA warning at (%)",
        config_parameter=WARNING_PERCENT_PARAM,
        default=DEFAULT_WARNING_PERCENT,
        help="Share of the allowed time after which the assignee of a ticket "
        "gets a warning activity.",
    )

    @api.constrains("helpdesk_sla_warning_percent")
    def _check_helpdesk_sla_warning_percent(self):
        for settings in self:
            if not 1 <= settings.helpdesk_sla_warning_percent <= 99:
                raise ValidationError(
                    self.env._("The SLA warning must be between 1 % and 99 %.")
                )

    def set_values(self):
        previous = self.env["helpdesk.ticket.sla"]._get_warning_percent()
        res = super().set_values()
        if self.helpdesk_sla_warning_percent != previous:
            self.env["helpdesk.ticket.sla"]._recompute_warning_deadlines()
        return res
