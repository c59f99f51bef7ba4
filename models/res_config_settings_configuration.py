# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

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
