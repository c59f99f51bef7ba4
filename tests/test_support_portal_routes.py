# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import inspect

from odoo.tests import TransactionCase, tagged

from .. import controllers
from .common import patch_thread_dbname

# Every route of the addon's controllers, and whether it only reads: a
# readonly route is served from the read replica when Odoo has one
# (--db_replica_host/--db_replica_port). A new route must be added here: its
# mode is a conscious choice.
EXPECTED = {
    # My support: packs, ledger, statement (PDF: no attachment is kept)
    "/my/support": True,
    "/my/support/page/<int:page>": True,
    "/my/support/<int:pack_id>": True,
    "/my/support/<int:pack_id>/page/<int:page>": True,
    # Buy more support: creates a quotation
    "/my/support/buy": False,
    # Solved tickets: the customer's search of its company's resolutions
    "/my/support/solved": True,
    "/my/support/solved/page/<int:page>": True,
    # My configuration: items and their deliveries
    "/my/configuration": True,
    "/my/configuration/page/<int:page>": True,
    # helpdesk_mgmt's ticket page gives attachments an access token (a
    # write): read/write, but its intervention report (?report_type=) reads
    "/my/ticket/<int:ticket_id>": "readonly with ?report_type=",
    # state changes
    "/my/ticket/<int:ticket_id>/reopen": False,
    "/my/ticket/<int:ticket_id>/confirm": False,
    "/my/ticket/<int:ticket_id>/estimate/<string:answer>": False,
    "/ticket/close": False,
    "/submitted/ticket": False,
    # the customer's rules: an authorized contact manages its colleagues
    "/my/support/contacts/<int:partner_id>/authorize": False,
    # an authorized contact switches the automatic renewal of its company
    "/my/support/auto-renew": False,
}


@tagged("post_install", "-at_install")
class TestSupportPortalRoutes(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        patch_thread_dbname(cls)  # routing_map() under pytest-odoo

    def _routes(self):
        """{path: readonly} of the routes served by this addon's controllers."""
        # every controller module of the addon (a route overridden in a
        # second file, e.g. the new-ticket form's, is served from there)
        package = controllers.__name__ + "."
        routes = {}
        for rule in self.env["ir.http"].routing_map().iter_rules():
            func = rule.endpoint.func
            module = getattr(inspect.unwrap(func), "__module__", None) or ""
            if not module.startswith(package):
                continue
            readonly = rule.endpoint.routing["readonly"]
            routes[rule.rule] = (
                "readonly with ?report_type=" if callable(readonly) else readonly
            )
        return routes

    def test_readonly_routes(self):
        self.assertEqual(self._routes(), EXPECTED)

    def test_counters_read_only(self):
        """The /my counters (this addon's support card) come from portal's
        readonly /my/counters route."""
        rule = next(
            rule
            for rule in self.env["ir.http"].routing_map().iter_rules()
            if rule.rule == "/my/counters"
        )
        self.assertIs(rule.endpoint.routing["readonly"], True)
