# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A target's result is written by the SLA flows only (issue 21, "Forged SLA
results"): helpdesk_mgmt_sla gives the agents create and write access on the
lines because its flows run as the agent; the same write sent by a client is
refused, and nothing is written."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common_sla import SlaCommon

# Every column a flow writes, read straight from the table.
RESULT_COLUMNS = [
    "ticket_id",
    "sla_id",
    "state",
    "status",
    "target",
    "hours",
    "expected_stage_id",
    "deadline",
    "warning_deadline",
    "consumed_time",
    "last_state_date",
    "reached_date",
    "warning_date",
    "escalation_date",
    "warning_activity_id",
    "escalation_activity_id",
]


@tagged("post_install", "-at_install")
class TestSlaGuard(SlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The least privileged agent: its own tickets only.
        cls.own_agent = new_test_user(
            cls.env,
            login="hsp-sla-own-agent",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
            name="Olga Own",
            tz="Europe/Paris",
        )
        cls.team.user_ids = [Command.link(cls.own_agent.id)]

    def setUp(self):
        super().setUp()
        # Very high, Monday 10:00: first response and resolution, 4 working
        # hours each (due 15:00).
        self.ticket = self._create_ticket("2026-01-12 10:00", "3", user=self.own_agent)
        self.resolution = self._line(self.ticket, "resolution")
        self.response = self._line(self.ticket, "first_response")

    # Helpers --------------------------------------------------------------

    def _rows(self):
        """The SLA lines of the test's tickets as stored, by id."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM helpdesk_ticket_sla WHERE ticket_id IN %s "
                "ORDER BY id",
                SQL(", ").join(SQL.identifier(name) for name in RESULT_COLUMNS),
                tuple(self.env["helpdesk.ticket"].search([]).ids),
            )
        )
        return self.env.cr.dictfetchall()

    def _reached_in_report(self):
        self.env.flush_all()
        report = self.env["helpdesk.sla.report"].search(
            [("ticket_id", "=", self.ticket.id)]
        )
        return sum(report.mapped("reached_count"))

    # Refused --------------------------------------------------------------

    def test_agent_cannot_write_sla_results(self):
        other = self._create_ticket("2026-01-12 10:00", "2", user=self.own_agent)
        before = self._rows()
        self.assertEqual(len(before), 3)
        self.assertEqual(self.resolution.state, "in_progress")
        self.assertEqual(self.resolution.deadline, self._utc("2026-01-12 15:00"))
        forged = [
            {"state": "accomplished"},
            {"status": "reached"},
            {"reached_date": self._utc("2026-01-12 11:00")},
            {"deadline": self._utc("2026-12-31 17:00")},
            {"warning_deadline": self._utc("2026-12-31 16:00")},
            {"consumed_time": 0.5},
            {"last_state_date": self._utc("2026-12-31 09:00")},
            {"warning_date": self._utc("2026-01-12 14:00")},
            {"escalation_date": self._utc("2026-01-12 15:00")},
            {"hours": 400.0},
            {"expected_stage_id": self.stage_new.id},
            {"sla_id": self.sla_resolution_high.id},
            # a reached target moved onto another ticket
            {"ticket_id": other.id},
            # and what the compliance report reads, at once
            {"state": "accomplished", "reached_date": self._utc("2026-01-12 11:00")},
        ]
        line = self.resolution.with_user(self.own_agent)
        for vals in forged:
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                line.write(vals)
        # The same through the ticket's lines, and with the name of the
        # addon's private mark as a context key (a client's JSON value).
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.own_agent).write(
                {"ticket_sla_ids": [Command.update(line.id, {"state": "accomplished"})]}
            )
        with self.assertRaises(AccessError):
            line.with_context(helpdesk_support_pack_internal=True).write(
                {"state": "accomplished"}
            )
        # Not even the superuser writes a result by hand.
        with self.assertRaises(AccessError):
            self.resolution.sudo().write({"state": "accomplished"})
        self.assertEqual(self._rows(), before)
        self.env.invalidate_all()
        self.assertEqual(self.resolution.state, "in_progress")
        self.assertEqual(self.resolution.status, "ongoing")
        self.assertFalse(self.resolution.reached_date)
        self.assertEqual(self.resolution.deadline, self._utc("2026-01-12 15:00"))
        self.assertEqual(self._reached_in_report(), 0)

    def test_refused_write_names_the_fields(self):
        with self.assertRaisesRegex(
            AccessError, "^Reached Date, State of an SLA target cannot be set"
        ):
            self.resolution.with_user(self.own_agent).write(
                {"state": "accomplished", "reached_date": self._utc("2026-01-12 11:00")}
            )

    def test_agent_cannot_create_sla_line(self):
        before = self._rows()
        self.assertEqual(len(before), 2)
        sla_model = self.env["helpdesk.ticket.sla"].with_user(self.own_agent)
        vals_list = [
            {"ticket_id": self.ticket.id, "sla_id": self.sla_resolution_high.id},
            {
                "ticket_id": self.ticket.id,
                "sla_id": self.sla_resolution_high.id,
                "state": "accomplished",
                "reached_date": self._utc("2026-01-12 11:00"),
            },
        ]
        for vals in vals_list:
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                sla_model.create(vals)
        with self.assertRaisesRegex(
            AccessError, "^SLA targets cannot be created directly"
        ):
            self.ticket.with_user(self.own_agent).write(
                {
                    "ticket_sla_ids": [
                        Command.create(
                            {"sla_id": self.sla_resolution_high.id, "state": "expired"}
                        )
                    ]
                }
            )
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket.sla"].sudo().create(vals_list[0])
        # A copy is a create.
        with self.assertRaises(AccessError):
            self.resolution.with_user(self.own_agent).copy()
        # An import is a create too.
        result = sla_model.load(
            ["ticket_id/.id", "sla_id/.id", "state"],
            [[str(self.ticket.id), str(self.sla_resolution_high.id), "accomplished"]],
        )
        self.assertFalse(result["ids"])
        self.assertEqual([message["type"] for message in result["messages"]], ["error"])
        self.assertEqual(self._rows(), before)
        self.assertEqual(self._reached_in_report(), 0)

    def test_agent_cannot_replace_sla_lines_through_the_flows(self):
        """The flows' public entry points keep the caller's rights: the mark
        they carry never lets an agent drop a target's history."""
        self._move(self.ticket, self.stage_done, "2026-01-12 14:00")
        before = self._rows()
        self.assertEqual([row["status"] for row in before], ["ongoing", "reached"])
        # helpdesk_mgmt_sla's set_sla deletes the lines before planning them
        # again: deleting lines is the manager's.
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.own_agent).set_sla()
        # The Set SLA button on another agent's ticket.
        other = self._create_ticket("2026-01-12 10:00", "3")
        with self.assertRaises(AccessError):
            other.with_user(self.own_agent).refresh_sla()
        self.assertEqual(self._rows()[:2], before)
        self.assertEqual(len(other.ticket_sla_ids), 2)

    # The flows still write ------------------------------------------------

    def test_flows_of_the_agent_write_the_results(self):
        ticket = self.ticket.with_user(self.own_agent)
        rows = self._rows()
        self.assertEqual(
            [(row["state"], row["status"], row["deadline"]) for row in rows],
            [("in_progress", "ongoing", self._utc("2026-01-12 15:00"))] * 2,
        )
        # 80 % of 4 h: 10:00 + 2.5 h + 0.7 h.
        self.assertEqual(
            [row["warning_deadline"] for row in rows],
            [self._utc("2026-01-12 14:12")] * 2,
        )
        # First public reply at 11:00.
        with freeze_time(self._utc("2026-01-12 11:00")):
            ticket.message_post(
                body="We are on it",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(self.response.status, "reached")
        self.assertEqual(self.response.reached_date, self._utc("2026-01-12 11:00"))
        self.assertEqual(self.resolution.status, "ongoing")
        # The Set SLA button keeps the targets.
        with freeze_time(self._utc("2026-01-12 11:30")):
            ticket.refresh_sla()
        self.assertEqual(self.ticket.ticket_sla_ids, self.resolution + self.response)
        # Solved at 14:00: 2.5 h + 0.5 h of the 4 h.
        self._move(ticket, self.stage_done, "2026-01-12 14:00")
        self.assertEqual(self.resolution.state, "accomplished")
        self.assertEqual(self.resolution.status, "reached")
        self.assertEqual(self.resolution.reached_date, self._utc("2026-01-12 14:00"))
        self.assertAlmostEqual(self.resolution.consumed_time, 3.0)
        self.assertEqual(self.resolution.deadline, self._utc("2026-01-12 15:00"))
        self.assertEqual(self._reached_in_report(), 2)

    def test_priority_change_of_the_agent_replans(self):
        # Down to high: the team's 12-hour resolution replaces the 4-hour one,
        # the first response (no policy for high) goes.
        with freeze_time(self._utc("2026-01-12 11:00")):
            self.ticket.with_user(self.own_agent).write({"priority": "2"})
        lines = self.ticket.ticket_sla_ids
        self.assertEqual(lines.sla_id, self.sla_resolution_high)
        # Monday 10:00 + 12 working hours: Tuesday 16:00.
        self.assertEqual(lines.deadline, self._utc("2026-01-13 16:00"))
        self.assertEqual(lines.status, "ongoing")
