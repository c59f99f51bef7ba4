# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...lib.sla import DEFAULT_WARNING_PERCENT, WARNING_PERCENT_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    support_rounding_minutes = fields.Integer(
        related="company_id.support_rounding_minutes", readonly=False
    )
    support_minimum_minutes = fields.Integer(
        related="company_id.support_minimum_minutes", readonly=False
    )
    support_multiplier_low = fields.Float(
        related="company_id.support_multiplier_low", readonly=False
    )
    support_multiplier_medium = fields.Float(
        related="company_id.support_multiplier_medium", readonly=False
    )
    support_multiplier_high = fields.Float(
        related="company_id.support_multiplier_high", readonly=False
    )
    support_multiplier_very_high = fields.Float(
        related="company_id.support_multiplier_very_high", readonly=False
    )
    support_cap_hours = fields.Float(
        related="company_id.support_cap_hours", readonly=False
    )
    support_quotation_product_id = fields.Many2one(
        related="company_id.support_quotation_product_id", readonly=False
    )
    support_reopen_grace_days = fields.Integer(
        related="company_id.support_reopen_grace_days", readonly=False
    )
    support_report_send = fields.Selection(
        related="company_id.support_report_send", readonly=False
    )
    support_low_balance_type = fields.Selection(
        related="company_id.support_low_balance_type", readonly=False
    )
    support_low_balance_percent = fields.Float(
        related="company_id.support_low_balance_percent", readonly=False
    )
    support_low_balance_credits = fields.Float(
        related="company_id.support_low_balance_credits", readonly=False
    )
    support_low_balance_hours = fields.Float(
        related="company_id.support_low_balance_hours", readonly=False
    )
    support_expiry_reminder_days = fields.Integer(
        related="company_id.support_expiry_reminder_days", readonly=False
    )
    helpdesk_sla_warning_percent = fields.Integer(
        string="SLA warning at (%)",
        config_parameter=WARNING_PERCENT_PARAM,
        default=DEFAULT_WARNING_PERCENT,
        help="Share of the allowed time after which the assignee of a ticket "
        "gets a warning activity.",
    )
    # Configuration under maintenance
    support_priority_critical = fields.Selection(
        related="company_id.support_priority_critical", readonly=False
    )
    support_priority_major = fields.Selection(
        related="company_id.support_priority_major", readonly=False
    )
    support_priority_minor = fields.Selection(
        related="company_id.support_priority_minor", readonly=False
    )
    support_priority_temporary = fields.Selection(
        related="company_id.support_priority_temporary", readonly=False
    )
    # Customers' rules
    support_billed_low = fields.Boolean(
        related="company_id.support_billed_low", readonly=False
    )
    support_billed_medium = fields.Boolean(
        related="company_id.support_billed_medium", readonly=False
    )
    support_billed_high = fields.Boolean(
        related="company_id.support_billed_high", readonly=False
    )
    support_billed_very_high = fields.Boolean(
        related="company_id.support_billed_very_high", readonly=False
    )
    # Overdraft
    support_overdraft_policy = fields.Selection(
        related="company_id.support_overdraft_policy", readonly=False
    )
    support_overage_product_id = fields.Many2one(
        related="company_id.support_overage_product_id", readonly=False
    )
    support_overage_unit = fields.Selection(
        related="company_id.support_overage_unit", readonly=False
    )

    # Journeys: the default portal team and pack product
    support_portal_team_id = fields.Many2one(
        related="company_id.support_portal_team_id", readonly=False
    )
    support_default_pack_product_id = fields.Many2one(
        related="company_id.support_default_pack_product_id", readonly=False
    )

    # Release train
    support_release_weekday = fields.Selection(
        related="company_id.support_release_weekday", readonly=False
    )
    support_release_hour = fields.Float(
        related="company_id.support_release_hour", readonly=False
    )
    support_release_calendar_id = fields.Many2one(
        related="company_id.support_release_calendar_id", readonly=False
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
        self._support_check_portal_team_required()
        if self.helpdesk_sla_warning_percent != previous:
            self.env["helpdesk.ticket.sla"]._recompute_warning_deadlines()
        return res

    def _support_check_portal_team_required(self):
        """Once the company has more than one team, the portal's tickets need
        a default team (with a single team, that team)."""
        for settings in self:
            company = settings.company_id
            if (
                not company.support_portal_team_id
                and len(company._support_get_customer_teams()) > 1
            ):
                raise ValidationError(
                    self.env._(
                        "%(company)s has more than one helpdesk team: choose "
                        "the Default Portal Team that takes the tickets "
                        "customers send without picking a team.",
                        company=company.name,
                    )
                )
