# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ...lib import allocation, rounding
from ...lib.guard import internal
from ...lib.locking import PackBusy


class AccountAnalyticLinePosting(models.Model):
    """The posting of a timesheet line to the ledger: what it consumes, the
    packs it draws from (or the queue when a pack is busy), the moves, their
    reversal and the re-posting."""

    _inherit = "account.analytic.line"

    # ------------------------------------------------------------------
    # Posting
    # ------------------------------------------------------------------
    def _support_prepare_postings(self):
        """{line: posting} of the lines: each line's posting prepared once per
        operation, then passed along to the checks, the allocation and the
        queue."""
        return {line: line._support_prepare_posting() for line in self}

    def _support_prepare_posting(self):
        """What the line consumes, before allocation: rounded time, multiplier,
        and the ticket's coverage decision (read once)."""
        self.ensure_one()
        # The ticket is read as the user who logs the time (its create/write
        # checked that it may: _support_check_ticket_access); a queued posting
        # runs as superuser, checked when the time was logged.
        ticket = self.ticket_id
        company = (self.company_id or ticket.company_id or self.env.company).sudo()
        hours = self._support_get_hours()
        unit_minutes = company.support_rounding_minutes or 15
        # A negative time is refused by the checks, before anything is posted.
        rounded = rounding.round_up_hours(
            max(hours, 0.0), unit_minutes, company.support_minimum_minutes
        )
        coverage, estimate_required = ticket._support_get_coverage()
        return {
            "partner": ticket.commercial_partner_id,
            "company": company,
            "date": self.date,
            "logged_hours": hours,
            "rounded_hours": rounded,
            "unit_minutes": unit_minutes,
            "multiplier": company._support_get_multiplier(ticket.priority),
            "coverage": coverage,
            "estimate_required": estimate_required,
        }

    def _support_get_unit(self, posting, valid_rows, partner_rows):
        """Unit of the consumption when a customer holds hour and credit packs.

        The unit of the valid pack expiring first wins (only packs of that unit
        are drawn from); with no valid pack, the unit of the customer's active
        pack expiring first, then of its latest pack, then credits.
        """
        rows = valid_rows or partner_rows
        if rows:
            return rows[0]["unit"]
        latest = self.env["helpdesk.ticket"]._support_get_latest_pack(
            posting["partner"], posting["company"]
        )
        return latest.unit or "credit"

    def _support_post_or_queue(self, repost=False):
        """(Re-)post the lines now or, when another transaction is posting on
        one of the customer's packs, queue them (``support.posting.queue``)
        after the same checks. Returns the queued lines (for a first posting,
        the postable ones only).

        The postable lines and their postings are prepared once here and
        passed along."""
        postable = self._support_get_postable()
        postings = postable._support_prepare_postings()
        try:
            if repost:
                self._support_repost(nowait=True, postings=postings)
            else:
                postable._support_post(nowait=True, postings=postings)
        except PackBusy:
            queued = self if repost else postable
            queued._support_queue(postings)
            return queued
        return self.browse()

    def _support_queue(self, postings):
        """Queue the posting of the lines, after the checks the posting makes
        with the packs' dates (read without lock). ``postings``: those of the
        postable lines (:meth:`_support_prepare_postings`)."""
        rows = (
            self.env["support.pack"]
            .sudo()
            ._read_for_consumption({p["partner"].id for p in postings.values()})
        )
        for line, posting in postings.items():
            line._support_check_pack_start(
                posting, line._support_get_partner_rows(posting, rows)
            )
        self.env["support.posting.queue"]._enqueue(
            [{"timesheet_id": line.id} for line in self]
        )

    @api.model
    def _support_get_partner_rows(self, posting, rows):
        """The pack rows of the posting's customer and company."""
        return [
            row
            for row in rows
            if row["partner_id"] == posting["partner"].id
            and row["company_id"] == posting["company"].id
        ]

    def _support_post(self, nowait=False, deferred=False, postings=None):
        """Post the consumption moves of timesheet lines on tickets.

        The customer's active packs are locked first (one statement), then each
        line is allocated expiry first over the packs valid on its date, the rest
        going to an overdraft move on the customer.

        ``nowait``: raise :class:`PackBusy` before writing anything when a pack
        is busy. ``deferred``: a queued posting, whose line was checked when it
        was logged; it is posted as it is, never refused. ``postings``: those
        of the lines, all postable, when the caller prepared them already.
        """
        if postings is None:
            lines = self._support_get_postable()
            postings = lines._support_prepare_postings()
        else:
            lines = self
        if not lines:
            return
        if not deferred:
            lines._support_check_line(postings)
        lines._support_post_moves(postings, nowait=nowait, deferred=deferred)

    def _support_post_moves(self, postings, nowait=False, deferred=False):
        """The allocation and the moves of checked lines (see
        :meth:`_support_post`)."""
        if not postings:
            return
        partners = {posting["partner"] for posting in postings.values()}
        rows = (
            self.env["support.pack"]
            .sudo()
            ._lock_for_consumption([partner.id for partner in partners], nowait=nowait)
        )
        remaining = {row["id"]: row["quantity_remaining"] for row in rows}
        move_vals = []
        for line, posting in postings.items():
            partner_rows = self._support_get_partner_rows(posting, rows)
            if not deferred:
                line._support_check_pack_start(posting, partner_rows)
            valid_rows = [
                row
                for row in partner_rows
                if row["date_start"] <= posting["date"] <= row["date_end"]
                and remaining[row["id"]] > 0
            ]
            unit = line._support_get_unit(posting, valid_rows, partner_rows)
            posting.update(
                unit=unit, quantity=self._support_get_posting_quantity(posting, unit)
            )
            if posting["coverage"] == "included":
                move_vals += line._support_prepare_included_moves(
                    posting, valid_rows or partner_rows
                )
            else:
                move_vals += line._support_prepare_moves(posting, valid_rows, remaining)
            line._support_write_posting(
                {
                    "support_rounded_hours": posting["rounded_hours"],
                    "support_multiplier": posting["multiplier"],
                    "support_coverage": posting["coverage"],
                    "support_unit": unit,
                    "support_quantity": posting["quantity"],
                }
            )
        internal(self.env["support.pack.move"]).create(move_vals)

    @api.model
    def _support_get_posting_quantity(self, posting, unit):
        """What the posting consumes in ``unit``: the rounded time times the
        multiplier, nothing when the contract includes the ticket's category
        (the posting and the preview of a line being typed)."""
        if posting["coverage"] == "included":
            return 0.0
        return rounding.consumed_quantity(
            posting["rounded_hours"],
            unit,
            posting["multiplier"],
            posting["unit_minutes"],
        )

    def _support_check_pack_start(self, posting, partner_rows):
        """Refuse a date before the start of the customer's packs, when no pack
        is valid on that date (a typo, most of the time), instead of posting an
        overdraft."""
        date = posting["date"]
        if any(row["date_start"] <= date <= row["date_end"] for row in partner_rows):
            return
        later = [row for row in partner_rows if row["date_start"] > date]
        if later and not self._support_had_pack_on(posting):
            raise UserError(
                self.env._(
                    "The time logged on %(date)s is before the start of the "
                    "support pack of %(customer)s (valid from %(start)s): correct "
                    "the date of the timesheet line.",
                    date=format_date(self.env, date),
                    customer=posting["partner"].display_name,
                    start=format_date(self.env, later[0]["date_start"]),
                )
            )

    def _support_had_pack_on(self, posting):
        """Whether a (now expired or exhausted) pack of the customer covered the
        date: time logged late on a past period goes to the overdraft."""
        return bool(
            self.env["support.pack"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "=", posting["partner"].id),
                    ("company_id", "=", posting["company"].id),
                    ("state", "not in", ("pending", "cancelled")),
                    ("date_start", "<=", posting["date"]),
                    ("date_end", ">=", posting["date"]),
                ],
                limit=1,
            )
        )

    def _support_prepare_move_common(self, posting):
        self.ensure_one()
        return {
            "date": posting["date"],
            "timesheet_id": self.id,
            "ticket_id": self.ticket_id.id,
            "multiplier": posting["multiplier"],
        }

    def _support_prepare_included_moves(self, posting, rows):
        """Included time is recorded visibly, at 0, on the first pack (if any)."""
        if not rows:
            return []
        pack = self.env["support.pack"].sudo().browse(rows[0]["id"])
        return [
            pack._prepare_move_values(
                "consumption",
                0.0,
                logged_hours=posting["logged_hours"],
                rounded_hours=posting["rounded_hours"],
                note=self.env._("Included in the support contract"),
                **self._support_prepare_move_common(posting),
            )
        ]

    def _support_prepare_moves(self, posting, valid_rows, remaining):
        """Consumption moves, expiry first, then the overdraft; ``remaining`` is
        updated so that the next lines of the batch see what this one took."""
        pack_model = self.env["support.pack"].sudo()
        buckets = allocation.sort_buckets(
            allocation.Bucket(row["id"], remaining[row["id"]], row["date_end"])
            for row in valid_rows
            if row["unit"] == posting["unit"]
        )
        parts, leftover = allocation.allocate(posting["quantity"], buckets)
        if leftover > 0:
            parts.append((False, leftover))
        weights = [part for __, part in parts]
        logged = allocation.split_prorata(posting["logged_hours"], weights)
        rounded = allocation.split_prorata(posting["rounded_hours"], weights)
        common = self._support_prepare_move_common(posting)
        move_vals = []
        for (pack_id, part), logged_part, rounded_part in zip(
            parts, logged, rounded, strict=True
        ):
            figures = dict(common, logged_hours=logged_part, rounded_hours=rounded_part)
            if pack_id:
                remaining[pack_id] -= part
                move_vals.append(
                    pack_model.browse(pack_id)._prepare_move_values(
                        "consumption", -part, **figures
                    )
                )
            else:
                move_vals.append(
                    pack_model._prepare_overdraft_move_values(
                        posting["partner"],
                        posting["company"],
                        posting["unit"],
                        -part,
                        note=self.env._("No support pack left: to invoice"),
                        **figures,
                    )
                )
        return move_vals

    def _support_send_intervention_reports(self):
        """Email the report of new interventions, when the company wants it after
        each intervention (setting ``support_report_send``): queued, sent by
        the scheduled job triggered at once."""
        tickets = self.sudo().ticket_id.filtered(
            lambda t: t.company_id.support_report_send == "intervention"
        )
        if tickets:
            self.env["support.report.queue"]._enqueue(tickets)

    def _support_write_posting(self, values):
        """Store the posting figures on the line, without re-posting it."""
        internal(self).write(values)

    def _support_get_live_moves(self):
        """Posted moves of the lines that were not reversed yet."""
        moves = self.sudo().support_move_ids
        return moves.filtered(lambda m: not m.counterpart_move_id) - (
            moves.counterpart_move_id
        )

    def _support_reverse(self, note, lock=True, nowait=False):
        """Reverse the live moves of the lines. With ``nowait``, a busy pack
        queues the reversal (``support.posting.queue``) instead."""
        live = self._support_get_live_moves()
        if not live:
            return self.env["support.pack.move"]
        if lock:
            # The customer's packs too: time given back after a correction on
            # a closed pack goes to another one.
            try:
                self.env["support.pack"].sudo()._lock_for_consumption(
                    live.partner_id.ids, live.pack_id.ids, nowait=nowait
                )
            except PackBusy:
                self.env["support.posting.queue"]._enqueue(
                    [{"move_ids": [Command.set(live.ids)], "note": note}]
                )
                return self.env["support.pack.move"]
        return live._create_reversals(note)

    def _support_repost(self, nowait=False, deferred=False, postings=None):
        """Reversal of the posted moves, then new moves from the line as it is.

        Every pack row involved is locked in one statement first (id order), so
        that two re-postings never deadlock. ``nowait``, ``deferred`` and
        ``postings`` (those of the postable lines): see :meth:`_support_post`.
        """
        if postings is None:
            postable = self._support_get_postable()
            postings = postable._support_prepare_postings()
        else:
            postable = self.browse().concat(*postings)
        if not deferred:
            postable._support_check_line(postings)
        live = self._support_get_live_moves()
        self.env["support.pack"].sudo()._lock_for_consumption(
            (self.sudo().ticket_id.commercial_partner_id | live.partner_id).ids,
            live.pack_id.ids,
            nowait=nowait,
        )
        self._support_reverse(
            self.env._("Timesheet line changed: reposted"), lock=False
        )
        # A corrected intervention is reported again with its new figures.
        self.filtered("support_reported_date")._support_write_posting(
            {"support_reported_date": False}
        )
        (self - postable).filtered(
            lambda line: not line.support_legacy
        )._support_write_posting(
            {
                "support_rounded_hours": 0.0,
                "support_multiplier": 0.0,
                "support_coverage": False,
                "support_unit": False,
                "support_quantity": 0.0,
            }
        )
        postable._support_post_moves(postings, deferred=deferred)
