# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The records the addon ships read in French for a French reader."""

from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import PoFileReader

MODULE = "helpdesk_support_pack"
# Names that read the same in the language (left empty in its catalogue)
IDENTICAL = {"fr": {"SaaS", "Packs"}, "es": {"SaaS"}}
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
        types, templates, menus, actions, products, categories, teams,
        service modes) has its French and Spanish translation in the
        catalogues. Labels of fields and views are left out: OCA's checks
        empty a translation equal to its source ("Date", "Ticket")."""
        labels = ("ir.model", "ir.model.fields", "ir.model.fields.selection")
        for lang in ("fr", "es"):
            with open(I18N / f"{lang}.po", "rb") as po:
                entries = [
                    entry
                    for entry in PoFileReader(po)
                    if entry["type"] in ("model", "model_terms")
                    and entry["imd_model"] not in labels + ("ir.ui.view",)
                ]
            self.assertGreater(len(entries), 40)
            missing = [
                entry["src"]
                for entry in entries
                if not entry["value"] and entry["src"] not in IDENTICAL[lang]
            ]
            self.assertEqual(missing, [], f"{lang}.po: record terms untranslated")
