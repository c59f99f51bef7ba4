# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ...lib import rounding


class AccountAnalyticLine(models.Model):
    """The customer's rules on logged time: the approved amount of an
    estimate (called by :meth:`_support_check_line`)."""

    _inherit = "account.analytic.line"

    def _support_check_approved_amount(self, postings):
        """Time beyond the approved amount of an estimate (in the customer's
        unit) needs a new approval: raise the estimate and send it again.

        Whether the ticket needs an approved estimate is the ticket's coverage
        decision (its category, or a feature request), as for the check
        before approval: :meth:`helpdesk.ticket._support_get_coverage`, read
        once per line in its posting (``postings``)."""
        used = {}
        for line in self:
            ticket = line.ticket_id
            posting = postings[line]
            if not (
                posting["estimate_required"]
                and posting["coverage"] == "counted"
                and ticket.support_estimate_state == "approved"
                and ticket.support_estimate_unit
            ):
                continue
            quantity = rounding.consumed_quantity(
                posting["rounded_hours"],
                ticket.support_estimate_unit,
                posting["multiplier"],
                posting["unit_minutes"],
            )
            if ticket not in used:
                # Every line of the ticket, the other agents' too (the user may
                # read only its own): the ticket was checked readable.
                others = ticket.sudo().timesheet_ids - self
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
