# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The weekly release train of level 3 fixes (Claroline): the date arithmetic
(lib/release.py), planning and its refusals, skipped dates and replanning,
hotfixes, the delivery of a release (deliveries, one message per customer,
stages by service mode), the sentence on the ticket and on the portal.

The company's release calendar is in Europe/Paris: Wednesday 20:00 Paris is
19:00 UTC in December (winter time)."""

from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import BaseCase, new_test_user, tagged

from ..lib import release as release_lib
from ..lib.guard import internal
from .common import SupportConsumptionCommon
from .common_portal import SupportPortalCommon

PARIS = "Europe/Paris"
# Public holiday entered the Odoo way: the whole local day, in UTC.
DEC_16_FROM = datetime(2026, 12, 15, 23, 0)
DEC_16_TO = datetime(2026, 12, 16, 22, 59, 59)
RELEASE_16 = datetime(2026, 12, 16, 19, 0)  # Wed 16 Dec 20:00 Paris
RELEASE_23 = datetime(2026, 12, 23, 19, 0)
RELEASE_MARKER = "delivered in the release of"


@tagged("post_install", "-at_install")
class TestSupportReleaseLib(BaseCase):
    """Plain unit tests of lib/release.py (no database)."""

    def test_worked_example(self):
        # Thursday 10 Dec 10:00 Paris (09:00 UTC) → Wednesday 16 Dec 20:00
        self.assertEqual(
            release_lib.next_release(datetime(2026, 12, 10, 9, 0), tz=PARIS),
            RELEASE_16,
        )
        # the 16th skipped → the 23rd
        self.assertEqual(
            release_lib.next_release(
                datetime(2026, 12, 10, 9, 0),
                tz=PARIS,
                skipped=[(DEC_16_FROM, DEC_16_TO)],
            ),
            RELEASE_23,
        )

    def test_noon_cutoff_on_release_day(self):
        # Wednesday 16 Dec 11:00 Paris (10:00 UTC) → that day; 13:00 → the 23rd
        self.assertEqual(
            release_lib.next_release(datetime(2026, 12, 16, 10, 0), tz=PARIS),
            RELEASE_16,
        )
        self.assertEqual(
            release_lib.next_release(datetime(2026, 12, 16, 11, 0), tz=PARIS),
            RELEASE_16,
            "12:00 sharp is still by noon",
        )
        self.assertEqual(
            release_lib.next_release(datetime(2026, 12, 16, 12, 0), tz=PARIS),
            RELEASE_23,
        )

    def test_summer_time_and_settings(self):
        # Wednesday 17 June 2026, 20:00 Paris is 18:00 UTC (summer time)
        self.assertEqual(
            release_lib.next_release(datetime(2026, 6, 15, 8, 0), tz=PARIS),
            datetime(2026, 6, 17, 18, 0),
        )
        # Friday 17:30 UTC, from a Saturday
        self.assertEqual(
            release_lib.next_release(
                datetime(2026, 12, 12, 8, 0), weekday=4, hour=17.5, tz="UTC"
            ),
            datetime(2026, 12, 18, 17, 30),
        )
        # a delivered release takes no more fixes
        self.assertEqual(
            release_lib.next_release(
                datetime(2026, 12, 10, 9, 0), tz=PARIS, taken=[RELEASE_16]
            ),
            RELEASE_23,
        )
        # every date skipped: no release
        self.assertIsNone(
            release_lib.next_release(
                datetime(2026, 12, 10, 9, 0),
                tz=PARIS,
                skipped=[(datetime(2026, 1, 1), datetime(2030, 1, 1))],
            )
        )


class SupportReleaseCommon(SupportConsumptionCommon):
    """A level 3 team, the company's release calendar in Europe/Paris, two
    customers' level 3 tickets with configuration items, three service modes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Paris releases", "tz": PARIS, "company_id": cls.company.id}
        )
        cls.company.write(
            {
                "support_release_weekday": "2",
                "support_release_hour": 20.0,
                "support_release_calendar_id": cls.calendar.id,
            }
        )
        cls.team_dev = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Development",
                "support_level": "3",
                "user_ids": [Command.set(cls.agent.ids)],
            }
        )
        mode_model = cls.env["support.service.mode"]
        cls.mode_vendor = mode_model.create(
            {"name": "Vendor all", "install_by": "vendor", "verify_by": "vendor"}
        )
        cls.mode_acceptance = mode_model.create(
            {"name": "Recette", "install_by": "vendor", "verify_by": "customer"}
        )
        cls.mode_self = mode_model.create(
            {"name": "Self install", "install_by": "customer", "verify_by": "vendor"}
        )
        item_model = cls.env["support.configuration.item"]
        cls.item_a1 = item_model.create(
            {"name": "LMS A", "partner_id": cls.customer_a.id, "version": "13.0"}
        )
        cls.item_a2 = item_model.create(
            {"name": "SSO A", "partner_id": cls.customer_a.id, "version": "2.1"}
        )
        cls.item_b1 = item_model.create(
            {"name": "LMS B", "partner_id": cls.customer_b.id, "version": "13.0"}
        )

    @classmethod
    def _l3_ticket(cls, partner=None, mode=None, items=None, priority="1", **values):
        """A level 3 ticket (as the Escalate action leaves it), as the agent."""
        partner = partner or cls.contact_a1
        ticket = internal(cls.env["helpdesk.ticket"]).create(
            dict(
                {
                    "name": "Grade export fails",
                    "description": "<p>Bug</p>",
                    "team_id": cls.team_dev.id,
                    "partner_id": partner.id,
                    "priority": priority,
                    "support_level": "3",
                    "support_service_mode_id": mode.id if mode else False,
                    "configuration_item_ids": [Command.set((items or []).ids)]
                    if items
                    else [],
                },
                **values,
            )
        )
        # the agent's own environment, without the flows' private mark
        return cls.env["helpdesk.ticket"].with_user(cls.agent).browse(ticket.id)

    def _plan(self, ticket, when):
        """The agent clicks "Plan on the next release" at ``when`` (UTC)."""
        with freeze_time(when):
            ticket.action_support_plan_release()
        return ticket.support_release_id


@tagged("post_install", "-at_install")
class TestSupportRelease(SupportReleaseCommon):
    # Planning ----------------------------------------------------------------
    def test_plan_worked_example(self):
        ticket = self._l3_ticket()
        release = self._plan(ticket, "2026-12-10 09:00:00")  # Thu 10:00 Paris
        self.assertEqual(release.date, RELEASE_16)
        self.assertEqual(release.name, "Release 2026-12-16")
        self.assertEqual(release.state, "planned")
        self.assertEqual(release.company_id, self.company)
        self.assertEqual(release.ticket_ids, ticket)
        self.assertEqual(
            ticket.support_release_text,
            "Fix planned for the release of Wed 16 Dec, 20:00",
        )
        # a second fix joins the same release
        other = self._l3_ticket(partner=self.contact_b1)
        self.assertEqual(self._plan(other, "2026-12-14 15:00:00"), release)
        self.assertEqual(len(self.env["support.release"].search([])), 1)

    def test_plan_noon_cutoff(self):
        before = self._l3_ticket()
        after = self._l3_ticket()
        self.assertEqual(self._plan(before, "2026-12-16 10:00:00").date, RELEASE_16)
        self.assertEqual(self._plan(after, "2026-12-16 12:00:00").date, RELEASE_23)

    def test_text_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        ticket = self._l3_ticket()
        self._plan(ticket, "2026-12-10 09:00:00")
        text = ticket.with_context(lang="fr_FR").support_release_text
        self.assertIn("mer. 16 déc., 20:00", text)

    def test_plan_refusals_write_nothing(self):
        level2 = self._ticket(priority="3")
        closed_stage = self.env["helpdesk.ticket.stage"].create(
            {"name": "Closed L3", "closed": True, "sequence": 50}
        )
        closed = self._l3_ticket()
        closed.sudo().stage_id = closed_stage
        delivered = self._l3_ticket()
        self._plan(delivered, "2026-12-10 09:00:00")
        with freeze_time("2026-12-16 21:00:00"):
            delivered.support_release_id.action_deliver()
        self.assertEqual(delivered.support_release_id.state, "delivered")
        hotfixed = self._l3_ticket(priority="3")
        with freeze_time("2026-12-10 09:00:00"):
            hotfixed.action_support_hotfix()
        cases = [
            (level2.with_user(self.agent), "Only level 3 (development) fixes"),
            (closed, "is closed"),
            (delivered, "was already delivered (Release 2026-12-16)"),
            (hotfixed, "was already delivered (hotfix)"),
        ]
        for ticket, message in cases:
            with self.subTest(message=message):
                releases = self.env["support.release"].search_count([])
                before = ticket.sudo().read(["support_release_id", "message_ids"])
                with (
                    self.assertRaises(UserError) as caught,
                    freeze_time("2026-12-17 09:00:00"),
                ):
                    ticket.action_support_plan_release()
                self.assertIn(message, str(caught.exception))
                self.env.invalidate_all()
                self.assertEqual(
                    ticket.sudo().read(["support_release_id", "message_ids"]),
                    before,
                )
                self.assertEqual(self.env["support.release"].search_count([]), releases)

    def test_release_fields_written_by_flows_only(self):
        ticket = self._l3_ticket()
        release = self._plan(ticket, "2026-12-10 09:00:00")
        other = self._l3_ticket()
        with self.assertRaises(AccessError):
            other.write({"support_release_id": release.id})
        with self.assertRaises(AccessError):
            other.write({"support_hotfix": True})
        manager = new_test_user(
            self.env,
            login="hsp-helpdesk-manager",
            groups="helpdesk_mgmt.group_helpdesk_manager",
        )
        with self.assertRaises(AccessError):
            release.with_user(manager).write({"state": "delivered"})
        with self.assertRaises(AccessError):
            release.with_user(self.agent).write({"name": "Renamed"})
        self.assertEqual(release.state, "planned")
        self.assertFalse(other.support_release_id)

    # Skipped dates -------------------------------------------------------------
    def test_planning_skips_a_public_holiday(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Freeze",
                "calendar_id": self.calendar.id,
                "date_from": DEC_16_FROM,
                "date_to": DEC_16_TO,
            }
        )
        ticket = self._l3_ticket()
        self.assertEqual(self._plan(ticket, "2026-12-10 09:00:00").date, RELEASE_23)

    def test_holiday_after_planning_moves_fixes_and_tells_customers(self):
        ticket_a = self._l3_ticket()
        ticket_b = self._l3_ticket(partner=self.contact_b1)
        release_16 = self._plan(ticket_a, "2026-12-10 09:00:00")
        self._plan(ticket_b, "2026-12-10 09:00:00")
        # a resource's own time off skips nothing
        resource = self.env["resource.resource"].create(
            {"name": "Dev", "calendar_id": self.calendar.id}
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Dev off",
                "calendar_id": self.calendar.id,
                "resource_id": resource.id,
                "date_from": DEC_16_FROM,
                "date_to": DEC_16_TO,
            }
        )
        self.assertEqual(ticket_a.support_release_id, release_16)
        # a public holiday entered on another day, then moved onto the 16th
        leave = self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 12, 24, 23, 0),
                "date_to": datetime(2026, 12, 25, 22, 59, 59),
            }
        )
        self.assertEqual(ticket_a.support_release_id, release_16)
        leave.write({"date_from": DEC_16_FROM, "date_to": DEC_16_TO})
        self.assertFalse(release_16.exists(), "the emptied release is removed")
        release_23 = ticket_a.support_release_id
        self.assertEqual(release_23.date, RELEASE_23)
        self.assertEqual(release_23.name, "Release 2026-12-23")
        self.assertEqual(release_23.ticket_ids, ticket_a | ticket_b)
        for ticket, contact in (
            (ticket_a, self.contact_a1),
            (ticket_b, self.contact_b1),
        ):
            messages = ticket.sudo().message_ids.filtered(
                lambda m: "does not take place" in (m.body or "")
            )
            self.assertEqual(len(messages), 1)
            self.assertEqual(messages.partner_ids, contact)
            self.assertEqual(messages.subtype_id, self.env.ref("mail.mt_comment"))
            self.assertIn("Wed 16 Dec, 20:00", messages.body)
            self.assertIn("Wed 23 Dec, 20:00", messages.body)
        self.assertEqual(
            ticket_a.support_release_text,
            "Fix planned for the release of Wed 23 Dec, 20:00",
        )

    # Hotfix ---------------------------------------------------------------------
    def test_hotfix_delivered_at_once(self):
        ticket = self._l3_ticket(
            priority="3", mode=self.mode_vendor, items=self.item_a1
        )
        with freeze_time("2026-12-10 09:00:00"):
            ticket.action_support_hotfix()
        self.assertTrue(ticket.support_hotfix)
        self.assertFalse(ticket.support_release_id)
        self.assertFalse(self.env["support.release"].search([]))
        delivery = self.env["support.delivery"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(len(delivery), 1)
        self.assertEqual(delivery.item_id, self.item_a1)
        self.assertEqual(delivery.version, f"Hotfix {ticket.number}")
        self.assertEqual(str(delivery.date), "2026-12-10")
        self.assertEqual(self.item_a1.version, f"Hotfix {ticket.number}")
        self.assertTrue(ticket.stage_id.closed)
        self.assertEqual(ticket.support_closing_status, "proven")
        self.assertEqual(
            ticket.support_proof_note,
            "Delivered as a hotfix on Thu 10 Dec, 10:00, outside the release.",
        )
        messages = ticket.sudo().message_ids.filtered(
            lambda m: "delivered at once as a hotfix" in (m.body or "")
        )
        self.assertEqual(len(messages), 1)
        self.assertEqual(messages.partner_ids, self.contact_a1)
        self.assertEqual(
            ticket.support_release_text,
            "Fix delivered as a hotfix, outside the release.",
        )

    def test_hotfix_refused_for_non_urgent(self):
        ticket = self._l3_ticket(priority="2", items=self.item_a1)
        before = ticket.sudo().read(["support_hotfix", "stage_id", "message_ids"])
        with self.assertRaises(UserError) as caught:
            ticket.action_support_hotfix()
        self.assertEqual(
            str(caught.exception),
            f"Only an urgent (very high priority) ticket gets a hotfix: plan the "
            f"fix of {ticket.display_name} on the next release.",
        )
        self.env.invalidate_all()
        self.assertEqual(
            ticket.sudo().read(["support_hotfix", "stage_id", "message_ids"]), before
        )
        self.assertFalse(self.env["support.delivery"].search([]))

    # Delivery -------------------------------------------------------------------
    def test_deliver_release(self):
        self.team_dev.support_resolution_required = True
        a_vendor = self._l3_ticket(
            mode=self.mode_vendor, items=self.item_a1 | self.item_a2
        )
        a_acceptance = self._l3_ticket(
            partner=self.contact_a2, mode=self.mode_acceptance, items=self.item_a1
        )
        a_self = self._l3_ticket(mode=self.mode_self, items=self.item_a2)
        b_none = self._l3_ticket(partner=self.contact_b1, items=self.item_b1)
        tickets = a_vendor | a_acceptance | a_self | b_none
        for ticket in tickets:
            release = self._plan(ticket, "2026-12-10 09:00:00")
        self.assertEqual(release.ticket_ids, tickets)
        self.assertEqual(release.ticket_count, 4)
        with freeze_time("2026-12-16 19:30:00"):
            release.with_user(self.agent).action_deliver()
        self.env.invalidate_all()
        self.assertEqual(release.state, "delivered")
        # exactly one delivery per affected item of each ticket: 2 + 1 + 1 + 1
        deliveries = self.env["support.delivery"].search(
            [("ticket_id", "in", tickets.ids)]
        )
        self.assertEqual(len(deliveries), 5)
        self.assertEqual(set(deliveries.mapped("version")), {"Release 2026-12-16"})
        self.assertEqual(set(deliveries.mapped("user_id")), {self.agent})
        self.assertEqual(self.item_b1.version, "Release 2026-12-16")
        # one message per customer, on its first ticket, to its contacts
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "in", tickets.ids),
                ("body", "ilike", RELEASE_MARKER),
            ]
        )
        self.assertEqual(len(messages), 2)
        message_a = messages.filtered(lambda m: m.res_id == a_vendor.id)
        message_b = messages.filtered(lambda m: m.res_id == b_none.id)
        self.assertEqual(message_a.partner_ids, self.contact_a1 | self.contact_a2)
        self.assertEqual(message_b.partner_ids, self.contact_b1)
        self.assertEqual(message_a.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn("Wed 16 Dec, 20:00", message_a.body)
        for ticket in (a_vendor, a_acceptance, a_self):
            self.assertIn(ticket.number, message_a.body)
        self.assertNotIn(b_none.number, message_a.body)
        # stages by service mode
        self.assertTrue(a_vendor.stage_id.closed)
        self.assertEqual(a_vendor.support_closing_status, "proven")
        self.assertEqual(
            a_vendor.support_proof_note,
            "Fixed in the release of Wed 16 Dec, 20:00.",
        )
        self.assertTrue(a_acceptance.stage_id.closed)
        self.assertEqual(a_acceptance.support_closing_status, "awaiting_acceptance")
        self.assertFalse(a_self.stage_id.closed, "the customer installs it")
        self.assertTrue(b_none.stage_id.closed)
        for ticket in tickets:
            self.assertIn(
                "Fixed in the release of Wed 16 Dec, 20:00.",
                str(ticket.support_resolution),
            )
        self.assertEqual(
            a_vendor.support_release_text,
            "Fix delivered in the release of Wed 16 Dec, 20:00",
        )
        # a delivered release is never delivered again nor given new fixes
        count = len(self.env["mail.message"].search([]))
        with self.assertRaises(UserError) as caught:
            release.with_user(self.agent).action_deliver()
        self.assertIn("was already delivered", str(caught.exception))
        self.assertEqual(len(self.env["mail.message"].search([])), count)
        self.assertEqual(
            self.env["support.delivery"].search_count(
                [("ticket_id", "in", tickets.ids)]
            ),
            5,
        )
        late = self._l3_ticket()
        self.assertEqual(
            self._plan(late, "2026-12-16 10:00:00").date,
            RELEASE_23,
            "the delivered release of the 16th takes no new fix",
        )

    def test_deliver_requires_all_tickets_user(self):
        ticket = self._l3_ticket(items=self.item_a1)
        release = self._plan(ticket, "2026-12-10 09:00:00")
        own = new_test_user(
            self.env,
            login="hsp-own-agent",
            groups="helpdesk_mgmt.group_helpdesk_user_own",
        )
        with self.assertRaises(AccessError):
            release.with_user(own).action_deliver()
        self.assertEqual(release.state, "planned")
        self.assertFalse(self.env["support.delivery"].search([]))


@tagged("post_install", "-at_install")
class TestSupportReleasePortal(SupportPortalCommon):
    """The customer reads the planned release on the ticket page; another
    customer reaches neither the page nor any release."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        calendar = cls.env["resource.calendar"].create(
            {"name": "Paris releases", "tz": PARIS, "company_id": cls.company.id}
        )
        cls.company.support_release_calendar_id = calendar
        cls.team_dev = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Development",
                "support_level": "3",
                "user_ids": [Command.set(cls.agent.ids)],
            }
        )
        cls.ticket_a = internal(cls.env["helpdesk.ticket"]).create(
            {
                "name": "Grade export fails secret-a",
                "description": "<p>Bug</p>",
                "team_id": cls.team_dev.id,
                "partner_id": cls.contact_a2.id,
                "support_level": "3",
            }
        )
        cls.ticket_a.with_user(cls.agent)._support_plan_release(
            datetime(2026, 12, 10, 9, 0)
        )
        cls.ticket_a.sudo()._portal_ensure_token()

    def test_portal_page_shows_planned_release(self):
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        response = self._get(f"/my/ticket/{self.ticket_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Fix planned for the release of Wed 16 Dec, 20:00", response.text)

    def _release_tour(self):
        self.start_tour(
            f"/my/ticket/{self.ticket_a.id}",
            "helpdesk_support_pack_release_tour",
            login="hsp-portal-a1",
        )

    def test_release_tour_en(self):
        self._release_tour()

    def test_release_tour_fr(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["helpdesk_support_pack"], ["fr_FR"]
        )
        self.portal_users["a1"].lang = "fr_FR"
        self.authenticate("hsp-portal-a1", "hsp-portal-a1")
        page = self.url_open(f"/my/ticket/{self.ticket_a.id}")  # → /fr/my/…
        self.assertIn(
            "Correctif prévu pour la version du mer. 16 déc., 20:00", page.text
        )
        self._release_tour()

    def test_other_customer_reads_no_release(self):
        self.authenticate("hsp-portal-b1", "hsp-portal-b1")
        response = self._get(f"/my/ticket/{self.ticket_a.id}")
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn("Wed 16 Dec", response.text)
        user_b = self.portal_users["b1"]
        with self.assertRaises(AccessError):
            self.env["support.release"].with_user(user_b).search([])
        with self.assertRaises(AccessError):
            self.ticket_a.with_user(user_b).read(["support_release_text"])
        # nor the own customer reads the release record itself
        user_a = self.portal_users["a1"]
        with self.assertRaises(AccessError):
            self.ticket_a.support_release_id.with_user(user_a).read(["name"])
