# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_portal import SupportPortalCommon

STATEMENT = "helpdesk_support_pack.report_support_pack_statement"
INTERVENTION = "helpdesk_support_pack.report_helpdesk_ticket_intervention"


@tagged("post_install", "-at_install")
class TestSupportPortalIsolation(SupportPortalCommon):
    """Customers A and B, two contacts each: every portal route, on the other
    customer's pack, move, ticket and report ids, logged out, logged in, with a
    wrong or a foreign access token. Nothing is shown, nothing is written."""

    def _victim_urls(self, victim):
        data = self.data[victim]
        pack, move = data["pack"], data["move"]
        urls = [
            f"/my/support/{pack.id}",
            f"/my/support/{pack.id}/page/2",
            f"/my/support/{pack.id}?report_type=html",
            f"/my/support/{pack.id}?report_type=pdf",
            f"/my/support/{move.id}",
            f"/report/html/{STATEMENT}/{pack.id}",
            f"/report/pdf/{STATEMENT}/{pack.id}",
        ]
        for ticket_key in ("open", "closed", "estimate"):
            ticket = data[ticket_key]
            urls += [
                f"/my/ticket/{ticket.id}",
                f"/my/ticket/{ticket.id}?report_type=html",
                f"/my/ticket/{ticket.id}?report_type=pdf",
                f"/report/html/{INTERVENTION}/{ticket.id}",
            ]
        return urls

    def _tokens(self, attacker, victim):
        """No token, a wrong one, and a foreign one: the attacker's own."""
        own = self.data[attacker]["open"].sudo().access_token
        return [None, "0" * 36, own]

    def _check_get(self, url, victim):
        data = self.data[victim]
        response = self._get(url)
        text = response.text if response.content[:4] != b"%PDF" else ""
        self.assertNotEqual(
            response.content[:4], b"%PDF", f"{url} gave the other customer's PDF"
        )
        self.assertNotIn(f"secret-{victim}", text, url)
        self.assertNotIn(data["pack"].name, text, url)
        if response.status_code == 200:
            # Only a page of the attacker's own data (or the login page).
            self.assertNotIn(data["open"].number, text, url)
        return 1

    def _run_matrix(self, attacker, victim, login):
        if login:
            self.authenticate(login, login)
        else:
            self.authenticate(None, None)
        checks = 0
        for token in self._tokens(attacker, victim):
            for url in self._victim_urls(victim):
                if token:
                    sep = "&" if "?" in url else "?"
                    url = f"{url}{sep}access_token={token}"
                checks += self._check_get(url, victim)
            for url, data in self._action_posts(victim, token):
                before = self._snapshot(victim)
                response = self._post(url, data)
                self.assertIn(response.status_code, (303, 302, 403, 404), url)
                location = response.headers.get("Location", "")
                for key in ("open", "closed", "estimate"):
                    self.assertNotIn(
                        f"/my/ticket/{self.data[victim][key].id}", location, url
                    )
                self.assertEqual(self._snapshot(victim), before, url)
                checks += 1
        for url in ("/my", "/my/support", "/my/tickets", "/my/tickets?search=secret"):
            checks += self._check_get(url, victim)
        return checks

    def test_isolation_matrix(self):
        checks = 0
        # Logged out: every route sends to the login page.
        checks += self._run_matrix("a", "b", None)
        checks += self._run_matrix("b", "a", None)
        for attacker, victim, logins in (
            ("a", "b", ("hsp-portal-a1", "hsp-portal-a2")),
            ("b", "a", ("hsp-portal-b1", "hsp-portal-b2")),
        ):
            for login in logins:
                checks += self._run_matrix(attacker, victim, login)
        # 6 sessions x (3 tokens x (19 GET + 5 POST) + 4 lists)
        self.assertEqual(checks, 6 * (3 * (19 + 5) + 4))

    def test_same_company_contacts_share(self):
        """The positive side: both contacts of A see A's packs and tickets."""
        pack = self.data["a"]["pack"]
        ticket = self.data["a"]["open"]
        for login in ("hsp-portal-a1", "hsp-portal-a2"):
            self.authenticate(login, login)
            self.assertEqual(self._get(f"/my/support/{pack.id}").status_code, 200)
            response = self._get(f"/my/ticket/{ticket.id}")
            self.assertEqual(response.status_code, 200)
            self.assertIn("secret-a", response.text)
        # Through the ORM as well: the report model checks that the reader may
        # read the tickets before it reads their lines and packs with sudo().
        for key in ("b1", "b2"):
            report = (
                self.env["ir.actions.report"]
                .with_user(self.portal_users[key])
                .with_context(force_report_rendering=True)
            )
            with self.assertRaisesRegex(AccessError, "helpdesk.ticket"):
                report._render_qweb_pdf(INTERVENTION, ticket.ids)
            with self.assertRaisesRegex(AccessError, "helpdesk.ticket"):
                report._render_qweb_html(INTERVENTION, ticket.ids)

    def test_valid_token_opens_the_ticket_only(self):
        """A customer's own token link works logged out; it opens no pack."""
        ticket = self.data["a"]["open"]
        token = ticket.sudo().access_token
        self.authenticate(None, None)
        response = self._get(f"/my/ticket/{ticket.id}?access_token={token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("secret-a", response.text)
        response = self._get(
            f"/my/support/{self.data['a']['pack'].id}?access_token={token}"
        )
        self.assertIn(response.status_code, (302, 303))
