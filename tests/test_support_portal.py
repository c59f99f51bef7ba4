# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from ..lib.guard import internal
from .common_portal import SupportPortalCommon


@tagged("post_install", "-at_install")
class TestSupportPortal(SupportPortalCommon):
    # My support -----------------------------------------------------------
    def test_my_home_shows_balance(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/my/support", response.text)
        remaining = self.data["a"]["pack"].quantity_remaining
        self.assertIn(f"{remaining:g} credits", response.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["support_pack_count"]}
        )
        self.assertEqual(counters["support_pack_count"], 1)

    def test_my_support_lists_company_packs(self):
        pack_a = self.data["a"]["pack"]
        pack_b = self.data["b"]["pack"]
        # a1 did not buy the pack: a2 did, for the same company.
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self.url_open("/my/support")
        self.assertEqual(response.status_code, 200)
        self.assertIn(pack_a.name, response.text)
        self.assertNotIn(pack_b.name, response.text)
        self.assertIn("o_support_progress", response.text)

    def test_my_support_highlights_expiring_and_exhausted(self):
        pack = self.data["a"]["pack"]
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        self.assertNotIn("o_support_expiring", self.url_open("/my/support").text)
        internal(pack).date_end = fields.Date.today() + timedelta(days=5)
        self.assertTrue(pack._is_portal_expiring_soon())
        self.assertIn("o_support_expiring", self.url_open("/my/support").text)
        self._consume(pack, pack.quantity_remaining)
        self.assertEqual(pack.state, "exhausted")
        self.assertIn("table-danger", self.url_open("/my/support").text)

    def test_internal_users(self):
        """An agent reads every pack in the back-office, but the portal pages list
        the packs of its own company only; an employee without pack rights gets
        /my without the entry."""
        self.authenticate("hsp-agent", "hsp-agent")
        self.assertEqual(self.url_open("/my").status_code, 200)
        response = self.url_open("/my/support")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.data["a"]["pack"].name, response.text)
        pack_id = self.data["a"]["pack"].id
        self.assertEqual(self._get(f"/my/support/{pack_id}").status_code, 303)
        new_test_user(self.env, login="hsp-employee", groups="base.group_user")
        self.authenticate("hsp-employee", "hsp-employee")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn('href="/my/support"', response.text)
        self.assertEqual(self._get("/my/support").status_code, 303)

    def test_ledger_and_statement(self):
        pack = self.data["a"]["pack"]
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self.url_open(f"/my/support/{pack.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_support_ledger_row", response.text)
        # The purchase, then the 50 min -> 1 h of the open ticket.
        self.assertIn(self.data["a"]["open"].number, response.text)
        self.assertIn("00:50", response.text)
        self.assertIn("01:00", response.text)
        html = self.url_open(f"/my/support/{pack.id}?report_type=html")
        self.assertEqual(html.status_code, 200)
        self.assertIn(pack.name, html.text)
        pdf = self.url_open(f"/my/support/{pack.id}?report_type=pdf")
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        # Test mode renders the report body as HTML (no force_report_rendering).
        self.assertIn(pack.name, pdf.text)

    def test_ledger_balance_after_each_move(self):
        pack = self.data["a"]["pack"]
        rows = pack._get_portal_ledger_rows()
        self.assertEqual(
            [row["balance_text"] for row in rows],
            ["94 credits", "96 credits", "100 credits"],
        )
        # A page starts from the balance of the older moves.
        page = pack._get_portal_ledger_rows(offset=1, limit=1)
        self.assertEqual([row["balance_text"] for row in page], ["96 credits"])

    # Ticket pages ---------------------------------------------------------
    def test_ticket_page_and_list_show_support(self):
        ticket = self.data["a"]["open"]
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_support_interventions", response.text)
        self.assertIn("Diagnosis secret-a", response.text)
        self.assertIn("00:50", response.text)
        self.assertIn("01:00", response.text)
        self.assertIn("4 credits", response.text)
        self.assertIn("o_support_sla", response.text)
        self.assertIn("Portal resolution", response.text)
        listing = self.url_open("/my/tickets")
        self.assertIn(ticket.name, listing.text)
        self.assertNotIn("secret-b", listing.text)
        pdf = self.url_open(f"/my/ticket/{ticket.id}?report_type=pdf")
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")

    # Actions --------------------------------------------------------------
    def test_approve_and_refuse_estimate(self):
        ticket = self.data["a"]["estimate"]
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self._post(f"/my/ticket/{ticket.id}/estimate/approve")
        self.assertEqual(response.status_code, 303)
        self.assertIn("support_message=estimate_approved", response.headers["Location"])
        self.assertEqual(ticket.support_estimate_state, "approved")
        self.assertIn("approved by the customer", self._bodies(ticket))
        message = self._last_message(ticket, "approved by the customer")
        self.assertEqual(message.author_id, self.contact_a1)
        self.assertIn(self.agent.partner_id, message.partner_ids)
        # Answered once: a second answer changes nothing.
        self._post(f"/my/ticket/{ticket.id}/estimate/refuse")
        self.assertEqual(ticket.support_estimate_state, "approved")
        internal(ticket).support_estimate_state = "sent"
        self._post(f"/my/ticket/{ticket.id}/estimate/refuse")
        self.assertEqual(ticket.support_estimate_state, "refused")

    def test_confirm_fix(self):
        ticket = self.data["a"]["closed"]
        self.authenticate("hsp-portal-a2", "hsp-portal-a2")
        self._post(f"/my/ticket/{ticket.id}/confirm")
        self.assertTrue(ticket.support_fix_confirmed_date)
        self.assertEqual(ticket.support_fix_confirmed_partner_id, self.contact_a2)
        self.assertIn("confirmed the fix", self._bodies(ticket))
        # An open ticket is not resolved.
        open_ticket = self.data["a"]["open"]
        response = self._post(f"/my/ticket/{open_ticket.id}/confirm")
        self.assertIn("support_message=refused", response.headers["Location"])
        self.assertFalse(open_ticket.support_fix_confirmed_date)

    def test_reopen_within_grace_period(self):
        ticket = self.data["a"]["closed"]
        self._close_days_ago(ticket, 29)
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        self._post(
            f"/my/ticket/{ticket.id}/reopen",
            {"reason": "Still broken\nafter the update"},
        )
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertFalse(ticket.closed_date)
        # the reason keeps its line break
        self.assertIn("Still broken<br>after the update", self._bodies(ticket))
        message = self._last_message(ticket, "Still broken")
        self.assertIn(self.agent.partner_id, message.partner_ids)

    def test_reopen_after_grace_period_creates_linked_ticket(self):
        ticket = self.data["a"]["closed"]
        self._close_days_ago(ticket, 31)
        closed_date = ticket.closed_date
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self._post(
            f"/my/ticket/{ticket.id}/reopen", {"reason": "Broken again\nsince Monday"}
        )
        new_ticket = ticket.support_child_ticket_ids
        self.assertEqual(len(new_ticket), 1)
        self.assertIn(f"/my/ticket/{new_ticket.id}", response.headers["Location"])
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertEqual(ticket.closed_date, closed_date)
        self.assertEqual(new_ticket.support_parent_ticket_id, ticket)
        self.assertEqual(new_ticket.partner_id, ticket.partner_id)
        self.assertFalse(new_ticket.stage_id.closed)
        self.assertIn("Broken again<br>since Monday", new_ticket.description)
        # The customer who reopened sees the new ticket.
        page = self.url_open(response.headers["Location"])
        self.assertIn("o_support_alert", page.text)

    def test_grace_period_setting(self):
        ticket = self.data["a"]["closed"]
        self._close_days_ago(ticket, 10)
        self.company.support_reopen_grace_days = 5
        self.assertFalse(ticket._support_can_reopen_in_place())
        self.company.support_reopen_grace_days = 30
        self.assertTrue(ticket._support_can_reopen_in_place())
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.support_reopen_grace_days, 30)

    def test_reopen_needs_reason(self):
        ticket = self.data["a"]["closed"]
        before = self._snapshot("a")
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self._post(f"/my/ticket/{ticket.id}/reopen", {"reason": "  "})
        self.assertIn("support_message=reason_required", response.headers["Location"])
        self.assertEqual(self._snapshot("a"), before)

    # Methods and CSRF -----------------------------------------------------
    def test_get_on_post_routes_changes_nothing(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        before = self._snapshot("a")
        for url in self._action_urls("a"):
            response = self._get(url)
            self.assertEqual(response.status_code, 405, url)
        self.assertEqual(self._snapshot("a"), before)

    def test_post_without_csrf_refused(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        before = self._snapshot("a")
        for url, data in self._action_posts("a"):
            response = self._post(url, data, csrf=False)
            self.assertEqual(response.status_code, 400, url)
        self.assertEqual(self._snapshot("a"), before)

    # helpdesk_mgmt's /ticket/close (OCA/helpdesk#1089) ---------------------
    def test_ticket_close_checks_access(self):
        ticket_b = self.data["b"]["open"]
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        before = self._snapshot("b")
        response = self._post(
            "/ticket/close",
            {"ticket_id": ticket_b.id, "stage_id": self.stage_done.id},
        )
        # helpdesk_mgmt's contract for the route: a 302 (here to /my).
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self._snapshot("b"), before)
        self.assertFalse(ticket_b.stage_id.closed)
        # The customer still closes its own ticket, to a portal closing stage.
        ticket_a = self.data["a"]["open"]
        rejected = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_rejected")
        self.assertFalse(rejected.close_from_portal)
        self._post(
            "/ticket/close",
            {"ticket_id": ticket_a.id, "stage_id": rejected.id},
        )
        self.assertEqual(ticket_a.stage_id, self.stage_new)
        self._post(
            "/ticket/close",
            {"ticket_id": ticket_a.id, "stage_id": self.stage_done.id},
        )
        self.assertEqual(ticket_a.stage_id, self.stage_done)


@tagged("post_install", "-at_install")
class TestSupportPortalFrench(SupportPortalCommon):
    """The portal pages of a French customer use the French formats."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["helpdesk_support_pack"], ["fr_FR"], overwrite=True
        )
        cls.contact_a1.lang = "fr_FR"

    def test_ticket_page_in_french(self):
        ticket = self.data["a"]["open"]
        line = ticket.timesheet_ids
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(response.status_code, 200)
        # 50 min logged, rounded to 1 h: 4 credits
        self.assertIn("00:50", response.text)
        self.assertIn("01:00", response.text)
        self.assertIn("4 crédits", response.text)
        self.assertIn(line.date.strftime("%d/%m/%Y"), response.text)
        self.assertNotIn(line.date.isoformat(), response.text)

    def test_estimate_and_list_in_french(self):
        estimate = self.data["a"]["estimate"]
        estimate.sudo().support_estimate_hours = 1.5
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self.url_open(f"/my/ticket/{estimate.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("1,5 h", response.text)
        listing = self.url_open("/my/tickets")
        # The open ticket consumed 4 credits, with its unit, in French.
        self.assertIn("4 crédits", listing.text)

    def test_my_home_balance_in_french(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self.url_open("/my")
        remaining = self.data["a"]["pack"].quantity_remaining
        self.assertIn(f"{remaining:.0f} crédits", response.text)
