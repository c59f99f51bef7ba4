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


@tagged("post_install", "-at_install")
class TestSupportPackAnalysis(SupportConsumptionCommon):
    def test_no_total_adds_hours_and_credits(self):
        for model, fnames in (
            ("account.analytic.line", ["support_quantity"]),
            ("helpdesk.ticket", ["support_quantity"]),
        ):
            for fname, description in self.env[model].fields_get(fnames).items():
                self.assertFalse(description.get("aggregator"), f"{model}.{fname}")
        # packs and ledger: the unit is a dimension; a group holding both
        # units has no sum, each unit has its own
        with freeze_time("2026-03-02"):
            self._sell(self.customer_a, self.light)
            self._sell(self.customer_a, self.hour_pack_product)
        for model, fnames in (
            ("support.pack", ["quantity_granted", "quantity_remaining"]),
            ("support.pack.move", ["quantity"]),
        ):
            aggregates = [f"{fname}:sum" for fname in fnames]
            domain = [("partner_id", "=", self.customer_a.id)]
            [mixed] = self.env[model]._read_group(domain, [], aggregates)
            self.assertEqual(mixed, (False,) * len(fnames), model)
            per_unit = self.env[model]._read_group(domain, ["unit"], aggregates)
            self.assertEqual(
                sorted((unit, figures[0]) for unit, *figures in per_unit),
                [("credit", 20.0), ("hour", 5.0)],
                model,
            )
        views = (
            "helpdesk_support_pack.support_pack_view_list",
            "helpdesk_support_pack.support_pack_move_view_list",
            "helpdesk_support_pack.hr_timesheet_line_tree",
        )
        for xmlid in views:
            arch = self.env.ref(xmlid).arch
            for fname in ("quantity", "quantity_remaining", "support_quantity"):
                self.assertNotRegex(arch, rf'name="{fname}"[^>]*sum=', xmlid)

    @freeze_time("2026-03-02")
    def test_consumption_per_unit_month_and_salesperson(self):
        __, credits = self._sell(self.customer_a, self.light)
        __, hours = self._sell(self.customer_b, self.hour_pack_product)
        self._log(self._ticket(), 30)  # 2 credits
        self._log(self._ticket(partner=self.contact_b1), 45)  # 0.75 h
        self._log(self._ticket(partner=self.contact_b1, priority="3"), 15)  # 0.5 h
        groups = self.env["support.pack.move"]._read_group(
            [("move_type", "in", ("consumption", "overdraft"))],
            ["partner_id", "salesperson_id", "date:month", "unit"],
            ["quantity_consumed:sum"],
        )
        figures = {
            (partner, user, unit): consumed
            for partner, user, __, unit, consumed in groups
        }
        self.assertEqual(
            figures,
            {
                (self.customer_a, self.salesman, "credit"): 2.0,
                (self.customer_b, self.salesman, "hour"): 1.25,
            },
        )
        self.assertEqual(
            (credits.quantity_consumed, credits.quantity_remaining), (2, 18)
        )
        self.assertEqual(
            (hours.quantity_consumed, hours.quantity_remaining), (1.25, 3.75)
        )

    def test_a_settled_overdraft_is_consumed_once(self):
        self.company.support_overdraft_policy = "deduct"
        with freeze_time("2026-02-02"):
            self._log(self._ticket(), 30)
        with freeze_time("2026-03-02"):
            __, pack = self._sell(self.customer_a, self.light)
        self.assertEqual(pack.quantity_remaining, 18.0)
        [[consumed]] = self.env["support.pack.move"]._read_group(
            [("partner_id", "=", self.customer_a.id)], [], ["quantity_consumed:sum"]
        )
        self.assertEqual(consumed, 2.0)


@tagged("post_install", "-at_install")
class TestSupportEstimateMail(SupportConsumptionCommon):
    def test_estimate_is_sent_with_the_editable_template(self):
        template = self.env.ref("helpdesk_support_pack.mail_template_support_estimate")
        template.body_html = template.body_html.replace(
            "Please approve it", "Kindly approve it"
        )
        ticket = self._ticket(category=self.cat_estimate)
        ticket_agent = ticket.with_user(self.agent)
        ticket_agent.support_estimate_hours = 1.5
        ticket_agent.action_support_send_estimate()
        self.assertEqual(ticket.support_estimate_state, "sent")
        sent = ticket.message_ids.filtered(lambda m: "Estimate for ticket" in m.body)
        self.assertEqual(sent.message_type, "comment")
        self.assertIn(self.contact_a1, sent.partner_ids)
        self.assertIn("Kindly approve it", sent.body)
        self.assertIn("01:30", sent.body)
        self.assertIn(ticket.access_url, sent.body)
        self.assertEqual(
            sent.subject, f"{self.company.name} - Estimate for ticket {ticket.number}"
        )


@tagged("post_install", "-at_install")
class TestSupportPackKanban(SupportConsumptionCommon):
    def test_kanban_shows_a_column_per_state(self):
        self._sell(self.customer_a, self.light)
        groups = (
            self.env["support.pack"]
            .with_user(self.salesman)
            .read_group([], ["state"], ["state"])
        )
        self.assertEqual(
            [g["state"] for g in groups],
            ["pending", "active", "exhausted", "expired"],
        )
        self.assertEqual([g["state_count"] for g in groups], [0, 1, 0, 0])
