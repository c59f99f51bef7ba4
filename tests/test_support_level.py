# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common_sla import SlaCommon


@tagged("post_install", "-at_install")
class TestSupportLevel(SlaCommon):
    def _wizard(self, ticket, reason=""):
        action = ticket.with_user(self.agent).action_escalate()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.agent)
            .with_context(**action["context"])
        )
        wizard.reason = reason
        return wizard.save()

    def test_default_level_is_2(self):
        ticket = self._create_ticket("2026-01-19 10:00", "2")
        self.assertEqual(ticket.support_level, "2")

    def test_level_1_cannot_jump_to_level_3(self):
        ticket = self._create_ticket("2026-01-19 10:00", "2", support_level="1")
        with self.assertRaisesRegex(UserError, "Only a level 2 ticket"):
            ticket.with_user(self.agent).action_escalate()
        with self.assertRaisesRegex(UserError, "Escalate action"):
            ticket.with_user(self.agent).write({"support_level": "3"})
        wizard = (
            self.env["helpdesk.ticket.escalate"]
            .with_user(self.agent)
            .create({"ticket_id": ticket.id, "reason": "Bug"})
        )
        with self.assertRaisesRegex(UserError, "Only a level 2 ticket"):
            wizard.action_escalate()
        self.assertEqual(ticket.support_level, "1")
        self.assertEqual(ticket.team_id, self.team)

    def test_escalation_requires_reason(self):
        ticket = self._create_ticket("2026-01-19 10:00", "2")
        wizard = (
            self.env["helpdesk.ticket.escalate"]
            .with_user(self.agent)
            .create({"ticket_id": ticket.id, "reason": "   "})
        )
        with self.assertRaises(ValidationError):
            wizard.action_escalate()
        self.assertEqual(ticket.support_level, "2")
        self.assertEqual(ticket.team_id, self.team)

    def test_escalate_to_level_3_team(self):
        ticket = self._create_ticket("2026-01-19 10:00", "2")
        wizard = self._wizard(ticket, "Reproducible bug\nin the grade export")
        self.assertEqual(wizard.team_id, self.team_dev)
        wizard.action_escalate()
        self.assertEqual(ticket.support_level, "3")
        self.assertEqual(ticket.team_id, self.team_dev)
        self.assertFalse(ticket.user_id, "the agent is not in the level 3 team")
        # the reason keeps its line break
        self.assertIn(
            "Reproducible bug<br>in the grade export", str(ticket.message_ids[:1].body)
        )
        with self.assertRaisesRegex(UserError, "Only a level 2 ticket"):
            ticket.action_escalate()

    def test_escalation_team_must_be_level_3(self):
        with self.assertRaises(ValidationError):
            self.team.support_escalation_team_id = self.team

    def test_level_3_team_found_without_setting(self):
        self.team.support_escalation_team_id = False
        ticket = self._create_ticket("2026-01-19 10:00", "2")
        self.assertEqual(ticket._get_escalation_team(), self.team_dev)

    def test_escalation_without_level_3_team(self):
        self.team.support_escalation_team_id = False
        self.team_dev.support_level = "2"
        ticket = self._create_ticket("2026-01-19 10:00", "2")
        wizard = (
            self.env["helpdesk.ticket.escalate"]
            .with_user(self.agent)
            .create({"ticket_id": ticket.id, "reason": "Bug"})
        )
        self.assertFalse(wizard.team_id)
        with self.assertRaisesRegex(UserError, "No level 3 team"):
            wizard.action_escalate()
        self.assertEqual(ticket.support_level, "2")
