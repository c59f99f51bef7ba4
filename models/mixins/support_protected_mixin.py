# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import AccessError

from ...lib.guard import is_internal, protected_fields_in


class SupportProtectedMixin(models.AbstractModel):
    """Fields that only the addon's own flows write.

    A view's ``readonly`` protects nothing from an RPC client, an import or
    another addon: ``create`` and ``write`` refuse these fields unless the
    environment carries the addon's private mark (``lib.guard.internal``),
    whoever the user is, superuser included.
    """

    _name = "support.protected.mixin"
    _description = "Fields Written Only by the Support Pack Flows"

    @api.model
    def _support_protected_fields(self):
        """Names of the fields a plain ``create``/``write`` may not set."""
        return []

    @api.model
    def _support_check_protected(self, vals):
        if is_internal(self.env):
            return
        names = protected_fields_in(vals, self._support_protected_fields())
        if not names:
            return
        labels = ", ".join(
            self._fields[name]._description_string(self.env) for name in names
        )
        raise AccessError(self._support_protected_message(labels))

    @api.model
    def _support_protected_message(self, labels):
        """The error shown when ``labels`` (the fields' names, joined) are
        refused: a model whose fields other flows write says which."""
        return self.env._(
            "%(fields)s of %(model)s cannot be set directly: the support "
            "pack flows write them (posting, ledger, approval, escalation).",
            fields=labels,
            model=self.env["ir.model"]._get(self._name).name,
        )
