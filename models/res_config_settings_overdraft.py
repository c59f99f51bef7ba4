# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    support_overdraft_policy = fields.Selection(
        related="company_id.support_overdraft_policy", readonly=False
    )
    support_overage_product_id = fields.Many2one(
        related="company_id.support_overage_product_id", readonly=False
    )
    support_overage_unit = fields.Selection(
        related="company_id.support_overage_unit", readonly=False
    )
