# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Issue 21, the customer's side: closing another customer's ticket, another
customer's balance on a report, a team of another company on the portal form.
Each call is made over HTTP as the user who could try it; it is refused as
helpdesk_mgmt answers and nothing is written."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_portal import SupportPortalCommon

INTERVENTION = "helpdesk_support_pack.report_helpdesk_ticket_intervention"


@tagged("post_install", "-at_install")
class TestSupportAuditPortalClose(SupportPortalCommon):
    """``POST /ticket/close``: only the contacts of the ticket's customer, and
    internal users who may write the ticket."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Closing queues the intervention report: a refused close must not.
        cls.company.support_report_send = "close"
        cls.ticket = cls.data["a"]["open"]
        # B's contact follows A's ticket (it reads it, as helpdesk_mgmt's
        # portal rule lets followers do).
        cls.ticket.message_subscribe(partner_ids=cls.contact_b1.ids)
        # An employee without helpdesk rights, a contact of customer A who
        # follows the ticket: it reads it (helpdesk_mgmt's internal rule).
        cls.employee = new_test_user(
            cls.env,
            login="hsp-employee",
            groups="base.group_user",
            name="Eve Employee",
        )
        cls.employee.partner_id.parent_id = cls.customer_a
        cls.ticket.message_subscribe(partner_ids=cls.employee.partner_id.ids)

    def _queued(self):
        return (
            self.env["support.report.queue"]
            .sudo()
            .search_count([("ticket_id", "=", self.ticket.id)])
        )

    def _close(self):
        return self._post(
            "/ticket/close",
            {"ticket_id": self.ticket.id, "stage_id": self.stage_done.id},
        )

    def _assert_refused(self, login):
        self.authenticate(login, login)
        # The reader sees the ticket, without helpdesk_mgmt's close buttons.
        page = self._get(f"/my/ticket/{self.ticket.id}")
        self.assertEqual(page.status_code, 200, login)
        self.assertIn("secret-a", page.text, login)
        self.assertEqual(page.text.count('action="/ticket/close"'), 0, login)
        before = self._snapshot("a")
        response = self._close()
        # helpdesk_mgmt's contract: a 302 to the ticket's page.
        self.assertEqual(response.status_code, 302, login)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/ticket/{self.ticket.id}"),
            login,
        )
        self.assertEqual(self._snapshot("a"), before, login)
        self.assertEqual(self.ticket.stage_id, self.stage_new, login)
        # No report queued, the acceptance clock not started.
        self.assertEqual(self._queued(), 0, login)
        self.assertFalse(self.ticket.closed_date, login)
        self.assertFalse(self.ticket.support_fix_confirmed_date, login)

    def test_follower_of_another_customer_cannot_close(self):
        self._assert_refused("hsp-portal-b1")

    def test_employee_without_helpdesk_rights_cannot_close(self):
        # Even a contact of the customer: an internal user closes the
        # back-office way, with write access on the ticket.
        self.assertFalse(self.ticket.with_user(self.employee).has_access("write"))
        self.assertTrue(self.ticket.with_user(self.employee).has_access("read"))
        self._assert_refused("hsp-employee")

    def test_model_check_for_every_caller(self):
        """The check is the model's: the same answer for any caller, and
        neither user writes the stage itself (no write access)."""
        ticket = self.ticket
        for user in (self.portal_users["b1"], self.employee):
            with self.assertRaises(AccessError):
                ticket.with_user(user)._support_check_portal_close()
            with self.assertRaises(AccessError):
                ticket.with_user(user).write({"stage_id": self.stage_done.id})
        for user in (self.portal_users["a1"], self.portal_users["a2"], self.agent):
            ticket.with_user(user)._support_check_portal_close()
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertFalse(ticket.closed_date)

    def test_unauthorized_contact_cannot_close(self):
        """A restricted customer: only its authorized contacts act for it, as
        for reopen and confirm."""
        self.customer_a.support_restricted = True
        self.contact_a1.support_authorized = True
        self._assert_refused("hsp-portal-a2")

    def test_customer_contact_closes(self):
        """Another contact of customer A (not the ticket's own contact)."""
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        page = self._get(f"/my/ticket/{self.ticket.id}")
        stages = self.team._get_applicable_stages().filtered("close_from_portal")
        self.assertIn(self.stage_done, stages)
        self.assertEqual(page.text.count('action="/ticket/close"'), len(stages))
        response = self._close()
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/ticket/{self.ticket.id}")
        )
        self.assertEqual(self.ticket.stage_id, self.stage_done)
        self.assertTrue(self.ticket.closed_date)
        self.assertEqual(self._queued(), 1)

    def test_helpdesk_agent_closes(self):
        self.assertTrue(self.ticket.with_user(self.agent).has_access("write"))
        self.authenticate("hsp-agent", "hsp-agent")
        response = self._close()
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.ticket.stage_id, self.stage_done)
        self.assertTrue(self.ticket.closed_date)
        self.assertEqual(self._queued(), 1)


@tagged("post_install", "-at_install")
class TestSupportAuditPortalReport(SupportPortalCommon):
    """The intervention report shows the balances its reader may see."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls.data["a"]["open"]
        cls.pack = cls.data["a"]["pack"]
        cls.ticket.message_subscribe(partner_ids=cls.contact_b1.ids)

    def _report(self, login):
        self.authenticate(login, login)
        response = self._get(f"/my/ticket/{self.ticket.id}?report_type=html")
        self.assertEqual(response.status_code, 200, login)
        return response.text

    def test_customer_contact_sees_balance(self):
        # 50 min → 1 h → 4 credits of 100; the closed ticket's 2 credits
        # come after it.
        self.assertEqual(self.pack.quantity_remaining, 94.0)
        text = self._report("hsp-portal-a1")
        self.assertIn("Diagnosis secret-a", text)
        self.assertIn("4 credits", text)
        self.assertIn(self.pack.name, text)
        self.assertIn("Pack balance", text)
        self.assertIn("Valid until", text)
        self.assertIn("96 credits", text)
        text = self._get(f"/my/ticket/{self.ticket.id}?report_type=pdf").text
        self.assertIn(self.pack.name, text)
        self.assertIn("96 credits", text)

    def test_follower_of_another_customer_sees_no_balance(self):
        text = self._report("hsp-portal-b1")
        # The intervention rows it may read ...
        self.assertIn("Diagnosis secret-a", text)
        self.assertIn("4 credits", text)
        # ... not A's pack, its validity nor its balance.
        self.assertNotIn(self.pack.name, text)
        self.assertNotIn("Pack balance", text)
        self.assertNotIn("Valid until", text)
        self.assertNotIn("96 credits", text)
        self.assertNotIn("94 credits", text)
        # The same on the PDF (in tests, the route renders the HTML) and on
        # the ticket page.
        for url in (
            f"/my/ticket/{self.ticket.id}?report_type=pdf",
            f"/my/ticket/{self.ticket.id}",
        ):
            text = self._get(url).text
            self.assertNotIn(self.pack.name, text, url)
            self.assertNotIn("96 credits", text, url)
            self.assertNotIn("94 credits", text, url)

    def test_report_values_follow_reader(self):
        """The report model decides (values), for any caller."""
        report = self.env[f"report.{INTERVENTION}"]
        follower = self.portal_users["b1"]
        contact = self.portal_users["a1"]
        # as the portal renders it: sudo() after its own access check
        values = (
            report.with_user(follower)
            .sudo()
            ._get_ticket_values(self.ticket.with_user(follower).sudo())
        )
        self.assertEqual(values["balances"], [])
        self.assertEqual([row["pack"] for row in values["rows"]], [""])
        self.assertEqual([row["quantity"] for row in values["rows"]], [4.0])
        values = (
            report.with_user(contact)
            .sudo()
            ._get_ticket_values(self.ticket.with_user(contact).sudo())
        )
        self.assertEqual(
            [(b["name"], b["balance"]) for b in values["balances"]],
            [(self.pack.name, 96.0)],
        )
        self.assertEqual([row["pack"] for row in values["rows"]], [self.pack.name])


@tagged("post_install", "-at_install")
class TestSupportAuditPortalTeam(SupportPortalCommon):
    """``/submitted/ticket`` takes only a team the portal form offers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.helpdesk_mgmt_portal_select_team = True
        cls.company_2 = cls.env["res.company"].create(
            {"name": "Second vendor", "helpdesk_mgmt_portal_select_team": True}
        )
        team_model = cls.env["helpdesk.ticket.team"]
        cls.team_2 = team_model.create(
            {
                "name": "Second vendor support",
                "company_id": cls.company_2.id,
                "show_in_portal": True,
            }
        )
        cls.team_2_hidden = team_model.create(
            {
                "name": "Second vendor back office",
                "company_id": cls.company_2.id,
                "show_in_portal": False,
            }
        )
        cls.team_2_archived = team_model.create(
            {
                "name": "Second vendor old team",
                "company_id": cls.company_2.id,
                "show_in_portal": True,
                "active": False,
            }
        )
        cls.team.company_id = cls.company
        cls.customer_c = cls.env["res.partner"].create(
            {"name": "Campus C", "is_company": True, "company_id": cls.company_2.id}
        )
        cls.contact_c1 = cls.env["res.partner"].create(
            {
                "name": "Carla C1",
                "parent_id": cls.customer_c.id,
                "email": "c1@c.example.com",
                "company_id": cls.company_2.id,
            }
        )
        cls.portal_c1 = new_test_user(
            cls.env,
            login="hsp-portal-c1",
            groups="base.group_portal",
            partner_id=cls.contact_c1.id,
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )

    def _tickets(self):
        return self.env["helpdesk.ticket"].sudo().search_count([])

    def _submit(self, team):
        return self._post(
            "/submitted/ticket",
            {
                "subject": "Portal submitted secret-c",
                "description": "Something is broken",
                "team": team,
            },
        )

    def test_form_offers_own_company_teams(self):
        self.authenticate("hsp-portal-c1", "hsp-portal-c1")
        page = self._get("/new/ticket").text
        self.assertIn(self.team_2.name, page)
        self.assertNotIn(self.team.name, page)
        self.assertNotIn(self.team_2_hidden.name, page)

    def test_team_of_another_company_refused(self):
        self.authenticate("hsp-portal-c1", "hsp-portal-c1")
        count = self._tickets()
        for team in (
            self.team,
            self.team_2_hidden,
            self.team_2_archived,
        ):
            response = self._submit(team.id)
            self.assertEqual(response.status_code, 400, team.name)
            self.assertIn(
                "This team cannot be chosen on the portal", response.text, team.name
            )
            self.assertEqual(self._tickets(), count, team.name)
        for value in ("x", "-1", "0", str(2**31)):
            response = self._submit(value)
            self.assertEqual(response.status_code, 400, value)
            self.assertIn("This team does not exist", response.text, value)
            self.assertEqual(self._tickets(), count, value)
        self.assertFalse(
            self.env["helpdesk.ticket"]
            .sudo()
            .search([("partner_id", "=", self.contact_c1.id)])
        )

    def test_offered_team_keeps_host_contract(self):
        self.authenticate("hsp-portal-c1", "hsp-portal-c1")
        count = self._tickets()
        response = self._submit(self.team_2.id)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self._tickets(), count + 1)
        ticket = self.env["helpdesk.ticket"].sudo().search([], order="id desc", limit=1)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/ticket/{ticket.id}")
        )
        self.assertEqual(ticket.team_id, self.team_2)
        self.assertEqual(ticket.company_id, self.company_2)
        self.assertEqual(ticket.partner_id, self.contact_c1)

    def test_team_ignored_when_form_has_none(self):
        """A company whose form has no team field: a team sent anyway is not
        taken (helpdesk_mgmt's setting)."""
        self.company_2.helpdesk_mgmt_portal_select_team = False
        # two teams: the default portal team takes the ticket (issue 23)
        self.company_2.support_portal_team_id = self.team_2
        self.authenticate("hsp-portal-c1", "hsp-portal-c1")
        count = self._tickets()
        response = self._submit(self.team.id)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self._tickets(), count + 1)
        ticket = self.env["helpdesk.ticket"].sudo().search([], order="id desc", limit=1)
        self.assertEqual(ticket.team_id, self.team_2)
        self.assertEqual(ticket.company_id, self.company_2)
