# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

ITEM_TYPES = [
    ("hardware", "Hardware"),
    ("os", "OS and patches"),
    ("application", "Application"),
    ("parameter", "Parameter"),
    ("interface", "Interface"),
]


class SupportConfigurationItem(models.Model):
    """One element of a customer's configuration under maintenance (IPM):
    hardware, OS and patches, applications, parameters, interfaces. Its
    current version is the one of its last delivery; its history is the list
    of its deliveries, which are never rewritten."""

    _name = "support.configuration.item"
    _description = "Configuration Item"
    _inherit = ["mail.thread"]
    _order = "partner_id, item_type, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        help="The customer's company (commercial partner): a contact given here "
        "is replaced by its company.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    item_type = fields.Selection(
        ITEM_TYPES, string="Type", required=True, default="application", tracking=True
    )
    version = fields.Char(
        compute="_compute_version",
        store=True,
        readonly=False,
        tracking=True,
        help="Current version: the one of the last delivery. Set it by hand only "
        "before the first delivery; later, record a delivery.",
    )
    serial = fields.Char(string="Serial / Reference")
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        help="What is delivered, when the item is one of the products you sell.",
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Sold On",
        index="btree_not_null",
        ondelete="restrict",
        copy=False,
        tracking=True,
        domain="[('order_partner_id', 'child_of', partner_id), "
        "('display_type', '=', False)]",
        help="The sale order line that sold this item: its subtotal (after "
        "discount, before tax) is the item's value in the price of a maintenance "
        "by percentage of the sale.",
    )
    parent_id = fields.Many2one(
        "support.configuration.item",
        string="Runs On",
        index="btree_not_null",
        ondelete="restrict",
        domain="[('partner_id', '=', partner_id), ('id', '!=', id)]",
        help="Item this one is installed on (an application on a terminal).",
    )
    child_ids = fields.One2many("support.configuration.item", "parent_id")
    notes = fields.Text()
    delivery_ids = fields.One2many(
        "support.delivery", "item_id", string="Deliveries", readonly=True
    )
    delivery_count = fields.Integer(compute="_compute_delivery_count")
    last_delivery_date = fields.Date(compute="_compute_version", store=True)
    active = fields.Boolean(default=True)

    @api.depends("delivery_ids.version", "delivery_ids.date")
    def _compute_version(self):
        for item in self:
            last = item.delivery_ids.sorted(lambda d: (d.date, d.id))[-1:]
            if last:
                item.version = last.version
            item.last_delivery_date = last.date

    @api.depends("delivery_ids")
    def _compute_delivery_count(self):
        for item in self:
            item.delivery_count = len(item.delivery_ids)

    @api.constrains("parent_id", "partner_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("A configuration item cannot run on itself.")
            )
        for item in self:
            if item.parent_id and item.parent_id.partner_id != item.partner_id:
                raise ValidationError(
                    self.env._(
                        "Item %(item)s and the item it runs on, %(parent)s, must "
                        "belong to the same customer.",
                        item=item.display_name,
                        parent=item.parent_id.display_name,
                    )
                )

    @api.constrains("sale_line_id", "partner_id", "company_id")
    def _check_sale_line_id(self):
        for item in self.filtered("sale_line_id"):
            line = item.sale_line_id.sudo()
            if (
                line.order_id.partner_id.commercial_partner_id != item.partner_id
                or line.company_id != item.company_id
            ):
                raise ValidationError(
                    self.env._(
                        "Item %(item)s of %(customer)s cannot be linked to line "
                        "%(line)s: that line sold to another customer or company.",
                        item=item.display_name,
                        customer=item.partner_id.display_name,
                        line=line.display_name,
                    )
                )

    @api.model
    def _support_maintained_items(self, partner, company, order, date=None):
        """The items of a customer that a maintenance sold on ``order``
        covers: the items sold on that order, and the items sold on confirmed
        orders (before ``date``, the day a period starts, when given). Read as
        superuser within the customer's items: pricing runs for the contract's
        invoicing, whoever starts it."""
        sold_domain = [("sale_line_id.state", "=", "sale")]
        if date:
            sold_domain.append(
                (
                    "sale_line_id.order_id.date_order",
                    "<",
                    fields.Datetime.to_datetime(date),
                )
            )
        domain = expression.AND(
            [
                [
                    ("partner_id", "=", partner.commercial_partner_id.id),
                    ("company_id", "=", company.id),
                    ("sale_line_id", "!=", False),
                ],
                expression.OR(
                    [[("sale_line_id.order_id", "=", order.id)], sold_domain]
                ),
            ]
        )
        return self.sudo().search(domain)

    @api.model
    def _support_commercial_vals(self, vals):
        """The customer is always the commercial partner."""
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals = dict(vals, partner_id=partner.commercial_partner_id.id)
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._support_commercial_vals(v) for v in vals_list])

    def write(self, vals):
        vals = self._support_commercial_vals(vals)
        delivered = self.filtered("delivery_ids")
        if delivered and "version" in vals:
            raise UserError(
                self.env._(
                    "The version of %s is the one of its last delivery: record a "
                    "delivery instead of editing it.",
                    delivered[0].display_name,
                )
            )
        if delivered and "partner_id" in vals:
            if any(item.partner_id.id != vals["partner_id"] for item in delivered):
                raise UserError(
                    self.env._(
                        "Item %s was delivered to its customer: it cannot move to "
                        "another customer (archive it and create a new one).",
                        delivered[0].display_name,
                    )
                )
        if delivered and "company_id" in vals:
            # The deliveries' company follows the item's: their history would
            # move to another company.
            moved = delivered.filtered(
                lambda item: item.company_id.id != vals["company_id"]
            )
            if moved:
                raise UserError(
                    self.env._(
                        "Item %s was delivered in its company: it cannot move to "
                        "another company (archive it and create a new one).",
                        moved[0].display_name,
                    )
                )
        return super().write(vals)

    def action_view_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_delivery_action"
        )
        action["domain"] = [("item_id", "=", self.id)]
        action["context"] = {"default_item_id": self.id}
        return action
