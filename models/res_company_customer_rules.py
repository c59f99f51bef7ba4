# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# Priorities billed even when the ticket's category is included (a confirmed
# bug): Claroline bills urgent work "quelle que soit la cause".
PRIORITY_BILLED_FIELDS = {
    "0": "support_billed_low",
    "1": "support_billed_medium",
    "2": "support_billed_high",
    "3": "support_billed_very_high",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    support_billed_low = fields.Boolean(
        string="Low Priority Always Billed",
        help="Time on a low priority ticket is counted even when its category "
        "is included in the support contract.",
    )
    support_billed_medium = fields.Boolean(
        string="Medium Priority Always Billed",
        help="Time on a medium priority ticket is counted even when its "
        "category is included in the support contract.",
    )
    support_billed_high = fields.Boolean(
        string="High Priority Always Billed",
        help="Time on a high priority ticket is counted even when its category "
        "is included in the support contract.",
    )
    support_billed_very_high = fields.Boolean(
        string="Very High Priority Always Billed",
        default=True,
        help="Time on an urgent (very high priority) ticket is counted, with its "
        "multiplier, even when its category is included in the support "
        "contract (a confirmed bug).",
    )

    @api.model
    def _support_priority_billed_fields(self):
        return PRIORITY_BILLED_FIELDS

    def _support_is_priority_always_billed(self, priority):
        """Whether work on a ticket of ``priority`` is counted even when its
        category is included."""
        self.ensure_one()
        fname = self._support_priority_billed_fields().get(priority or "1")
        return bool(fname and self[fname])
