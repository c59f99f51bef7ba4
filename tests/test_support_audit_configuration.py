# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Second audit (issue 21), configuration and escalation: forged deliveries,
the company of a delivered item, escalation to a team that is not level 3.
Each forbidden call is made by the least privileged user who could try (an
agent restricted to its own tickets), refused, and leaves nothing written."""

from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon

from ..lib.guard import internal


@tagged("post_install", "-at_install")
class TestSupportAuditConfiguration(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Audit Vendor 2"})
        companies = cls.company + cls.company_2
        # The least privileged agent, working for both companies of the vendor.
        cls.agent = new_test_user(
            cls.env,
            login="hsp-audit-conf-agent",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
            name="Olga Own",
            tz="Europe/Paris",
            company_id=cls.company.id,
            company_ids=[Command.set(companies.ids)],
        )
        cls.colleague = new_test_user(
            cls.env,
            login="hsp-audit-conf-colleague",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
            name="Carl Colleague",
        )
        cls.developer = new_test_user(
            cls.env,
            login="hsp-audit-conf-dev",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
            name="Dora Developer",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Audit Customer", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Audit Contact", "parent_id": cls.customer.id}
        )
        team_model = cls.env["helpdesk.ticket.team"]
        cls.team_l3 = team_model.create(
            {
                "name": "Audit Development",
                "support_level": "3",
                "company_id": cls.company.id,
                "user_ids": [Command.set(cls.developer.ids)],
            }
        )
        cls.team_l3_company_2 = team_model.create(
            {
                "name": "Audit Development 2",
                "support_level": "3",
                "company_id": cls.company_2.id,
            }
        )
        cls.team_l2_other = team_model.create(
            {
                "name": "Audit Other Functional",
                "support_level": "2",
                "company_id": cls.company.id,
            }
        )
        cls.team = team_model.create(
            {
                "name": "Audit Functional",
                "support_level": "2",
                "company_id": cls.company.id,
                "user_ids": [Command.set(cls.agent.ids)],
                "support_escalation_team_id": cls.team_l3.id,
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Export fails",
                "description": "<p>The grade export fails</p>",
                "team_id": cls.team.id,
                "user_id": cls.agent.id,
                "partner_id": cls.contact.id,
                "company_id": cls.company.id,
            }
        )
        item_model = cls.env["support.configuration.item"].with_user(cls.agent)
        cls.app = item_model.create(
            {"name": "Audit Application", "partner_id": cls.customer.id}
        )
        cls.terminal = item_model.create(
            {
                "name": "Audit Terminal",
                "partner_id": cls.customer.id,
                "item_type": "hardware",
            }
        )
        # The agent's own today (Paris time): a delivery of yesterday is one
        # made offline and recorded today.
        cls.today = fields.Date.context_today(
            cls.env["support.delivery"].with_user(cls.agent)
        )
        cls.yesterday = cls.today - timedelta(days=1)
        cls.tomorrow = cls.today + timedelta(days=1)
        cls.delivery = (
            cls.env["support.delivery"]
            .with_user(cls.agent)
            .create(
                {
                    "item_id": cls.app.id,
                    "version": "1.0",
                    "date": cls.yesterday,
                    "ticket_id": cls.ticket.id,
                }
            )
        )

    @contextmanager
    def _refused(self, exception, regex=""):
        """The call raises, and what it may have written is rolled back."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield
        self.env.invalidate_all()

    def _deliveries(self):
        """Every delivery, as (item, version, date, author, company)."""
        self.env.invalidate_all()
        return [
            (d.item_id.name, d.version, d.date, d.user_id.login, d.company_id.name)
            for d in self.env["support.delivery"]
            .sudo()
            .search([("partner_id", "=", self.customer.id)], order="id")
        ]

    def _messages(self, record):
        self.env.invalidate_all()
        return len(record.sudo().message_ids)

    # ------------------------------------------------------------------
    # Forged deliveries
    # ------------------------------------------------------------------
    def test_delivery_in_another_users_name_refused(self):
        before = self._deliveries()
        self.assertEqual(
            before,
            [
                (
                    "Audit Application",
                    "1.0",
                    self.yesterday,
                    "hsp-audit-conf-agent",
                    self.company.name,
                )
            ],
        )
        messages = (self._messages(self.app), self._messages(self.ticket))
        delivery_model = self.env["support.delivery"].with_user(self.agent)
        values = {
            "item_id": self.app.id,
            "version": "6.6",
            "date": self.yesterday - timedelta(days=30),
            "ticket_id": self.ticket.id,
        }
        with self._refused(UserError, "Delivered By"):
            delivery_model.create(dict(values, user_id=self.colleague.id))
        # A batch with one forged row writes none of them.
        with self._refused(UserError, "Delivered By"):
            delivery_model.create(
                [dict(values, version="6.5"), dict(values, user_id=self.colleague.id)]
            )
        # Sibling path: the item's one2many.
        with self._refused(UserError, "Delivered By"):
            self.terminal.with_user(self.agent).write(
                {
                    "delivery_ids": [
                        Command.create(
                            {
                                "version": "6.6",
                                "date": self.yesterday,
                                "user_id": self.colleague.id,
                            }
                        )
                    ]
                }
            )
        # Not even the administrator records in someone else's name.
        with self._refused(UserError, "Delivered By"):
            self.env["support.delivery"].create(dict(values, user_id=self.colleague.id))
        self.assertEqual(self._deliveries(), before)
        self.assertEqual(self.app.version, "1.0")
        self.assertFalse(self.terminal.version)
        self.assertEqual(
            (self._messages(self.app), self._messages(self.ticket)), messages
        )
        # A default sent in the context is input from the client: the author
        # is still the user who records the delivery.
        delivery = delivery_model.with_context(
            default_user_id=self.colleague.id
        ).create(dict(values, version="1.1"))
        self.assertEqual(delivery.user_id, self.agent)

    def test_delivery_dated_yesterday_by_self(self):
        delivery_model = self.env["support.delivery"].with_user(self.agent)
        delivery = delivery_model.create(
            {
                "item_id": self.app.id,
                "version": "1.1",
                "date": self.yesterday,
                "user_id": self.agent.id,
                "note": "Installed on site, recorded back at the office",
            }
        )
        self.assertRecordValues(
            delivery,
            [
                {
                    "user_id": self.agent.id,
                    "date": self.yesterday,
                    "company_id": self.company.id,
                }
            ],
        )
        # The form shows when it was recorded: today, after the delivery date.
        self.assertTrue(delivery.create_date)
        self.assertGreater(
            fields.Date.context_today(delivery_model, delivery.create_date),
            delivery.date,
        )
        # Without an author, the user who records it; dated today by default.
        today = delivery_model.create({"item_id": self.terminal.id, "version": "B"})
        self.assertRecordValues(today, [{"user_id": self.agent.id, "date": self.today}])
        self.assertEqual(self.app.version, "1.1")
        self.assertEqual(self.terminal.version, "B")

    def test_delivery_in_the_future_refused(self):
        before = self._deliveries()
        messages = self._messages(self.terminal)
        delivery_model = self.env["support.delivery"].with_user(self.agent)
        values = {"item_id": self.terminal.id, "version": "2.0"}
        with self._refused(ValidationError, "in the future"):
            delivery_model.create(dict(values, date=self.tomorrow))
        with self._refused(ValidationError, "in the future"):
            delivery_model.create(dict(values, date="2099-01-01"))
        # A date sent as a context default is checked as well.
        with self._refused(ValidationError, "in the future"):
            delivery_model.with_context(default_date=self.tomorrow).create(values)
        with self._refused(ValidationError, "in the future"):
            self.terminal.with_user(self.agent).write(
                {
                    "delivery_ids": [
                        Command.create({"version": "2.0", "date": self.tomorrow})
                    ]
                }
            )
        self.assertEqual(self._deliveries(), before)
        self.assertFalse(self.terminal.version)
        self.assertEqual(self._messages(self.terminal), messages)
        # Today is accepted.
        delivery = delivery_model.create(dict(values, date=self.today))
        self.assertEqual(delivery.date, self.today)

    def test_delivery_author_and_date_never_rewritten(self):
        before = self._deliveries()
        for vals in (
            {"user_id": self.colleague.id},
            {"date": self.yesterday - timedelta(days=10)},
        ):
            with self._refused(AccessError):
                self.delivery.with_user(self.agent).write(vals)
            with self._refused(UserError, "never changed"):
                self.delivery.sudo().write(vals)
        self.assertEqual(self._deliveries(), before)

    # ------------------------------------------------------------------
    # Company of a delivered item
    # ------------------------------------------------------------------
    def test_company_change_of_delivered_item_refused(self):
        before = self._deliveries()
        item = self.app.with_user(self.agent)
        with self._refused(UserError, "cannot move to another company"):
            item.write({"company_id": self.company_2.id})
        # Nor with a delivered and an undelivered item together, nor by the
        # administrator.
        with self._refused(UserError, "cannot move to another company"):
            (self.app | self.terminal).with_user(self.agent).write(
                {"company_id": self.company_2.id}
            )
        with self._refused(UserError, "cannot move to another company"):
            self.app.sudo().write({"company_id": self.company_2.id})
        self.assertEqual(self.app.company_id, self.company)
        self.assertEqual(self.terminal.company_id, self.company)
        self.assertEqual(self.delivery.company_id, self.company)
        self.assertEqual(self._deliveries(), before)
        # Writing the same company again is no change.
        item.write({"company_id": self.company.id, "notes": "Same company"})
        self.assertEqual(self.app.notes, "Same company")
        # An item never delivered may still move.
        self.terminal.with_user(self.agent).write({"company_id": self.company_2.id})
        self.assertEqual(self.terminal.company_id, self.company_2)

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------
    def _ticket_state(self):
        self.env.invalidate_all()
        ticket = self.ticket.sudo()
        return (
            ticket.support_level,
            ticket.team_id,
            ticket.user_id,
            len(ticket.message_ids),
        )

    def test_escalation_to_a_team_not_level_3_refused(self):
        before = self._ticket_state()
        self.assertEqual(before[:3], ("2", self.team, self.agent))
        wizard_model = self.env["helpdesk.ticket.escalate"].with_user(self.agent)
        values = {"ticket_id": self.ticket.id, "reason": "Bug"}
        for team in (self.team_l2_other, self.team, self.team_l3_company_2):
            with self._refused(UserError, "Only a level 3 team"):
                wizard_model.create(dict(values, team_id=team.id)).action_escalate()
        # A team changed on the wizard after its creation.
        wizard = wizard_model.create(values)
        self.assertEqual(wizard.team_id, self.team_l3)
        with self._refused(UserError, "Only a level 3 team"):
            wizard.write({"team_id": self.team_l2_other.id})
            wizard.action_escalate()
        # The level 3 team became a level 2 team since the wizard opened.
        self.team_l3.support_level = "2"
        with self._refused(UserError, "Only a level 3 team"):
            wizard.action_escalate()
        self.team_l3.support_level = "3"
        # The ticket's own write, even with the addon's mark: level 3 goes
        # with a level 3 team only.
        marked = internal(self.ticket.with_user(self.agent), sudo=False)
        with self._refused(UserError, "Only a level 3 team"):
            marked.write({"support_level": "3", "team_id": self.team_l2_other.id})
        with self._refused(UserError, "Only a level 3 team"):
            marked.write({"support_level": "3"})
        with self._refused(UserError, "Only a level 3 team"):
            marked.write({"support_level": "3", "team_id": False})
        self.assertEqual(self._ticket_state(), before)

    def test_escalate_to_level_3_team(self):
        messages = self._ticket_state()[3]
        action = self.ticket.with_user(self.agent).action_escalate()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.agent)
            .with_context(**action["context"])
            .create({"reason": "Reproducible bug in the export"})
        )
        self.assertEqual(wizard.team_id, self.team_l3)
        wizard.action_escalate()
        level, team, user, count = self._ticket_state()
        self.assertEqual(
            (level, team, user), ("3", self.team_l3, self.env["res.users"])
        )
        self.assertIn(
            "Reproducible bug in the export",
            str(
                self.ticket.sudo()
                .message_ids.filtered(lambda m: "Escalated to level 3" in str(m.body))
                .body
            ),
        )
        self.assertGreater(count, messages)
