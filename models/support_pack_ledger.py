# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models

from ..lib.formatting import format_duration, format_number
from .support_pack import QUANTITY_DIGITS


class SupportPack(models.Model):
    """The ledger as the customer reads it: the statement (PDF) and the
    portal pages, each move with the balance after it."""

    _inherit = "support.pack"

    def action_print_statement(self):
        """Statement wizard: the ledger of the pack over a period."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_support_pack.support_pack_statement_action"
        )
        action["context"] = {
            "default_partner_id": self[:1].partner_id.id,
            "default_pack_ids": self.ids,
        }
        return action

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Statement - %s", self.name)

    def _get_ledger_rows(self, moves, balance=0.0):
        """The rows of ``moves`` (this pack's, oldest first), each with
        the balance after it, starting from ``balance``: the rows of the
        statement and of the portal's ledger. Returns (rows, closing balance).
        Reads nothing but the moves."""
        self.ensure_one()
        labels = dict(
            self.env["support.pack.move"]
            ._fields["move_type"]
            ._description_selection(self.env)
        )
        rows = []
        for move in moves:
            balance += move.quantity
            rows.append(
                {
                    "move": move,
                    "date": move.date,
                    "type": labels.get(move.move_type, move.move_type),
                    "ticket": move.ticket_id,
                    "logged": format_duration(move.logged_hours)
                    if move.logged_hours
                    else "",
                    "rounded": format_duration(move.rounded_hours)
                    if move.rounded_hours
                    else "",
                    "multiplier": "×" + format_number(self.env, move.multiplier)
                    if move.multiplier
                    else "",
                    "quantity": round(move.quantity, QUANTITY_DIGITS),
                    "quantity_text": self._format_quantity(move.quantity, self.unit),
                    "balance": round(balance, QUANTITY_DIGITS),
                    "balance_text": self._format_quantity(balance, self.unit),
                }
            )
        return rows, balance

    def _get_statement_values(self, date_from=None, date_to=None):
        """Opening balance, the moves of the period with a running balance, and
        the closing balance of the pack (the whole life without dates)."""
        self.ensure_one()
        date_from = fields.Date.to_date(date_from) if date_from else None
        date_to = fields.Date.to_date(date_to) if date_to else None
        moves = self.env["support.pack.move"].search(
            [("pack_id", "=", self.id)], order="date, id"
        )
        opening = sum(m.quantity for m in moves if date_from and m.date < date_from)
        rows, closing = self._get_ledger_rows(
            [
                move
                for move in moves
                if not (date_from and move.date < date_from)
                and not (date_to and move.date > date_to)
            ],
            opening,
        )
        for row in rows:
            move = row["move"]
            row["ticket_name"] = move.ticket_id.sudo().display_name or ""
            row["description"] = (
                move.note
                or (move.timesheet_id.sudo().name if move.timesheet_id else "")
                or ""
            )
        return {
            "date_from": date_from,
            "date_to": date_to,
            "opening": round(opening, QUANTITY_DIGITS),
            "opening_text": self._format_quantity(opening, self.unit),
            "rows": rows,
            "closing": round(closing, QUANTITY_DIGITS),
            "closing_text": self._format_quantity(closing, self.unit),
        }

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------
    @api.model
    def _get_portal_balance_summary(self, partner):
        """Remaining balance of the live packs of a customer, per unit:
        '12 credits, 3.5 h' (empty when the customer has no live pack)."""
        groups = self._read_group(
            [
                ("partner_id", "=", partner.id),
                ("state", "in", ("active", "exhausted")),
            ],
            ["unit"],
            ["quantity_remaining:sum"],
        )
        return ", ".join(
            self._format_quantity(remaining, unit) for unit, remaining in sorted(groups)
        )

    def _is_portal_expiring_soon(self):
        self.ensure_one()
        days = self.company_id.support_expiry_reminder_days or 30
        return (
            self.state == "active"
            and bool(self.date_end)
            and self.date_end <= fields.Date.context_today(self) + timedelta(days=days)
        )

    def _get_portal_ledger_rows(self, offset=0, limit=None):
        """One page of the ledger, newest first, each move with the balance
        after it: the moves of the page and one sum of the older moves."""
        self.ensure_one()
        move_model = self.env["support.pack.move"]
        moves = move_model.search(
            [("pack_id", "=", self.id)],
            order="date desc, id desc",
            offset=offset,
            limit=limit,
        )
        if not moves:
            return []
        oldest = moves[-1]
        [[older]] = move_model._read_group(
            [
                ("pack_id", "=", self.id),
                "|",
                ("date", "<", oldest.date),
                "&",
                ("date", "=", oldest.date),
                ("id", "<", oldest.id),
            ],
            [],
            ["quantity:sum"],
        )
        rows, __ = self._get_ledger_rows(reversed(moves), older or 0.0)
        rows.reverse()
        return rows
