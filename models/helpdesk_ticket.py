# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # Consumption (support packs)
    support_estimate_hours = fields.Float(
        string="Estimate (hours)",
        tracking=True,
        copy=False,
        help="Time the request should take. Above the cap (Helpdesk settings) "
        "the request is out of the packs and turned into a quotation.",
    )
    support_estimate_state = fields.Selection(
        [
            ("none", "Not sent"),
            ("sent", "Sent"),
            ("approved", "Approved"),
            ("refused", "Refused"),
        ],
        string="Estimate Status",
        required=True,
        readonly=True,
        default="none",
        tracking=True,
        copy=False,
    )
    support_estimate_required = fields.Boolean(
        related="category_id.support_estimate_required"
    )
    support_coverage = fields.Selection(related="category_id.support_coverage")
    support_over_cap = fields.Boolean(compute="_compute_support_over_cap")
    support_quantity = fields.Float(
        string="Support Consumed",
        compute="_compute_support_quantity",
        store=True,
        digits=(16, 2),
        help="Hours or credits consumed on the customer's packs by the time "
        "logged on this ticket (overdraft included).",
    )
    support_rounded_hours = fields.Float(
        string="Rounded Time",
        compute="_compute_support_quantity",
        store=True,
        digits=(16, 2),
    )
    support_sale_order_ids = fields.One2many(
        "sale.order", "support_ticket_id", string="Quotations", readonly=True
    )
    support_sale_order_count = fields.Integer(
        compute="_compute_support_sale_order_count"
    )

    @api.depends("support_estimate_hours", "company_id.support_cap_hours")
    def _compute_support_over_cap(self):
        for ticket in self:
            ticket.support_over_cap = ticket._support_is_over_cap()

    @api.depends(
        "timesheet_ids.support_quantity", "timesheet_ids.support_rounded_hours"
    )
    def _compute_support_quantity(self):
        # The lines hold what their live moves post, so this equals the ledger
        # moves of the ticket, read from the lines already in cache.
        for ticket in self:
            lines = ticket.timesheet_ids
            ticket.support_quantity = sum(lines.mapped("support_quantity"))
            ticket.support_rounded_hours = sum(lines.mapped("support_rounded_hours"))

    def _compute_support_sale_order_count(self):
        counts = dict(
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [("support_ticket_id", "in", self.ids)],
                ["support_ticket_id"],
                ["__count"],
            )
        )
        for ticket in self:
            ticket.support_sale_order_count = counts.get(ticket._origin, 0)

    def write(self, vals):
        if "support_estimate_hours" in vals:
            # A higher estimate than the one sent or approved needs a new approval.
            raised = self.filtered(
                lambda t: t.support_estimate_state in ("sent", "approved")
                and float_compare(
                    vals["support_estimate_hours"] or 0.0,
                    t.support_estimate_hours,
                    precision_digits=2,
                )
                > 0
            )
            if raised:
                super(HelpdeskTicket, raised).write({"support_estimate_state": "none"})
        return super().write(vals)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _support_is_over_cap(self):
        self.ensure_one()
        cap = self.company_id.support_cap_hours
        return (
            bool(cap)
            and float_compare(self.support_estimate_hours, cap, precision_digits=2) > 0
        )

    def _support_get_coverage(self):
        """(coverage, estimate required) of the ticket's category."""
        self.ensure_one()
        return self.env["helpdesk.ticket.category"]._support_get_rules(
            self.category_id.id
        )

    def _support_check_time_allowed(self):
        """Refuse logging time the packs must not count (translated reason)."""
        for ticket in self:
            coverage, estimate_required = ticket._support_get_coverage()
            if not ticket.commercial_partner_id:
                raise UserError(
                    self.env._(
                        "Ticket %s has no customer: set its contact before "
                        "logging time, so that the right support pack is used.",
                        ticket.display_name,
                    )
                )
            if coverage == "not_covered":
                raise UserError(
                    self.env._(
                        "The category %(category)s of ticket %(ticket)s is not "
                        "covered by the support packs: no time can be logged on "
                        "it. Use the button 'Create quotation' on the ticket.",
                        category=ticket.category_id.display_name,
                        ticket=ticket.display_name,
                    )
                )
            if ticket._support_is_over_cap():
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s is estimated at %(estimate)s h, above "
                        "the %(cap)s h a support pack covers: no time can be "
                        "logged on it. Use the button 'Create quotation' on the "
                        "ticket.",
                        ticket=ticket.display_name,
                        estimate=f"{ticket.support_estimate_hours:g}",
                        cap=f"{ticket.company_id.support_cap_hours:g}",
                    )
                )
            if estimate_required and ticket.support_estimate_state != "approved":
                raise UserError(
                    self.env._(
                        "The customer has not approved the estimate of ticket "
                        "%s yet: send the estimate and log time once it is "
                        "approved.",
                        ticket.display_name,
                    )
                )

    def _prepare_support_quotation_values(self, product):
        self.ensure_one()
        return {
            "partner_id": self.commercial_partner_id.id,
            "origin": self.number,
            "support_ticket_id": self.id,
            "company_id": self.company_id.id,
            "order_line": [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": self.support_estimate_hours or 1.0,
                        "name": f"{product.display_name}\n{self.display_name}",
                    }
                )
            ],
        }

    def _get_support_quotation_product(self):
        self.ensure_one()
        return self.company_id.support_quotation_product_id or self.env.ref(
            "helpdesk_support_pack.product_support_deployment",
            raise_if_not_found=False,
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_support_send_estimate(self):
        self.ensure_one()
        self.check_access("write")
        if self.support_estimate_hours <= 0:
            raise UserError(self.env._("Enter the estimate (hours) before sending it."))
        if not self.partner_id:
            raise UserError(
                self.env._("The ticket has no customer to send the estimate to.")
            )
        self.support_estimate_state = "sent"
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Estimate for ticket %(ticket)s: %(hours)s h. Please approve it "
                "so that we can start the work.",
                ticket=self.display_name,
                hours=f"{self.support_estimate_hours:g}",
            ),
            partner_ids=self.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def action_support_approve_estimate_phone(self):
        self.ensure_one()
        self.check_access("write")
        if self.support_estimate_state != "sent":
            raise UserError(self.env._("Only a sent estimate can be approved."))
        self.support_estimate_state = "approved"
        self.message_post(
            body=self.env._(
                "Estimate of %(hours)s h approved by phone, recorded by %(user)s.",
                hours=f"{self.support_estimate_hours:g}",
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_support_create_quotation(self):
        self.ensure_one()
        self.check_access("write")
        if not self.commercial_partner_id:
            raise UserError(
                self.env._("The ticket needs a customer to create a quotation.")
            )
        product = self._get_support_quotation_product()
        if not product:
            raise UserError(
                self.env._(
                    "Choose the quotation service in the Helpdesk settings first."
                )
            )
        order_model = self.env["sale.order"]
        can_sell = order_model.has_access("create")
        # The agent may write the ticket (checked above); without sales rights the
        # draft quotation is created for the sales team to complete.
        order = (order_model if can_sell else order_model.sudo()).create(
            self._prepare_support_quotation_values(product)
        )
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._("Quotation %s created for this request.", order.name),
            subtype_xmlid="mail.mt_note",
        )
        if not can_sell:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._(
                        "Quotation %s created: the sales team will complete it.",
                        order.name,
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quotation"),
            "res_model": "sale.order",
            "res_id": order.id,
            "views": [(False, "form")],
            "view_mode": "form",
        }

    def action_view_support_sale_orders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quotations"),
            "res_model": "sale.order",
            "domain": [("support_ticket_id", "=", self.id)],
            "views": [(False, "list"), (False, "form")],
            "view_mode": "list,form",
        }
