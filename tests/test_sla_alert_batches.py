# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The SLA alert job in batches; its alerts are automated activities."""

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import models as odoo_models
from odoo.tests import tagged

from .common_sla import SlaCommon

WARNING = "helpdesk_support_pack.mail_activity_type_sla_warning"
ESCALATION = "helpdesk_support_pack.mail_activity_type_sla_escalation"
ALERT_CRON = "helpdesk_support_pack.ir_cron_helpdesk_sla_alerts"


@tagged("post_install", "-at_install")
class TestSlaAlertBatches(SlaCommon):
    def _create_tickets(self, count, when):
        with freeze_time(self._utc(when)):
            return (
                self.env["helpdesk.ticket"]
                .with_user(self.agent)
                .create(
                    [
                        {
                            "name": f"Platform down {i}",
                            "description": "<p>Nobody can log in</p>",
                            "team_id": self.team.id,
                            "user_id": self.agent.id,
                            "partner_id": self.contact.id,
                            "priority": "2",
                        }
                        for i in range(count)
                    ]
                )
            )

    def _run_batches(self, when):
        """Run the job until nothing is left, as the cron framework does (one
        batch per call); the queries and the progress of each call."""
        counts, progress = [], []
        with (
            freeze_time(self._utc(when)),
            patch.object(
                type(self.env["ir.cron"]),
                "_notify_progress",
                lambda cron, done, remaining, deactivate=False: progress.append(
                    (done, remaining)
                ),
            ),
            patch.object(type(self.env.ref(ALERT_CRON)), "_trigger") as trigger,
            # The ORM writes rows 100 at a time: one statement per batch here,
            # so that any query repeated per target shows in the counts.
            patch.object(odoo_models, "INSERT_BATCH_SIZE", 1000),
            patch.object(odoo_models, "UPDATE_BATCH_SIZE", 1000),
        ):
            while True:
                self.env.flush_all()
                self.env.invalidate_all()
                start = self.env.cr.sql_log_count
                self.env["helpdesk.ticket.sla"]._cron_sla_alerts()
                self.env.flush_all()
                counts.append(self.env.cr.sql_log_count - start)
                if not progress[-1][1]:
                    break
        return counts, progress, trigger.call_count

    def _activities(self, tickets, xmlid, active=True):
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "in", tickets.ids),
                    ("activity_type_id", "=", self.env.ref(xmlid).id),
                    ("active", "in", (True,) if active else (True, False)),
                ]
            )
        )

    def test_batches_of_constant_cost(self):
        """Resolution high, 12 working hours from Monday 10:00: warned on
        Tuesday 13:36, breached on Tuesday 16:00."""
        self._create_tickets(1, "2026-01-12 10:00")  # warm-up
        self._run_batches("2026-01-13 13:40")
        self._run_batches("2026-01-13 16:05")
        ten = self._create_tickets(10, "2026-01-19 10:00")
        thousand = self._create_tickets(1000, "2026-01-26 10:00")
        ten_counts, ten_progress, __ = self._run_batches("2026-01-20 13:40")
        self.assertEqual(ten_progress, [(10, 0)])
        self.assertEqual(len(self._activities(ten, WARNING)), 10)
        ten_escalation, ten_progress, __ = self._run_batches("2026-01-20 16:05")
        self.assertEqual(ten_progress, [(10, 0)])
        self.assertEqual(len(self._activities(ten, ESCALATION)), 10)
        counts, progress, triggers = self._run_batches("2026-01-27 13:40")
        self.assertEqual(
            progress, [(200, 800), (200, 600), (200, 400), (200, 200), (200, 0)]
        )
        # The cron framework runs the job again while some are left
        # (``_notify_progress``): the job does not trigger itself.
        self.assertEqual(triggers, 0)
        self.assertEqual(len(self._activities(thousand, WARNING)), 1000)
        # A batch of 200 targets costs what a batch of 10 costs, plus the two
        # counts of what is left (after a full batch).
        self.assertEqual(counts, [ten_counts[0] + 2] * 5, counts)
        # Escalation, same (a full batch of breached targets leaves the
        # warnings to the next call: one search less; counting what is left
        # reads the targets' status, so the status is written with the state
        # it follows: one update less).
        counts, progress, __ = self._run_batches("2026-01-27 16:05")
        self.assertEqual([done for done, __ in progress], [200] * 5)
        self.assertEqual(counts, [ten_escalation[0]] * 5, counts)
        self.assertEqual(len(self._activities(thousand, ESCALATION)), 1000)

    def test_activities_in_the_assignee_timezone_and_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.agent.lang = "fr_FR"
        # Tuesday 16:00 in Paris is Wednesday 04:00 in Auckland.
        self.leader.tz = "Pacific/Auckland"
        ticket = self._create_tickets(1, "2026-01-19 10:00")
        self._run_batches("2026-01-20 13:40")
        warning = self._activities(ticket, WARNING)
        self.assertTrue(warning.automated)
        self.assertEqual(warning.user_id, self.agent)
        self.assertEqual(warning.date_deadline, date(2026, 1, 20))
        self.assertIn("20/01/2026", warning.summary)
        self.assertEqual(self._line(ticket, "resolution").warning_activity_id, warning)
        self._run_batches("2026-01-20 16:05")
        escalation = self._activities(ticket, ESCALATION)
        self.assertTrue(escalation.automated)
        self.assertEqual(escalation.user_id, self.leader)
        self.assertEqual(escalation.date_deadline, date(2026, 1, 21))
        self.assertIn("01/21/2026", escalation.summary)
        # both are done when the ticket closes
        self._move(ticket, self.stage_done, "2026-01-21 10:00")
        self.assertFalse(self._activities(ticket, WARNING))
        self.assertFalse(self._activities(ticket, ESCALATION))

    def test_warning_done_when_the_target_is_reached(self):
        ticket = self._create_tickets(1, "2026-01-19 10:00")
        self._run_batches("2026-01-20 13:40")
        self.assertEqual(len(self._activities(ticket, WARNING)), 1)
        self._move(ticket, self.stage_done, "2026-01-20 14:00")
        self.assertFalse(self._activities(ticket, WARNING))
        self.assertEqual(self._line(ticket, "resolution").status, "reached")
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "SLA target reached" in str(m.body))
        )
        # nothing left to escalate
        self._run_batches("2026-01-20 16:05")
        self.assertFalse(self._activities(ticket, ESCALATION))

    def test_escalation_done_when_the_ticket_closes(self):
        ticket = self._create_tickets(1, "2026-01-19 10:00")
        self._run_batches("2026-01-20 13:40")
        self._run_batches("2026-01-20 16:05")
        self.assertEqual(len(self._activities(ticket, ESCALATION)), 1)
        self._move(ticket, self.stage_done, "2026-01-21 10:00")
        self.assertFalse(self._activities(ticket, ESCALATION))
        self.assertFalse(self._activities(ticket, WARNING))
        self.assertEqual(self._line(ticket, "resolution").status, "breached")
