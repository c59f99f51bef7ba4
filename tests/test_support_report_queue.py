# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Intervention reports are queued by the save and sent by the job."""

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import MockEmail

from ..models.queue.support_queue_mixin import MAX_ATTEMPTS
from .test_support_reports import SupportReportCommon

REPORT_CRON = "helpdesk_support_pack.ir_cron_support_report_queue"


@tagged("post_install", "-at_install")
class TestSupportReportQueue(SupportReportCommon, HttpCase, MockEmail):
    def setUp(self):
        super().setUp()
        self.renders = []
        report_class = type(self.env["ir.actions.report"])
        render = report_class._render_qweb_pdf

        self.render_error = None
        self.failing_ids = set()

        def counting_render(report, *args, **kwargs):
            self.renders.append(args[0] if args else None)
            if self.render_error:
                raise self.render_error
            res_ids = args[1] if len(args) > 1 else kwargs.get("res_ids")
            if self.failing_ids & set(res_ids or ()):
                raise OSError("wkhtmltopdf crashed on this ticket")
            return render(report, *args, **kwargs)

        self.patch(report_class, "_render_qweb_pdf", counting_render)
        self.triggers = []
        cron_class = type(self.env["ir.cron"])
        self.patch(
            cron_class,
            "_trigger",
            lambda cron, at=None: self.triggers.append(cron.id),
        )
        self.cron = self.env.ref(REPORT_CRON)

    def _queue(self):
        return self.env["support.report.queue"].sudo().search([])

    def _customer_mails(self):
        return self._new_mails.filtered(lambda m: self.contact_a1 in m.recipient_ids)

    def test_closing_returns_before_the_pdf(self):
        __, ticket = self._two_interventions()
        with self.mock_mail_gateway():
            ticket.with_user(self.agent).stage_id = self.stage_closed
            # The save rendered nothing and sent nothing: the job is triggered.
            self.assertFalse(self.renders)
            self.assertFalse(self._customer_mails())
            self.assertEqual(self._queue().ticket_id, ticket)
            self.assertEqual(self._queue().create_uid, self.agent)
            self.assertIn(self.cron.id, self.triggers)
            self.assertFalse(any(ticket.timesheet_ids.mapped("support_reported_date")))
            self.assertEqual(self._send_queued_reports(), 1)
        self.assertEqual(len(self.renders), 1)
        mails = self._customer_mails()
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.mail_message_id.author_id, self.agent.partner_id)
        self.assertTrue(all(ticket.timesheet_ids.mapped("support_reported_date")))
        self.assertFalse(self._queue())
        # Nothing sent twice: another run has nothing to do.
        with self.mock_mail_gateway():
            self.assertEqual(self._send_queued_reports(), 0)
        self.assertFalse(self._customer_mails())

    def test_logging_time_queues_the_report(self):
        self.company.support_report_send = "intervention"
        self._sell_on("2026-01-05", self.customer_a, self.light)
        ticket = self._ticket(priority="1")
        with self.mock_mail_gateway():
            line = self._log(ticket, 7, date="2026-02-02")
            self._log(ticket, 9, date="2026-02-02")
            self.assertFalse(self.renders)
            self.assertFalse(line.support_reported_date)
            # two lines logged before the job ran: one email
            self.assertEqual(self._queue().ticket_id, ticket)
            self._send_queued_reports()
        self.assertEqual(len(self._customer_mails()), 1)
        self.assertTrue(line.support_reported_date)

    def test_failed_sending_is_kept_and_retried(self):
        __, ticket = self._two_interventions()
        ticket.with_user(self.agent).stage_id = self.stage_closed
        self.render_error = OSError("wkhtmltopdf crashed")
        with (
            self.mock_mail_gateway(),
            self.assertLogs(
                "odoo.addons.helpdesk_support_pack.models.queue.support_queue_mixin",
                "ERROR",
            ),
        ):
            self.assertEqual(self._send_queued_reports(), 0)
        self.assertFalse(self._customer_mails())
        entry = self._queue()
        self.assertEqual(entry.ticket_id, ticket)
        self.assertEqual(entry.attempts, 1)
        self.assertIn("wkhtmltopdf crashed", entry.last_error)
        self.assertFalse(any(ticket.timesheet_ids.mapped("support_reported_date")))
        # Next run: sent once, then nothing left.
        self.render_error = None
        with self.mock_mail_gateway():
            self.assertEqual(self._send_queued_reports(), 1)
            self.assertEqual(self._send_queued_reports(), 0)
        self.assertEqual(len(self._customer_mails()), 1)
        self.assertFalse(self._queue())

    def test_failing_report_does_not_block_the_others(self):
        """A report that cannot be rendered is tried until it failed 5 times,
        then left to a manager; the report queued after it is sent."""
        __, ticket = self._two_interventions()
        other = self._ticket(priority="1", name="Printer offline")
        self._log(other, 7, date="2026-02-04", name="Restarted the spooler")
        self.failing_ids = set(ticket.ids)
        with (
            self.mock_mail_gateway(),
            self.assertLogs(
                "odoo.addons.helpdesk_support_pack.models.queue.support_queue_mixin",
                "ERROR",
            ),
        ):
            ticket.with_user(self.agent).stage_id = self.stage_closed
            other.with_user(self.agent).stage_id = self.stage_closed
            self.assertEqual(self._send_queued_reports(), 1)
            for __ in range(MAX_ATTEMPTS + 1):
                self._send_queued_reports()
        self.assertEqual(len(self._customer_mails()), 1)
        self.assertTrue(all(other.timesheet_ids.mapped("support_reported_date")))
        self.assertRecordValues(
            self._queue(),
            [{"ticket_id": ticket.id, "state": "failed", "attempts": MAX_ATTEMPTS}],
        )
        # capped: the job no longer renders it
        renders = len(self.renders)
        self.assertEqual(self._send_queued_reports(), 0)
        self.assertEqual(len(self.renders), renders)

    def test_queue_is_technical(self):
        """Agents cannot read or write the queue; only the flows fill it."""
        __, ticket = self._two_interventions()
        queue = self.env["support.report.queue"].with_user(self.agent)
        with self.assertRaises(AccessError):
            queue.create({"ticket_id": ticket.id})
        with self.assertRaises(AccessError):
            queue.search([])
        self.assertFalse(self._queue())
