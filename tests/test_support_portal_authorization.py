# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common_portal import SupportPortalCommon

# One more than PostgreSQL's integer: a 500 if it reached a query.
TOO_BIG = 2**31
HUGE = 99999999999


@tagged("post_install", "-at_install")
class TestSupportPortalAuthorization(SupportPortalCommon):
    """What a customer's portal user may not do, and helpdesk_mgmt's contract
    of the routes this addon overrides (status codes, redirect targets)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        category_model = cls.env["helpdesk.ticket.category"]
        # What the portal form offers: active categories shown on the portal
        # of the user's company.
        cls.company.helpdesk_mgmt_portal_select_category = True
        cls.cat_portal = category_model.create(
            {"name": "Portal question", "support_coverage": "counted"}
        )
        cls.cat_hidden = category_model.create(
            {
                "name": "Confirmed bug (agents only)",
                "support_coverage": "included",
                "show_in_portal": False,
            }
        )
        cls.cat_archived = category_model.create(
            {"name": "Old free category", "support_coverage": "included"}
        )
        cls.cat_archived.active = False
        other_company = cls.env["res.company"].create({"name": "Other vendor"})
        cls.cat_other_company = category_model.create(
            {
                "name": "Other vendor's free category",
                "support_coverage": "included",
                "company_id": other_company.id,
            }
        )

    def _ticket_count(self):
        return self.env["helpdesk.ticket"].sudo().search_count([])

    def _submit(self, category, **values):
        data = {
            "subject": "Portal submitted secret-new",
            "description": "Something is broken",
            "category": category,
        }
        data.update(values)
        return self._post("/submitted/ticket", data)

    # /ticket/close: helpdesk_mgmt's contract, this addon's checks ----------
    def test_ticket_close_keeps_host_contract(self):
        """A 302 to /my/ticket/<id>, as helpdesk_mgmt answers, closed or not."""
        ticket = self.data["a"]["open"]
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        # Not a portal closing stage: refused, back to the ticket page.
        response = self._post(
            "/ticket/close", {"ticket_id": ticket.id, "stage_id": self.stage_new.id}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/ticket/{ticket.id}")
        )
        self.assertEqual(ticket.stage_id, self.stage_new)
        response = self._post(
            "/ticket/close", {"ticket_id": ticket.id, "stage_id": self.stage_done.id}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/ticket/{ticket.id}")
        )
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertTrue(ticket.closed)

    def test_ticket_close_other_customer_refused(self):
        """Customer A's contact cannot close customer B's ticket (helpdesk_mgmt
        would: it moves any ticket id with sudo())."""
        ticket_b = self.data["b"]["open"]
        before = self._snapshot("b")
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self._post(
            "/ticket/close",
            {"ticket_id": ticket_b.id, "stage_id": self.stage_done.id},
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response.headers["Location"].endswith("/my"))
        self.assertEqual(self._snapshot("b"), before)
        self.assertEqual(ticket_b.stage_id, self.stage_new)

    def test_ticket_close_stage_of_another_team_refused(self):
        """A portal closing stage of another team is not one of this ticket's."""
        ticket = self.data["a"]["open"]
        other_team = self.env["helpdesk.ticket.team"].create({"name": "Other team"})
        other_done = self.env["helpdesk.ticket.stage"].create(
            {
                "name": "Other done",
                "closed": True,
                "close_from_portal": True,
                "team_ids": [(6, 0, other_team.ids)],
            }
        )
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self._post(
            "/ticket/close", {"ticket_id": ticket.id, "stage_id": other_done.id}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(ticket.stage_id, self.stage_new)

    # /submitted/ticket: only the categories the form offers ----------------
    def test_submit_ticket_category_not_on_portal_refused(self):
        """The category decides billing: one the form does not offer (hidden on
        the portal, archived, another company's, malformed) is refused with a
        message and no ticket is created."""
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        count = self._ticket_count()
        for value in (
            self.cat_hidden.id,
            self.cat_archived.id,
            self.cat_other_company.id,
            "abc",
            "-1",
            TOO_BIG,
            HUGE,
        ):
            response = self._submit(value)
            self.assertEqual(response.status_code, 400, value)
            self.assertIn("cannot be chosen on the portal", response.text, value)
            self.assertEqual(self._ticket_count(), count, value)
        # A malformed team: refused the same way, not a 500.
        response = self._submit(self.cat_portal.id, team="x")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._ticket_count(), count)

    def test_submit_ticket_portal_category_keeps_host_contract(self):
        """A category of the form: helpdesk_mgmt creates the ticket and sends
        to it (302 to /my/ticket/<id>)."""
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        count = self._ticket_count()
        response = self._submit(self.cat_portal.id)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self._ticket_count(), count + 1)
        ticket = self.env["helpdesk.ticket"].sudo().search([], order="id desc", limit=1)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/ticket/{ticket.id}")
        )
        self.assertEqual(ticket.category_id, self.cat_portal)
        self.assertEqual(ticket.partner_id, self.contact_b1)

    def test_submit_ticket_without_category_selection(self):
        """When the company does not let customers pick a category, the form
        has none: a category sent anyway is not taken."""
        self.company.helpdesk_mgmt_portal_select_category = False
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        count = self._ticket_count()
        response = self._submit(self.cat_hidden.id)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self._ticket_count(), count + 1)
        ticket = self.env["helpdesk.ticket"].sudo().search([], order="id desc", limit=1)
        self.assertFalse(ticket.category_id)

    # Out-of-range and malformed ids: a 404 or a redirect, never a 500 ------
    def test_out_of_range_ids(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        before = self._snapshot("a")
        for big in (TOO_BIG, HUGE, 10**30):
            for url in (
                f"/my/support/{big}",
                f"/my/support/{big}/page/2",
                f"/my/support/{big}?report_type=pdf",
                f"/my/ticket/{big}",
                f"/my/ticket/{big}?report_type=pdf",
                f"/my/ticket/{big}?report_type=html",
            ):
                response = self._get(url)
                self.assertIn(response.status_code, (302, 303, 404), url)
            # A page number past the end: the pager shows the last page.
            for url in (
                f"/my/support/page/{big}",
                f"/my/support/{self.data['a']['pack'].id}/page/{big}",
            ):
                self.assertEqual(self._get(url).status_code, 200, url)
            for url, data in (
                (f"/my/ticket/{big}/reopen", {"reason": "Still broken"}),
                (f"/my/ticket/{big}/reopen", {"reason": " "}),
                (f"/my/ticket/{big}/confirm", {}),
                (f"/my/ticket/{big}/estimate/approve", {}),
                (f"/my/ticket/{big}/estimate/refuse", {}),
                ("/ticket/close", {"ticket_id": big, "stage_id": self.stage_done.id}),
                (
                    "/ticket/close",
                    {"ticket_id": self.data["a"]["open"].id, "stage_id": big},
                ),
            ):
                response = self._post(url, data)
                self.assertIn(response.status_code, (302, 303, 404), url)
        for data in (
            {"ticket_id": "abc", "stage_id": self.stage_done.id},
            {"ticket_id": self.data["a"]["open"].id, "stage_id": "1.5"},
            {"ticket_id": self.data["a"]["open"].id, "stage_id": ""},
            {"stage_id": self.stage_done.id},
            {
                "ticket_id": self.data["a"]["open"].id,
                "stage_id": self.stage_done.id,
                "foo_id": "x",
            },
        ):
            response = self._post("/ticket/close", data)
            self.assertEqual(response.status_code, 302, data)
        self.assertEqual(self._snapshot("a"), before)

    # Acting for another customer: refused, not a 500 -----------------------
    def test_follower_of_another_customer_refused(self):
        """A portal contact of B who follows A's tickets reads them, but may
        not approve A's estimate, confirm A's fix or reopen A's ticket: the
        model refuses (AccessError), the page says so, nothing is written."""
        data = self.data["a"]
        (data["closed"] | data["estimate"]).sudo().message_subscribe(
            partner_ids=self.contact_b1.ids
        )
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        page = self._get(f"/my/ticket/{data['estimate'].id}")
        self.assertEqual(page.status_code, 200)
        before = self._snapshot("a")
        for url, values in (
            (f"/my/ticket/{data['closed'].id}/reopen", {"reason": "Not fixed"}),
            (f"/my/ticket/{data['closed'].id}/confirm", {}),
            (f"/my/ticket/{data['estimate'].id}/estimate/approve", {}),
            (f"/my/ticket/{data['estimate'].id}/estimate/refuse", {}),
        ):
            response = self._post(url, values)
            self.assertEqual(response.status_code, 303, url)
            self.assertIn("support_message=refused", response.headers["Location"], url)
        self.assertEqual(self._snapshot("a"), before)
        self.assertEqual(data["estimate"].support_estimate_state, "sent")
        self.assertTrue(data["closed"].stage_id.closed)
