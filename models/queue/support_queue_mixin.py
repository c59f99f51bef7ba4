# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ...lib.guard import internal
from ...lib.locking import PACK_BUSY_ERRORS, PackBusy

_logger = logging.getLogger(__name__)

# Failed tries of an entry before the job leaves it to a manager's retry.
MAX_ATTEMPTS = 5
# A busy pack: the job runs again that long after (the cron runner's precision
# is a minute).
BUSY_DELAY = timedelta(seconds=30)
MANAGER_GROUP = "helpdesk_support_pack.group_support_pack_manager"


class SupportQueueMixin(models.AbstractModel):
    """Deferred work, done by a triggered scheduled job: the posting queue and
    the report queue.

    An entry is *pending* until its job does it (the entry is then removed), or
    *failed*, with the error and the number of failed tries. Each run takes
    the pending entries first, then the failed ones (fewest tries, oldest
    first) that failed fewer than ``MAX_ATTEMPTS`` times, in batches
    (``_notify_progress``: the cron runner starts the next batch at once). Each
    unit of work runs in a savepoint: a failing entry is marked failed and
    never blocks the others. A busy pack is not a failure: the entry stays
    pending and the job is triggered again shortly. Managers see the failed
    entries and retry them (:meth:`action_retry`).

    A model using it sets ``_queue_cron`` and defines ``_queue_do`` (do the
    work of the entries of one unit and remove them); ``_queue_units`` says
    which entries make one unit (one entry by default).
    """

    _name = "support.queue.mixin"
    _description = "Support Pack Work Queue"
    _queue_cron = None  # xml id of the job working the queue off
    _queue_batch = 200  # entries per transaction of the job

    state = fields.Selection(
        [("pending", "Pending"), ("failed", "Failed")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    attempts = fields.Integer(
        readonly=True,
        help="Failed tries. The scheduled job retries a failed entry until it "
        "failed 5 times; a manager's retry starts the count again.",
    )
    last_error = fields.Char(readonly=True)

    # ------------------------------------------------------------------
    # Scheduling
    # ------------------------------------------------------------------
    @api.model
    def _queue_trigger(self, delay=None):
        """Have the queue's job run as soon as possible, or after ``delay``."""
        cron = self.env.ref(self._queue_cron, raise_if_not_found=False)
        if cron:
            at = fields.Datetime.now() + delay if delay else None
            cron.sudo()._trigger(at=at)

    @api.model
    def _queue_get_batch(self):
        """Pending entries first (oldest first), then failed ones that may be
        tried again (fewest tries, oldest first)."""
        return internal(self).search(
            ["|", ("state", "=", "pending"), ("attempts", "<", MAX_ATTEMPTS)],
            order="state desc, attempts, id",
            limit=self._queue_batch,
        )

    def _queue_units(self):
        """The entries done together (each in one savepoint)."""
        return [entry for entry in self]

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

    # ------------------------------------------------------------------
    # Processing
    # ------------------------------------------------------------------
    @api.model
    def _queue_run(self):
        """One batch of the job: each unit in a savepoint. Returns the number
        of units done."""
        batch = self._queue_get_batch()
        done = failed = busy = 0
        for unit in batch._lock_entries()._queue_units():
            try:
                with self.env.cr.savepoint():
                    unit._queue_do()
                done += 1
            except (PackBusy, *PACK_BUSY_ERRORS):
                busy += 1  # not a failure: tried again shortly
            except Exception as error:  # noqa: BLE001 - kept, retried later
                _logger.exception(
                    "support packs: %s entries %s failed; retried by the next run",
                    self._name,
                    unit.ids,
                )
                unit._queue_fail(error)
                failed += 1
        # The entries of this batch that failed or met a busy pack wait for a
        # later run: only the pending ones not looked at yet are left.
        remaining = internal(self).search_count(
            [("state", "=", "pending"), ("id", "not in", batch.ids)]
        )
        self.env["ir.cron"]._notify_progress(done=done + failed, remaining=remaining)
        if busy:
            self._queue_trigger(BUSY_DELAY)
        return done

    def _queue_fail(self, error):
        """Mark the entries failed, with the error (one more failed try)."""
        internal(self).write(
            {
                "state": "failed",
                "attempts": max(self.mapped("attempts"), default=0) + 1,
                "last_error": str(error)[:250],
            }
        )

    def action_retry(self):
        """Retry failed entries (managers): their count of tries starts again
        and the job runs at once."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only a support pack manager can retry deferred work.")
            )
        internal(self).write({"state": "pending", "attempts": 0, "last_error": False})
        self._queue_trigger()
        return True
