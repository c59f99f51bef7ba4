# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from freezegun import freeze_time

from odoo.tests import tagged

from .common_sla import SlaCommon


@tagged("post_install", "-at_install")
class TestSlaFirstResponse(SlaCommon):
    def setUp(self):
        super().setUp()
        self.ticket = self._create_ticket("2026-01-16 16:00", "3")
        self.response = self._line(self.ticket, "first_response")

    def _post(self, when, user=None, **kwargs):
        ticket = self.ticket.with_user(user or self.agent)
        with freeze_time(self._utc(when)):
            return ticket.message_post(body="Hello", **kwargs)

    def test_internal_note_does_not_count(self):
        self._post(
            "2026-01-19 09:30", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertFalse(self.ticket.first_response_date)
        self.assertEqual(self.response.status, "ongoing")

    def test_automatic_messages_do_not_count(self):
        # Acknowledgement sent by an automation, and a reply posted by OdooBot.
        self._post(
            "2026-01-16 16:01",
            message_type="auto_comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._post(
            "2026-01-16 16:01",
            user=self.env.ref("base.user_root"),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self._post(
            "2026-01-16 16:02",
            message_type="notification",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(self.ticket.first_response_date)
        self.assertEqual(self.response.status, "ongoing")

    def test_customer_message_does_not_count(self):
        self._post(
            "2026-01-19 09:30",
            user=self.env.ref("base.user_root"),
            author_id=self.contact.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertFalse(self.ticket.first_response_date)

    def test_public_reply_reaches_first_response(self):
        self._post(
            "2026-01-19 10:00", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(self.ticket.first_response_date, self._utc("2026-01-19 10:00"))
        self.assertEqual(self.response.status, "reached")
        self.assertEqual(self.response.reached_date, self._utc("2026-01-19 10:00"))
        self.assertEqual(self._line(self.ticket, "resolution").status, "ongoing")
        # A second reply changes nothing.
        self._post(
            "2026-01-19 11:00", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(self.ticket.first_response_date, self._utc("2026-01-19 10:00"))

    def test_late_reply_is_breached(self):
        self._post(
            "2026-01-19 12:30", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(self.ticket.first_response_date, self._utc("2026-01-19 12:30"))
        self.assertEqual(self.response.status, "breached")

    def test_mail_template_acknowledgement_does_not_count(self):
        """An acknowledgement mailed from a template (automation, stage) is an
        automatic message, even with the comment subtype."""
        template = self.env.ref("helpdesk_mgmt.changed_stage_template")
        self.env.company.partner_id.email = "support@vendor.example"
        messages = self.ticket.message_ids
        with freeze_time(self._utc("2026-01-16 16:01")):
            self.ticket.with_user(self.agent).message_post_with_source(
                template, subtype_xmlid="mail.mt_comment"
            )
        self.ticket.invalidate_recordset(["message_ids"])
        self.assertEqual(len(self.ticket.message_ids - messages), 1)
        self.assertFalse(self.ticket.first_response_date)
        self.assertEqual(self.response.status, "ongoing")
