# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .support_configuration_item import ITEM_TYPES


class ProductTemplate(models.Model):
    """A maintenance product (IPM): a contract product (product_contract)
    priced as a yearly percentage, by duration, of the sale value of the
    customer's configuration items it covers."""

    _inherit = "product.template"

    support_maintenance_ok = fields.Boolean(
        string="Maintenance by Percentage",
        help="A contract product whose price is a yearly percentage of the sale "
        "value of the customer's configuration items, recomputed before each "
        "invoice.",
    )
    support_maintenance_rate_ids = fields.One2many(
        "support.maintenance.rate",
        "product_tmpl_id",
        string="Maintenance Rates",
        copy=True,
    )

    support_configuration_item_type = fields.Selection(
        ITEM_TYPES,
        string="Configuration Item Type",
        help="When set, confirming a sale of this product records each unit sold "
        "as an item of the customer's configuration, linked to its sale line.",
    )

    @api.constrains(
        "support_maintenance_ok",
        "support_maintenance_rate_ids",
        "is_contract",
        "support_pack_ok",
    )
    def _check_support_maintenance(self):
        for product in self.filtered("support_maintenance_ok"):
            if not product.is_contract or product.support_pack_ok:
                raise ValidationError(
                    self.env._(
                        "Maintenance %s must be a contract product (invoiced by "
                        "its contract), not a support pack.",
                        product.display_name,
                    )
                )
            if not product.support_maintenance_rate_ids:
                raise ValidationError(
                    self.env._(
                        "Maintenance %s needs at least one yearly rate by "
                        "duration (e.g. 18 %% for 1 year).",
                        product.display_name,
                    )
                )

    def _support_maintenance_rate(self, date_start, date_end):
        """The yearly rate (percent) of a maintenance running from
        ``date_start`` to ``date_end`` (included): the rate of the longest
        duration it reaches, else (shorter or open-ended) the shortest
        duration's."""
        self.ensure_one()
        rates = self.support_maintenance_rate_ids.sorted("duration_years")
        years = 0
        if date_start and date_end:
            delta = relativedelta(date_end + relativedelta(days=1), date_start)
            years = delta.years
        reached = rates.filtered(lambda rate: rate.duration_years <= years)
        return (reached[-1:] or rates[:1]).rate
