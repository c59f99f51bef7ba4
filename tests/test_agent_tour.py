# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import SupportConsumptionCommon


@tagged("post_install", "-at_install")
class TestAgentTour(SupportConsumptionCommon, HttpCase):
    def test_agent_tour(self):
        """An agent in Chromium types 7 minutes on a ticket: the cost (1
        credit) shows before saving, the ticket's consumption carries its
        unit, and sending the report says to whom it went."""
        self._sell(self.customer_a, self.light)
        ticket = self._ticket(priority="1")
        self.start_tour(
            f"/odoo/helpdesk.ticket/{ticket.id}",
            "helpdesk_support_pack_agent_tour",
            login="hsp-agent",
        )
        line = ticket.timesheet_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.support_quantity, 1.0)
        self.assertEqual(line.support_unit, "credit")
        self.assertTrue(line.support_reported_date)
