# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The scheduled jobs of the packs work in batches of a constant cost."""

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import models as odoo_models
from odoo.tests import tagged

from ..lib.guard import internal
from ..models.pack import support_pack_renewal
from .common import SupportPackCommon

EXPIRE_CRON = "helpdesk_support_pack.ir_cron_support_pack_expire"
REMINDER_CRON = "helpdesk_support_pack.ir_cron_support_pack_expiry_reminder"


@tagged("post_install", "-at_install")
class TestSupportPackCronBatches(SupportPackCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_pack_product("Batch 10", "credit", 10, 100.0)
        cls.company.support_expiry_reminder_days = 30

    def _make_packs(self, count, date_end, customers=None, carry_over="renewal"):
        """``count`` active packs of 10 credits (4 consumed) ending on
        ``date_end``, created in batch (no sale: the jobs are measured)."""
        customers = customers or self.env["res.partner"].create(
            [{"name": f"Batch customer {i}", "is_company": True} for i in range(count)]
        )
        packs = internal(self.env["support.pack"]).create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": self.company.id,
                    "product_id": self.product.id,
                    "unit": "credit",
                    "activation": "order",
                    "carry_over": carry_over,
                    "validity_months": 12,
                    "state": "active",
                    "date_start": date(2026, 1, 1),
                    "date_end": date_end,
                }
                for customer in customers
            ]
        )
        moves = []
        for pack in packs:
            moves.append(pack._prepare_move_values("purchase", 10.0))
            moves.append(pack._prepare_move_values("consumption", -4.0))
        internal(self.env["support.pack.move"]).create(moves)
        return packs

    def _run_batches(self, method):
        """Run the job until nothing is left, as the cron framework does
        (each call handles one batch); the queries of each call."""
        counts = []
        progress = []
        with (
            patch.object(
                type(self.env["ir.cron"]),
                "_notify_progress",
                lambda cron, done, remaining, deactivate=False: progress.append(
                    (done, remaining)
                ),
            ),
            # The ORM writes rows 100 at a time: one statement per batch here,
            # so that any query repeated per pack shows in the counts.
            patch.object(odoo_models, "INSERT_BATCH_SIZE", 1000),
            patch.object(odoo_models, "UPDATE_BATCH_SIZE", 1000),
        ):
            while True:
                self.env.flush_all()
                self.env.invalidate_all()
                start = self.env.cr.sql_log_count
                getattr(self.env["support.pack"], method)()
                self.env.flush_all()
                counts.append(self.env.cr.sql_log_count - start)
                if not progress[-1][1]:
                    break
        return counts, progress

    def test_expiry_in_batches_of_constant_cost(self):
        ten = self._make_packs(10, date(2026, 12, 31))
        thousand = self._make_packs(1000, date(2027, 1, 31))
        self._make_packs(1, date(2026, 11, 30))  # warm-up
        with freeze_time("2026-12-01"):
            self._run_batches("_cron_expire_packs")
        with freeze_time("2027-01-01"):
            ten_counts, ten_progress = self._run_batches("_cron_expire_packs")
        self.assertEqual(ten_progress, [(10, 0)])
        self.assertEqual(set(ten.mapped("state")), {"expired"})
        self.assertEqual(
            ten[0].move_ids.filtered(lambda m: m.move_type == "expiry").quantity, -6.0
        )
        with (
            freeze_time("2027-02-01"),
            patch.object(type(self.env.ref(EXPIRE_CRON)), "_trigger") as trigger,
        ):
            counts, progress = self._run_batches("_cron_expire_packs")
        self.assertEqual(
            progress, [(200, 800), (200, 600), (200, 400), (200, 200), (200, 0)]
        )
        self.assertEqual(trigger.call_count, 4)
        self.assertEqual(set(thousand.mapped("state")), {"expired"})
        self.assertEqual(sum(thousand.mapped("quantity_remaining")), 0.0)
        # A batch of 200 packs costs what a batch of 10 costs, plus the count
        # of what is left (after a full batch) and the job read to trigger it
        # again (while some are left).
        self.assertEqual(counts, [ten_counts[0] + 2] * 4 + [ten_counts[0] + 1])

    def test_carry_over_read_for_the_whole_batch(self):
        """Renewed customers: the balance goes to the newer pack, in batch."""
        old = self._make_packs(10, date(2026, 12, 31))
        new = self._make_packs(10, date(2027, 12, 31), customers=old.partner_id)
        with freeze_time("2027-01-01"):
            __, progress = self._run_batches("_cron_expire_packs")
        self.assertEqual(progress, [(10, 0)])
        self.assertEqual(set(old.mapped("quantity_remaining")), {0.0})
        self.assertEqual(set(new.mapped("quantity_remaining")), {12.0})
        for pack in old:
            out = pack.move_ids.filtered(lambda m: m.move_type == "carry_over_out")
            carried = out.search([("counterpart_move_id", "=", out.id)])
            self.assertEqual(carried.pack_id.partner_id, pack.partner_id)
            self.assertEqual(carried.quantity, 6.0)
            self.assertIn("carried over to", pack.message_ids[:1].body)

    def test_expiry_reminder_in_batches_of_constant_cost(self):
        # customers without email: the reminder is the salesperson's activity
        ten = self._make_packs(10, date(2026, 12, 20))
        thousand = self._make_packs(1000, date(2027, 1, 20))
        # renewed: no reminder
        renewed = self._make_packs(3, date(2027, 1, 20))
        self._make_packs(3, date(2027, 12, 31), customers=renewed.partner_id)
        self._make_packs(1, date(2026, 11, 20))  # warm-up
        with freeze_time("2026-11-01"):
            self._run_batches("_cron_notify_expiring_packs")
        with freeze_time("2026-11-25"):
            ten_counts, ten_progress = self._run_batches("_cron_notify_expiring_packs")
        self.assertEqual(ten_progress, [(10, 0)])
        with (
            freeze_time("2026-12-25"),
            patch.object(type(self.env.ref(REMINDER_CRON)), "_trigger") as trigger,
        ):
            counts, progress = self._run_batches("_cron_notify_expiring_packs")
        self.assertEqual(trigger.call_count, 4)
        self.assertEqual([done for done, __ in progress], [200] * 5)
        self.assertTrue(all(thousand.mapped("expiry_notified")))
        self.assertTrue(all(ten.mapped("expiry_notified")))
        renew_type = self.env.ref(
            "helpdesk_support_pack.mail_activity_type_support_pack_renew"
        )
        self.assertEqual(
            len(
                thousand.activity_ids.filtered(
                    lambda a: a.activity_type_id == renew_type
                )
            ),
            1000,
        )
        self.assertFalse(renewed.activity_ids)
        self.assertFalse(any(renewed.mapped("expiry_notified")))
        self.assertEqual(counts, [ten_counts[0] + 2] * 4 + [ten_counts[0] + 1])

    def test_batch_size(self):
        self.assertEqual(support_pack_renewal.CRON_BATCH, 200)
