# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

from ...lib.units import COVERAGES


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    support_coverage = fields.Selection(
        COVERAGES,
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
