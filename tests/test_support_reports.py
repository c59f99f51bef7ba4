# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Intervention report, pack statement and notifications, on real PDFs."""

import base64
import re
import subprocess
import tempfile
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import MockEmail

from ..lib.formatting import format_duration
from .common import SupportConsumptionCommon

INTERVENTION_REPORT = "helpdesk_support_pack.helpdesk_ticket_report_intervention"
STATEMENT_REPORT = "helpdesk_support_pack.support_pack_report_statement"
STATEMENT_MODEL = "report.helpdesk_support_pack.report_support_pack_statement"


def pdf_to_text(pdf_content):
    """Text of a PDF, laid out as printed (one table row a line)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(pdf_content)
        pdf.flush()
        return subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", pdf.name, "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


class SupportReportCommon(SupportConsumptionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_open = cls.env["helpdesk.ticket.stage"].create(
            {"name": "In progress (reports)", "sequence": 2, "closed": False}
        )
        cls.stage_closed = cls.env["helpdesk.ticket.stage"].create(
            {"name": "Done (reports)", "sequence": 90, "closed": True}
        )
        # Debian's wkhtmltopdf (unpatched Qt) draws the text of web fonts (the
        # company layout font: Lato, Roboto, ...) as paths, which pdftotext
        # cannot read: the company style of these tests uses a system font.
        cls.env.ref("web.asset_styles_company_report").sudo().write(
            {
                "datas": base64.b64encode(
                    b".o_company_%d_layout { font-family: 'DejaVu Sans'; }"
                    % cls.company.id
                )
            }
        )
        cls.company.write(
            {
                "support_report_send": "close",
                "support_low_balance_type": "percent",
                "support_low_balance_percent": 20.0,
                "support_expiry_reminder_days": 30,
            }
        )

    def _sell_on(self, day, partner, product):
        with freeze_time(day):
            return self._sell(partner, product)[1]

    def _send_queued_reports(self):
        """Run the report job, as the trigger of a save does after the commit."""
        return (
            self.env["support.report.queue"]
            .with_context(force_report_rendering=True)
            ._cron_send_reports()
        )

    def _render_pdf(self, report_ref, res_ids, data=None, user=None):
        report_model = self.env["ir.actions.report"].with_context(
            force_report_rendering=True
        )
        if user:
            report_model = report_model.with_user(user)
        content, content_type = report_model._render_qweb_pdf(
            report_ref, res_ids, data=data
        )
        self.assertEqual(content_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        return pdf_to_text(content)

    def _two_interventions(self):
        """7 min at medium priority, then 16 min at very high, on LIGHT 20."""
        pack = self._sell_on("2026-01-05", self.customer_a, self.light)
        ticket = self._ticket(priority="1", name="Invoices not sent")
        self._log(ticket, 7, date="2026-02-02", name="Checked the mail queue")
        ticket.with_user(self.agent).priority = "3"
        self._log(ticket, 16, date="2026-02-03", name="Fixed the outgoing server")
        return pack, ticket


@tagged("post_install", "-at_install")
class TestSupportInterventionReport(SupportReportCommon, HttpCase, MockEmail):
    def test_report_figures_from_real_pdf(self):
        pack, ticket = self._two_interventions()
        self.assertEqual(pack.quantity_remaining, 15.0)
        text = self._render_pdf(INTERVENTION_REPORT, ticket.ids, user=self.agent)
        self.assertIn("Intervention report", text)
        self.assertIn(ticket.number, text)
        self.assertIn("Invoices not sent", text)
        self.assertRegex(text, r"Customer:\s+Campus A")
        self.assertRegex(text, rf"Provider:\s+{re.escape(self.company.name)}")
        self.assertIn("Usage assistance", text)
        self.assertIn("Very High", text)
        self.assertRegex(
            text, r"Checked the mail queue\s+00:07\s+00:15\s+×1\s+1 credit\s+PACK"
        )
        self.assertRegex(
            text, r"Fixed the outgoing server\s+00:16\s+00:30\s+×2\s+4 credits\s+PACK"
        )
        self.assertRegex(text, r"Total\s+00:23\s+00:45\s+5 credits")
        self.assertRegex(text, rf"{re.escape(pack.name)}\s+LIGHT.*\s15 credits")
        self.assertIn("Andy Agent", text)
        self.assertIn("Customer acceptance", text)
        self.assertIn("Signature", text)

    def test_report_values(self):
        pack, ticket = self._two_interventions()
        values = (
            ticket.with_user(self.agent)
            .env["report.helpdesk_support_pack.report_helpdesk_ticket_intervention"]
            ._get_ticket_values(ticket.with_user(self.agent))
        )
        self.assertEqual(
            [
                (r["logged"], r["rounded"], r["multiplier"], r["quantity_text"])
                for r in values["rows"]
            ],
            [
                ("00:07", "00:15", "×1", "1 credit"),
                ("00:16", "00:30", "×2", "4 credits"),
            ],
        )
        self.assertEqual(values["total_consumed"], "5 credits")
        self.assertEqual(
            [(b["name"], b["balance"]) for b in values["balances"]],
            [(pack.name, 15.0)],
        )

    def _count_report_queries(self, ticket):
        ticket = ticket.with_user(self.agent)
        # warm the caches (access rules, settings) with every record read once
        self.env.invalidate_all()
        ticket.env[
            "report.helpdesk_support_pack.report_helpdesk_ticket_intervention"
        ]._get_ticket_values(ticket)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        values = ticket.env[
            "report.helpdesk_support_pack.report_helpdesk_ticket_intervention"
        ]._get_ticket_values(ticket)
        return self.env.cr.sql_log_count - before, values

    def test_report_values_read_in_batches(self):
        self._sell_on("2026-01-05", self.customer_a, self.maxi)
        small = self._ticket(priority="1")
        big = self._ticket(priority="1")
        for day in (2, 3):
            self._log(small, 7, date=f"2026-02-0{day}")
        for day in range(2, 10):
            self._log(big, 7, date=f"2026-02-0{day}")
        small_count, small_values = self._count_report_queries(small)
        big_count, big_values = self._count_report_queries(big)
        self.assertEqual(len(small_values["rows"]), 2)
        self.assertEqual(len(big_values["rows"]), 8)
        self.assertEqual(big_values["total_consumed"], "8 credits")
        # No query per intervention: 8 lines cost what 2 lines cost; one query
        # reads the language's separators (formatLang, after invalidate_all),
        # one the category (why urgent work is billed on it), one the proof
        # attachments of a vendor-verified fix.
        self.assertEqual(big_count, small_count)
        self.assertLessEqual(big_count, 19)

    def test_closing_sends_the_report_once(self):
        pack, ticket = self._two_interventions()
        ticket = ticket.with_user(self.agent).with_context(force_report_rendering=True)
        with self.mock_mail_gateway():
            ticket.stage_id = self.stage_closed
            self._send_queued_reports()
        mails = self._new_mails.filtered(lambda m: self.contact_a1 in m.recipient_ids)
        self.assertEqual(len(mails), 1)
        self.assertIn(ticket.number, mails.subject)
        pdfs = mails.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf")
        self.assertEqual(len(pdfs), 1)
        text = pdf_to_text(base64.b64decode(pdfs.datas))
        self.assertRegex(text, r"00:07\s+00:15\s+×1\s+1 credit")
        self.assertRegex(text, r"00:16\s+00:30\s+×2\s+4 credits")
        self.assertRegex(text, r"Total\s+00:23\s+00:45\s+5 credits")
        lines = ticket.timesheet_ids
        self.assertTrue(all(lines.mapped("support_reported_date")))

        # Reopened, one more intervention, closed again: only the new one is sent
        ticket.stage_id = self.stage_open
        self._log(ticket, 20, date="2026-02-05", name="Checked again")
        with self.mock_mail_gateway():
            ticket.stage_id = self.stage_closed
            self._send_queued_reports()
        mails = self._new_mails.filtered(lambda m: self.contact_a1 in m.recipient_ids)
        self.assertEqual(len(mails), 1)
        text = pdf_to_text(base64.b64decode(mails.attachment_ids.datas))
        self.assertRegex(text, r"Checked again\s+00:20\s+00:30\s+×2\s+4 credits")
        self.assertNotIn("00:07", text)
        self.assertNotIn("00:16", text)
        self.assertRegex(text, r"Total\s+00:20\s+00:30\s+4 credits")
        self.assertRegex(text, r"11 credits")
        # The printed report still lists every intervention
        text = self._render_pdf(INTERVENTION_REPORT, ticket.ids, user=self.agent)
        self.assertRegex(text, r"Total\s+00:43\s+01:15\s+9 credits")

        # Reopened and closed with nothing new: no email
        ticket.stage_id = self.stage_open
        with self.mock_mail_gateway():
            ticket.stage_id = self.stage_closed
            self._send_queued_reports()
        self.assertFalse(
            self._new_mails.filtered(lambda m: self.contact_a1 in m.recipient_ids)
        )

    def test_corrected_intervention_is_reported_again(self):
        __, ticket = self._two_interventions()
        ticket = ticket.with_user(self.agent)
        ticket.stage_id = self.stage_closed
        self._send_queued_reports()
        first, second = ticket.timesheet_ids.sorted("date")
        self.assertTrue(first.support_reported_date)
        ticket.stage_id = self.stage_open
        first.with_user(self.agent).unit_amount = 20 / 60.0
        self.assertFalse(first.support_reported_date)
        self.assertTrue(second.support_reported_date)
        self.assertEqual(
            ticket._get_support_report_unreported_lines(), first.with_user(self.agent)
        )

    def test_sla_targets_on_the_report(self):
        # Only this test's policy: the default policies shipped in data/ apply
        # to every team using SLA.
        self.env["helpdesk.sla"].search([]).active = False
        self.team.use_sla = True
        self.env["helpdesk.sla"].create(
            {
                "name": "Resolution 48 h",
                "team_ids": [Command.set(self.team.ids)],
                "stage_id": self.stage_closed.id,
                "hours": 48,
            }
        )
        __, ticket = self._two_interventions()
        self.assertEqual(len(ticket.ticket_sla_ids), 1)
        text = self._render_pdf(INTERVENTION_REPORT, ticket.ids, user=self.agent)
        self.assertRegex(text, r"Resolution 48 h\s+.*Ongoing")
        ticket.with_user(self.agent).stage_id = self.stage_closed
        text = self._render_pdf(INTERVENTION_REPORT, ticket.ids, user=self.agent)
        self.assertRegex(text, r"Resolution 48 h\s+.*Met")

    def test_send_after_each_intervention(self):
        self.company.support_report_send = "intervention"
        self._sell_on("2026-01-05", self.customer_a, self.light)
        ticket = self._ticket(priority="1")
        with self.mock_mail_gateway():
            line = self._log(ticket, 7, date="2026-02-02")
            self._send_queued_reports()
        mails = self._new_mails.filtered(lambda m: self.contact_a1 in m.recipient_ids)
        self.assertEqual(len(mails), 1)
        self.assertTrue(line.support_reported_date)
        with self.mock_mail_gateway():
            ticket.with_user(self.agent).stage_id = self.stage_closed
            self._send_queued_reports()
        self.assertFalse(
            self._new_mails.filtered(lambda m: self.contact_a1 in m.recipient_ids)
        )

    def test_manual_sending(self):
        self.company.support_report_send = "manual"
        self._sell_on("2026-01-05", self.customer_a, self.light)
        ticket = self._ticket(priority="1").with_user(self.agent)
        self._log(ticket, 7, date="2026-02-02")
        with self.mock_mail_gateway():
            ticket.stage_id = self.stage_closed
            self._send_queued_reports()
        self.assertFalse(self._new_mails)
        with self.mock_mail_gateway():
            action = ticket.action_support_send_report()
        # The agent reads what happened, and to whom.
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(
            action["params"]["message"],
            "The report of 1 intervention(s) was queued for sending to "
            "Alice A1 <a1@a.example.com>; it is in the chatter.",
        )
        self.assertEqual(
            len(self._new_mails.filtered(lambda m: self.contact_a1 in m.recipient_ids)),
            1,
        )
        with self.assertRaisesRegex(Exception, "already reported"):
            ticket.action_support_send_report()


@tagged("post_install", "-at_install")
class TestSupportPackStatement(SupportReportCommon, HttpCase):
    def test_statement_over_a_period(self):
        pack = self._sell_on("2026-01-05", self.customer_a, self.light)
        self._consume(pack, 3, date=date(2026, 1, 20))
        self._consume(pack, 2, date=date(2026, 2, 10))
        self._consume(pack, 4, date=date(2026, 3, 15))
        values = self.env[STATEMENT_MODEL]._get_statement_values(
            pack.with_user(self.salesman), date(2026, 2, 1), date(2026, 2, 28)
        )
        self.assertEqual(values["opening"], 17.0)
        self.assertEqual([r["quantity"] for r in values["rows"]], [-2.0])
        self.assertEqual(values["closing"], 15.0)
        self.assertEqual(
            values["opening"] + sum(r["quantity"] for r in values["rows"]),
            values["closing"],
        )
        wizard = (
            self.env["support.pack.statement"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer_a.id,
                    "date_from": "2026-02-01",
                    "date_to": "2026-02-28",
                }
            )
        )
        action = wizard.action_print()
        self.assertEqual(action["data"]["pack_ids"], pack.ids)
        text = self._render_pdf(
            STATEMENT_REPORT, None, data=action["data"], user=self.salesman
        )
        self.assertIn("Pack statement", text)
        self.assertRegex(text, r"Customer:\s+Campus A")
        self.assertRegex(text, r"Opening balance\s+17 credits")
        self.assertRegex(text, r"Consumption\s+.*-2 credits\s+15 credits")
        self.assertRegex(text, r"Closing balance\s+15 credits")
        self.assertNotIn("-4 credits", text)

    def test_statement_of_the_whole_pack(self):
        pack = self._sell_on("2026-01-05", self.customer_a, self.light)
        self._consume(pack, 3, date=date(2026, 1, 20))
        self._consume(pack, 4, date=date(2026, 3, 15))
        text = self._render_pdf(STATEMENT_REPORT, pack.ids, user=self.salesman)
        self.assertRegex(text, r"Opening balance\s+0 credits")
        self.assertRegex(text, r"Purchase\s+.*20 credits\s+20 credits")
        self.assertRegex(text, r"Closing balance\s+13 credits")


@tagged("post_install", "-at_install")
class TestSupportPackNotifications(SupportReportCommon, MockEmail):
    def _pack_mails(self, pack):
        return self._new_mails.filtered(
            lambda m: m.model == "support.pack"
            and m.res_id == pack.id
            and m.mail_message_id.message_type == "comment"
        )

    def _renew_activities(self, pack):
        return pack.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref(
                "helpdesk_support_pack.mail_activity_type_support_pack_renew"
            )
        )

    def test_low_balance_once_then_renew(self):
        pack = self._sell_on("2026-01-05", self.customer_a, self.light)
        ticket = self._ticket(priority="1")
        with self.mock_mail_gateway():
            self._log(ticket, 60, date="2026-02-02")  # 4 credits: 16 left
        self.assertEqual(pack.quantity_remaining, 16.0)
        self.assertFalse(self._pack_mails(pack))
        self.assertFalse(pack.low_balance_notified)
        with self.mock_mail_gateway():
            self._log(ticket, 180, date="2026-02-03")  # 12 credits: 4 left = 20 %
        self.assertEqual(pack.quantity_remaining, 4.0)
        mails = self._pack_mails(pack)
        self.assertEqual(len(mails.mail_message_id), 1)
        self.assertEqual(mails.recipient_ids, self.contact_a1 | self.contact_a2)
        self.assertIn("running low", mails[0].subject)
        self.assertIn("4 credits", mails[0].body_html)
        activity = self._renew_activities(pack)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesman)
        self.assertTrue(pack.low_balance_notified)
        # Still below the threshold: nothing more
        with self.mock_mail_gateway():
            self._log(ticket, 15, date="2026-02-04")  # 3 left
        self.assertEqual(pack.quantity_remaining, 3.0)
        self.assertFalse(self._pack_mails(pack))
        self.assertEqual(len(self._renew_activities(pack)), 1)

        # Renew: draft quotation for the customer with the pack product
        action = pack.with_user(self.salesman).action_renew()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "sale.order")
        self.assertRecordValues(
            order,
            [
                {
                    "partner_id": self.customer_a.id,
                    "state": "draft",
                    "user_id": self.salesman.id,
                    "origin": pack.name,
                }
            ],
        )
        self.assertEqual(order.order_line.product_id, self.light)
        self.assertFalse(self._renew_activities(pack))

    def test_low_balance_warns_again_after_a_top_up(self):
        pack = self._sell_on("2026-01-05", self.customer_a, self.light)
        self._consume(pack, 17)  # 3 left
        self.assertTrue(pack.low_balance_notified)
        # +10 by hand: 13 left of 30 granted (threshold 6): flag reset
        self.env["support.pack.adjust"].with_user(self.pack_manager).create(
            {"pack_id": pack.id, "quantity": 10.0, "reason": "Gesture"}
        ).action_apply()
        self.assertEqual(pack.quantity_remaining, 13.0)
        self.assertFalse(pack.low_balance_notified)
        with self.mock_mail_gateway():
            self._consume(pack, 7)  # 6 left = 20 % of 30
        self.assertEqual(len(self._pack_mails(pack).mail_message_id), 1)
        self.assertTrue(pack.low_balance_notified)

    def test_timesheet_edit_does_not_warn_twice(self):
        pack = self._sell_on("2026-01-05", self.customer_a, self.light)
        ticket = self._ticket(priority="1")
        line = self._log(ticket, 240, date="2026-02-02")  # 16 credits: 4 left
        self.assertTrue(pack.low_balance_notified)
        with self.mock_mail_gateway():
            line.with_user(self.agent).unit_amount = 3.75  # reposted: 5 left
            line.with_user(self.agent).unit_amount = 4.0  # reposted: 4 left
        self.assertEqual(pack.quantity_remaining, 4.0)
        self.assertFalse(self._pack_mails(pack))
        self.assertEqual(len(self._renew_activities(pack)), 1)

    def test_absolute_threshold_per_unit(self):
        self.company.write(
            {
                "support_low_balance_type": "absolute",
                "support_low_balance_credits": 5.0,
                "support_low_balance_hours": 1.0,
            }
        )
        credits = self._sell_on("2026-01-05", self.customer_a, self.light)
        hours = self._sell_on("2026-01-05", self.customer_b, self.hour_pack_product)
        self.assertEqual(credits._get_low_balance_threshold(), 5.0)
        self.assertEqual(hours._get_low_balance_threshold(), 1.0)
        self._consume(credits, 14)  # 6 left
        self._consume(hours, 3.75)  # 1.25 h left
        self.assertFalse(credits.low_balance_notified or hours.low_balance_notified)
        self._consume(credits, 1)
        self._consume(hours, 0.25)
        self.assertTrue(credits.low_balance_notified)
        self.assertTrue(hours.low_balance_notified)

    def test_no_expiry_reminder_once_renewed(self):
        pack = self._sell_on("2026-01-05", self.customer_a, self.light)
        self._sell_on("2026-11-02", self.customer_a, self.light)
        with freeze_time("2026-12-06"), self.mock_mail_gateway():
            self.env["support.pack"]._cron_notify_expiring_packs()
        self.assertFalse(self._pack_mails(pack))
        self.assertFalse(pack.expiry_notified)

    def test_expiry_reminder_once(self):
        pack = self._sell_on("2026-01-05", self.customer_a, self.light)
        self.assertEqual(pack.date_end, date(2027, 1, 4))
        pack_model = self.env["support.pack"]
        with freeze_time("2026-12-04"), self.mock_mail_gateway():
            pack_model._cron_notify_expiring_packs()  # 31 days before
        self.assertFalse(self._pack_mails(pack))
        with freeze_time("2026-12-05"), self.mock_mail_gateway():
            pack_model._cron_notify_expiring_packs()  # 30 days before
        mails = self._pack_mails(pack)
        self.assertEqual(len(mails.mail_message_id), 1)
        self.assertIn("expires soon", mails[0].subject)
        self.assertTrue(pack.expiry_notified)
        self.assertEqual(len(self._renew_activities(pack)), 1)
        with freeze_time("2026-12-06"), self.mock_mail_gateway():
            pack_model._cron_notify_expiring_packs()
        self.assertFalse(self._pack_mails(pack))


@tagged("post_install", "-at_install")
class TestSupportReportFrench(SupportReportCommon, HttpCase, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["helpdesk_support_pack"], ["fr_FR"], overwrite=True
        )
        (cls.customer_a | cls.contact_a1 | cls.contact_a2).write({"lang": "fr_FR"})

    def test_report_in_the_customer_language(self):
        pack, ticket = self._two_interventions()
        text = self._render_pdf(INTERVENTION_REPORT, ticket.ids, user=self.agent)
        self.assertIn("Rapport d'intervention", text)
        self.assertIn("Technicien", text)
        self.assertIn("Recette client", text)
        self.assertRegex(text, r"Client :\s+Campus A")
        self.assertRegex(text, r"02/02/2026\s+Andy Agent\s+Checked the mail queue")
        self.assertRegex(text, r"00:07\s+00:15\s+×1\s+1 crédit\s+PACK")
        self.assertRegex(text, r"00:16\s+00:30\s+×2\s+4 crédits\s+PACK")
        self.assertRegex(text, r"Total\s+00:23\s+00:45\s+5 crédits")
        self.assertRegex(text, r"15 crédits")
        self.assertNotIn("Intervention report", text)

    def test_closing_email_in_french(self):
        __, ticket = self._two_interventions()
        with self.mock_mail_gateway():
            ticket.with_user(self.agent).with_context(
                force_report_rendering=True
            ).stage_id = self.stage_closed
            self._send_queued_reports()
        mail = self._new_mails.filtered(lambda m: self.contact_a1 in m.recipient_ids)
        self.assertEqual(len(mail), 1)
        self.assertIn("Rapport d'intervention", mail.subject)
        self.assertIn("Veuillez trouver ci-joint le rapport", mail.body_html)
        text = pdf_to_text(base64.b64decode(mail.attachment_ids.datas))
        self.assertRegex(text, r"Total\s+00:23\s+00:45\s+5 crédits")

    def test_statement_in_french(self):
        pack = self._sell_on("2026-01-05", self.customer_a, self.light)
        self._consume(pack, 3, date=date(2026, 1, 20))
        text = self._render_pdf(STATEMENT_REPORT, pack.ids, user=self.salesman)
        self.assertIn("Relevé de pack", text)
        self.assertRegex(text, r"Solde d'ouverture\s+0 crédit")
        self.assertRegex(text, r"Achat\s+.*20 crédits\s+20 crédits")
        self.assertRegex(text, r"Consommation\s+.*-3 crédits\s+17 crédits")
        self.assertRegex(text, r"Solde de clôture\s+17 crédits")

    def test_low_balance_email_in_french(self):
        pack = self._sell_on("2026-01-05", self.customer_a, self.light)
        with self.mock_mail_gateway():
            self._consume(pack, 16)  # 4 left = 20 %
        mail = self._new_mails.filtered(
            lambda m: m.model == "support.pack"
            and m.mail_message_id.message_type == "comment"
        )
        self.assertEqual(len(mail.mail_message_id), 1)
        self.assertIn("presque épuisé", mail[0].subject)
        self.assertIn("n'a plus que", mail[0].body_html)
        self.assertIn("4 crédits", mail[0].body_html)
        self.assertIn("20 crédits", mail[0].body_html)

    def test_numbers_in_french(self):
        """Odoo's formatting in the customer's language: decimal comma, grouping."""
        env = self.env(context=dict(self.env.context, lang="fr_FR"))
        pack_model = env["support.pack"]
        self.assertEqual(pack_model._format_quantity(1.5, "hour"), "1,5 h")
        self.assertEqual(pack_model._format_quantity(0.25, "credit"), "0,25 crédits")
        self.assertEqual(pack_model._format_quantity(-2.0, "credit"), "-2 crédits")
        big = pack_model._format_quantity(1234567.0, "credit")
        self.assertNotIn("e+", big)
        self.assertRegex(big, r"^1\D234\D567 crédits$")
        self.assertEqual(format_duration(0.25), "00:15")

    def test_hour_pack_report_and_statement_in_french(self):
        """80 min -> 1.5 h on a 5 h pack: '1,5 h', '00:15'-style times, French dates."""
        pack = self._sell_on("2026-01-05", self.customer_a, self.hour_pack_product)
        ticket = self._ticket(priority="1", name="Slow reports")
        self._log(ticket, 80, date="2026-02-12", name="Indexed the tables")
        self.assertEqual(pack.quantity_remaining, 3.5)
        text = self._render_pdf(INTERVENTION_REPORT, ticket.ids, user=self.agent)
        self.assertRegex(
            text,
            r"12/02/2026\s+Andy Agent\s+Indexed the tables"
            r"\s+01:20\s+01:30\s+×1\s+1,5 h",
        )
        self.assertRegex(text, r"Total\s+01:20\s+01:30\s+1,5 h")
        self.assertRegex(text, rf"{re.escape(pack.name)}.*3,5 h")
        self.assertIn(pack.date_end.strftime("%d/%m/%Y"), text)
        self.assertNotRegex(text, r"\b1\.5 h|2026-02-12")
        statement = self._render_pdf(STATEMENT_REPORT, pack.ids, user=self.salesman)
        self.assertRegex(statement, r"05/01/2026\s+Achat\s+.*5\s?h\s+5\s?h")
        self.assertRegex(statement, r"12/02/2026\s+Consommation\s+.*-1,5 h\s+3,5 h")
        self.assertRegex(statement, r"Solde de clôture\s+3,5 h")

    def test_low_balance_email_of_an_hour_pack_in_french(self):
        pack = self._sell_on("2026-01-05", self.customer_a, self.hour_pack_product)
        ticket = self._ticket(priority="1")
        with self.mock_mail_gateway():
            self._log(ticket, 255)  # 4.25 h: 0.75 h left = 15 %
        mail = self._new_mails.filtered(
            lambda m: m.model == "support.pack"
            and m.mail_message_id.message_type == "comment"
        )
        self.assertEqual(len(mail.mail_message_id), 1)
        self.assertEqual(pack.quantity_remaining, 0.75)
        self.assertIn("0,75 h", mail[0].body_html)
        self.assertIn("5 h", mail[0].body_html)
        self.assertNotIn("0.75", mail[0].body_html)
