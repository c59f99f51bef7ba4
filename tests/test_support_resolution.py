# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The resolution (what was wrong and what was done): required on closing by
the teams that ask it, written by the automatic acceptance, shown on the
portal, in the intervention report and in the closing email."""

from datetime import timedelta

from markupsafe import Markup

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from ..hooks import post_init_hook, uninstall_hook
from .common_portal import SupportPortalCommon

INTERVENTION_REPORT = "helpdesk_support_pack.helpdesk_ticket_report_intervention"
RESOLUTION = Markup(
    "<p>The toner cartridge was empty: we replaced it and printed a test page.</p>"
)
RESOLUTION_TEXT = "The toner cartridge was empty"


@tagged("post_install", "-at_install")
class TestSupportResolution(SupportPortalCommon, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.support_resolution_required = True
        cls.stage_done.mail_template_id = cls.env.ref(
            "helpdesk_support_pack.mail_template_support_ticket_closed"
        )
        cls.company.support_reopen_grace_days = 7
        # the closing email's sender (helpdesk_mgmt's: the company's email)
        cls.company.partner_id.email = "support@vendor.example.com"
        cls.open_a = cls.data["a"]["open"]
        cls.closed_a = cls.data["a"]["closed"]

    def _snapshot_ticket(self, ticket):
        self.env.invalidate_all()
        ticket = ticket.sudo()
        return {
            "values": ticket.read(["stage_id", "closed_date", "support_resolution"]),
            "messages": len(ticket.message_ids),
        }

    def _close_as_agent(self, ticket, vals=None):
        """The agent closes the ticket; the closing email is caught."""
        # BaseCommon disables tracking: the stage's email is sent by it.
        ticket = ticket.with_context(tracking_disable=False, mail_notrack=False)
        with self.mock_mail_gateway():
            ticket.with_user(self.agent).write(
                dict(vals or {}, stage_id=self.stage_done.id)
            )
            # the stage's email is sent with the tracking, at commit
            self.env.flush_all()
            self.env.cr.precommit.run()
        self.env.invalidate_all()

    def _closing_email(self, ticket):
        """Subject and body of the email the closed stage sends."""
        template = ticket.sudo().stage_id.mail_template_id
        self.assertEqual(
            template,
            self.env.ref("helpdesk_support_pack.mail_template_support_ticket_closed"),
        )
        return (
            template._render_field("subject", ticket.ids)[ticket.id],
            str(template._render_field("body_html", ticket.ids)[ticket.id]),
        )

    # Required on closing ---------------------------------------------------
    def test_closing_without_resolution_is_refused(self):
        ticket = self.open_a.with_user(self.agent)
        for empty in (False, "<p><br></p>", "<p>  </p>"):
            ticket.support_resolution = empty
            before = self._snapshot_ticket(ticket)
            with self.assertRaises(UserError) as caught:
                ticket.write({"stage_id": self.stage_done.id})
            self.assertIn("without a resolution", str(caught.exception))
            self.assertIn(self.team.name, str(caught.exception))
            self.assertEqual(self._snapshot_ticket(ticket), before)
            self.assertFalse(ticket.stage_id.closed)

    def test_closing_with_resolution_is_accepted_and_emailed(self):
        self._close_as_agent(self.open_a, {"support_resolution": RESOLUTION})
        self.assertEqual(self.open_a.stage_id, self.stage_done)
        self.assertTrue(self.open_a.closed_date)
        subject, body = self._closing_email(self.open_a)
        self.assertEqual(subject, f"The ticket {self.open_a.number} has been closed.")
        self.assertIn(RESOLUTION_TEXT, body)
        self.assertIn("Resolution", body)

    def test_resolution_written_before_closing(self):
        self.open_a.with_user(self.agent).support_resolution = RESOLUTION
        self._close_as_agent(self.open_a)
        self.assertTrue(self.open_a.stage_id.closed)

    def test_team_setting_off_keeps_helpdesk_mgmt_behaviour(self):
        self.team.support_resolution_required = False
        self._close_as_agent(self.open_a)
        self.assertEqual(self.open_a.stage_id, self.stage_done)
        # no resolution, no resolution block in the email
        __, body = self._closing_email(self.open_a)
        self.assertIn("has been closed", body)
        self.assertNotIn("Resolution", body)

    def test_install_gives_stock_closed_stages_the_resolution_email(self):
        """The post-init hook: a closed stage sending helpdesk_mgmt's own
        closing email sends ours (with the resolution); a stage given another
        email keeps it; uninstalling gives helpdesk_mgmt's back."""
        stock = self.env.ref("helpdesk_mgmt.closed_ticket_template")
        ours = self.env.ref("helpdesk_support_pack.mail_template_support_ticket_closed")
        self.assertEqual(
            self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done").mail_template_id,
            ours,
        )
        custom = stock.copy({"name": "Our own closing email"})
        stage_model = self.env["helpdesk.ticket.stage"]
        stock_stage = stage_model.create(
            {"name": "Solved", "closed": True, "mail_template_id": stock.id}
        )
        custom_stage = stage_model.create(
            {"name": "Solved (custom)", "closed": True, "mail_template_id": custom.id}
        )
        post_init_hook(self.env)
        self.assertEqual(stock_stage.mail_template_id, ours)
        self.assertEqual(custom_stage.mail_template_id, custom)
        uninstall_hook(self.env)
        self.assertEqual(stock_stage.mail_template_id, stock)
        self.assertEqual(custom_stage.mail_template_id, custom)

    def test_setting_is_off_by_default(self):
        team = self.env["helpdesk.ticket.team"].create({"name": "New team"})
        self.assertFalse(team.support_resolution_required)

    # The portal's close route ---------------------------------------------
    def test_portal_close_without_resolution_asks_to_confirm(self):
        before = self._snapshot_ticket(self.open_a)
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self._post(
            "/ticket/close",
            {"ticket_id": self.open_a.id, "stage_id": self.stage_done.id},
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/my/ticket/{self.open_a.id}?support_message=resolution_pending"
            )
        )
        self.assertEqual(self._snapshot_ticket(self.open_a), before)
        page = self._get(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertIn("Once the fix works on your side, confirm it", page.text)

    def test_portal_close_with_resolution(self):
        self.open_a.with_user(self.agent).support_resolution = RESOLUTION
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self._post(
            "/ticket/close",
            {"ticket_id": self.open_a.id, "stage_id": self.stage_done.id},
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual(self.open_a.stage_id, self.stage_done)

    def test_rpc_write_by_portal_user_is_refused(self):
        """Any write, whoever makes it: the customer's own call too."""
        portal = self.portal_users["a1"]
        before = self._snapshot_ticket(self.open_a)
        with self.assertRaises(UserError):
            self.open_a.with_user(portal).sudo().write({"stage_id": self.stage_done.id})
        self.assertEqual(self._snapshot_ticket(self.open_a), before)

    # The automatic acceptance ---------------------------------------------
    def test_auto_acceptance_writes_its_resolution(self):
        mode = self.env["support.service.mode"].create(
            {"name": "Hosted", "install_by": "vendor", "verify_by": "customer"}
        )
        explained = self.closed_a
        silent = self.data["b"]["closed"]
        (explained | silent).sudo().write({"support_service_mode_id": mode.id})
        explained.sudo().support_resolution = RESOLUTION
        eight_days_ago = fields.Datetime.now() - timedelta(days=8)
        (explained | silent).sudo().write({"closed_date": eight_days_ago})
        accepted = self.env["helpdesk.ticket"]._cron_support_auto_accept()
        self.assertEqual(accepted, explained | silent)
        self.assertEqual(explained.support_resolution, RESOLUTION)
        self.assertEqual(
            silent.support_resolution,
            "<p>Closed automatically: the customer did not answer within 7 days "
            "after the fix was delivered.</p>",
        )

    # Where it is shown -----------------------------------------------------
    def test_portal_page_shows_resolution_of_closed_ticket(self):
        self.closed_a.sudo().support_resolution = RESOLUTION
        self.open_a.sudo().support_resolution = Markup("<p>Draft explanation</p>")
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        page = self._get(f"/my/ticket/{self.closed_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_support_resolution", page.text)
        self.assertIn(RESOLUTION_TEXT, page.text)
        # an open ticket's draft is not shown yet
        page = self._get(f"/my/ticket/{self.open_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Draft explanation", page.text)

    def test_customer_b_never_reads_a_resolution(self):
        self.closed_a.sudo().support_resolution = RESOLUTION
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        response = self._get(f"/my/ticket/{self.closed_a.id}")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(RESOLUTION_TEXT, response.text)
        for url in (
            f"/my/ticket/{self.closed_a.id}?report_type=html",
            "/my/tickets",
        ):
            self.assertNotIn(RESOLUTION_TEXT, self.url_open(url).text)
        with self.assertRaises(AccessError):
            self.closed_a.with_user(self.portal_users["b1"]).read(
                ["support_resolution"]
            )

    def test_report_html_shows_resolution(self):
        self.closed_a.sudo().support_resolution = RESOLUTION
        html, __ = (
            self.env["ir.actions.report"]
            .with_user(self.agent)
            ._render_qweb_html(INTERVENTION_REPORT, self.closed_a.ids)
        )
        html = html.decode()
        self.assertIn('id="resolution"', html)
        self.assertIn(RESOLUTION_TEXT, html)
        # without a resolution, no empty section
        self.closed_a.sudo().support_resolution = "<p><br></p>"
        html, __ = (
            self.env["ir.actions.report"]
            .with_user(self.agent)
            ._render_qweb_html(INTERVENTION_REPORT, self.closed_a.ids)
        )
        self.assertNotIn('id="resolution"', html.decode())

    # Portal tour, in English and French ------------------------------------
    def _tour(self):
        self.closed_a.sudo().support_resolution = RESOLUTION
        self.env.flush_all()
        self.start_tour(
            f"/my/ticket/{self.closed_a.id}",
            "helpdesk_support_pack_resolution_tour",
            login="hsp-portal-a1",
        )

    def test_resolution_tour_en(self):
        self._tour()

    def test_resolution_tour_fr(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.portal_users["a1"].lang = "fr_FR"
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        self.closed_a.sudo().support_resolution = RESOLUTION
        page = self.url_open(f"/my/ticket/{self.closed_a.id}")
        self.assertIn('"lang": "fr_FR"', page.text)
        self.assertIn(RESOLUTION_TEXT, page.text)
        self._tour()
