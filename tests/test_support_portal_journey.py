# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer's journey on the portal (issue 23): every portal ticket lands
in a team with its SLA targets, the page says so at once, the level 3 team is
never offered."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common_portal import SupportPortalCommon


@tagged("post_install", "-at_install")
class TestSupportPortalJourney(SupportPortalCommon):
    """The fixtures' team (medium: first response 4 h, resolution 16 h, 24/7)
    is the default portal team; a night team (medium: 1 h, 2 h) and a level 3
    team shown in the portal stand beside it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        team_model = cls.env["helpdesk.ticket.team"]
        cls.team_night = team_model.create(
            {"name": "Night team", "use_sla": True, "show_in_portal": True}
        )
        cls.team_l3 = team_model.create(
            {
                "name": "Level three lab",
                "use_sla": True,
                "show_in_portal": True,
                "support_level": "3",
            }
        )
        for team, first, resolution in (
            (cls.team_night, 1, 2),
            (cls.team_l3, 1, 2),
        ):
            targets = (("first_response", first), ("resolution", resolution))
            for target, hours in targets:
                cls.env["helpdesk.sla"].create(
                    {
                        "name": f"{team.name} {target}",
                        "target": target,
                        "priority": "1",
                        "hours": hours,
                        "use_calendar": False,
                        "team_ids": [(6, 0, team.ids)],
                        "stage_id": cls.stage_done.id
                        if target == "resolution"
                        else False,
                    }
                )
        cls.company.support_portal_team_id = cls.team
        cls.portal_users["b1"].tz = "Europe/Paris"

    def _deadlines(self, ticket):
        return {line.target: line.deadline for line in ticket.sudo().ticket_sla_ids}

    def test_portal_ticket_without_team_gets_default_team(self):
        """POST /submitted/ticket without a team: the default portal team, its
        first-response and resolution targets, and the confirmation."""
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        response = self._post(
            "/submitted/ticket",
            {
                "subject": "Invoices page is slow",
                "description": "Since this morning",
                "priority": "1",
            },
        )
        self.assertEqual(response.status_code, 302)
        ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search([("name", "=", "Invoices page is slow")])
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertEqual(ticket.priority, "1")
        created = ticket.create_date
        self.assertEqual(
            self._deadlines(ticket),
            {
                "first_response": created + timedelta(hours=4),
                "resolution": created + timedelta(hours=16),
            },
        )
        location = response.headers["Location"]
        self.assertTrue(location.endswith(f"/my/ticket/{ticket.id}"))
        page = self._get(location).text
        first = ticket.with_user(self.portal_users["b1"])._support_format_deadline(
            created + timedelta(hours=4)
        )
        self.assertIn(f"Ticket received, first answer due by {first}.", page)
        self.assertIn("Urgency:", page)
        self.assertIn("Medium", page)
        self.assertIn(first, page)
        # The confirmation is said once, right after sending.
        page = self._get(location).text
        self.assertNotIn("Ticket received", page)
        self.assertIn(first, page)

    def test_model_portal_ticket_exact_deadlines(self):
        """Created by the portal user through the model: the same rule, with
        deadlines read in the customer's timezone and language."""
        user = self.portal_users["b1"]
        with freeze_time("2026-01-19 09:00:00"):
            self.patch(type(self.env.cr), "now", lambda cr: datetime.now())
            ticket = (
                self.env["helpdesk.ticket"]
                .with_user(user)
                .sudo()
                .create(
                    {
                        "name": "Printing fails",
                        "description": "<p>Error 42</p>",
                        "partner_id": self.contact_b1.id,
                        "priority": "1",
                    }
                )
            )
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(
            self._deadlines(ticket),
            {
                "first_response": datetime(2026, 1, 19, 13, 0),
                "resolution": datetime(2026, 1, 20, 1, 0),
            },
        )
        # Paris is UTC+1 in January.
        as_customer = ticket.with_user(user)
        self.assertEqual(
            as_customer._support_format_deadline(datetime(2026, 1, 19, 13, 0)),
            "Jan 19, 2026, 2:00 PM",
        )
        self.env["res.lang"]._activate_lang("fr_FR")
        self.assertEqual(
            as_customer.with_context(lang="fr_FR")._support_format_deadline(
                datetime(2026, 1, 19, 13, 0)
            ),
            "19 janv. 2026, 14:00",
        )

    def test_default_team_required_with_several_teams(self):
        self.company.support_portal_team_id = False
        settings = self.env["res.config.settings"].create({})
        with self.assertRaises(ValidationError):
            settings.execute()
        with self.assertRaises(UserError):
            self.env["helpdesk.ticket"].with_user(
                self.portal_users["b1"]
            ).sudo().create({"name": "No team", "partner_id": self.contact_b1.id})
        with self.assertRaises(ValidationError):
            self.company.support_portal_team_id = self.team_l3
        # With a single team (the others archived), that team.
        (self.team_night + self.team_l3).active = False
        self.assertEqual(self.company._support_get_portal_team(), self.team)

    def test_level3_team_never_offered(self):
        self.company.helpdesk_mgmt_portal_select_team = True
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        page = self._get("/new/ticket").text
        self.assertIn("Night team", page)
        self.assertNotIn("Level three lab", page)
        levels = {
            level["value"]: level
            for level in self.env["helpdesk.ticket"]
            .with_user(self.portal_users["b1"])
            ._support_get_portal_priority_levels(
                self.contact_b1,
                self.team | self.team_night | self.team_l3,
                default_team=self.team,
            )
        }
        self.assertEqual(
            [(t["team_id"], t["texts"]) for t in levels["1"]["sla_teams"]],
            [
                ("", ["First response: 4 h (24/7)", "Resolution: 16 h (24/7)"]),
                (
                    self.team.id,
                    ["First response: 4 h (24/7)", "Resolution: 16 h (24/7)"],
                ),
                (
                    self.team_night.id,
                    ["First response: 1 h (24/7)", "Resolution: 2 h (24/7)"],
                ),
            ],
        )
        # Sent to the level 3 team anyway: refused, nothing created.
        count = self.env["helpdesk.ticket"].sudo().search_count([])
        response = self._post(
            "/submitted/ticket",
            {"subject": "Direct", "description": "x", "team": self.team_l3.id},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.env["helpdesk.ticket"].sudo().search_count([]), count)


@tagged("post_install", "-at_install")
class TestSupportPortalBuy(SupportPortalCommon):
    """'Buy more support' on My support: B's usual pack is MAXI (its latest
    pack); a customer without pack gets the company's default pack product."""

    def _orders(self, commercial):
        return (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id.commercial_partner_id", "=", commercial.id),
                    ("support_portal_purchase", "=", True),
                ]
            )
        )

    def test_buy_creates_one_quotation_of_the_usual_pack(self):
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        page = self._get("/my/support").text
        self.assertIn("o_support_buy", page)
        self.assertIn('action="/my/support/buy"', page)
        # Customer B cannot buy for A: the quotation is always the user's own.
        response = self._post("/my/support/buy", {"partner_id": self.contact_a1.id})
        self.assertIn(response.status_code, (302, 303))
        orders_b = self._orders(self.customer_b)
        self.assertEqual(len(orders_b), 1)
        self.assertFalse(self._orders(self.customer_a))
        order = orders_b
        self.assertEqual(order.partner_id, self.contact_b1)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.require_payment)
        self.assertEqual(order.order_line.product_id, self.maxi)
        self.assertEqual(order.order_line.product_uom_qty, 1.0)
        self.assertTrue(response.headers["Location"].endswith(order.get_portal_url()))
        # Odoo's own quotation page opens for the customer.
        quotation = self._get(order.get_portal_url())
        self.assertEqual(quotation.status_code, 200)
        self.assertIn(order.name, quotation.text)
        # Confirmed (signed and paid online), its pack waits for the payment.
        order.action_confirm()
        pack = order.support_pack_ids
        self.assertEqual(len(pack), 1)
        self.assertEqual(pack.activation, "payment")
        self.assertEqual(pack.state, "pending")

    def test_buy_refused_by_get_and_without_csrf(self):
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        self.assertEqual(self._get("/my/support/buy").status_code, 405)
        response = self._post("/my/support/buy", {}, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._orders(self.customer_b))

    def test_default_pack_product_without_pack(self):
        customer = self.env["res.partner"].create(
            {"name": "Newcomer N", "is_company": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Nina N", "parent_id": customer.id, "email": "n@n.example"}
        )
        self.env["res.users"].create(
            {
                "login": "hsp-portal-n1",
                "password": "hsp-portal-n1",
                "partner_id": contact.id,
                "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        self.authenticate("hsp-portal-n1", "hsp-portal-n1")
        response = self._post("/my/support/buy")
        self.assertIn("support_message=buy_unavailable", response.headers["Location"])
        self.assertFalse(self._orders(customer))
        self.company.support_default_pack_product_id = self.light
        self._post("/my/support/buy")
        self.assertEqual(self._orders(customer).order_line.product_id, self.light)

    def test_low_balance_is_a_warning(self):
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        page = self._get("/my/support").text
        self.assertIn("alert alert-info d-flex", page)
        self.company.support_low_balance_percent = 100.0
        page = self._get("/my/support").text
        self.assertIn("alert alert-warning d-flex", page)
        self.assertIn("Your balance is low", page)
        pack = self.data["b"]["pack"]
        self._consume(pack, pack.quantity_remaining)
        page = self._get("/my/support").text
        self.assertIn("alert alert-danger d-flex", page)
        self.assertIn("Your balance is exhausted", page)


@tagged("post_install", "-at_install")
class TestSupportPortalEstimateBalance(SupportPortalCommon):
    """B's estimate (2 h, medium: 8 credits) against its MAXI pack (94 credits
    left after the fixtures' 70 minutes)."""

    def test_estimate_says_what_is_left_or_the_overdraft(self):
        estimate = self.data["b"]["estimate"]
        pack = self.data["b"]["pack"]
        self.assertEqual(pack.quantity_remaining, 94.0)
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        page = self._get(f"/my/ticket/{estimate.id}").text
        self.assertIn(
            "Approving it uses 8 credits: 86 credits will be left on your packs "
            "(94 credits now).",
            page,
        )
        self.assertNotIn("o_support_estimate_overdraft", page)
        self._consume(pack, 91.0)
        page = self._get(f"/my/ticket/{estimate.id}").text
        self.assertIn("o_support_estimate_overdraft", page)
        self.assertIn(
            "Approving it uses 8 credits while your packs have 3 credits left: "
            "5 credits will go into overdraft, and it will be deducted from "
            "your next pack when it starts.",
            page,
        )
        self.company.support_overdraft_policy = "invoice"
        page = self._get(f"/my/ticket/{estimate.id}").text
        self.assertIn("and it will be invoiced to you separately.", page)


@tagged("post_install", "-at_install")
class TestSupportPortalScreens(SupportPortalCommon):
    """What B reads on its ticket list, ticket page and ledger."""

    def test_ticket_list_units_and_page(self):
        # helpdesk_mgmt_timesheet's own table would list the same lines.
        self.team.write({"allow_timesheet": True, "show_timesheet_portal": True})
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        page = self._get("/my/tickets").text
        # 50 minutes logged, rounded to 1 h: 4 credits.
        self.assertIn("Consumed", page)
        self.assertIn('class="d-none d-xxl-table-cell">Spent Time', page)
        self.assertIn("4 credits", page)
        self.assertIn('class="d-none d-xxl-table-cell">Level', page)
        ticket = self.data["b"]["open"]
        page = self._get(f"/my/ticket/{ticket.id}").text
        self.assertIn("Interventions", page)
        self.assertNotIn("Timesheets", page)
        self.assertIn("o_support_report_download", page)
        self.assertIn("Close the ticket yourself", page)
        self.assertIn("Close as:", page)
        fresh = self._ticket(partner=self.contact_b1, name="Nothing logged yet")
        page = self._get(f"/my/ticket/{fresh.id}").text
        self.assertNotIn("o_support_report_download", page)

    def test_zero_line_explained_on_the_ledger(self):
        pack = self.data["b"]["pack"]
        ticket = self._ticket(
            partner=self.contact_b1, name="Bug", category=self.cat_included
        )
        self._log(ticket, 30, name="Bug fix")
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        page = self._get(f"/my/support/{pack.id}").text
        self.assertIn("o_support_included", page)
        self.assertIn("Included in the support contract", page)
