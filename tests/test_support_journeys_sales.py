# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The salesperson's and the support manager's day (issue 23, "Journeys"):
the rules behind their screens, each as the least privileged user."""

from datetime import date

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from ..lib.guard import internal
from .common import SupportPackCommon


@tagged("post_install", "-at_install")
class TestSupportJourneySalesperson(SupportPackCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a1 = new_test_user(
            cls.env,
            login="hsp-journey-portal-a1",
            groups="base.group_portal",
            partner_id=cls.contact_a1.id,
        )
        __, cls.pack_a = cls._sell(cls.customer_a, cls.light)
        __, cls.pack_b = cls._sell(cls.customer_b, cls.maxi)

    def test_sales_app_with_quotations(self):
        """Sales staff work in the Sales app: sale_management is installed
        with the addon and its "Sales › Orders" menu is theirs."""
        module = self.env["ir.module.module"].search([("name", "=", "sale_management")])
        self.assertEqual(module.state, "installed")
        visible = self.env["ir.ui.menu"].with_user(self.salesman)._visible_menu_ids()
        self.assertIn(self.env.ref("sale.sale_menu_root").id, visible)
        self.assertIn(self.env.ref("sale.menu_sale_order").id, visible)
        self.assertIn(self.env.ref("sale.menu_sale_quotations").id, visible)

    def test_balance_is_the_first_smart_button(self):
        """The balance comes first in the contact's button box (never under
        "More"), and the Support tab lists the customer's packs."""
        partner_model = self.env["res.partner"].with_user(self.salesman)
        arch = etree.fromstring(partner_model.get_view(view_type="form")["arch"])
        [box] = arch.xpath("//div[@name='button_box']")
        self.assertEqual(box[0].get("name"), "action_view_support_packs")
        [page] = arch.xpath("//page[@name='support_customer_rules']")
        self.assertTrue(page.xpath(".//field[@name='support_customer_pack_ids']"))

    def test_contact_reads_its_company_packs(self):
        contact = self.contact_a1.with_user(self.salesman)
        self.assertEqual(contact.support_customer_pack_ids, self.pack_a)
        self.assertEqual(contact.support_balance_credit, 20.0)
        self.assertEqual(
            self.customer_b.with_user(self.salesman).support_customer_pack_ids,
            self.pack_b,
        )
        self.assertEqual(
            contact.support_customer_pack_ids.quantity_remaining_text, "20 credits"
        )

    def test_salesperson_logs_a_note_without_editing_the_pack(self):
        pack = self.pack_a.with_user(self.salesman)
        message = pack.message_post(
            body="Customer asked for a bigger pack next year",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.assertEqual(message.author_id, self.salesman.partner_id)
        self.assertEqual(message.model, "support.pack")
        self.assertEqual(message.res_id, self.pack_a.id)
        self.assertIn(message, self.pack_a.message_ids)
        with self.assertRaises(AccessError):
            pack.write({"user_id": self.salesman.id})

    def test_portal_user_still_cannot_post_on_a_pack(self):
        pack = self.pack_a.with_user(self.portal_a1)
        self.assertEqual(pack.name, self.pack_a.name)  # reads it
        count = len(self.pack_a.message_ids)
        with self.assertRaises(AccessError):
            pack.message_post(
                body="Note", message_type="comment", subtype_xmlid="mail.mt_note"
            )
        with self.assertRaises(AccessError):
            pack.message_post(body="Refund please", message_type="comment")
        self.assertEqual(len(self.pack_a.message_ids), count)

    def test_renew_is_the_main_button_only_when_due(self):
        """A brand-new full pack is not due for renewal; low (20 % left by
        default), exhausted or expiring within the reminder days it is."""
        pack = self.pack_a.with_user(self.salesman)
        self.assertEqual(pack.quantity_remaining, 20.0)
        self.assertFalse(pack.renewal_due)
        self._consume(self.pack_a, 15)  # 5 left: 25 %
        self.assertFalse(pack.renewal_due)
        self._consume(self.pack_a, 1)  # 4 left: 20 %
        self.assertTrue(pack.renewal_due)
        self._consume(self.pack_a, 4)  # 0 left
        self.assertEqual(pack.state, "exhausted")
        self.assertTrue(pack.renewal_due)
        # expiring soon
        pack_b = self.pack_b.with_user(self.salesman)
        self.assertFalse(pack_b.renewal_due)
        with freeze_time(self.pack_b.date_end):
            pack_b.invalidate_recordset(["renewal_due"])
            self.assertTrue(pack_b.renewal_due)

    def test_purchase_rows_show_no_time_nor_multiplier(self):
        """On the ledger, rounded hours and the multiplier are shown on
        consumption rows only (never "0.00 / 0.00" on a purchase)."""
        for model, view_type in (
            ("support.pack", "form"),
            ("support.pack.move", "list"),
        ):
            arch = etree.fromstring(
                self.env[model]
                .with_user(self.salesman)
                .get_view(view_type=view_type)["arch"]
            )
            for name in ("rounded_hours", "multiplier"):
                nodes = arch.xpath(f"//list//field[@name='{name}']") or arch.xpath(
                    f"//field[@name='{name}']"
                )
                self.assertTrue(nodes)
                for node in nodes:
                    self.assertEqual(
                        node.get("invisible"),
                        "move_type not in ('consumption', 'overdraft')",
                    )


@tagged("post_install", "-at_install")
class TestSupportJourneyManager(SupportPackCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pack_50 = cls._create_pack_product("Pack 50", "credit", 50, 1000.0)
        cls.pack_50_never = cls._create_pack_product(
            "Pack 50 no carry-over", "credit", 50, 1000.0, carry_over="never"
        )

    def _filter_domain(self, name):
        arch = etree.fromstring(
            self.env["support.pack"]
            .with_user(self.pack_manager)
            .get_view(view_type="search")["arch"]
        )
        [node] = arch.xpath(f"//filter[@name='{name}']")
        return safe_eval(node.get("domain"))

    def test_default_filter_keeps_pending_packs(self):
        __, pending = self._sell(self.customer_a, self.tma_10h)  # on payment
        __, active = self._sell(self.customer_b, self.light)
        self.assertEqual(pending.state, "pending")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_pack_action"
        )
        self.assertIn("search_default_filter_valid", action["context"])
        packs = (
            self.env["support.pack"]
            .with_user(self.pack_manager)
            .search(self._filter_domain("filter_valid"))
        )
        self.assertEqual(packs, pending | active)
        # the kanban's "Pending payment" column counts it
        groups = (
            self.env["support.pack"]
            .with_user(self.pack_manager)
            .read_group(
                self._filter_domain("filter_valid"), ["state"], ["state"], lazy=False
            )
        )
        counts = {g["state"]: g["__count"] for g in groups}
        self.assertEqual(counts["pending"], 1)
        self.assertEqual(counts["active"], 1)

    def test_hours_as_durations_credits_as_numbers(self):
        __, hours = self._sell(self.customer_a, self.tma_10h)
        hours._action_activate()
        self._consume(hours, 0.25)
        __, credits = self._sell(self.customer_b, self.light)
        self._consume(credits, 1.5)
        hours = hours.with_user(self.pack_manager)
        credits = credits.with_user(self.pack_manager)
        self.assertEqual(hours.quantity_granted_text, "10:00 h")
        self.assertEqual(hours.quantity_consumed_text, "00:15 h")
        self.assertEqual(hours.quantity_remaining_text, "09:45 h")
        self.assertEqual(credits.quantity_granted_text, "20 credits")
        self.assertEqual(credits.quantity_consumed_text, "1.5 credits")
        self.assertEqual(credits.quantity_remaining_text, "18.5 credits")

    def _adjust(self, pack, quantity, reason="Gesture"):
        return (
            self.env["support.pack.adjust"]
            .with_user(self.pack_manager)
            .create({"pack_id": pack.id, "quantity": quantity, "reason": reason})
            .action_apply()
        )

    def test_messages_carry_units(self):
        __, hours = self._sell(self.customer_a, self.tma_10h)
        hours._action_activate()
        self._consume(hours, 8.5)  # 1.5 h left
        with self.assertRaisesRegex(
            ValidationError, r"Only 01:30 h left on the pack .*below zero"
        ):
            self._adjust(hours, -2.0)
        self._adjust(hours, 2.0, reason="Goodwill")
        self.assertEqual(hours.quantity_remaining, 3.5)
        self.assertIn(
            "Manual adjustment of +02:00 h: Goodwill",
            hours.message_ids[0].body,
        )
        __, credits = self._sell(self.customer_b, self.light)
        self._adjust(credits, -3.0, reason="Duplicate")
        self.assertIn(
            "Manual adjustment of -3 credits: Duplicate",
            credits.message_ids[0].body,
        )

    def test_ledger_groups_never_add_multipliers(self):
        move_model = self.env["support.pack.move"].with_user(self.pack_manager)
        described = move_model.fields_get(["multiplier", "rounded_hours", "quantity"])
        self.assertFalse(described["multiplier"].get("aggregator"))
        self.assertEqual(described["rounded_hours"].get("aggregator"), "sum")
        self.assertEqual(described["quantity"].get("aggregator"), "sum")
        __, pack = self._sell(self.customer_a, self.light)
        internal(self.env["support.pack.move"]).create(
            [
                pack._prepare_move_values(
                    "consumption", -quantity, rounded_hours=hours, multiplier=2.0
                )
                for quantity, hours in ((2.0, 1.0), (3.0, 1.5))
            ]
        )
        [group] = move_model.read_group(
            [("pack_id", "=", pack.id), ("move_type", "=", "consumption")],
            ["multiplier", "quantity"],
            ["pack_id"],
        )
        self.assertNotIn("multiplier", group)
        self.assertEqual(group["quantity"], -5.0)
        [group] = move_model.read_group(
            [("pack_id", "=", pack.id), ("move_type", "=", "consumption")],
            ["rounded_hours"],
            ["pack_id"],
        )
        self.assertEqual(group["rounded_hours"], 2.5)

    def test_consumption_analysis_opens_per_unit(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_pack_move_action_consumption"
        )
        context = safe_eval(action["context"])
        self.assertEqual(context.get("search_default_group_unit"), 1)
        self.assertEqual(context.get("search_default_group_month"), 2)

    def _pack_with_35_left(self, product):
        with freeze_time("2026-01-15 09:00:00"):
            __, pack = self._sell(self.customer_a, product)
        self._consume(pack, 15, date=date(2026, 6, 1))
        self.assertEqual(pack.quantity_remaining, 35.0)
        return pack

    def test_expired_pack_says_where_its_balance_went(self):
        old = self._pack_with_35_left(self.pack_50)
        with freeze_time("2026-12-20 09:00:00"):
            __, new = self._sell(self.customer_a, self.maxi)
        with freeze_time("2027-01-15 02:00:00"):
            self.env["support.pack"]._cron_expire_packs()
        old = old.with_user(self.salesman)
        self.assertEqual(old.state, "expired")
        self.assertEqual(old.quantity_carried_over, 35.0)
        self.assertEqual(old.carried_over_pack_id, new)
        self.assertEqual(old.quantity_expired, 0.0)
        self.assertEqual(old.expiry_outcome, f"35 credits carried over to {new.name}")
        self.assertFalse(new.with_user(self.salesman).expiry_outcome)

    def test_expired_pack_says_what_was_lost(self):
        old = self._pack_with_35_left(self.pack_50_never)
        with freeze_time("2027-01-15 02:00:00"):
            self.env["support.pack"]._cron_expire_packs()
        old = old.with_user(self.salesman)
        self.assertFalse(old.carried_over_pack_id)
        self.assertEqual(old.quantity_expired, 35.0)
        self.assertEqual(old.expiry_outcome, "35 credits lost at expiry")

    def test_low_balance_activity_closes_when_restored(self):
        __, pack = self._sell(self.customer_a, self.light)
        renew_type = self.env.ref(
            "helpdesk_support_pack.mail_activity_type_support_pack_renew"
        )
        self._consume(pack, 17)  # 3 left of 20: below 20 %
        self.assertTrue(pack.low_balance_notified)
        activity = pack.activity_ids.filtered(
            lambda a: a.activity_type_id == renew_type
        )
        self.assertEqual(len(activity), 1)
        # +1: 4 left of 21, still low: the activity stays
        self._adjust(pack, 1.0)
        self.assertEqual(pack.quantity_remaining, 4.0)
        self.assertTrue(activity.exists())
        # +10: 14 left of 31 (threshold 6.2): closed, with the new balance
        self._adjust(pack, 10.0)
        self.assertEqual(pack.quantity_remaining, 14.0)
        self.assertFalse(pack.low_balance_notified)
        self.assertFalse(activity.exists())
        self.assertFalse(pack.activity_ids)
        done = pack.message_ids.filtered(
            lambda m: m.mail_activity_type_id == renew_type
        )
        self.assertEqual(len(done), 1)
        self.assertIn(
            "The balance is back above the threshold: 14 credits left.",
            done.body,
        )
