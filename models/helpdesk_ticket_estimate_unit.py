# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's rules on a ticket: the estimate in the unit of the
customer's pack, priority multiplier included, recorded when approved."""

from markupsafe import Markup

from odoo import api, fields, models

from ..lib import rounding
from ..lib.guard import internal
from .support_pack import UNITS


class HelpdeskTicketEstimateUnit(models.Model):
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
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def _support_protected_fields(self):
        """The approved amount is written by the approval only."""
        return super()._support_protected_fields() + [
            "support_estimate_quantity",
            "support_estimate_unit",
        ]

    # ------------------------------------------------------------------
    # Estimates in the customer's unit
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

    def _support_portal_answer_estimate(self, approve, partner):
        res = super()._support_portal_answer_estimate(approve, partner)
        if approve:
            self._support_record_estimate_amount(partner)
        return res

    def action_support_approve_estimate_phone(self):
        res = super().action_support_approve_estimate_phone()
        self._support_record_estimate_amount()
        return res
