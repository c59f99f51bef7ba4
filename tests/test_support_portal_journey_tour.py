# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common_portal import SupportPortalCommon


@tagged("post_install", "-at_install")
class TestSupportPortalJourneyTour(SupportPortalCommon):
    """The customer's journey in Chromium (issue 23), in English and French:
    a ticket sent without a team lands in the default portal team with its
    targets, the page says so, the customer switches the automatic renewal on
    (issue 24) and "Buy more support" opens the quotation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.support_portal_team_id = cls.team
        # Every pack is low: My support warns.
        cls.company.support_low_balance_percent = 100.0
        cls.portal_users["b1"].tz = "Europe/Paris"

    def _journey(self, tour, subject):
        self.start_tour("/new/ticket", tour, login="hsp-portal-b1")
        ticket = self.env["helpdesk.ticket"].sudo().search([("name", "=", subject)])
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.priority, "1")
        self.assertEqual(
            sorted(ticket.ticket_sla_ids.mapped("target")),
            ["first_response", "resolution"],
        )
        order = (
            self.env["sale.order"]
            .sudo()
            .search([("partner_id", "=", self.contact_b1.id)])
        )
        self.assertEqual(len(order), 1)
        self.assertTrue(order.support_portal_purchase)
        self.assertTrue(self.customer_b.support_auto_renew)
        self.assertEqual(self.customer_b.support_auto_renew_mode, "send")
        self.assertEqual(order.order_line.product_id, self.maxi)

    def test_customer_journey_tour(self):
        self._journey(
            "helpdesk_support_pack_customer_journey_tour", "Journey ticket EN"
        )

    def test_customer_journey_tour_fr(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["helpdesk_mgmt", "helpdesk_support_pack"], ["fr_FR"], overwrite=True
        )
        self.portal_users["b1"].lang = "fr_FR"
        self._journey(
            "helpdesk_support_pack_customer_journey_tour_fr", "Journey ticket FR"
        )
