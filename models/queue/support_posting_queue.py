# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from odoo import SUPERUSER_ID, api, fields, models

from ...lib.guard import internal, public
from ...lib.locking import PACK_BUSY_ERRORS, PackBusy
from .support_queue_mixin import BUSY_DELAY

_logger = logging.getLogger(__name__)

POSTCOMMIT_KEY = "helpdesk_support_pack.posting_queue"


class SupportPostingQueue(models.Model):
    """Postings that met a pack another transaction was posting on.

    Odoo runs each request in a REPEATABLE READ transaction. A request that
    locks a pack's row after another request updated that pack and committed
    (since the first one's snapshot) gets a serialization failure, and Odoo
    replays the whole request five times at most: with many agents on one
    customer's pack, some calls would still fail. Instead, the posting of such
    a timesheet line (or the reversal of a deleted line's moves) is queued
    here, in the transaction of the timesheet change, after the same checks as
    an immediate posting (bad input is refused at once, never queued). It is
    tried once right after the commit, in a transaction of its own; when the
    pack is still busy (or the posting fails), the scheduled job triggered
    then does it (``support.queue.mixin``: states, tries, retry).

    Technical: written by the addon's code only, read by administrators.
    """

    _name = "support.posting.queue"
    _inherit = ["support.queue.mixin"]
    _description = "Support Pack Posting Queue"
    _order = "id"
    _queue_cron = "helpdesk_support_pack.ir_cron_support_posting_queue"

    timesheet_id = fields.Many2one(
        "account.analytic.line",
        string="Timesheet Line",
        index=True,
        readonly=True,
        ondelete="cascade",
        help="Line to (re)post: its live moves are reversed, then it is posted "
        "as it is.",
    )
    move_ids = fields.Many2many(
        "support.pack.move",
        string="Moves to Reverse",
        readonly=True,
        help="Moves of a deleted timesheet line, reversed if not already.",
    )
    note = fields.Char(readonly=True)

    # ------------------------------------------------------------------
    # Queueing
    # ------------------------------------------------------------------
    @api.model
    def _enqueue(self, vals_list):
        """Queue postings; they are processed right after the commit."""
        entries = internal(self).create(vals_list)
        _logger.info(
            "support packs busy: %d posting(s) queued (ids %s)",
            len(entries),
            entries.ids,
        )
        entries._schedule_after_commit()
        return entries

    def _schedule_after_commit(self):
        cr = self.env.cr
        queued = cr.postcommit.data.setdefault(POSTCOMMIT_KEY, [])
        if not queued:
            registry = self.env.registry
            cr.postcommit.add(lambda: self._process_after_commit(registry, queued))
        queued.extend(self.ids)

    @api.model
    def _process_after_commit(self, registry, ids):
        """Try the entries ``ids`` once, in a transaction of their own, right
        after the commit of the request that queued them. Never raises nor
        waits (the request has already succeeded): a pack still busy, or an
        error, leaves them to the scheduled job, triggered shortly after."""
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env[self._name].browse(ids)._process()
            return
        except (PackBusy, *PACK_BUSY_ERRORS):
            _logger.info(
                "support packs busy: postings %s left to the scheduled job", ids
            )
        except Exception:
            _logger.exception("support packs: queued postings %s failed", ids)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env[self._name]._queue_trigger(BUSY_DELAY)

    @api.model
    def _support_get_pending_partner_ids(self, partners):
        """The ids of the customers among ``partners`` with a posting still
        queued: their balances and their tickets' figures are about to change.

        A queued line posts on its ticket's customer and reverses its own
        moves (whatever customer they were on); a deleted line's entry
        reverses its moves. One query when nothing of theirs is queued (the
        usual case), a few more otherwise, whatever the number of partners.
        The queue is read without rules: the caller read ``partners``.
        """
        if not partners:
            return set()
        queue = self.sudo().with_context(active_test=False)
        entries = queue.search(
            [
                "|",
                "|",
                ("timesheet_id.ticket_id.commercial_partner_id", "in", partners.ids),
                ("timesheet_id.support_move_ids.partner_id", "in", partners.ids),
                ("move_ids.partner_id", "in", partners.ids),
            ]
        )
        if not entries:
            return set()
        lines = entries.timesheet_id
        pending = (
            lines.ticket_id.commercial_partner_id
            | lines.support_move_ids.partner_id
            | entries.move_ids.partner_id
        )
        return set(pending.ids) & set(partners.ids)

    # ------------------------------------------------------------------
    # Processing
    # ------------------------------------------------------------------
    def _process(self):
        """Do the queued postings in the current transaction: raises PackBusy
        (or a serialization failure) when a pack is still busy, the caller
        rolls back and tries again. Returns the entries done.

        Logs how long the entries waited (from the start of the call that
        queued them to their processing, just before its commit): the
        entries are deleted once done, the log line is their only trace."""
        entries = self.sudo()._lock_entries().exists()
        queued_since = min(entries.mapped("create_date"), default=None)
        for user, user_entries in entries.grouped("create_uid").items():
            # The moves are recorded as the agent who logged the time.
            as_user = internal(user_entries.with_user(user.id or SUPERUSER_ID))
            for entry in as_user.filtered("move_ids"):
                entry._process_reversal()
            lines = as_user.timesheet_id
            if lines:
                lines._support_repost(nowait=True, deferred=True)
                public(lines)._support_send_intervention_reports()
        internal(entries).unlink()
        if queued_since:
            _logger.info(
                "support packs: %d queued posting(s) done, longest wait %.3f s",
                len(entries),
                (fields.Datetime.now() - queued_since).total_seconds(),
            )
        return entries

    def _process_reversal(self):
        """Reverse the moves of a deleted line that are still live."""
        self.ensure_one()
        moves = internal(self.move_ids)
        reversed_moves = (
            moves.search([("counterpart_move_id", "in", moves.ids)])
        ).counterpart_move_id
        live = moves - reversed_moves
        if not live:
            return
        self.env["support.pack"].sudo()._lock_for_consumption(
            live.partner_id.ids, live.pack_id.ids, nowait=True
        )
        live._create_reversals(self.note)

    def _queue_do(self):
        self._process()

    @api.model
    def _cron_process_queue(self):
        """The scheduled job: the postings the after-commit try left."""
        return self._queue_run()
