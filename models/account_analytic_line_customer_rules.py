# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..lib import rounding


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    def _support_check_line(self):
        res = super()._support_check_line()
        self._support_check_approved_amount()
        return res

    def _support_check_approved_amount(self):
        """Time beyond the approved amount of an estimate (in the customer's
        unit) needs a new approval: raise the estimate and send it again."""
        used = {}
        for line in self:
            ticket = line.sudo().ticket_id
            if not (
                ticket.support_estimate_required
                and ticket.support_estimate_state == "approved"
                and ticket.support_estimate_unit
            ):
                continue
            if ticket._support_get_coverage()[0] != "counted":
                continue
            posting = line._support_prepare_posting()
            quantity = rounding.consumed_quantity(
                posting["rounded_hours"],
                ticket.support_estimate_unit,
                posting["multiplier"],
                posting["unit_minutes"],
            )
            if ticket not in used:
                others = ticket.timesheet_ids - self
                used[ticket] = sum(
                    others.filtered(
                        lambda o, t=ticket: o.support_unit == t.support_estimate_unit
                    ).mapped("support_quantity")
                )
            used[ticket] += quantity
            if (
                float_compare(
                    used[ticket], ticket.support_estimate_quantity, precision_digits=2
                )
                > 0
            ):
                pack_model = self.env["support.pack"]
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s would consume %(used)s, beyond the "
                        "%(approved)s the customer approved: raise the estimate "
                        "and send it again for approval.",
                        ticket=ticket.display_name,
                        used=pack_model._format_quantity(
                            used[ticket], ticket.support_estimate_unit
                        ),
                        approved=pack_model._format_quantity(
                            ticket.support_estimate_quantity,
                            ticket.support_estimate_unit,
                        ),
                    )
                )
