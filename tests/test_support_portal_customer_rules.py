# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_portal import SupportPortalCommon


@tagged("post_install", "-at_install")
class TestSupportPortalCustomerRules(SupportPortalCommon):
    """Two contacts of a restricted customer (A1 authorized, A2 not) and an
    unrestricted customer (B) on the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a.support_restricted = True
        cls.contact_a1.support_authorized = True
        # The customer picks the team: its policies are the ones shown.
        cls.company.helpdesk_mgmt_portal_select_team = True
        # Urgent policies of the team: the page shows them after submission.
        for target, hours in (("first_response", 1), ("resolution", 4)):
            cls.env["helpdesk.sla"].create(
                {
                    "name": f"Urgent {target}",
                    "target": target,
                    "priority": "3",
                    "hours": hours,
                    "use_calendar": False,
                    "team_ids": [(6, 0, cls.team.ids)],
                    "stage_id": cls.stage_done.id if target == "resolution" else False,
                }
            )
        # The estimate of A is urgent: 2 h x 2 = 16 credits.
        cls.data["a"]["estimate"].sudo().priority = "3"

    def _ticket_count(self):
        return self.env["helpdesk.ticket"].sudo().search_count([])

    def _submit(self, **values):
        data = {
            "subject": "Portal is down secret-urgent",
            "description": "Nobody can log in",
            "team": self.team.id,
        }
        data.update(values)
        return self._post("/submitted/ticket", data)

    # Declared urgency ------------------------------------------------------
    def test_form_offers_the_levels(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self._get("/new/ticket")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn('name="priority"', page)
        self.assertIn("2 credits per started quarter-hour", page)
        self.assertIn("1 credit per started quarter-hour", page)
        self.assertIn("Service down", page)
        self.assertIn("Resolution: 4 h (24/7)", page)
        self.assertIn("billed even for a bug", page)
        self.assertIn('id="support_priority_1" value="1" checked="True"', page)

    def test_authorized_contact_submits_an_urgent_ticket(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        count = self._ticket_count()
        response = self._submit(priority="3")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self._ticket_count(), count + 1)
        ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search([("name", "=", "Portal is down secret-urgent")])
        )
        self.assertEqual(ticket.priority, "3")
        self.assertEqual(
            sorted(ticket.ticket_sla_ids.sla_id.mapped("name")),
            ["Urgent first_response", "Urgent resolution"],
        )
        page = self._get(response.headers["Location"]).text
        self.assertIn("Urgent resolution", page)
        self.assertIn("o_support_sla", page)
        # Without a priority (an older form): medium.
        self._submit(priority="", subject="Older form")
        older = self.env["helpdesk.ticket"].sudo().search([("name", "=", "Older form")])
        self.assertEqual(older.priority, "1")

    def test_other_priorities_refused(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        count = self._ticket_count()
        for value in ("4", "-1", "urgent", "1.0", "99999999999"):
            response = self._submit(priority=value)
            self.assertEqual(response.status_code, 400, value)
            self.assertIn("This priority does not exist", response.text, value)
            self.assertEqual(self._ticket_count(), count, value)

    # Authorized contacts -----------------------------------------------------
    def test_not_authorized_contact_cannot_submit(self):
        self.authenticate("hsp-portal-a2", "hsp-portal-a2")
        page = self._get("/new/ticket").text
        self.assertIn("o_support_not_authorized", page)
        self.assertIn(self.contact_a1.name, page)
        self.assertNotIn('action="/submitted/ticket"', page)
        count = self._ticket_count()
        response = self._submit(priority="3")
        self.assertEqual(response.status_code, 400)
        self.assertIn("restricts support to its authorized contacts", response.text)
        self.assertEqual(self._ticket_count(), count)

    def test_not_authorized_contact_refused_and_reads(self):
        """A2 reads the tickets of its company; each action is refused with a
        message and nothing is written."""
        self.authenticate("hsp-portal-a2", "hsp-portal-a2")
        before = self._snapshot("a")
        for url, data in self._action_posts("a")[:4]:
            response = self._post(url, data)
            self.assertIn(response.status_code, (302, 303), url)
            self.assertIn(
                "support_message=not_authorized", response.headers["Location"]
            )
            page = self._get(response.headers["Location"]).text
            self.assertIn("ask one of them", page)
            self.assertIn(self.contact_a1.name, page)
        self.assertEqual(self._snapshot("a"), before)
        for key in ("open", "closed", "estimate"):
            response = self._get(f"/my/ticket/{self.data['a'][key].id}")
            self.assertEqual(response.status_code, 200)
            self.assertIn("secret-a", response.text)

    def test_authorized_contact_acts(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        estimate = self.data["a"]["estimate"]
        page = self._get(f"/my/ticket/{estimate.id}").text
        self.assertIn("16 credits", page)
        response = self._post(f"/my/ticket/{estimate.id}/estimate/approve")
        self.assertIn("estimate_approved", response.headers["Location"])
        self.assertEqual(estimate.support_estimate_state, "approved")
        self.assertEqual(estimate.support_estimate_quantity, 16.0)
        self.assertIn("Approved amount: 16 credits", self._bodies(estimate))
        closed = self.data["a"]["closed"]
        response = self._post(
            f"/my/ticket/{closed.id}/reopen", {"reason": "Still broken"}
        )
        self.assertIn("support_message=reopened", response.headers["Location"])
        self.assertFalse(closed.stage_id.closed)

    def test_unrestricted_customer_unchanged(self):
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        estimate = self.data["b"]["estimate"]
        response = self._post(f"/my/ticket/{estimate.id}/estimate/approve")
        self.assertIn("estimate_approved", response.headers["Location"])
        self.assertEqual(estimate.support_estimate_state, "approved")
        # Medium, 2 h: 8 credits.
        self.assertEqual(estimate.support_estimate_quantity, 8.0)
        page = self._get("/new/ticket").text
        self.assertIn('action="/submitted/ticket"', page)
        self.assertNotIn("o_support_not_authorized", page)
        self.assertNotIn("Support contacts", self._get("/my/support").text)

    def test_support_contacts_on_my_support(self):
        url = f"/my/support/contacts/{self.contact_a2.id}/authorize"
        # A2 may not grant itself.
        self.authenticate("hsp-portal-a2", "hsp-portal-a2")
        page = self._get("/my/support").text
        self.assertIn("Support contacts", page)
        self.assertNotIn("o_support_contact_grant", page)
        response = self._post(url, {"authorized": "1"})
        self.assertIn("contact_refused", response.headers["Location"])
        self.assertFalse(self.contact_a2.support_authorized)
        # Another customer's contact may not either.
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        response = self._post(url, {"authorized": "1"})
        self.assertIn("contact_refused", response.headers["Location"])
        self.assertFalse(self.contact_a2.support_authorized)
        # A1: without CSRF token, refused; with it, granted.
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self._post(url, {"authorized": "1"}, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.contact_a2.support_authorized)
        page = self._get("/my/support").text
        self.assertIn("o_support_contact_grant", page)
        response = self._post(url, {"authorized": "1"})
        self.assertIn("contact_updated", response.headers["Location"])
        self.assertTrue(self.contact_a2.support_authorized)
        self.assertIn(
            "The support contacts are updated",
            self._get(response.headers["Location"]).text,
        )
        # A missing or malformed contact: refused, no 500.
        for bad in ("999999", "abc"):
            response = self._post(
                f"/my/support/contacts/{bad}/authorize", {"authorized": "1"}
            )
            self.assertIn(response.status_code, (303, 404), bad)


@tagged("post_install", "-at_install")
class TestSupportPortalServiceModes(SupportPortalCommon):
    """What the customer's ticket page shows in each service mode."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mode_model = cls.env["support.service.mode"]
        cls.modes = {
            key: mode_model.create(
                {"name": f"Mode {key}", "install_by": install, "verify_by": verify}
            )
            for key, install, verify in (
                ("external", "customer", "customer"),
                ("tma", "vendor", "vendor"),
                ("hosted", "vendor", "customer"),
                ("saas", "vendor", "vendor"),
            )
        }

    def _closed_ticket(self, key, **values):
        self.customer_b.support_service_mode_id = self.modes[key]
        ticket = self._ticket(partner=self.contact_b1, name=f"Mode {key} ticket")
        if key == "external":
            attachment = self.env["ir.attachment"].create(
                {
                    "name": "fix-2.1.zip",
                    "raw": b"the fixed component",
                    "res_model": "helpdesk.ticket",
                    "res_id": ticket.id,
                }
            )
            values["support_component_attachment_ids"] = [(4, attachment.id)]
        if values:
            ticket.with_user(self.agent).write(values)
        ticket.with_user(self.agent).stage_id = self.stage_done
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        return ticket, self._get(f"/my/ticket/{ticket.id}").text

    def test_customer_installs(self):
        ticket, page = self._closed_ticket("external")
        self.assertIn('data-status="awaiting_installation"', page)
        self.assertIn("Awaiting your installation", page)
        self.assertIn("fix-2.1.zip", page)
        self.assertIn("Mode external", page)
        link = ticket.sudo()._support_get_attachment_links(
            ticket.sudo().support_component_attachment_ids
        )[0]["url"]
        self.assertEqual(self._get(link).content, b"the fixed component")
        response = self._post(f"/my/ticket/{ticket.id}/confirm")
        self.assertIn("confirmed", response.headers["Location"])
        self.assertIn(
            'data-status="accepted"', self._get(f"/my/ticket/{ticket.id}").text
        )

    def test_customer_verifies(self):
        ticket, page = self._closed_ticket("hosted")
        self.assertIn('data-status="awaiting_acceptance"', page)
        self.assertIn("Awaiting your acceptance", page)
        self.assertIn("Accepted automatically on", page)

    def test_vendor_verifies(self):
        for key in ("tma", "saas"):
            self.customer_b.support_service_mode_id = self.modes[key]
            ticket = self._ticket(partner=self.contact_b1)
            with self.assertRaises(UserError):
                ticket.with_user(self.agent).stage_id = self.stage_done
            self.assertFalse(ticket.stage_id.closed)
            ticket, page = self._closed_ticket(
                key, support_proof_note=f"Checked on production secret-{key}"
            )
            self.assertIn('data-status="proven"', page)
            self.assertIn(f"Checked on production secret-{key}", page)
            report = self._get(f"/my/ticket/{ticket.id}?report_type=html").text
            self.assertIn(f"Checked on production secret-{key}", report)
            self.assertIn(f"Mode {key}", report)


@tagged("post_install", "-at_install")
class TestSupportPortalUrgentBilled(SupportPortalCommon):
    def test_page_and_report_say_why(self):
        """16 min urgent on an included category: 4 credits, and the page and
        the intervention report say why."""
        ticket = self._ticket(
            partner=self.contact_b1, priority="3", category=self.cat_included
        )
        line = self._log(ticket, 16)
        self.assertEqual(line.support_quantity, 4.0)
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        page = self._get(f"/my/ticket/{ticket.id}").text
        self.assertIn("Very High priority: billed even for a bug", page)
        self.assertIn("4 credits", page)
        report = self._get(f"/my/ticket/{ticket.id}?report_type=html").text
        self.assertIn("Very High priority: billed even for a bug", report)
