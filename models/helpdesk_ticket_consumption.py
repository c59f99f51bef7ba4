# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..lib.formatting import format_number
from ..lib.guard import internal


class HelpdeskTicketConsumption(models.Model):
    """Consumption of the packs by a ticket: coverage, cap and estimate checks,
    the estimate actions, the quotation of what the packs do not cover."""

    _inherit = "helpdesk.ticket"

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
        if not self.category_id:
            return ("counted", False)
        return (self.support_coverage, self.support_estimate_required)

    def _support_check_time_allowed(self):
        """Refuse logging time the packs must not count (translated reason)."""
        for ticket in self:
            coverage, estimate_required = ticket._support_get_coverage()
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
