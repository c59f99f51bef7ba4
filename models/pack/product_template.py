# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...lib.units import UNITS


class ProductTemplate(models.Model):
    _inherit = "product.template"

    support_pack_ok = fields.Boolean(
        string="Is a Support Pack",
        help="Selling this product on a quotation creates a prepaid support pack "
        "for the customer when the quotation is confirmed.",
    )
    support_pack_unit = fields.Selection(
        UNITS,
        string="Pack Unit",
        default="credit",
        help="Hours: the pack is consumed by rounded hours. Credits: one credit "
        "per started rounding period (a quarter-hour by default).",
    )
    support_pack_quantity = fields.Float(
        string="Quantity per Unit Sold",
        digits="Product Unit of Measure",
        help="Hours or credits granted for each unit sold: 2 units of a "
        "100-credit pack grant 200 credits.",
    )
    support_pack_validity_months = fields.Integer(
        string="Validity (months)",
        default=12,
        help="The pack can be consumed during this many months from its activation.",
    )
    support_pack_activation = fields.Selection(
        [("order", "On order confirmation"), ("payment", "On invoice payment")],
        string="Activation",
        default="order",
        help="On invoice payment: the pack stays pending until the invoice of "
        "the order line is paid.",
    )
    support_pack_carry_over = fields.Selection(
        [("renewal", "On renewal"), ("never", "Never")],
        string="Carry-over",
        default="renewal",
        help="On renewal: at expiry, the remaining balance moves to the customer's "
        "newest active pack bought before that date. Never: it is lost.",
    )
    support_pack_carry_over_cap = fields.Integer(
        string="Carry-over Cap (%)",
        help="On renewal, carry over at most this share of the quantity "
        "purchased with the pack; the part above it expires. 0: no cap.",
    )

    @api.constrains(
        "support_pack_ok",
        "type",
        "support_pack_unit",
        "support_pack_quantity",
        "support_pack_validity_months",
        "support_pack_carry_over_cap",
    )
    def _check_support_pack(self):
        for template in self.filtered("support_pack_ok"):
            if template.type != "service":
                raise ValidationError(
                    self.env._(
                        "The support pack product %s must be a service.",
                        template.display_name,
                    )
                )
            if not template.support_pack_unit:
                raise ValidationError(
                    self.env._(
                        "Choose the unit (hours or credits) of the support pack %s.",
                        template.display_name,
                    )
                )
            if template.support_pack_quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "The quantity granted by the support pack %s must be positive.",
                        template.display_name,
                    )
                )
            if not 0 <= template.support_pack_carry_over_cap <= 100:
                raise ValidationError(
                    self.env._(
                        "The carry-over cap of the support pack %s is a "
                        "percentage between 0 (no cap) and 100.",
                        template.display_name,
                    )
                )
            if template.support_pack_validity_months <= 0:
                raise ValidationError(
                    self.env._(
                        "The validity of the support pack %s must be at least "
                        "one month.",
                        template.display_name,
                    )
                )

    @api.onchange("support_pack_ok")
    def _onchange_support_pack_ok(self):
        if self.support_pack_ok:
            self.type = "service"
