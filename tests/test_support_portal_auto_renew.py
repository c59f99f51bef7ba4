# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common_portal import SupportPortalCommon


@tagged("post_install", "-at_install")
class TestSupportPortalAutoRenew(SupportPortalCommon):
    """'Renew automatically' on My support: customer A restricts support (A1
    authorized, A2 not); customer B does not (any contact acts). Both bought
    MAXI, their usual pack."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a.support_restricted = True
        cls.contact_a1.support_authorized = True

    def _setting(self, customer):
        customer.invalidate_recordset()
        return customer.support_auto_renew, customer.support_auto_renew_mode

    def _notes(self, customer):
        return (
            self.env["mail.message"]
            .sudo()
            .search_count([("model", "=", "res.partner"), ("res_id", "=", customer.id)])
        )

    def test_authorized_contact_switches_on_and_off(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        page = self._get("/my/support").text
        self.assertIn("o_support_auto_renew_off", page)
        self.assertIn('action="/my/support/auto-renew"', page)
        self.assertIn("o_support_auto_renew_start", page)
        # Customer B's id in the form changes nothing on B: the setting is
        # always the user's own company's.
        response = self._post(
            "/my/support/auto-renew",
            {"enabled": "1", "mode": "confirm", "partner_id": self.customer_b.id},
        )
        self.assertIn(
            "support_message=auto_renew_updated", response.headers["Location"]
        )
        self.assertEqual(self._setting(self.customer_a), (True, "confirm"))
        self.assertEqual(self._setting(self.customer_b), (False, "send"))
        self.assertTrue(self.contact_a2.support_auto_renew, "the company's setting")
        self.assertIn(
            f"Automatic renewal switched on by {self.contact_a1.name}: Confirm "
            "the order (agreed in advance).",
            self.customer_a.message_ids[0].body,
        )
        page = self._get("/my/support?support_message=auto_renew_updated").text
        self.assertIn("The automatic renewal of your company is updated.", page)
        self.assertIn("o_support_auto_renew_confirm", page)
        self.assertIn("we confirm an order for MAXI", page)
        self._post("/my/support/auto-renew", {"enabled": "0"})
        self.assertEqual(self._setting(self.customer_a), (False, "confirm"))

    def test_not_authorized_contact_refused(self):
        self.authenticate("hsp-portal-a2", "hsp-portal-a2")
        page = self._get("/my/support").text
        self.assertIn("o_support_auto_renew_off", page)
        self.assertNotIn('action="/my/support/auto-renew"', page)
        notes = self._notes(self.customer_a)
        response = self._post("/my/support/auto-renew", {"enabled": "1"})
        self.assertIn(
            "support_message=auto_renew_refused", response.headers["Location"]
        )
        self.assertEqual(self._setting(self.customer_a), (False, "send"))
        self.assertEqual(self._notes(self.customer_a), notes)

    def test_any_contact_of_an_unrestricted_customer(self):
        self.authenticate("hsp-portal-b2", "hsp-portal-b2")
        self._post("/my/support/auto-renew", {"enabled": "1", "mode": "send"})
        self.assertEqual(self._setting(self.customer_b), (True, "send"))
        self.assertEqual(self._setting(self.customer_a), (False, "send"))
        page = self._get("/my/support").text
        self.assertIn("we send you a quotation for MAXI", page)
        self.assertIn("o_support_auto_renew_stop", page)

    def test_refused_by_get_without_csrf_or_with_a_bad_mode(self):
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        notes = self._notes(self.customer_b)
        self.assertEqual(self._get("/my/support/auto-renew?enabled=1").status_code, 405)
        response = self._post("/my/support/auto-renew", {"enabled": "1"}, csrf=False)
        self.assertEqual(response.status_code, 400)
        response = self._post("/my/support/auto-renew", {"enabled": "1", "mode": "x"})
        self.assertIn(
            "support_message=auto_renew_refused", response.headers["Location"]
        )
        self.assertEqual(self._setting(self.customer_b), (False, "send"))
        self.assertEqual(self._notes(self.customer_b), notes)

    def test_public_user_redirected_to_login(self):
        response = self._post("/my/support/auto-renew", {"enabled": "1"})
        self.assertIn("/web/login", response.headers.get("Location", ""))
        self.assertEqual(self._setting(self.customer_b), (False, "send"))
