# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import SUPERUSER_ID, api, fields, models

from ..lib.guard import internal

_logger = logging.getLogger(__name__)

CRON_BATCH = 50
REPORT_CRON = "helpdesk_support_pack.ir_cron_support_report_queue"


class SupportReportQueue(models.Model):
    """Intervention reports to email, queued by the user's save.

    Closing a ticket (or logging time, when the company sends a report after
    each intervention) queues the ticket here and triggers the scheduled job
    at once: the save returns without waiting for wkhtmltopdf. The job renders
    and posts the report as the user who queued it; an entry is removed in the
    transaction that posts its email (nothing sent twice) and stays when the
    sending fails (retried by the next run, nothing lost).

    Technical: written by the addon's code only, read by administrators.
    """

    _name = "support.report.queue"
    _inherit = ["support.queue.mixin"]
    _description = "Support Intervention Report Queue"
    _order = "id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    attempts = fields.Integer(
        readonly=True, help="Failed sendings, retried by each run of the job."
    )
    last_error = fields.Char(readonly=True)

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
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(REPORT_CRON)
        self.env["ir.cron"].sudo().browse(cron_id)._trigger()
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

    @api.model
    def _cron_send_reports(self):
        """Send the queued reports, one ticket at a time in a savepoint: one
        that fails stays queued for the next run. The job runs again at once
        while some are left (the cron framework commits after each batch)."""
        entries = internal(self).search([], limit=CRON_BATCH)
        done = 0
        for ticket, ticket_entries in (
            entries._lock_entries().grouped("ticket_id").items()
        ):
            try:
                with self.env.cr.savepoint():
                    ticket_entries[:1]._send()
                    internal(ticket_entries).unlink()
                done += 1
            except Exception as error:  # noqa: BLE001 - retried next run
                _logger.exception(
                    "support packs: the intervention report of ticket %s could "
                    "not be sent; retried by the next run",
                    ticket.id,
                )
                internal(ticket_entries).write(
                    {
                        "attempts": max(ticket_entries.mapped("attempts")) + 1,
                        "last_error": str(error)[:250],
                    }
                )
        left = 0
        if len(entries) >= CRON_BATCH:
            left = internal(self).search_count([("id", ">", entries[-1].id)])
        self.env["ir.cron"]._notify_progress(done=done, remaining=left)
        if left:
            self.env.ref(REPORT_CRON)._trigger()
        return done
