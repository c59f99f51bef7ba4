# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date

from psycopg2.errors import LockNotAvailable

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..lib.guard import internal

QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}


@tagged("post_install", "-at_install")
class TestSupportConcurrency(TransactionCase):
    """Two real database cursors on one pack: the second one queues behind the
    first one's row lock. (The full race, two threads posting timesheet lines
    and ending with the exact sum, is in tools_dev/bench.py: a TransactionCase
    cannot commit.)"""

    def _committed_pack(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, QUIET)
            partner = env["res.partner"].create(
                {"name": "Race Ltd (concurrency test)", "is_company": True}
            )
            product = env["product.product"].create(
                {
                    "name": "Race pack (concurrency test)",
                    "type": "service",
                    "support_pack_ok": True,
                    "support_pack_unit": "credit",
                    "support_pack_quantity": 10,
                }
            )
            pack = internal(env["support.pack"]).create(
                {
                    "partner_id": partner.id,
                    "product_id": product.id,
                    "unit": "credit",
                    "validity_months": 12,
                    "state": "active",
                    "date_start": date(2026, 1, 1),
                    "date_end": date(2026, 12, 31),
                }
            )
            # committed when the cursor's block ends
            return partner.id, product.id, pack.id

    def _cleanup(self, partner_id, product_id, pack_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, QUIET)
            env["support.pack"].browse(pack_id).unlink()
            product = env["product.product"].browse(product_id)
            template = product.product_tmpl_id
            product.unlink()
            template.unlink()
            env["res.partner"].browse(partner_id).unlink()

    def test_second_cursor_waits_for_the_pack_row_lock(self):
        partner_id, product_id, pack_id = self._committed_pack()
        # committed rows: removed on a cursor of their own even when the test
        # fails or errors
        self.addCleanup(self._cleanup, partner_id, product_id, pack_id)
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            rows = env1["support.pack"]._lock_for_consumption([partner_id])
            self.assertEqual([row["id"] for row in rows], [pack_id])
            # The second transaction cannot take the row while the first
            # holds it (it would wait: here it gives up after 200 ms).
            cr2.execute("SET LOCAL lock_timeout = '200ms'")
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(LockNotAvailable),
            ):
                env2["support.pack"]._lock_for_consumption([partner_id])
            cr2.rollback()
            # Locking by pack id (re-posting) queues the same way.
            cr2.execute("SET LOCAL lock_timeout = '200ms'")
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(LockNotAvailable),
            ):
                env2["support.pack"]._lock_for_consumption([], [pack_id])
            cr2.rollback()
            # Once the first transaction ends, the second one gets the row.
            cr1.rollback()
            rows = env2["support.pack"]._lock_for_consumption([partner_id])
            self.assertEqual([row["id"] for row in rows], [pack_id])
            cr2.rollback()
