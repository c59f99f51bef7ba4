# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo.tests import HttpCase, tagged

from .common_portal import SupportPortalCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestSupportPortalPerformance(SupportPortalCommon):
    """The portal pages read in batches: the same number of queries with the 3
    tickets of the fixtures and with 200 more tickets and 2,000 more
    interventions."""

    def _count(self, url):
        self.env.flush_all()
        HttpCase.url_open(self, url)  # warm the caches of the server
        start = self.cr.sql_log_count
        response = HttpCase.url_open(self, url)
        count = self.cr.sql_log_count - start
        self.assertEqual(response.status_code, 200, url)
        return count

    def _measure(self):
        # A new session each time: same (empty) history of visited tickets.
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        pack = self.data["a"]["pack"]
        ticket = self.data["a"]["open"]
        # The ticket page before the list: the list stores its page in the
        # session for the previous/next buttons of the ticket page, whose
        # reading depends on whether the ticket is on that page (one query).
        return {
            "/my": self._count("/my"),
            "/my/support": self._count("/my/support"),
            "/my/support/<id>": self._count(f"/my/support/{pack.id}"),
            "/my/ticket/<id>": self._count(f"/my/ticket/{ticket.id}"),
            "/my/tickets": self._count("/my/tickets"),
        }

    def test_query_counts_do_not_grow(self):
        small = self._measure()
        # Credits for 2,000 interventions of 15 minutes.
        self._sell(self.contact_a1, self.maxi, qty=20)
        tickets = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .create(
                [
                    {
                        "name": f"Load {index}",
                        "description": "<p>Load</p>",
                        "team_id": self.team.id,
                        "project_id": self.project.id,
                        "partner_id": self.contact_a2.id,
                        "category_id": self.cat_counted.id,
                        "user_id": self.agent.id,
                    }
                    for index in range(199)
                ]
            )
        ) | self.data["a"]["open"]
        self.env["account.analytic.line"].with_user(self.agent).create(
            [
                {
                    "name": f"Work {index}",
                    "ticket_id": ticket.id,
                    "project_id": self.project.id,
                    "unit_amount": 0.25,
                }
                for ticket in tickets
                for index in range(10)
            ]
        )
        self.assertEqual(len(self.data["a"]["open"].timesheet_ids), 11)
        self.assertEqual(len(tickets.ticket_sla_ids), 400)
        self.assertGreaterEqual(len(self.data["a"]["pack"].move_ids), 80)
        large = self._measure()
        _logger.info("Portal query counts, small: %s, large: %s", small, large)
        self.assertEqual(large, small)
