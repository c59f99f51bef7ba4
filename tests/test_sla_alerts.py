# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_sla import SlaCommon


@tagged("post_install", "-at_install")
class TestSlaAlerts(SlaCommon):
    def _run_cron(self, when):
        with freeze_time(self._utc(when)):
            self.env["helpdesk.ticket.sla"]._cron_sla_alerts()

    def _activities(self, ticket, xmlid):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("activity_type_id", "=", self.env.ref(xmlid).id),
            ]
        )

    def test_warning_then_escalation_exactly_once(self):
        ticket = self._create_ticket("2026-01-19 10:00", "2")
        resolution = self._line(ticket, "resolution")
        warning = "helpdesk_support_pack.mail_activity_type_sla_warning"
        escalation = "helpdesk_support_pack.mail_activity_type_sla_escalation"
        # Warning due at 80 % of 12 working hours: Tuesday 13:36.
        self._run_cron("2026-01-20 13:30")
        self.assertFalse(self._activities(ticket, warning))
        with freeze_time(self._utc("2026-01-20 13:30")):
            ticket.invalidate_recordset(["sla_status"])
            self.assertEqual(ticket.sla_status, "ongoing")
        self._run_cron("2026-01-20 13:40")
        self._run_cron("2026-01-20 13:45")
        activities = self._activities(ticket, warning)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.agent)
        self.assertEqual(resolution.warning_date, self._utc("2026-01-20 13:40"))
        with freeze_time(self._utc("2026-01-20 14:00")):
            ticket.invalidate_recordset(["sla_status"])
            self.assertEqual(ticket.sla_status, "at_risk")
            self.assertIn(
                ticket,
                self.env["helpdesk.ticket"]
                .with_user(self.agent)
                .search([("sla_status", "=", "at_risk")]),
            )
        # Deadline Tuesday 16:00.
        self._run_cron("2026-01-20 16:05")
        self._run_cron("2026-01-20 16:20")
        self.assertEqual(len(self._activities(ticket, warning)), 1)
        escalations = self._activities(ticket, escalation)
        self.assertEqual(len(escalations), 1)
        self.assertEqual(escalations.user_id, self.leader)
        self.assertEqual(resolution.status, "breached")
        self.assertEqual(resolution.escalation_date, self._utc("2026-01-20 16:05"))
        messages = ticket.message_ids.filtered(lambda m: "SLA breached" in str(m.body))
        self.assertEqual(len(messages), 1)
        self.assertIn(
            ticket,
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .search([("sla_status", "=", "breached")]),
        )
        # Solved afterwards: still breached.
        self._move(ticket, self.stage_done, "2026-01-20 17:00")
        self.assertEqual(resolution.status, "breached")

    def test_paused_target_is_not_escalated(self):
        ticket = self._create_ticket("2026-01-19 10:00", "2")
        self._move(ticket, self.stage_waiting, "2026-01-19 11:00")
        self._run_cron("2026-01-22 10:00")
        self.assertEqual(self._line(ticket, "resolution").status, "ongoing")
        self.assertFalse(
            self._activities(
                ticket, "helpdesk_support_pack.mail_activity_type_sla_escalation"
            )
        )

    def test_cron_is_batched(self):
        """A run that warns then escalates 10 targets costs the queries of a
        run that warns then escalates 100."""

        def runs(count):
            for _i in range(count):
                self._create_ticket("2026-01-19 10:00", "2")
            self.env.flush_all()
            self.env.invalidate_all()
            # warning due Tuesday 13:36, deadline Tuesday 16:00
            with freeze_time(self._utc("2026-01-20 13:40")):
                start = self.env.cr.sql_log_count
                self.env["helpdesk.ticket.sla"]._cron_sla_alerts()
                self.env.flush_all()
                warned = self.env.cr.sql_log_count - start
            self.env.invalidate_all()
            with freeze_time(self._utc("2026-01-20 16:05")):
                start = self.env.cr.sql_log_count
                self.env["helpdesk.ticket.sla"]._cron_sla_alerts()
                self.env.flush_all()
                escalated = self.env.cr.sql_log_count - start
            return warned, escalated

        runs(1)  # warm-up
        warning = "helpdesk_support_pack.mail_activity_type_sla_warning"
        ten = runs(10)
        hundred = runs(100)
        self.assertEqual(ten, hundred)
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("activity_type_id", "=", self.env.ref(warning).id)]
            ),
            111,
        )
        # nothing due: two searches
        with freeze_time(self._utc("2026-01-20 16:10")):
            with self.assertQueryCount(2):
                self.env["helpdesk.ticket.sla"]._cron_sla_alerts()

    def test_sla_status_search_operators(self):
        """Every status, with =, !=, in, not in, as computed (Tuesday 14:00)."""
        breached = self._create_ticket("2026-01-16 10:00", "2")  # due Mon 16:00
        at_risk = self._create_ticket("2026-01-19 10:00", "2")  # warned Tue 13:36
        ongoing = self._create_ticket("2026-01-20 13:00", "2")
        reached = self._create_ticket("2026-01-19 10:00", "2")
        self._move(reached, self.stage_done, "2026-01-19 12:00")
        tickets = breached + at_risk + ongoing + reached
        with freeze_time(self._utc("2026-01-20 14:00")):
            tickets.invalidate_recordset(["sla_status"])
            self.assertEqual(
                tickets.mapped("sla_status"),
                ["breached", "at_risk", "ongoing", "reached"],
            )
            model = self.env["helpdesk.ticket"].with_user(self.agent)

            def search(operator, value):
                return model.search(
                    [("id", "in", tickets.ids), ("sla_status", operator, value)]
                )

            self.assertEqual(search("=", "breached"), breached)
            self.assertEqual(search("=", "at_risk"), at_risk)
            self.assertEqual(search("=", "ongoing"), ongoing)
            self.assertEqual(search("=", "reached"), reached)
            self.assertEqual(search("!=", "breached"), at_risk + ongoing + reached)
            self.assertEqual(search("in", ["at_risk", "breached"]), breached + at_risk)
            self.assertEqual(
                search("not in", ["ongoing", "reached"]), breached + at_risk
            )
            self.assertFalse(search("=", False))
            # a group-by on the list
            groups = model.read_group(
                [("id", "in", tickets.ids)], ["sla_status"], ["team_id"]
            )
            self.assertEqual(groups[0]["team_id_count"], 4)

    def test_warning_share_is_a_setting(self):
        ticket = self._create_ticket("2026-01-19 10:00", "2")
        resolution = self._line(ticket, "resolution")
        self.assertEqual(resolution.warning_deadline, self._utc("2026-01-20 13:36"))
        self.env["res.config.settings"].create(
            {"helpdesk_sla_warning_percent": 50}
        ).execute()
        # 50 % of 12 working hours: Monday 10:00 + 6 h.
        self.assertEqual(resolution.warning_deadline, self._utc("2026-01-19 17:00"))
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create(
                {"helpdesk_sla_warning_percent": 100}
            )

    def test_nobody_to_warn_then_leader_escalated(self):
        ticket = self._create_ticket("2026-01-19 10:00", "2")
        ticket.user_id = False
        self.team.user_id = False
        self._run_cron("2026-01-20 13:40")
        # Nobody to warn: nothing created, but the warning is not retried.
        self.assertFalse(
            self._activities(
                ticket, "helpdesk_support_pack.mail_activity_type_sla_warning"
            )
        )
        self.assertTrue(self._line(ticket, "resolution").warning_date)
        self.team.user_id = self.leader
        self._run_cron("2026-01-20 16:05")
        escalation = self._activities(
            ticket, "helpdesk_support_pack.mail_activity_type_sla_escalation"
        )
        self.assertEqual(escalation.user_id, self.leader)
