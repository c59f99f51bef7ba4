# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from ..lib.guard import internal
from .common import SupportPackCommon


@tagged("post_install", "-at_install")
class TestSupportJourneyTours(SupportPackCommon, HttpCase):
    def test_sales_tour(self):
        """A salesperson in Chromium: the balance first on the contact, the
        customer's packs in its Support tab, a new pack without a main Renew
        button nor time on its purchase row, and a note logged on it."""
        customer = self.env["res.partner"].create(
            {"name": "Tour Campus", "is_company": True}
        )
        __, pack = self._sell(customer, self.light)
        internal(pack).name = "Tour pack"
        self.start_tour(
            f"/odoo/res.partner/{customer.id}",
            "helpdesk_support_pack_sales_tour",
            login="hsp-salesman",
        )
        note = pack.message_ids.filtered(
            lambda m: "Customer will order 40 credits in June" in str(m.body)
        )
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.salesman.partner_id)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))

    def test_manager_tour(self):
        """A support manager in Chromium: pending packs under the default
        filter and in the kanban's column, hours as durations and credits as
        numbers, the expired pack's carry-over, the analysis per unit."""
        customer = self.env["res.partner"].create(
            {"name": "Tour Campus", "is_company": True}
        )
        pack_50 = self._create_pack_product("Pack 50", "credit", 50, 1000.0)
        with freeze_time("2026-01-15 09:00:00"):
            __, old = self._sell(customer, pack_50)
        self._consume(old, 15, date=date(2026, 6, 1))
        with freeze_time("2026-12-20 09:00:00"):
            __, credits = self._sell(customer, self.maxi)
        with freeze_time("2027-01-15 02:00:00"):
            self.env["support.pack"]._cron_expire_packs()
        __, pending = self._sell(customer, self.tma_10h)
        __, hours = self._sell(customer, self.tma_10h)
        hours._action_activate()
        internal(self.env["support.pack.move"]).create(
            hours._prepare_move_values(
                "consumption",
                -0.25,
                logged_hours=0.1,
                rounded_hours=0.25,
                multiplier=1.0,
            )
        )
        for pack, name in (
            (old, "Tour old"),
            (credits, "Tour credits"),
            (pending, "Tour pending"),
            (hours, "Tour hours"),
        ):
            internal(pack).name = name
        self.assertEqual(old.state, "expired")
        self.assertEqual(pending.state, "pending")
        self.assertEqual(credits.quantity_remaining, 135.0)
        self.assertEqual(hours.quantity_remaining, 9.75)
        self.start_tour(
            "/odoo/support-packs",
            "helpdesk_support_pack_manager_tour",
            login="hsp-pack-manager",
        )
