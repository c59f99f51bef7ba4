# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models, tools


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    support_coverage = fields.Selection(
        [
            ("included", "Included (not counted)"),
            ("counted", "Counted on the pack"),
            ("not_covered", "Not covered (quotation)"),
        ],
        required=True,
        default="counted",
        help="Included: time logged is free and recorded at 0. Counted: time "
        "logged consumes the customer's packs. Not covered: no time can be logged, "
        "the request needs a quotation.",
    )
    support_estimate_required = fields.Boolean(
        string="Estimate Approval Required",
        help="Time can be logged on tickets of this category only once the "
        "customer approved the estimate.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        categories = super().create(vals_list)
        self.env.registry.clear_cache()
        return categories

    def write(self, vals):
        res = super().write(vals)
        if {"support_coverage", "support_estimate_required", "active"} & set(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    @api.model
    @tools.ormcache("category_id")
    def _support_get_rules(self, category_id):
        """(coverage, estimate required) of a category, cached: this is read on
        every timesheet line posted, and categories seldom change."""
        if not category_id:
            return ("counted", False)
        category = self.sudo().browse(category_id)
        return (category.support_coverage, category.support_estimate_required)
