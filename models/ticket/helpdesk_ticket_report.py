# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The intervention report of a ticket: emailed to the customer (its values
are built by the report model, report/helpdesk_ticket_intervention_report.py)."""

from odoo import fields, models
from odoo.exceptions import UserError

from ...lib.guard import with_flag

# Private context flag (lib.guard.with_flag): the timesheet line ids the
# intervention report lists (all the lines of the ticket without it).
REPORT_LINES_KEY = "support_report_timesheet_ids"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Intervention report - %s", self.number or self.name)

    def _get_support_report_unreported_lines(self):
        self.ensure_one()
        return self.sudo().timesheet_ids.filtered(
            lambda line: not line.support_reported_date
        )

    def _support_send_intervention_report(self):
        """Email the report of the interventions not reported yet to the customer,
        then flag them as reported. Returns the tickets whose report was sent."""
        template = self.env.ref(
            "helpdesk_support_pack.mail_template_support_intervention_report",
            raise_if_not_found=False,
        )
        sent = self.browse()
        if not template:
            return sent
        for ticket in self:
            lines = ticket._get_support_report_unreported_lines()
            if not lines or not ticket.partner_id.email:
                continue
            with_flag(ticket, REPORT_LINES_KEY, lines.ids).message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            lines._support_write_posting(
                {"support_reported_date": fields.Datetime.now()}
            )
            sent |= ticket
        return sent

    def action_support_send_report(self):
        """Email the report of the interventions not reported yet (button)."""
        self.ensure_one()
        self.check_access("write")
        if not self.partner_id.email:
            raise UserError(
                self.env._("The customer of the ticket has no email address.")
            )
        if not self._get_support_report_unreported_lines():
            raise UserError(
                self.env._(
                    "Every intervention of this ticket was already reported to "
                    "the customer: print the report from the Print menu instead."
                )
            )
        count = len(self._get_support_report_unreported_lines())
        self._support_send_intervention_report()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Intervention report sent"),
                "message": self.env._(
                    "The report of %(count)s intervention(s) was queued for "
                    "sending to %(customer)s <%(email)s>; it is in the chatter.",
                    count=count,
                    customer=self.partner_id.name or "",
                    email=self.partner_id.email,
                ),
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
