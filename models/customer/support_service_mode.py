# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class SupportServiceMode(models.Model):
    """Who installs a fix and who verifies it, per customer (ActiveProLearn's
    four situations: external hosting, external hosting with the vendor's
    maintenance, vendor hosting, SaaS)."""

    _name = "support.service.mode"
    _description = "Support Service Mode"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    install_by = fields.Selection(
        [("customer", "Customer"), ("vendor", "Vendor")],
        string="Installed By",
        required=True,
        default="vendor",
        help="Customer: the fixed component is attached to the ticket and the "
        "customer downloads and installs it. Vendor: the vendor delivers it.",
    )
    verify_by = fields.Selection(
        [("customer", "Customer"), ("vendor", "Vendor")],
        string="Verified By",
        required=True,
        default="customer",
        help="Customer: the customer's confirmation of the fix on the portal is "
        "the acceptance (recette), automatic after the reopening grace period. "
        "Vendor: closing the ticket requires a proof of the fix (a note or an "
        "attachment), printed on the intervention report.",
    )
    description = fields.Html(translate=True)
    company_id = fields.Many2one("res.company")
