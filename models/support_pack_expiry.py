# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL, float_compare

from ..lib.guard import internal
from .support_pack import QUANTITY_DIGITS

# Packs handled per transaction by the scheduled jobs: the cron framework
# commits after each batch (``ir.cron._notify_progress``) and calls the job
# again while some are left.
CRON_BATCH = 200


class SupportPack(models.Model):
    """Expiry and expiry reminder, in batches: each batch reads what it needs
    (carry-over targets, notified contacts) for all its packs at once."""

    _inherit = "support.pack"

    # ------------------------------------------------------------------
    # Batch reads
    # ------------------------------------------------------------------
    def _get_carry_over_targets(self):
        """{pack: target} for the packs of ``self`` that carry their balance
        over: the newest active pack of the same customer, company and unit,
        bought before the pack's expiry and still valid after it. One query
        for the whole recordset."""
        packs = self.filtered(lambda p: p.carry_over == "renewal" and p.date_end)
        if not packs:
            return {}
        candidates = self.search(
            [
                ("partner_id", "in", packs.partner_id.ids),
                ("company_id", "in", packs.company_id.ids),
                ("unit", "in", list(set(packs.mapped("unit")))),
                ("state", "in", ("active", "exhausted")),
                ("date_start", "<=", max(packs.mapped("date_end"))),
                ("date_end", ">", min(packs.mapped("date_end"))),
            ],
            order="date_start desc, id desc",
        )
        by_key = {}
        for candidate in candidates:
            key = (candidate.partner_id, candidate.company_id, candidate.unit)
            by_key.setdefault(key, []).append(candidate)
        targets = {}
        for pack in packs:
            for candidate in by_key.get(
                (pack.partner_id, pack.company_id, pack.unit), []
            ):
                if (
                    candidate != pack
                    and candidate.date_start <= pack.date_end < candidate.date_end
                ):
                    targets[pack] = candidate
                    break
        return targets

    def _get_carry_over_target(self):
        """Newest active pack of the same customer and unit, bought before this
        pack's expiry and still valid after it."""
        self.ensure_one()
        return self._get_carry_over_targets().get(self, self.browse())

    # ------------------------------------------------------------------
    # Expiry
    # ------------------------------------------------------------------
    def _expire(self):
        """Post the expiry or carry-over moves of packs past their end date,
        in a constant number of queries: the moves in two batch creations, the
        chatter notes in one, the states in one write. Packs are handled in
        the order of their end date, so that a balance carried over to a pack
        that expires in the same run goes on with it."""
        packs = self.filtered(lambda p: p.state in ("active", "exhausted")).sorted(
            lambda p: (p.date_end or fields.Date.today(), p.id)
        )
        if not packs:
            return True
        targets = packs._get_carry_over_targets()
        remaining = {pack: pack.quantity_remaining for pack in packs}
        out_values, in_values, notes = [], [], {}
        for pack in packs:
            quantity = remaining[pack]
            if float_compare(quantity, 0.0, precision_digits=QUANTITY_DIGITS) <= 0:
                continue
            target = targets.get(pack)
            if target:
                out_values.append(
                    pack._prepare_move_values(
                        "carry_over_out",
                        -quantity,
                        date=pack.date_end,
                        note=self.env._("Carried over to %s", target.name),
                    )
                )
                in_values.append(
                    target._prepare_move_values(
                        "carry_over_in",
                        quantity,
                        date=pack.date_end,
                        note=self.env._("Carried over from %s", pack.name),
                    )
                )
                if target in remaining:
                    remaining[target] += quantity
                notes[pack.id] = self.env._(
                    "%(qty)s left on this pack carried over to %(pack)s.",
                    qty=self._format_quantity(quantity, pack.unit),
                    pack=target.name,
                )
            else:
                out_values.append(
                    pack._prepare_move_values(
                        "expiry",
                        -quantity,
                        date=pack.date_end,
                        note=self.env._("Expired unused balance"),
                    )
                )
        move_model = internal(self.env["support.pack.move"])
        out_moves = move_model.create(out_values)
        carried_out = out_moves.filtered(lambda m: m.move_type == "carry_over_out")
        for values, out_move in zip(in_values, carried_out, strict=True):
            values["counterpart_move_id"] = out_move.id
        move_model.create(in_values)
        if notes:
            packs.browse(notes)._message_log_batch(bodies=notes)
        internal(packs).write({"state": "expired"})
        return True

    @api.model
    def _get_expiry_domain(self, today):
        return [("state", "in", ("active", "exhausted")), ("date_end", "<", today)]

    @api.model
    def _cron_expire_packs(self):
        """Expire the packs past their end date, one batch per transaction."""
        domain = self._get_expiry_domain(fields.Date.context_today(self))
        packs = self.search(domain, order="date_end, id", limit=CRON_BATCH)
        packs._expire()
        self._support_cron_progress(
            "helpdesk_support_pack.ir_cron_support_pack_expire", packs, domain
        )
        return True

    # ------------------------------------------------------------------
    # Expiry reminder
    # ------------------------------------------------------------------
    @api.model
    def _get_expiry_reminder_domain(self, today):
        """Packs ending within the reminder period of their company, not
        reminded yet (no reminder when the period is 0)."""
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("support_expiry_reminder_days", ">", 0)])
        )
        return expression.AND(
            [
                [
                    ("state", "in", ("active", "exhausted")),
                    ("expiry_notified", "=", False),
                    ("date_end", ">=", today),
                ],
                expression.OR(
                    [
                        [
                            ("company_id", "=", company.id),
                            (
                                "date_end",
                                "<=",
                                today
                                + timedelta(days=company.support_expiry_reminder_days),
                            ),
                        ]
                        for company in companies
                    ]
                    or [expression.FALSE_DOMAIN]
                ),
            ]
        )

    @api.model
    def _get_renewed_packs_query(self):
        """SQL subquery: the live packs whose balance will be carried over to
        a newer pack (the same rule as ``_get_carry_over_targets``)."""
        return SQL(
            """(
            SELECT old.id
              FROM support_pack old
              JOIN support_pack new
                ON new.partner_id = old.partner_id
               AND new.company_id = old.company_id
               AND new.unit = old.unit
               AND new.id != old.id
               AND new.state IN %(live)s
               AND new.date_start <= old.date_end
               AND new.date_end > old.date_end
             WHERE old.carry_over = 'renewal'
               AND old.state IN %(live)s
            )""",
            live=("active", "exhausted"),
        )

    @api.model
    def _cron_notify_expiring_packs(self):
        """Remind the customer and the salesperson N days before a pack ends,
        one batch per transaction. A pack already renewed (its balance will
        move onto the newer pack) is not reminded."""
        domain = expression.AND(
            [
                self._get_expiry_reminder_domain(fields.Date.context_today(self)),
                [("id", "not in", self._get_renewed_packs_query())],
            ]
        )
        packs = self.search(domain, order="date_end, id", limit=CRON_BATCH)
        packs._support_notify_expiry()
        self._support_cron_progress(
            "helpdesk_support_pack.ir_cron_support_pack_expiry_reminder",
            packs,
            domain,
        )
        return True

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @api.model
    def _support_cron_progress(self, cron_xmlid, batch, domain):
        """Report a batch to the cron framework (it commits after it) and
        have the job run again at once while packs are left: by the framework
        when it runs the job, by the trigger when the job is run by hand."""
        # The batch's writes go in one statement per table: counting what is
        # left would otherwise flush the fields of its domain apart.
        batch.flush_model()
        left = self.search_count(domain) if len(batch) >= CRON_BATCH else 0
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=left)
        if left:
            self.env.ref(cron_xmlid)._trigger()
