# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SupportMaintenanceRate(models.Model):
    """The yearly rate of a maintenance product for a duration (IPM): 18 % a
    year for 1 year, 16 % a year for 3 years. The rate of a sold maintenance
    is the one of the longest duration that its contract reaches."""

    _name = "support.maintenance.rate"
    _description = "Maintenance Rate by Duration"
    _order = "product_tmpl_id, duration_years"

    product_tmpl_id = fields.Many2one(
        "product.template",
        string="Maintenance Product",
        required=True,
        index=True,
        ondelete="cascade",
    )
    duration_years = fields.Integer(
        string="Duration (years)",
        required=True,
        default=1,
        help="Length of the maintenance contract this rate applies to, in years.",
    )
    rate = fields.Float(
        string="Yearly Rate (%)",
        required=True,
        digits=(5, 2),
        help="Percentage of the sale value of the covered configuration items "
        "invoiced each year (0 to 100).",
    )

    _sql_constraints = [
        (
            "duration_product_unique",
            "unique(product_tmpl_id, duration_years)",
            "A maintenance product has one rate per duration.",
        ),
    ]

    @api.constrains("rate", "duration_years")
    def _check_rate(self):
        for rate in self:
            if not 0.0 <= rate.rate <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The yearly rate of maintenance %(product)s for %(years)s "
                        "year(s) must be between 0 and 100 %% (got %(rate)s %%).",
                        product=rate.product_tmpl_id.display_name,
                        years=rate.duration_years,
                        rate=rate.rate,
                    )
                )
            if rate.duration_years < 1:
                raise ValidationError(
                    self.env._(
                        "The duration of a maintenance rate of %(product)s is at "
                        "least 1 year (got %(years)s).",
                        product=rate.product_tmpl_id.display_name,
                        years=rate.duration_years,
                    )
                )
