# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.contract.models.contract_line import _MONTHS_PER_RULE

from ...lib.guard import internal


class ContractLine(models.Model):
    """The support sold on a contract.

    - A support subscription (e-ABC's abono): each invoice line of a period
      carries the period's dates, so that the posted invoice issues the
      allowance of exactly that period (``account.move``). Its customer is
      marked as a subscriber: its tickets follow the subscription's scope
      while a line runs, and are not covered once every line has ended
      (``helpdesk.ticket._support_get_coverage``).
    - A maintenance by percentage (IPM): before each invoice its price is set
      to the yearly rate times the sale value of the covered configuration
      items, for the length of the period. An item sold later counts from the
      next period on; an issued invoice never changes."""

    _inherit = "contract.line"

    support_pack_ids = fields.One2many(
        "support.pack", "contract_line_id", string="Support Packs", readonly=True
    )

    support_maintenance_rate = fields.Float(
        string="Maintenance Rate (%)",
        compute="_compute_support_maintenance_rate",
        store=True,
        readonly=False,
        digits=(5, 2),
        help="Yearly percentage of the sale value of the covered configuration "
        "items, kept from the sale (later changes of the product's rates never "
        "change it).",
    )

    @api.depends("product_id")
    def _compute_support_maintenance_rate(self):
        for line in self:
            product = line.product_id.product_tmpl_id
            line.support_maintenance_rate = (
                product._support_maintenance_rate(line.date_start, line.date_end)
                if product.support_maintenance_ok
                else 0.0
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        subscribers = lines.filtered(
            lambda line: line.product_id.support_subscription_ok
        ).contract_id.partner_id.commercial_partner_id
        if subscribers:
            # the customer's tickets follow its subscriptions from now on
            internal(subscribers.filtered(lambda p: not p.support_subscriber)).write(
                {"support_subscriber": True}
            )
        return lines

    def _prepare_invoice_line(self):
        if self.product_id.support_maintenance_ok:
            self._support_maintenance_update_price()
        values = super()._prepare_invoice_line()
        if values and self.product_id.support_subscription_ok:
            # the period this invoice line bills: the allowance it issues is
            # valid for exactly that period, whenever it is posted or paid
            date_start, date_end = self._get_period_to_invoice(
                self.last_date_invoiced, self.recurring_next_date
            )[:2]
            values.update(support_period_start=date_start, support_period_end=date_end)
        return values

    @api.model
    def _support_subscription_domain(self, customer, company):
        return [
            ("contract_id.contract_type", "=", "sale"),
            ("contract_id.partner_id.commercial_partner_id", "=", customer.id),
            ("contract_id.company_id", "=", company.id),
            ("product_id.support_subscription_ok", "=", True),
            ("display_type", "=", False),
        ]

    @api.model
    def _support_get_running_subscription(self, customer, company, date):
        """The support subscription line of ``customer`` (a commercial
        partner) that covers ``date``: the latest started (sudoed)."""
        lines = self.sudo().search(
            self._support_subscription_domain(customer, company)
            + [("date_start", "<=", date), ("is_canceled", "=", False)],
            order="date_start desc, id desc",
        )
        return lines.filtered(lambda line: line._support_runs_on(date))[:1]

    @api.model
    def _support_has_ended_subscription(self, customer, company, date):
        """Whether a support subscription of ``customer`` ended before
        ``date`` (its end date passed, or cancelled)."""
        return bool(
            self.sudo().search_count(
                self._support_subscription_domain(customer, company)
                + [
                    "|",
                    ("is_canceled", "=", True),
                    ("date_end", "<", date),
                ],
                limit=1,
            )
        )

    @api.model
    def _support_get_portal_subscriptions(self, customer, company):
        """What My support shows of the subscriptions of ``customer`` (a
        commercial partner): those running today or ended less than a year
        ago, newest first, each with its allowance, scope and periods (the
        packs it issued). Nothing is read for a customer who never
        subscribed."""
        if not customer.support_subscriber:
            return []
        today = fields.Date.context_today(self)
        lines = self.sudo().search(
            self._support_subscription_domain(customer, company)
            + [
                "|",
                ("date_end", "=", False),
                ("date_end", ">=", today - relativedelta(years=1)),
            ],
            order="date_start desc, id desc",
        )
        pack_model = self.env["support.pack"]
        subscriptions = []
        for line in lines:
            product = line.product_id.product_tmpl_id
            allowance = product.support_allowance_quantity
            subscriptions.append(
                {
                    "line": line,
                    "name": line.product_id.display_name,
                    "contract": line.contract_id.display_name,
                    "running": line._support_runs_on(today),
                    "date_start": line.date_start,
                    "date_end": line.date_end,
                    "next_invoice": line.recurring_next_date
                    if line._support_runs_on(today)
                    else False,
                    "recurrence": line._support_recurrence_text(),
                    "allowance": pack_model._format_quantity(
                        allowance, product.support_pack_unit
                    )
                    if allowance > 0
                    else False,
                    "included": product.support_included_category_ids.mapped("name"),
                    "counted": product.support_counted_category_ids.mapped("name"),
                    "excluded": product.support_excluded_category_ids.mapped("name"),
                }
            )
        return subscriptions

    def _support_recurrence_text(self):
        """How often the line is invoiced, as a customer reads it."""
        self.ensure_one()
        _ = self.env._
        interval = self.recurring_interval or 1
        texts = {
            "daily": (_("every day"), _("every %s days")),
            "weekly": (_("every week"), _("every %s weeks")),
            "monthly": (_("every month"), _("every %s months")),
            "monthlylastday": (_("every month"), _("every %s months")),
            "quarterly": (_("every quarter"), _("every %s quarters")),
            "semesterly": (_("every semester"), _("every %s semesters")),
            "yearly": (_("every year"), _("every %s years")),
        }
        one, many = texts.get(self.recurring_rule_type, texts["monthly"])
        return one if interval == 1 else many % interval

    def _support_runs_on(self, date):
        """Whether this subscription line covers ``date``: started, not
        ended (its end date or its cancellation)."""
        self.ensure_one()
        return bool(
            not self.is_canceled
            and self.date_start
            and self.date_start <= date
            and (not self.date_end or date <= self.date_end)
        )

    def _support_maintenance_period_amount(self, period_start):
        """The price of the period starting on ``period_start``: yearly rate
        x sale value of the items covered on that day x months / 12."""
        self.ensure_one()
        order = self.sale_order_line_id.sudo().order_id
        items = self.env["support.configuration.item"]._support_maintained_items(
            self.contract_id.partner_id,
            self.contract_id.company_id,
            order,
            period_start,
        )
        return self._support_maintenance_amount(
            items.sale_line_id,
            self.support_maintenance_rate,
            self.recurring_rule_type,
            self.recurring_interval,
            self.contract_id.currency_id,
        )

    @api.model
    def _support_maintenance_amount(
        self, sale_lines, rate, rule_type, interval, currency
    ):
        """Yearly ``rate`` (percent) x the sale value of the covered items:
        the subtotals of ``sale_lines`` (the lines that sold them, after
        discount, before tax), for a period of ``interval`` x ``rule_type``."""
        value = sum(sale_lines.mapped("price_subtotal"))
        months = _MONTHS_PER_RULE.get(rule_type, 1.0) * (interval or 1)
        return currency.round(value * rate / 100.0 * months / 12.0)

    def _support_maintenance_update_price(self):
        """Set the price of the period about to be invoiced."""
        self.ensure_one()
        period_start = self._get_period_to_invoice(
            self.last_date_invoiced, self.recurring_next_date
        )[0]
        if not period_start:
            return
        amount = self._support_maintenance_period_amount(period_start)
        if self.automatic_price or self.currency_id.compare_amounts(
            amount, self.price_unit
        ):
            self.write({"automatic_price": False, "specific_price": amount})
