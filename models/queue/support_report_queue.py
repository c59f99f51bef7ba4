# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api, fields, models

from ...lib.guard import internal


class SupportReportQueue(models.Model):
    """Intervention reports to email, queued by the user's save.

    Closing a ticket (or logging time, when the company sends a report after
    each intervention) queues the ticket here and triggers the scheduled job
    at once: the save returns without waiting for wkhtmltopdf. The job renders
    and posts the report as the user who queued it; an entry is removed in the
    transaction that posts its email (nothing sent twice) and stays, failed,
    when the sending fails (retried by the next runs, nothing lost:
    ``support.queue.mixin``).

    Technical: written by the addon's code only, read by administrators.
    """

    _name = "support.report.queue"
    _inherit = ["support.queue.mixin"]
    _description = "Support Intervention Report Queue"
    _order = "id"
    _queue_cron = "helpdesk_support_pack.ir_cron_support_report_queue"
    _queue_batch = 50

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )

    # ------------------------------------------------------------------
    # Queueing
    # ------------------------------------------------------------------
    @api.model
    def _enqueue(self, tickets):
        """Queue the report of ``tickets`` and have the job run at once, after
        the commit. Two entries of one ticket make one email (the job sends
        what is not reported yet)."""
        if not tickets:
            return self.browse()
        entries = internal(self).create(
            [{"ticket_id": ticket.id} for ticket in tickets]
        )
        self._queue_trigger()
        return entries

    # ------------------------------------------------------------------
    # Processing
    # ------------------------------------------------------------------
    def _send(self):
        """Email the report of the entry's ticket as the agent who queued it
        (the superuser for a customer closing the ticket on the portal)."""
        self.ensure_one()
        user = self.create_uid
        if user and not user.share:
            ticket = self.ticket_id.with_user(user)
        else:
            ticket = self.ticket_id.with_user(SUPERUSER_ID)
        ticket._support_send_intervention_report()

    def _queue_units(self):
        """One email per ticket, whatever the number of its entries."""
        return list(self.grouped("ticket_id").values())

    def _queue_do(self):
        self[:1]._send()
        internal(self).unlink()

    @api.model
    def _cron_send_reports(self):
        """The scheduled job: send the queued reports, one ticket at a time.
        Returns the number of reports sent."""
        return self._queue_run()
