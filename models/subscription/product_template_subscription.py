# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...lib.units import QUANTITY_DIGITS


class ProductTemplate(models.Model):
    """A support subscription (e-ABC's "abono mensual"): a contract product
    (product_contract's recurrence) whose offer gives an allowance per period,
    a scope of ticket categories and an SLA team. Each posted period invoice
    issues the period's allowance as a pack valid for that period
    (``account.move``); no allowance: the scope is included while the
    contract runs and nothing is counted."""

    _inherit = "product.template"

    support_subscription_ok = fields.Boolean(
        string="Is a Support Subscription",
        help="A contract product: each invoice of a period issues the period's "
        "allowance as a support pack valid for that period, and the offer's "
        "scope decides which ticket categories are included, counted or not "
        "covered while the contract runs.",
    )
    support_allowance_quantity = fields.Float(
        string="Allowance per Period",
        digits=(16, QUANTITY_DIGITS),
        help="Hours or credits (the pack unit) granted for each period invoiced, "
        "per unit sold. 0: unlimited, the scope's categories are included and "
        "nothing is counted.",
    )
    support_included_category_ids = fields.Many2many(
        "helpdesk.ticket.category",
        "product_template_support_included_category_rel",
        "product_tmpl_id",
        "category_id",
        string="Included Categories",
        help="Covered by the subscription: time logged on these tickets "
        "consumes nothing.",
    )
    support_counted_category_ids = fields.Many2many(
        "helpdesk.ticket.category",
        "product_template_support_counted_category_rel",
        "product_tmpl_id",
        "category_id",
        string="Counted Categories",
        help="Covered by the subscription and counted against the period's "
        "allowance (included when the allowance is unlimited).",
    )
    support_excluded_category_ids = fields.Many2many(
        "helpdesk.ticket.category",
        "product_template_support_excluded_category_rel",
        "product_tmpl_id",
        "category_id",
        string="Not Covered Categories",
        help="Excluded from the subscription (custom development, "
        "integrations...): no time can be logged on these tickets, they are "
        "quoted.",
    )
    support_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        help="Team (and so SLA policies) of the tickets the customer opens "
        "without a team while the subscription runs.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("support_subscription_ok"):
                # an unused allowance expires with its period unless the
                # product says otherwise
                vals.setdefault("support_pack_carry_over", "never")
        return super().create(vals_list)

    @api.constrains(
        "support_subscription_ok",
        "is_contract",
        "support_pack_ok",
        "support_maintenance_ok",
        "support_allowance_quantity",
        "support_included_category_ids",
        "support_counted_category_ids",
        "support_excluded_category_ids",
    )
    def _check_support_subscription(self):
        for product in self.filtered("support_subscription_ok"):
            if not product.is_contract or not product.recurring_rule_type:
                raise ValidationError(
                    self.env._(
                        "The support subscription %s needs a recurrence: make it "
                        "a subscription (contract) product invoiced each period.",
                        product.display_name,
                    )
                )
            if product.support_pack_ok or product.support_maintenance_ok:
                raise ValidationError(
                    self.env._(
                        "The support subscription %s cannot also be a support "
                        "pack or a maintenance by percentage.",
                        product.display_name,
                    )
                )
            if product.support_allowance_quantity < 0:
                raise ValidationError(
                    self.env._(
                        "The allowance per period of the support subscription "
                        "%s cannot be negative (0: unlimited).",
                        product.display_name,
                    )
                )
            scopes = (
                product.support_included_category_ids,
                product.support_counted_category_ids,
                product.support_excluded_category_ids,
            )
            twice = (
                (scopes[0] & scopes[1])
                | (scopes[0] & scopes[2])
                | (scopes[1] & scopes[2])
            )
            if twice:
                raise ValidationError(
                    self.env._(
                        "In the scope of the support subscription %(product)s, "
                        "a category is either included, counted or not covered: "
                        "%(categories)s is listed twice.",
                        product=product.display_name,
                        categories=", ".join(twice.mapped("display_name")),
                    )
                )

    @api.onchange("support_subscription_ok")
    def _onchange_support_subscription_ok(self):
        if self.support_subscription_ok:
            self.type = "service"
            self.is_contract = True
            # an unused allowance expires with its period unless set otherwise
            self.support_pack_carry_over = "never"

    def _support_subscription_coverage(self, category):
        """The coverage the subscription gives a ticket of ``category``:
        included, counted, not covered, or None (outside its scope: the
        category decides). An unlimited allowance includes what it counts."""
        self.ensure_one()
        if not category:
            return None
        if category in self.support_excluded_category_ids:
            return "not_covered"
        if category in self.support_included_category_ids:
            return "included"
        if category in self.support_counted_category_ids:
            return "counted" if self.support_allowance_quantity > 0 else "included"
        return None
