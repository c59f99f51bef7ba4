# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

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
