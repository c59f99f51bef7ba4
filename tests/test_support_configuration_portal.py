# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import inspect
import logging

from odoo.tests import HttpCase, tagged

from ..controllers import portal_configuration
from .common_portal import SupportPortalCommon

_logger = logging.getLogger(__name__)

TOO_BIG = 2**31


class SupportConfigurationPortalCommon(SupportPortalCommon):
    """Each customer's configuration: an application delivered twice (once
    for its open ticket) and a terminal, named after the customer's secret."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        item_model = cls.env["support.configuration.item"].with_user(cls.agent)
        delivery_model = cls.env["support.delivery"].with_user(cls.agent)
        for key, customer in (("a", cls.customer_a), ("b", cls.customer_b)):
            terminal = item_model.create(
                {
                    "name": f"Terminal conf-secret-{key}",
                    "partner_id": customer.id,
                    "item_type": "hardware",
                    "serial": f"SN-{key}",
                }
            )
            app = item_model.create(
                {
                    "name": f"Application conf-secret-{key}",
                    "partner_id": customer.id,
                    "item_type": "application",
                    "parent_id": terminal.id,
                }
            )
            delivery_model.create(
                {"item_id": app.id, "version": f"1.0-{key}", "date": "2026-01-05"}
            )
            delivery_model.create(
                {
                    "item_id": app.id,
                    "version": f"1.1-{key}",
                    "date": "2026-02-05",
                    "ticket_id": cls.data[key]["open"].id,
                    "note": f"Patch delivery-secret-{key}",
                }
            )
            cls.data[key].update({"terminal": terminal, "app": app})

    def _ticket_count(self):
        return self.env["helpdesk.ticket"].sudo().search_count([])

    def _submit(self, **values):
        data = {"subject": "Portal ticket", "description": "Broken"}
        data.update(values)
        return self._post("/submitted/ticket", data)

    def _last_ticket(self):
        return self.env["helpdesk.ticket"].sudo().search([], order="id desc", limit=1)


@tagged("post_install", "-at_install")
class TestSupportConfigurationPortal(SupportConfigurationPortalCommon):
    def test_my_configuration_page(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self._get("/my/configuration")
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn("Application conf-secret-a", text)
        self.assertIn("Terminal conf-secret-a", text)
        # Current version and the history, newest first.
        self.assertIn("1.1-a", text)
        self.assertLess(text.index("1.1-a"), text.index("1.0-a"))
        self.assertIn("delivery-secret-a", text)
        self.assertIn(self.data["a"]["open"].number, text)
        self.assertNotIn("conf-secret-b", text)
        # The ticket page shows the request type and the affected items.
        ticket = self.data["a"]["open"]
        ticket.sudo().configuration_item_ids = self.data["a"]["app"]
        response = self._get(f"/my/ticket/{ticket.id}")
        self.assertIn("o_support_ticket_items", response.text)
        self.assertIn("Application conf-secret-a", response.text)
        self.assertIn("Error report", response.text)
        # The /my card.
        response = self._get("/my")
        self.assertIn("/my/configuration", response.text)

    def test_new_ticket_form_offers_own_items(self):
        self.authenticate("hsp-portal-b2", "hsp-portal-b2")
        response = self._get("/new/ticket")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="request_type"', response.text)
        self.assertIn("Application conf-secret-b", response.text)
        self.assertNotIn("conf-secret-a", response.text)

    def test_submit_feature_request_with_own_items(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        count = self._ticket_count()
        app, terminal = self.data["a"]["app"], self.data["a"]["terminal"]
        data = {
            "subject": "Export in XLSX",
            "description": "Please",
            "request_type": "feature",
            "csrf_token": self._csrf(),
            "configuration_item_ids": [str(app.id), str(terminal.id)],
        }
        response = self.url_open("/submitted/ticket", data=data, allow_redirects=False)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self._ticket_count(), count + 1)
        ticket = self._last_ticket()
        self.assertEqual(ticket.support_request_type, "feature")
        self.assertEqual(ticket.support_maintenance_type, "evolutive")
        self.assertEqual(ticket.configuration_item_ids, app | terminal)
        # The feature request waits for its estimate.
        self.assertTrue(ticket._support_get_coverage()[1])
        # An error report without items, as helpdesk_mgmt's own form sends it.
        response = self._submit()
        self.assertEqual(response.status_code, 302)
        ticket = self._last_ticket()
        self.assertEqual(ticket.support_request_type, "incident")
        self.assertFalse(ticket.configuration_item_ids)

    def test_submit_refuses_bad_values(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        count = self._ticket_count()
        for value in ("bug", "feature ; drop", "INCIDENT"):
            response = self._submit(request_type=value)
            self.assertEqual(response.status_code, 400, value)
            self.assertIn("report an error or request a new", response.text, value)
            self.assertEqual(self._ticket_count(), count, value)
        b_app = self.data["b"]["app"]
        archived = self.env["support.configuration.item"].create(
            {"name": "Old", "partner_id": self.customer_a.id, "active": False}
        )
        for value in (b_app.id, archived.id, "abc", "-1", TOO_BIG):
            response = self._submit(configuration_item_ids=value)
            self.assertEqual(response.status_code, 400, value)
            self.assertIn("among the items of your configuration", response.text)
            self.assertEqual(self._ticket_count(), count, value)
        self.assertFalse(
            self.env["helpdesk.ticket"]
            .sudo()
            .search_count([("configuration_item_ids", "in", b_app.ids)])
        )

    def test_routes_modes(self):
        """My configuration only reads (served from a replica when there is one);
        the new-ticket routes keep helpdesk_mgmt's mode."""
        module = portal_configuration.__name__
        routes = {}
        for rule in self.env["ir.http"].routing_map().iter_rules():
            func = rule.endpoint.func
            if getattr(inspect.unwrap(func), "__module__", None) == module:
                routes[rule.rule] = rule.endpoint.routing["readonly"]
        self.assertEqual(
            routes,
            {"/my/configuration": True, "/my/configuration/page/<int:page>": True},
        )


@tagged("post_install", "-at_install")
class TestSupportConfigurationPortalIsolation(SupportConfigurationPortalCommon):
    """Customers A and B, two contacts each, and logged out: the other
    customer's items and deliveries are never shown, and a ticket never
    references them."""

    def _check_get(self, url, victim):
        response = self._get(url)
        self.assertNotIn(f"conf-secret-{victim}", response.text, url)
        self.assertNotIn(f"delivery-secret-{victim}", response.text, url)
        self.assertNotIn(f"1.1-{victim}", response.text, url)
        return 1

    def _snapshot(self, key):
        self.env.invalidate_all()
        items = self.data[key]["app"] | self.data[key]["terminal"]
        return {
            "items": items.sudo().read(["name", "version", "partner_id"]),
            "deliveries": self.env["support.delivery"]
            .sudo()
            .search_read([("item_id", "in", items.ids)], ["version", "ticket_id"]),
            "tickets": self.env["helpdesk.ticket"]
            .sudo()
            .search_count([("configuration_item_ids", "in", items.ids)]),
            "all_tickets": self._ticket_count(),
        }

    def _run_matrix(self, attacker, victim, login):
        self.authenticate(login, login) if login else self.authenticate(None, None)
        checks = 0
        victim_items = self.data[victim]["app"] | self.data[victim]["terminal"]
        for url in (
            "/my",
            "/my/configuration",
            "/my/configuration/page/2",
            "/new/ticket",
            f"/my/ticket/{self.data[attacker]['open'].id}",
            f"/my/ticket/{self.data[attacker]['open'].id}?report_type=html",
        ):
            checks += self._check_get(url, victim)
        own = self.data[attacker]["app"]
        for item_ids in (
            [str(victim_items[0].id)],
            [str(own.id), str(victim_items[0].id)],
            [str(i) for i in victim_items.ids],
        ):
            before = self._snapshot(victim)
            data = {"subject": "Intrusion", "description": "x", "submit": "1"}
            data["csrf_token"] = self._csrf()
            data["configuration_item_ids"] = item_ids
            response = self.url_open(
                "/submitted/ticket", data=data, allow_redirects=False
            )
            self.assertIn(response.status_code, (303, 302, 400), item_ids)
            self.assertNotIn("/my/ticket/", response.headers.get("Location", ""))
            self.assertEqual(self._snapshot(victim), before, item_ids)
            checks += 1
        return checks

    def test_isolation_matrix(self):
        checks = 0
        checks += self._run_matrix("a", "b", None)
        checks += self._run_matrix("b", "a", None)
        for attacker, victim, logins in (
            ("a", "b", ("hsp-portal-a1", "hsp-portal-a2")),
            ("b", "a", ("hsp-portal-b1", "hsp-portal-b2")),
        ):
            for login in logins:
                checks += self._run_matrix(attacker, victim, login)
        # 6 sessions x (6 GET + 3 POST)
        self.assertEqual(checks, 6 * (6 + 3))

    def test_same_company_contacts_share(self):
        for login in ("hsp-portal-a1", "hsp-portal-a2"):
            self.authenticate(login, login)
            response = self._get("/my/configuration")
            self.assertIn("Application conf-secret-a", response.text)
            self.assertIn("delivery-secret-a", response.text)


@tagged("post_install", "-at_install")
class TestSupportConfigurationPortalPerformance(SupportConfigurationPortalCommon):
    """My configuration reads in batches: the same number of queries with 3
    items and with 300 items of 2 deliveries each."""

    def _count(self, url):
        self.env.flush_all()
        HttpCase.url_open(self, url)  # warm the caches of the server
        start = self.cr.sql_log_count
        response = HttpCase.url_open(self, url)
        count = self.cr.sql_log_count - start
        self.assertEqual(response.status_code, 200, url)
        return count

    def _measure(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        return {
            "/my/configuration": self._count("/my/configuration"),
            "/my": self._count("/my"),
            "/new/ticket": self._count("/new/ticket"),
        }

    def test_query_counts_do_not_grow(self):
        item_model = self.env["support.configuration.item"].with_user(self.agent)
        terminal = self.data["a"]["terminal"]
        # 3 items: the terminal, the application and one more.
        item_model.create(
            {
                "name": "Interface 0",
                "partner_id": self.customer_a.id,
                "item_type": "interface",
                "parent_id": terminal.id,
            }
        )
        item_model = self.env["support.configuration.item"]
        self.assertEqual(
            item_model.search_count([("partner_id", "=", self.customer_a.id)]), 3
        )
        small = self._measure()
        items = item_model.with_user(self.agent).create(
            [
                {
                    "name": f"Interface {index}",
                    "partner_id": self.customer_a.id,
                    "item_type": "interface",
                    "parent_id": terminal.id,
                }
                for index in range(1, 298)
            ]
        )
        self.env["support.delivery"].with_user(self.agent).create(
            [
                {
                    "item_id": item.id,
                    "version": f"{item.id}.{minor}",
                    "date": f"2026-0{minor + 1}-01",
                    "ticket_id": self.data["a"]["open"].id,
                    "note": "Load",
                }
                for item in items
                for minor in range(2)
            ]
        )
        self.assertEqual(
            item_model.search_count([("partner_id", "=", self.customer_a.id)]), 300
        )
        large = self._measure()
        _logger.info("My configuration query counts, 3: %s, 300: %s", small, large)
        self.assertEqual(large, small)


@tagged("post_install", "-at_install")
class TestSupportConfigurationPortalTour(SupportConfigurationPortalCommon):
    def test_configuration_tour(self):
        """A customer in Chromium: My configuration, then a feature request
        about one of its items from the new-ticket form."""
        self.data["a"]["app"].sudo().name = "Tour application"
        count = self._ticket_count()
        self.start_tour(
            "/my", "helpdesk_support_pack_configuration_tour", login="hsp-portal-a1"
        )
        self.assertEqual(self._ticket_count(), count + 1)
        ticket = self._last_ticket()
        self.assertEqual(ticket.name, "Tour feature request")
        self.assertEqual(ticket.support_request_type, "feature")
        self.assertEqual(ticket.configuration_item_ids, self.data["a"]["app"])
