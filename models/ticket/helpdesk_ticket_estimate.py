# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The estimate of a ticket and what the packs do not cover: the checks
before time is logged (coverage, cap, approved estimate), the estimate in the
unit of the customer's pack (priority multiplier included) sent, approved and
recorded, the quotation of what the packs do not cover."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ...lib import rounding
from ...lib.formatting import format_number
from ...lib.guard import internal
from ...lib.units import UNITS


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # Estimates in the customer's unit -------------------------------------
    support_estimate_quantity = fields.Float(
        string="Approved Amount",
        readonly=True,
        copy=False,
        digits=(16, 2),
        tracking=True,
        help="What the approved estimate costs in the unit of the customer's "
        "pack, priority multiplier included. Consumption beyond it needs a new "
        "approval.",
    )

    support_estimate_unit = fields.Selection(
        UNITS,
        string="Approved Amount Unit",
        readonly=True,
        copy=False,
    )

    support_estimate_cost = fields.Char(
        string="Estimate Cost",
        compute="_compute_support_estimate_cost",
        help="The estimate in the unit of the pack it will draw from, priority "
        "multiplier included.",
    )

    @api.depends(
        "support_estimate_hours",
        "support_estimate_state",
        "support_estimate_quantity",
        "priority",
        "partner_id",
    )
    @api.depends_context("lang")
    def _compute_support_estimate_cost(self):
        pack_model = self.env["support.pack"]
        for ticket in self:
            if ticket.support_estimate_state == "approved" and (
                ticket.support_estimate_unit
            ):
                quantity = ticket.support_estimate_quantity
                unit = ticket.support_estimate_unit
            elif ticket.support_estimate_hours > 0 and ticket.commercial_partner_id:
                quantity, unit = ticket._support_get_estimate_quantity()
            else:
                ticket.support_estimate_cost = False
                continue
            ticket.support_estimate_cost = pack_model._format_quantity(quantity, unit)

    # ------------------------------------------------------------------
    # Checks before time is logged
    # ------------------------------------------------------------------
    def _support_is_over_cap(self):
        self.ensure_one()
        cap = self.company_id.support_cap_hours
        return (
            bool(cap)
            and float_compare(self.support_estimate_hours, cap, precision_digits=2) > 0
        )

    def _support_check_time_allowed(self):
        """Refuse logging time the packs must not count (translated reason)."""
        for ticket in self:
            coverage, estimate_required = ticket._support_get_coverage()
            if coverage == "not_covered" and not ticket.category_id:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s was opened after the end of the "
                        "support subscription of %(customer)s: no time can be "
                        "logged on it. Use the button 'Create quotation' on the "
                        "ticket.",
                        ticket=ticket.display_name,
                        customer=ticket.commercial_partner_id.display_name,
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
                        estimate=format_number(self.env, ticket.support_estimate_hours),
                        cap=format_number(
                            self.env, ticket.company_id.support_cap_hours
                        ),
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

    # ------------------------------------------------------------------
    # Estimate in the customer's unit
    # ------------------------------------------------------------------
    def _support_get_estimate_quantity(self):
        """(quantity, unit) the estimate costs on the customer's pack: rounded
        to the started period, times the priority multiplier."""
        self.ensure_one()
        company = self.company_id.sudo() or self.env.company
        unit = self._support_get_customer_unit(self.commercial_partner_id, company)
        minutes = company.support_rounding_minutes or 15
        rounded = rounding.round_up_hours(self.support_estimate_hours, minutes)
        quantity = rounding.consumed_quantity(
            rounded, unit, company._support_get_multiplier(self.priority), minutes
        )
        return quantity, unit

    def _support_record_estimate_amount(self, partner=None):
        """Record the approved amount on the ticket and in the chatter."""
        for ticket in self:
            quantity, unit = ticket._support_get_estimate_quantity()
            internal(ticket).write(
                {"support_estimate_quantity": quantity, "support_estimate_unit": unit}
            )
            body = Markup("<p>%s</p>") % self.env._(
                "Approved amount: %(amount)s (estimate %(hours)s h, priority "
                "multiplier included).",
                amount=self.env["support.pack"]._format_quantity(quantity, unit),
                hours=format(ticket.support_estimate_hours, "g"),
            )
            ticket.message_post(
                body=body,
                author_id=partner.id if partner else None,
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _support_get_customer_unit(self, partner, company=None):
        """Unit of the pack the customer's time draws from: the valid pack
        expiring first, else the latest pack, else credits (as the posting)."""
        commercial = partner.sudo().commercial_partner_id
        if not commercial:
            return "credit"
        company = company or self.env.company
        pack_model = self.env["support.pack"].sudo()
        today = fields.Date.context_today(self)
        pack = pack_model.search(
            [
                ("partner_id", "=", commercial.id),
                ("company_id", "=", company.id),
                ("state", "=", "active"),
                ("date_start", "<=", today),
                ("date_end", ">=", today),
            ],
            order="date_end, id",
            limit=1,
        ) or self._support_get_latest_pack(commercial, company)
        return pack.unit or "credit"

    @api.model
    def _support_get_latest_pack(self, commercial, company):
        """The customer's latest pack that is not cancelled (sudo: the packs
        are read for their unit only)."""
        return (
            self.env["support.pack"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", commercial.id),
                    ("company_id", "=", company.id),
                    ("state", "!=", "cancelled"),
                ],
                order="date_end desc, id desc",
                limit=1,
            )
        )

    def _support_send_estimate_mail(self):
        """Post the estimate to the customer with the editable mail template
        (Settings > Technical > Email Templates: "Helpdesk: estimate to
        approve"); a plain message when the template was deleted."""
        self.ensure_one()
        template = self.env.ref(
            "helpdesk_support_pack.mail_template_support_estimate",
            raise_if_not_found=False,
        )
        if template:
            return self.message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.partner_id.ids,
            )
        return self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "Estimate for ticket %(ticket)s: %(hours)s h. Please approve it "
                "so that we can start the work.",
                ticket=self.display_name,
                hours=format(self.support_estimate_hours, "g"),
            ),
            partner_ids=self.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------------
    # Quotation of what the packs do not cover
    # ------------------------------------------------------------------
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
        internal(self, sudo=False).support_estimate_state = "sent"
        self._support_send_estimate_mail()
        return True

    def action_support_approve_estimate_phone(self):
        self.ensure_one()
        self.check_access("write")
        if self.support_estimate_state != "sent":
            raise UserError(self.env._("Only a sent estimate can be approved."))
        internal(self, sudo=False).support_estimate_state = "approved"
        self.message_post(
            body=self.env._(
                "Estimate of %(hours)s h approved by phone, recorded by %(user)s.",
                hours=format_number(self.env, self.support_estimate_hours),
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._support_record_estimate_amount()
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
