# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.modules.registry import Registry
from odoo.tests import new_test_user, tagged

from .common import SupportConsumptionCommon


@tagged("post_install", "-at_install")
class TestSupportSweep(SupportConsumptionCommon):
    """Rules found by the review besides the ledger (issue 15)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(
            cls.env,
            login="hsp-employee",
            groups="base.group_user",
            name="Emma Employee",
        )
        cls.own_agent = new_test_user(
            cls.env,
            login="hsp-own-agent",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
            name="Oscar Own",
        )
        cls.portal_a = new_test_user(
            cls.env,
            login="hsp-sweep-portal-a",
            groups="base.group_portal",
            partner_id=cls.contact_a1.id,
        )
        __, cls.pack_a = cls._sell(cls.customer_a, cls.light)
        __, cls.pack_b = cls._sell(cls.customer_b, cls.light)

    def test_category_change_keeps_the_registry_caches(self):
        """A category's coverage is read through the ticket: creating,
        changing or deleting a category drops no cache of any worker."""
        category_model = self.env["helpdesk.ticket.category"]
        with patch.object(Registry, "clear_cache", autospec=True) as clear_cache:
            category = category_model.create(
                {"name": "Training", "support_coverage": "counted"}
            )
            category.support_coverage = "included"
            category.support_estimate_required = True
            category.unlink()
        clear_cache.assert_not_called()
        ticket = self._ticket(category=self.cat_included)
        self.assertEqual(ticket._support_get_coverage(), ("included", False))
        self.cat_included.support_coverage = "not_covered"
        self.assertEqual(ticket._support_get_coverage(), ("not_covered", False))

    def test_employee_reads_a_partner_without_the_figures(self):
        """An employee without support-pack rights reads a customer over RPC
        without error, and without the figures."""
        partner = self.customer_a.with_user(self.employee)
        # what an RPC client reads: the fields fields_get() offers this user
        offered = partner.fields_get()
        names = ["name"] + [name for name in offered if name.startswith("support_")]
        values = partner.read(names)[0]
        self.assertEqual(values["name"], "Campus A")
        for name in (
            "support_balance_credit",
            "support_balance_hour",
            "support_pack_ids",
            "support_pack_count",
            "support_overdraft_credit",
            "support_overdraft_hour",
        ):
            self.assertNotIn(name, offered)
            self.assertNotIn(name, values)
            with self.assertRaises(AccessError):
                partner.read([name])
        # the ticket's quotations: salespeople only
        ticket = self._ticket().with_user(self.agent)
        self.assertNotIn("support_sale_order_ids", ticket.fields_get())
        ticket.read(["name", "support_quantity"])
        # who may read the packs reads the figures
        self.assertEqual(
            self.customer_a.with_user(self.salesman).support_balance_credit, 20.0
        )

    def test_portal_user_cannot_post_on_a_pack(self):
        """Customers comment on tickets, not on ledger records."""
        pack = self.pack_a.with_user(self.portal_a)
        self.assertEqual(pack.name, self.pack_a.name)  # the portal reads it
        messages = len(self.pack_a.message_ids)
        with self.assertRaises(AccessError):
            pack.message_post(body="Please refund", message_type="comment")
        self.assertEqual(len(self.pack_a.message_ids), messages)

    def test_salesperson_renews_a_pack(self):
        """Salespeople read packs without editing them: the renewal's own
        note is logged, signed by the salesperson."""
        action = self.pack_a.with_user(self.salesman).action_renew()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.partner_id, self.customer_a)
        note = self.pack_a.message_ids.filtered(
            lambda m: "Renewal quotation" in str(m.body)
        )
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.salesman.partner_id)
        # they may log their own notes too (test_support_journeys_sales)

    def test_own_tickets_agent_reads_only_its_customers_packs(self):
        """An agent of their own tickets reads the packs and moves of the
        customers of those tickets only."""
        pack_model = self.env["support.pack"].with_user(self.own_agent)
        move_model = self.env["support.pack.move"].with_user(self.own_agent)
        self.assertFalse(pack_model.search([]))
        self._ticket(partner=self.contact_a1, user_id=self.own_agent.id)
        self.assertEqual(pack_model.search([]), self.pack_a)
        self.assertEqual(move_model.search([]).pack_id, self.pack_a)
        with self.assertRaises(AccessError):
            self.pack_b.with_user(self.own_agent).read(["name"])
        self.assertEqual(
            self.customer_a.with_user(self.own_agent).support_balance_credit, 20.0
        )
        # an agent of all tickets reads every pack
        self.assertEqual(
            self.env["support.pack"].with_user(self.agent).search([]),
            self.pack_a + self.pack_b,
        )
