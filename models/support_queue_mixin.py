# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools import SQL


class SupportQueueMixin(models.AbstractModel):
    """A queue whose entries scheduled jobs (or the after-commit hook) work
    off in transactions that may run side by side: the posting queue and the
    report queue."""

    _name = "support.queue.mixin"
    _description = "Support Pack Work Queue"

    def _lock_entries(self):
        """The entries of ``self`` no other transaction is processing (and
        not processed yet), locked until the end of the transaction."""
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM %s
                 WHERE id = ANY(%s)
              ORDER BY id
                   FOR UPDATE SKIP LOCKED
                """,
                SQL.identifier(self._table),
                self.ids,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])
