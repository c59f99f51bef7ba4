# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Installing into a helpdesk that already runs (DESIGN.md, "Ledger integrity",
last point): teams keep their own SLA policies and deadlines, no burst of
escalations for old tickets, no column computed row by row.

The install is simulated on the test database: the addon's columns are dropped
(rows then look as helpdesk_mgmt_sla left them), the pre-init hook functions
run, then Odoo's own table set-up for the models (``Registry.init_models``, the
step of an install that computes the new stored fields)."""

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from ..hooks import (
    SUPPORT_COLUMNS,
    TRIGGER_COLUMNS,
    create_support_columns,
    fill_ticket_coverage,
    fill_ticket_sla_lines,
)
from .common_sla import SlaCommon

BIG_TABLES = {
    "helpdesk.ticket": "helpdesk_ticket",
    "helpdesk.ticket.sla": "helpdesk_ticket_sla",
    "account.analytic.line": "account_analytic_line",
    "res.partner": "res_partner",
    "contract.line": "contract_line",
    "account.move.line": "account_move_line",
}


@tagged("post_install", "-at_install")
class TestSupportInstall(SlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The team's own resolution policy for high tickets, next to a default
        # grid without team (as the demo data ships it), counted 24/7.
        cls.sla_resolution_high.team_ids = cls.team
        cls.default_resolution_high = cls._create_policy(
            "Default resolution high", "resolution", "2", 1, use_calendar=False
        )
        cls.default_response_high = cls._create_policy(
            "Default first response high", "first_response", "2", 24, 0, False
        )

    # Helpers --------------------------------------------------------------

    def _simulate_pre_install(self, tables=("helpdesk_ticket_sla",)):
        """Drop the addon's columns of ``tables``: the rows look as they were
        before the addon was installed."""
        self.env.flush_all()
        columns = [
            (table, column)
            for table, column, *_rest in SUPPORT_COLUMNS
            if table in tables
        ]
        for table, column in columns:
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE %s DROP COLUMN %s CASCADE",
                    SQL.identifier(table),
                    SQL.identifier(column),
                )
            )
        self.env.invalidate_all()

    def _install(self, now, model_names=("helpdesk.ticket.sla",)):
        """The pre-init hook, then Odoo's table set-up of the models."""
        create_support_columns(self.env.cr)
        fill_ticket_sla_lines(self.env.cr, now)
        self.env.registry.init_models(
            self.env.cr, list(model_names), {"module": "helpdesk_support_pack"}
        )
        self.env.flush_all()
        self.env.invalidate_all()

    def _sql_lines(self, tickets):
        self.env.cr.execute(
            SQL(
                """SELECT id, deadline, state, status, target, warning_deadline,
                          escalation_date
                     FROM helpdesk_ticket_sla WHERE ticket_id IN %s ORDER BY id""",
                tuple(tickets.ids),
            )
        )
        return self.env.cr.dictfetchall()

    def _escalations(self, ticket):
        activity_type = self.env.ref(
            "helpdesk_support_pack.mail_activity_type_sla_escalation"
        )
        activities = ticket.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        messages = ticket.message_ids.filtered(
            lambda m: "SLA breached" in (m.body or "")
        )
        return activities, messages

    # (a) a team's own policy wins -------------------------------------------

    def test_team_policy_wins_over_policy_without_team(self):
        ticket = self._create_ticket("2026-01-12 10:00", "2")
        self.assertEqual(
            ticket.ticket_sla_ids.sla_id,
            self.sla_resolution_high + self.default_response_high,
            "one resolution deadline: the team's; the first response (no team "
            "policy for it) comes from the default grid",
        )
        # The team's 12 working hours, not the default 1 h around the clock:
        # Monday 10:00 + 2.5 h + 3.5 h, Tuesday 3.5 h + 2.5 h.
        self.assertEqual(
            self._line(ticket, "resolution").deadline, self._utc("2026-01-13 16:00")
        )
        self.assertEqual(
            self._line(ticket, "first_response").deadline,
            self._utc("2026-01-13 10:00"),
        )
        # The button of helpdesk_mgmt_sla keeps it so.
        with freeze_time(self._utc("2026-01-12 11:00")):
            ticket.with_user(self.agent).refresh_sla()
        self.assertEqual(
            ticket.ticket_sla_ids.sla_id,
            self.sla_resolution_high + self.default_response_high,
        )
        self.assertTrue(ticket.sla_fits)
        # A team without a policy of its own gets the default grid.
        other = self._create_ticket("2026-01-12 10:00", "2", team_id=self.team_dev.id)
        self.assertEqual(
            other.ticket_sla_ids.sla_id,
            self.default_resolution_high + self.default_response_high,
        )
        self.assertEqual(
            self._line(other, "resolution").deadline, self._utc("2026-01-12 11:00")
        )

    # (b) running deadlines are not re-planned --------------------------------

    def test_install_keeps_running_deadlines(self):
        ticket = self._create_ticket("2026-01-12 10:00", "3")
        reached = self._create_ticket("2026-01-12 10:00", "3")
        self._move(reached, self.stage_done, "2026-01-12 11:00")
        lines = (ticket + reached).ticket_sla_ids
        self.assertEqual(len(lines), 4)
        self.env.flush_all()
        expected = {line.id: (line.state, line.sla_id.target) for line in lines}
        # As helpdesk_mgmt_sla planned them (not this addon's clock): deadlines
        # that this addon's compute would never give.
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket_sla SET deadline = %s WHERE id IN %s",
                self._utc("2026-01-19 09:17"),
                tuple(lines.ids),
            )
        )
        self._simulate_pre_install()
        self._install(self._utc("2026-01-12 12:00"))
        rows = self._sql_lines(ticket + reached)
        self.assertEqual(
            [row["deadline"] for row in rows], [self._utc("2026-01-19 09:17")] * 4
        )
        self.assertEqual(
            {row["id"]: (row["state"], row["target"]) for row in rows}, expected
        )
        statuses = {"in_progress": "ongoing", "accomplished": "reached"}
        self.assertEqual(
            {row["id"]: row["status"] for row in rows},
            {line_id: statuses[state] for line_id, (state, _t) in expected.items()},
        )
        self.assertIn("accomplished", [row["state"] for row in rows])
        self.assertEqual([row["warning_deadline"] for row in rows], [None] * 4)
        # The ORM reads the same.
        self.assertEqual(
            set(ticket.ticket_sla_ids.mapped("deadline")),
            {self._utc("2026-01-19 09:17")},
        )

    def test_install_without_the_hook_would_replan(self):
        """The simulation catches a re-planning: without the pre-created
        column, Odoo computes ``warning_deadline``, hence ``deadline``."""
        ticket = self._create_ticket("2026-01-12 10:00", "3")
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket_sla SET deadline = %s WHERE ticket_id = %s",
                self._utc("2026-01-19 09:17"),
                ticket.id,
            )
        )
        self.env.cr.execute(
            SQL("ALTER TABLE helpdesk_ticket_sla DROP COLUMN warning_deadline")
        )
        self.env.invalidate_all()
        with freeze_time(self._utc("2026-01-12 12:00")):
            self.env.registry.init_models(
                self.env.cr,
                ["helpdesk.ticket.sla"],
                {"module": "helpdesk_support_pack"},
            )
            self.env.flush_all()
        self.env.invalidate_all()
        # Re-planned on the team's calendar: Monday 10:00 + 4 working hours.
        self.assertEqual(
            self._line(ticket, "resolution").deadline, self._utc("2026-01-12 15:00")
        )

    # (c) no burst of escalations ---------------------------------------------

    def test_first_cron_escalates_only_targets_late_after_install(self):
        # Very high: 4 working hours. Late before the install (Monday 14:00)...
        old = self._create_ticket("2026-01-12 09:00", "3")
        # ... and due after it (Wednesday 15:00).
        new = self._create_ticket("2026-01-14 10:00", "3")
        self._simulate_pre_install()
        self._install(self._utc("2026-01-14 11:00"))
        self.assertEqual(
            old.ticket_sla_ids.mapped("status"),
            ["breached", "breached"],
            "late before the install: recorded as breached, as helpdesk_mgmt_sla "
            "shows it",
        )
        self.assertEqual(new.ticket_sla_ids.mapped("status"), ["ongoing", "ongoing"])
        # helpdesk_mgmt_sla's state is left as it was.
        self.assertEqual(
            old.ticket_sla_ids.mapped("state"), ["in_progress", "in_progress"]
        )
        with freeze_time(self._utc("2026-01-14 16:00")):
            self.env["helpdesk.ticket.sla"]._cron_sla_alerts()
        activities, messages = self._escalations(old)
        self.assertFalse(activities)
        self.assertFalse(messages)
        self.assertFalse(any(old.ticket_sla_ids.mapped("escalation_date")))
        activities, messages = self._escalations(new)
        self.assertEqual(activities.user_id, self.leader)
        self.assertEqual(len(messages), 1)
        self.assertEqual(new.ticket_sla_ids.mapped("state"), ["expired", "expired"])
        self.assertTrue(all(new.ticket_sla_ids.mapped("escalation_date")))

    # (c') helpdesk_mgmt_sla's own plan is kept -----------------------------------

    def test_install_keeps_the_plan_of_helpdesk_mgmt_sla(self):
        """The team ran helpdesk_mgmt_sla with its own 8-hour policy before the
        install (no priority, no target, no clock of this addon): every
        target it planned keeps its deadline, state and consumed time."""
        # The policy as helpdesk_mgmt_sla knows it. On the team's calendar,
        # this addon leaves the planning to helpdesk_mgmt_sla.
        self.env["helpdesk.sla"].create(
            {
                "name": "Resolution (8 h)",
                "hours": 8,
                "stage_id": self.stage_done.id,
                "team_ids": [Command.set(self.team.ids)],
                "ignore_stage_ids": [Command.set(self.stage_waiting.ids)],
            }
        )
        # Planned Thursday 11:00 + 8 working hours: due Friday 16th 12:00,
        # ten days before the install (Monday 26th 12:00).
        overdue = self._create_ticket("2026-01-15 11:00", "1")
        # Friday 23rd 10:00, waiting from 11:00 (1 h used), resumed Monday
        # 9:00: 7 h left, due Monday 17:00.
        resumed = self._create_ticket("2026-01-23 10:00", "1")
        self._move(resumed, self.stage_waiting, "2026-01-23 11:00")
        self._move(resumed, self.stage_new, "2026-01-26 09:00")
        # Friday 23rd 10:00, waiting from 12:00 (2 h used) until after the
        # install.
        waiting = self._create_ticket("2026-01-23 10:00", "1")
        self._move(waiting, self.stage_waiting, "2026-01-23 12:00")
        # Friday 23rd 10:00, solved at 14:00 (3 h used), due Monday 11:00.
        reached = self._create_ticket("2026-01-23 10:00", "1")
        self._move(reached, self.stage_done, "2026-01-23 14:00")
        tickets = overdue + resumed + waiting + reached
        lines = tickets.ticket_sla_ids
        self.assertEqual(len(lines), 4)
        self.assertEqual(
            [
                (line.state, line.deadline, line.consumed_time)
                for line in tickets.ticket_sla_ids
            ],
            [
                ("in_progress", self._utc("2026-01-16 12:00"), 0.0),
                ("in_progress", self._utc("2026-01-26 17:00"), 1.0),
                ("on_hold", self._utc("2026-01-26 11:00"), 2.0),
                ("accomplished", self._utc("2026-01-26 11:00"), 3.0),
            ],
        )
        before = self._sql_plan(tickets)
        # Before the install: none of this addon's columns, on the lines nor
        # on the policies.
        self._simulate_pre_install()
        for column in ("target", "priority", "use_calendar"):
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE helpdesk_sla DROP COLUMN %s CASCADE",
                    SQL.identifier(column),
                )
            )
        computed = self._spy_sla_computations()
        install = self._utc("2026-01-26 12:00")
        with freeze_time(install):
            self._install(
                install, ("helpdesk.sla", "helpdesk.ticket", "helpdesk.ticket.sla")
            )
        self.assertEqual(self._sql_plan(tickets), before)
        # Nothing planned or judged again: neither helpdesk_mgmt_sla's
        # computations nor this addon's ran on the old rows.
        self.assertEqual(computed, [])
        self.assertEqual(
            [
                (line.status, line.target, line.warning_deadline)
                for line in tickets.ticket_sla_ids
            ],
            [
                # late before the install, as helpdesk_mgmt_sla shows it
                ("breached", "resolution", False),
                ("ongoing", "resolution", False),
                ("ongoing", "resolution", False),
                ("reached", "resolution", False),
            ],
        )
        self.assertEqual(overdue.sla_status, "breached")
        # The first runs of the alert job: the target late before the install
        # is not escalated, the one due after it is, at its deadline.
        with freeze_time(self._utc("2026-01-26 13:00")):
            self.env["helpdesk.ticket.sla"]._cron_sla_alerts()
        self.assertEqual(self._sql_plan(tickets), before)
        for ticket in tickets:
            activities, messages = self._escalations(ticket)
            self.assertFalse(activities or messages)
        self.assertFalse(any(lines.mapped("escalation_date")))
        with freeze_time(self._utc("2026-01-26 17:30")):
            self.env["helpdesk.ticket.sla"]._cron_sla_alerts()
        escalated = lines.filtered("escalation_date")
        self.assertEqual(escalated.ticket_id, resumed)
        self.assertEqual(escalated.state, "expired")
        self.assertEqual(self._sql_plan(tickets - resumed), before[:1] + before[2:])

    def _spy_sla_computations(self):
        """The (method, ids) of every deadline and state computation of the
        SLA lines from now on."""
        computed = []
        model_class = type(self.env["helpdesk.ticket.sla"])

        def spy(name):
            method = getattr(model_class, name)

            def compute(records):
                computed.append((name, records.ids))
                return method(records)

            return compute

        for name in ("_compute_deadline", "_compute_sla_data"):
            self.patch(model_class, name, spy(name))
        return computed

    def _sql_plan(self, tickets):
        """Deadline, state, consumed time and start of every target, as stored."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """SELECT id, deadline, state, consumed_time, last_state_date,
                          hours
                     FROM helpdesk_ticket_sla WHERE ticket_id IN %s ORDER BY id""",
                tuple(tickets.ids),
            )
        )
        return self.env.cr.fetchall()

    # (d) the pre-init hook creates the columns --------------------------------

    def test_pre_init_fills_the_coverage_of_tickets_with_a_category(self):
        category = self.env["helpdesk.ticket.category"].create({"name": "Usage"})
        with_category = self._create_ticket(
            "2026-01-12 10:00", "1", category_id=category.id
        )
        without = self._create_ticket("2026-01-12 10:00", "1")
        self._simulate_pre_install({"helpdesk_ticket"})
        create_support_columns(self.env.cr)
        fill_ticket_coverage(self.env.cr)
        self.env.cr.execute(
            SQL(
                "SELECT id, support_coverage, support_estimate_required "
                "FROM helpdesk_ticket WHERE id IN %s",
                (with_category | without)._ids,
            )
        )
        self.assertEqual(
            dict((row[0], row[1:]) for row in self.env.cr.fetchall()),
            {with_category.id: ("counted", None), without.id: (None, None)},
        )
        self.assertEqual(with_category.support_coverage, "counted")
        self.assertFalse(with_category.support_estimate_required)
        self.assertFalse(without.support_coverage)

    def test_pre_init_creates_columns(self):
        for model_name, table in BIG_TABLES.items():
            fields_ = self.env[model_name]._fields.values()
            own = {
                field.name: field.column_type[1].lower()
                for field in fields_
                if field.store
                and field.column_type
                and field._module == "helpdesk_support_pack"
            }
            listed = {
                column: column_type
                for table_, column, column_type, *_rest in SUPPORT_COLUMNS
                if table_ == table and (table_, column) not in TRIGGER_COLUMNS
            }
            self.assertEqual(
                listed, own, f"hooks.SUPPORT_COLUMNS lists the columns of {table}"
            )
        old_line = self.env["account.analytic.line"].create(
            {"name": "Logged before the install", "amount": 0.0}
        )
        ticket = self._create_ticket("2026-01-12 10:00", "3")
        self._simulate_pre_install(set(BIG_TABLES.values()))
        create_support_columns(self.env.cr)
        self.env.cr.execute(
            """SELECT table_name, column_name, data_type, is_nullable,
                      column_default
                 FROM information_schema.columns
                WHERE table_name IN ('helpdesk_ticket', 'helpdesk_ticket_sla',
                                     'account_analytic_line', 'res_partner',
                                     'contract_line', 'account_move_line',
                                     'res_company')"""
        )
        found = {(row[0], row[1]): row[2:] for row in self.env.cr.fetchall()}
        required = {
            "support_estimate_state",
            "support_level",
            "support_request_type",
            "support_auto_renew_mode",
        }
        for table, column, column_type, _value, _required in SUPPORT_COLUMNS:
            self.assertIn((table, column), found)
            data_type, nullable, default = found[table, column]
            self.assertEqual(data_type, self._information_schema_type(column_type))
            self.assertEqual(nullable, "NO" if column in required else "YES")
            self.assertIsNone(default, f"{table}.{column} keeps no default")
        # The existing rows read their value without an UPDATE.
        self.env.cr.execute(
            SQL(
                "SELECT support_level, support_estimate_state FROM helpdesk_ticket "
                "WHERE id = %s",
                ticket.id,
            )
        )
        self.assertEqual(self.env.cr.fetchone(), ("2", "none"))
        # no customer renews automatically; the mode reads its default
        self.env.cr.execute(
            SQL(
                "SELECT support_auto_renew, support_auto_renew_mode FROM res_partner "
                "WHERE id = %s",
                self.env.user.partner_id.id,
            )
        )
        self.assertEqual(self.env.cr.fetchone(), (None, "send"))
        self.env.cr.execute(
            SQL(
                "SELECT support_legacy FROM account_analytic_line WHERE id = %s",
                old_line.id,
            )
        )
        self.assertIs(self.env.cr.fetchone()[0], True)
        self.env.invalidate_all()
        self.assertTrue(old_line.support_legacy)
        new_line = self.env["account.analytic.line"].create(
            {"name": "Logged after the install", "amount": 0.0}
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT support_legacy FROM account_analytic_line WHERE id = %s",
                new_line.id,
            )
        )
        self.assertFalse(self.env.cr.fetchone()[0])
        self.assertFalse(new_line.support_legacy)
        # A second run (the columns exist) changes nothing.
        create_support_columns(self.env.cr)
        self.env.cr.execute(
            SQL(
                "SELECT support_legacy FROM account_analytic_line WHERE id IN %s "
                "ORDER BY id",
                (old_line.id, new_line.id),
            )
        )
        legacy = [row[0] for row in self.env.cr.fetchall()]
        self.assertIs(legacy[0], True)
        self.assertFalse(legacy[1])

    @staticmethod
    def _information_schema_type(column_type):
        return {
            "varchar": "character varying",
            "timestamp": "timestamp without time zone",
            "int4": "integer",
            "bool": "boolean",
        }.get(column_type, column_type)

    def test_stage_change_after_install(self):
        """A target running at the install is counted on from where
        helpdesk_mgmt_sla left it, and gets a warning point once re-planned."""
        ticket = self._create_ticket("2026-01-12 10:00", "3")
        self._simulate_pre_install()
        self._install(self._utc("2026-01-12 11:00"))
        self._move(ticket, self.stage_waiting, "2026-01-12 12:00")
        self._move(ticket, self.stage_new, "2026-01-13 09:00")
        line = self._line(ticket, "resolution")
        self.assertEqual(line.status, "ongoing")
        self.assertAlmostEqual(line.consumed_time, 2.0)
        # 2 h left from Tuesday 9:00; warning at 80 % (3.2 h): 1.2 h left.
        self.assertEqual(line.deadline, self._utc("2026-01-13 11:00"))
        self.assertEqual(line.warning_deadline, self._utc("2026-01-13 10:12"))
