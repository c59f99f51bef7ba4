# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The records the addon ships read in French for a French reader."""

from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import PoFileReader

MODULE = "helpdesk_support_pack"
I18N = Path(__file__).resolve().parent.parent / "i18n"


@tagged("post_install", "-at_install")
class TestSupportShippedRecordsFrench(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms([MODULE], ["fr_FR"])
        cls.fr = cls.env(context=dict(cls.env.context, lang="fr_FR"))

    def _shipped(self, model):
        ids = (
            self.env["ir.model.data"]
            .search([("module", "=", MODULE), ("model", "=", model)])
            .mapped("res_id")
        )
        self.assertTrue(ids, f"{MODULE} ships {model} records")
        return self.fr[model].browse(ids)

    def test_activity_types_and_templates_in_french(self):
        renew = self.fr.ref(f"{MODULE}.mail_activity_type_support_pack_renew")
        self.assertEqual(renew.name, "Renouveler le pack de support")
        for activity_type in self._shipped("mail.activity.type"):
            english = activity_type.with_context(lang="en_US").name
            self.assertNotEqual(activity_type.name, english, english)
        for template in self._shipped("mail.template"):
            english = template.with_context(lang="en_US")
            self.assertNotEqual(template.name, english.name, english.name)
            if template.subject:
                self.assertNotEqual(template.subject, english.subject)

    def test_every_shipped_record_term_is_translated(self):
        """Every term of a record the addon ships (data and demo: activity
        types, templates, menus, actions, products, categories...) has its
        French and Spanish translation in the catalogues."""
        for lang in ("fr", "es"):
            with open(I18N / f"{lang}.po", "rb") as po:
                missing = [
                    entry["src"]
                    for entry in PoFileReader(po)
                    if entry["type"] == "model"
                    and entry["src"].strip()
                    and not entry["value"]
                ]
            self.assertEqual(missing, [], f"{lang}.po: record terms untranslated")
