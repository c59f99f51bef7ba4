# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..lib.guard import internal
from .common import SupportPackCommon


@tagged("post_install", "-at_install")
class TestSupportPackAccess(SupportPackCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_a1 = new_test_user(
            cls.env,
            login="hsp-portal-a1",
            groups="base.group_portal",
            partner_id=cls.contact_a1.id,
        )
        cls.portal_a2 = new_test_user(
            cls.env,
            login="hsp-portal-a2",
            groups="base.group_portal",
            partner_id=cls.contact_a2.id,
        )
        cls.portal_b1 = new_test_user(
            cls.env,
            login="hsp-portal-b1",
            groups="base.group_portal",
            partner_id=cls.contact_b1.id,
        )
        __, cls.pack_a = cls._sell(cls.contact_a1, cls.maxi)
        __, cls.pack_b = cls._sell(cls.contact_b1, cls.light)

    def test_portal_reads_its_company_packs_only(self):
        for user in (self.portal_a1, self.portal_a2):
            packs = self.env["support.pack"].with_user(user)
            self.assertEqual(packs.search([]), self.pack_a)
            self.assertEqual(
                self.env["support.pack.move"].with_user(user).search([]),
                self.pack_a.move_ids,
            )
            self.assertEqual(packs.browse(self.pack_a.id).quantity_remaining, 100.0)

    def test_portal_never_reads_another_customer(self):
        pack_b = self.pack_b.with_user(self.portal_a1)
        with self.assertRaises(AccessError):
            pack_b.read(["quantity_remaining"])
        with self.assertRaises(AccessError):
            self.pack_b.move_ids.with_user(self.portal_a1).read(["quantity"])
        with self.assertRaises(AccessError):
            self.pack_a.with_user(self.portal_b1).read(["name"])

    def test_portal_cannot_write(self):
        with self.assertRaises(AccessError):
            self.pack_a.with_user(self.portal_a1).write({"state": "cancelled"})
        with self.assertRaises(AccessError):
            self.env["support.pack.move"].with_user(self.portal_a1).create(
                self.pack_a._prepare_move_values("adjustment", 100, note="free")
            )

    def test_multi_company_isolation(self):
        company_2 = self.env["res.company"].create({"name": "Other vendor"})
        pack_2 = internal(self.env["support.pack"]).create(
            {
                "partner_id": self.customer_a.id,
                "company_id": company_2.id,
                "product_id": self.maxi.id,
                "unit": "credit",
            }
        )
        self.assertNotIn(
            pack_2, self.env["support.pack"].with_user(self.salesman).search([])
        )
        with self.assertRaises(AccessError):
            pack_2.with_user(self.salesman).read(["name"])
        self.assertNotIn(
            pack_2, self.env["support.pack"].with_user(self.portal_a1).search([])
        )
