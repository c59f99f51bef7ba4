# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from ..lib.guard import internal
from .common_portal import SupportPortalCommon


@tagged("post_install", "-at_install")
class TestSupportPortalTour(SupportPortalCommon):
    def test_portal_tour(self):
        """A customer in Chromium: My support, a ledger, reopens a closed ticket
        with a reason and approves an estimate."""
        data = self.data["a"]
        closed = data["closed"].sudo()
        closed.name = "Tour closed ticket"
        data["estimate"].sudo().name = "Tour estimate ticket"
        # The ledger links the ticket by number: show the name instead.
        closed.number = "Tour closed ticket"
        internal(data["pack"]).name = "Tour pack"
        self.start_tour(
            "/my", "helpdesk_support_pack_portal_tour", login="hsp-portal-a1"
        )
        self.env.invalidate_all()
        self.assertFalse(closed.stage_id.closed)
        self.assertIn("still offline", self._bodies(closed))
        self.assertEqual(data["estimate"].support_estimate_state, "approved")
