# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    support_overdraft_policy = fields.Selection(
        [
            ("deduct", "Deduct from the next pack"),
            ("invoice", "Invoice with an overage product"),
        ],
        string="Overdraft",
        required=True,
        default="deduct",
        help="Time logged with no pack left is an overdraft on the customer. "
        "Deduct: the customer's next pack settles it when it is activated. "
        "Invoice: a quotation with the overage product bills it; confirming "
        "the quotation settles it.",
    )
    support_overage_product_id = fields.Many2one(
        "product.product",
        string="Overage Product",
        domain=[("type", "=", "service"), ("support_pack_ok", "=", False)],
        help="Service put on the quotation that bills an overdraft, its price "
        "being per hour or per credit (Overage Priced Per).",
    )
    support_overage_unit = fields.Selection(
        [("hour", "Hour"), ("credit", "Credit")],
        string="Overage Priced Per",
        required=True,
        default="credit",
        help="Unit of the overage product's price: the quotation's quantity is "
        "the open overdraft in this unit.",
    )

    @api.constrains("support_overage_product_id")
    def _check_support_overage_product(self):
        for company in self:
            product = company.support_overage_product_id
            if product and (product.type != "service" or product.support_pack_ok):
                raise ValidationError(
                    self.env._(
                        "The overage product must be a service that is not a "
                        "support pack."
                    )
                )
