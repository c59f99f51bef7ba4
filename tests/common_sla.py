# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class SlaCommon(BaseCommon):
    """SLA fixtures: a "support hours" calendar in Paris time, a level 2 team
    using SLA with a level 3 escalation team, stages and policies in working
    hours (very high 4 h, high 12 h). Never demo data, never the shipped
    default policies (archived here; tested on their own)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["helpdesk.sla"].search([]).write({"active": False})
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Support hours (test)",
                "tz": "Europe/Paris",
                "company_id": False,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"{day} {hour_from}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for hour_from, hour_to, period in (
                        (9.0, 12.5, "morning"),
                        (13.5, 17.0, "afternoon"),
                    )
                ],
            }
        )
        cls.leader = new_test_user(
            cls.env,
            login="hsp-sla-leader",
            groups="helpdesk_mgmt.group_helpdesk_user",
            name="Lea Leader",
            tz="Europe/Paris",
        )
        cls.agent = new_test_user(
            cls.env,
            login="hsp-sla-agent",
            groups="helpdesk_mgmt.group_helpdesk_user",
            name="Andy Agent",
            tz="Europe/Paris",
        )
        cls.developer = new_test_user(
            cls.env,
            login="hsp-sla-dev",
            groups="helpdesk_mgmt.group_helpdesk_user",
            name="Dev Eloper",
            tz="Europe/Paris",
        )
        cls.team_dev = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Development",
                "support_level": "3",
                "use_sla": True,
                "resource_calendar_id": cls.calendar.id,
                "user_id": cls.developer.id,
                "user_ids": [Command.set(cls.developer.ids)],
            }
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Functional support",
                "support_level": "2",
                "use_sla": True,
                "resource_calendar_id": cls.calendar.id,
                "user_id": cls.leader.id,
                "user_ids": [Command.set((cls.leader + cls.agent).ids)],
                "support_escalation_team_id": cls.team_dev.id,
            }
        )
        teams = cls.team + cls.team_dev
        cls.stage_new = cls.env["helpdesk.ticket.stage"].create(
            {"name": "New (SLA)", "sequence": 1, "team_ids": [Command.set(teams.ids)]}
        )
        cls.stage_waiting = cls.env["helpdesk.ticket.stage"].create(
            {
                "name": "Waiting for customer",
                "sequence": 2,
                "team_ids": [Command.set(teams.ids)],
            }
        )
        cls.stage_done = cls.env["helpdesk.ticket.stage"].create(
            {
                "name": "Solved",
                "sequence": 50,
                "closed": True,
                "team_ids": [Command.set(teams.ids)],
            }
        )
        # Stages shared by every team (helpdesk_mgmt data) come first otherwise.
        cls.env["helpdesk.ticket.stage"].search(
            [("team_ids", "=", False)]
        ).sequence = 100
        cls.customer = cls.env["res.partner"].create(
            {"name": "Campus C", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Carla C", "parent_id": cls.customer.id, "email": "c@c.example"}
        )
        cls.sla_response_very_high = cls._create_policy(
            "First response very high", "first_response", "3", 4
        )
        cls.sla_resolution_very_high = cls._create_policy(
            "Resolution very high", "resolution", "3", 4
        )
        cls.sla_resolution_high = cls._create_policy(
            "Resolution high", "resolution", "2", 12
        )

    @classmethod
    def _create_policy(cls, name, target, priority, hours, days=0, use_calendar=True):
        values = {
            "name": name,
            "target": target,
            "priority": priority,
            "hours": hours,
            "days": days,
            "use_calendar": use_calendar,
            "ignore_stage_ids": [Command.set(cls.stage_waiting.ids)],
        }
        if target == "resolution":
            values["stage_id"] = cls.stage_done.id
        return cls.env["helpdesk.sla"].create(values)

    def setUp(self):
        super().setUp()
        # create_date comes from the transaction's clock: follow freezegun.
        self.patch(type(self.env.cr), "now", lambda cr: fields.Datetime.now())

    @staticmethod
    def _utc(paris_winter):
        """Paris wall time (winter, UTC+1) as the naive UTC Odoo stores."""
        return datetime.fromisoformat(paris_winter) - timedelta(hours=1)

    def _create_ticket(self, when, priority, user=None, **values):
        with freeze_time(self._utc(when)):
            return (
                self.env["helpdesk.ticket"]
                .with_user(user or self.agent)
                .create(
                    {
                        "name": "Platform down",
                        "description": "<p>Nobody can log in</p>",
                        "team_id": self.team.id,
                        "user_id": (user or self.agent).id,
                        "partner_id": self.contact.id,
                        "priority": priority,
                        **values,
                    }
                )
            )

    def _move(self, ticket, stage, when):
        with freeze_time(self._utc(when)):
            ticket.write({"stage_id": stage.id})

    @staticmethod
    def _line(ticket, target):
        return ticket.ticket_sla_ids.filtered(lambda r: r.target == target)
