# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL

from ...lib.locking import PACK_BUSY_ERRORS, PackBusy


class SupportPack(models.Model):
    """The packs a posting consumes, read or locked in one stable order."""

    _inherit = "support.pack"

    @api.model
    def _get_consumption_query(self, partner_ids, pack_ids):
        """The active packs of ``partner_ids`` and the packs ``pack_ids``."""
        return SQL(
            """
            SELECT id, partner_id, company_id, unit, state, date_start,
                   date_end, quantity_remaining
              FROM support_pack
             WHERE (
                       partner_id = ANY(%s)
                       AND state = 'active'
                       AND date_start IS NOT NULL
                       AND date_end IS NOT NULL
                   )
                OR id = ANY(%s)
          ORDER BY id
            """,
            list(partner_ids),
            list(pack_ids),
        )

    @api.model
    def _sorted_consumption_rows(self, rows):
        return sorted(
            rows, key=lambda r: (r["date_end"] is None, r["date_end"], r["id"])
        )

    @api.model
    def _flush_consumption_fields(self):
        self.flush_model(
            [
                "partner_id",
                "company_id",
                "unit",
                "state",
                "date_start",
                "date_end",
                "quantity_remaining",
            ]
        )

    @api.model
    def _read_for_consumption(self, partner_ids, pack_ids=()):
        """The rows :meth:`_lock_for_consumption` locks, read without locking
        (this transaction's snapshot): for checks that need no balance."""
        self._flush_consumption_fields()
        self.env.cr.execute(self._get_consumption_query(partner_ids, pack_ids))
        return self._sorted_consumption_rows(self.env.cr.dictfetchall())

    @api.model
    def _lock_for_consumption(self, partner_ids, pack_ids=(), nowait=False):
        """Lock the rows of the active packs of ``partner_ids`` and of ``pack_ids``.

        ``SELECT ... FOR UPDATE`` in a stable order (id): two transactions posting
        on one pack queue behind each other, and the second one sees the first
        one's moves (or gets a serialization failure and is retried) instead of
        losing an update. Returns the locked rows as dicts, read under the lock,
        expiry first (date_end, id).

        With ``nowait``, raise :class:`PackBusy` at once, with the transaction
        still usable, when a row is locked by another transaction or was
        updated by one that committed after this transaction's snapshot (under
        Odoo's REPEATABLE READ, waiting for the lock would end in a
        serialization failure anyway): the caller queues its posting
        (``support.posting.queue``) instead of failing the user's call.
        """
        self._flush_consumption_fields()
        query = SQL("%s FOR UPDATE", self._get_consumption_query(partner_ids, pack_ids))
        if not nowait:
            self.env.cr.execute(query)
            return self._sorted_consumption_rows(self.env.cr.dictfetchall())
        # The savepoint and the lock travel in one statement (one round trip);
        # the savepoint is released with the transaction.
        try:
            self.env.cr.execute(
                SQL("SAVEPOINT support_pack_lock; %s NOWAIT", query),
                log_exceptions=False,
            )
        except PACK_BUSY_ERRORS as error:
            self.env.cr.execute(SQL("ROLLBACK TO SAVEPOINT support_pack_lock"))
            raise PackBusy(str(error)) from error
        return self._sorted_consumption_rows(self.env.cr.dictfetchall())
