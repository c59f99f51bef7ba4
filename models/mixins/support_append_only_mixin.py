# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.exceptions import UserError


class SupportAppendOnlyMixin(models.AbstractModel):
    """Records never changed nor deleted once written, whoever asks
    (administrator and RPC included): a ledger, a delivery history. A
    correction is a new record, so what was printed or sent stays true."""

    _name = "support.append.only.mixin"
    _description = "Append-only Support Records"

    def _support_append_only_message(self, operation):
        """The error shown when ``operation`` (``write``/``unlink``) is refused."""
        raise NotImplementedError()

    def _support_append_only_write_allowed(self, vals):
        """Whether the addon's own flow may still write ``vals`` on recorded
        rows (e.g. the settlement of an overdraft move): never by default."""
        return False

    def write(self, vals):
        if self._support_append_only_write_allowed(vals):
            return super().write(vals)
        self.check_access("write")
        if self:
            raise UserError(self._support_append_only_message("write"))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self._support_append_only_message("unlink"))
