# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common_portal import SupportPortalCommon


@tagged("post_install", "-at_install")
class TestSupportPortalUrgencyTour(SupportPortalCommon):
    def test_urgency_tour(self):
        """A customer in Chromium declares an urgent ticket on the portal form
        (cost and SLA of each level shown) and sees its SLA targets at once."""
        self.company.helpdesk_mgmt_portal_select_team = True
        for target, hours in (("first_response", 1), ("resolution", 4)):
            self.env["helpdesk.sla"].create(
                {
                    "name": f"Tour urgent {target.replace('_', ' ')}",
                    "target": target,
                    "priority": "3",
                    "hours": hours,
                    "use_calendar": False,
                    "team_ids": [(6, 0, self.team.ids)],
                    "stage_id": self.stage_done.id if target == "resolution" else False,
                }
            )
        self.start_tour(
            "/new/ticket", "helpdesk_support_pack_urgency_tour", login="hsp-portal-a1"
        )
        ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search([("name", "=", "Tour urgent ticket")])
        )
        self.assertEqual(ticket.priority, "3")
        self.assertEqual(ticket.partner_id, self.contact_a1)
        self.assertEqual(len(ticket.ticket_sla_ids), 2)
