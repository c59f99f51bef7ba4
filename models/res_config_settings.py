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
