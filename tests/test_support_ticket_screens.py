# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import SupportConsumptionCommon


@tagged("post_install", "-at_install")
class TestSupportTicketBalance(SupportConsumptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "support_overdraft_policy": "deduct",
                "support_low_balance_type": "percent",
                "support_low_balance_percent": 20.0,
            }
        )

    def _balance(self, ticket):
        ticket.invalidate_recordset()
        ticket = ticket.with_user(self.agent)
        return (
            ticket.support_balance_state,
            ticket.support_balance_text,
            ticket.support_next_pack_id,
            ticket.support_next_pack_date_end,
            ticket.support_balance_warning,
        )

    @freeze_time("2026-03-02")
    def test_balance_next_pack_and_warnings(self):
        ticket = self._ticket()
        state, text, pack, date_end, warning = self._balance(ticket)
        self.assertEqual(state, "none")
        self.assertFalse(text)
        self.assertFalse(pack)
        self.assertIn("has no support pack left", warning)

        __, light = self._sell(self.customer_a, self.light)
        __, hours = self._sell(self.customer_a, self.hour_pack_product)
        state, text, pack, date_end, warning = self._balance(ticket)
        self.assertEqual(state, "ok")
        pack_model = self.env["support.pack"]
        self.assertEqual(
            text,
            "{}, {}".format(
                pack_model._format_quantity(20.0, "credit"),
                pack_model._format_quantity(5.0, "hour"),
            ),
        )
        # both end on 2027-03-01: the first id is drawn from first
        self.assertEqual(pack, light)
        self.assertEqual(str(date_end), "2027-03-01")
        self.assertFalse(warning)

        # 4 h logged = 16 credits: 4 left, 20 % of 20 -> low
        self._log(ticket, 240)
        state, text, pack, __, warning = self._balance(ticket)
        self.assertEqual(state, "low")
        self.assertEqual(pack, light)
        self.assertIn("Low balance", warning)
        self.assertIn(light.name, warning)

        # 1 h 15 = 5 credits: 4 on LIGHT, then the hour pack is drawn from
        line = self._log(ticket, 75)
        self.assertEqual(line.support_move_ids.pack_id, light)
        self.assertEqual(self._balance(ticket)[2], hours)

    @freeze_time("2026-03-02")
    def test_overdraft_warning(self):
        ticket = self._ticket()
        self._log(ticket, 30)
        state, __, __, __, warning = self._balance(ticket)
        self.assertEqual(state, "overdraft")
        self.assertIn("is in overdraft", warning)
        self.assertIn(self.env["support.pack"]._format_quantity(2.0, "credit"), warning)
        # the next pack deducts it: the warning goes
        self._sell(self.customer_a, self.light)
        self.assertEqual(self._balance(ticket)[0], "ok")

    @freeze_time("2026-03-02")
    def test_balance_is_computed_in_batch(self):
        """The queries do not grow with the number of tickets and customers."""
        customers = self.env["res.partner"].create(
            [{"name": f"Campus {i}", "is_company": True} for i in range(10)]
        )
        for customer in customers[:5]:
            self._sell(customer, self.light)
        tickets = self.env["helpdesk.ticket"]
        for customer in customers:
            tickets |= self._ticket(partner=customer)

        def count(records):
            records.invalidate_recordset()
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            records.with_user(self.agent).mapped("support_balance_state")
            return self.env.cr.sql_log_count - before

        count(tickets[:2])  # warm the caches of the models
        self.assertEqual(count(tickets[:2]), count(tickets))

    def test_level_choice_offers_levels_1_and_2_only(self):
        ticket = self._ticket()
        selection = ticket.fields_get(["support_level_choice"])["support_level_choice"][
            "selection"
        ]
        self.assertEqual([key for key, __ in selection], ["1", "2"])
        with Form(ticket.with_user(self.agent)) as form:
            form.support_level_choice = "1"
        self.assertEqual(ticket.support_level, "1")
        ticket.with_user(self.agent).support_level_choice = "2"
        self.assertEqual(ticket.support_level, "2")

    def test_ticket_list_unit(self):
        ticket = self._ticket()
        self.assertFalse(ticket.support_unit)
        with freeze_time("2026-03-02"):
            self._sell(self.customer_a, self.hour_pack_product)
            self._log(ticket, 30)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.support_unit, "hour")
        self.assertEqual(ticket.support_quantity, 0.5)
