# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""'Buy more support' on the portal: a quotation for the customer's usual pack,
signed and paid on Odoo's own portal quotation page; its pack starts on payment
(sale_order_line.py reads ``support_portal_purchase``). The automatic renewal
(models/pack/support_pack_top_up.py) builds the same quotation."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    support_portal_purchase = fields.Boolean(
        string="Bought from the Portal",
        readonly=True,
        copy=False,
        help='Quotation the customer made with "Buy more support": online '
        "payment is required and its pack starts on payment.",
    )
    support_auto_renewal = fields.Boolean(
        string="Automatic Renewal",
        readonly=True,
        copy=False,
        help="Made by the automatic renewal of the customer when the balance "
        "of one of its packs fell to the low balance threshold.",
    )

    @api.model
    def _support_get_usual_pack_product(self, partner, company):
        """The product of the customer's latest pack that is still a pack
        product, else the company's default pack product."""
        commercial = partner.commercial_partner_id
        packs = (
            self.env["support.pack"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", commercial.id),
                    ("company_id", "=", company.id),
                    ("product_id.support_pack_ok", "=", True),
                    ("product_id.sale_ok", "=", True),
                ],
                order="create_date desc, id desc",
                limit=1,
            )
        )
        return packs.product_id or company.sudo().support_default_pack_product_id

    @api.model
    def _support_prepare_usual_pack_order_values(self, partner, company):
        """Values of a quotation of the usual pack of ``partner``'s customer
        for ``partner``: 'Buy more support' on the portal and the automatic
        renewal (models/pack/support_pack_top_up.py) both build it here."""
        product = self._support_get_usual_pack_product(partner, company)
        if not product:
            raise UserError(
                self.env._(
                    "No support pack can be bought online yet: please contact "
                    "us to renew your support."
                )
            )
        return {
            "partner_id": partner.id,
            "company_id": company.id,
            "order_line": [
                fields.Command.create(
                    {"product_id": product.id, "product_uom_qty": 1.0}
                )
            ],
        }

    @api.model
    def _support_create_portal_quotation(self, partner):
        """The quotation of 'Buy more support' for the portal contact
        ``partner`` (the caller checked it is the user's own partner)."""
        company = self.env.company
        values = self._support_prepare_usual_pack_order_values(partner, company)
        values.update({"require_payment": True, "support_portal_purchase": True})
        order = self.sudo().with_company(company).create(values)
        order.message_post(
            body=self.env._(
                'Quotation made by %(contact)s with "Buy more support" on the '
                "portal: the pack starts on payment.",
                contact=partner.display_name,
            )
        )
        return order
