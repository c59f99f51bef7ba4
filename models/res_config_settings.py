# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


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
