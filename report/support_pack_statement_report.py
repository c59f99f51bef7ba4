# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..lib.units import QUANTITY_DIGITS


class SupportPackStatementReport(models.AbstractModel):
    """Pack statement: printed from the pack (whole life of the pack) or from the
    statement wizard (``data``: ``pack_ids``, ``date_from``, ``date_to``).

    Every value the template shows is built here, in the customer's language:
    the statement of each pack (``statements``, by pack id) and the customer's
    open overdraft (``overdrafts``, by pack id). The template calls no method.
    """

    _name = "report.helpdesk_support_pack.report_support_pack_statement"
    _description = "Support Pack Statement Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        pack_ids = data.get("pack_ids") or docids or []
        docs = self.env["support.pack"].browse(pack_ids)
        docs.check_access("read")
        date_from = fields.Date.to_date(data.get("date_from")) or None
        date_to = fields.Date.to_date(data.get("date_to")) or None
        statements, overdrafts = {}, {}
        for pack in docs:
            pack = pack.with_context(lang=pack.partner_id.lang)
            statements[pack.id] = self._get_statement_values(pack, date_from, date_to)
            overdrafts[pack.id] = pack.env["support.pack.move"]._get_overdraft_summary(
                pack.partner_id
            )
        return {
            "doc_ids": docs.ids,
            "doc_model": "support.pack",
            "docs": docs,
            "date_from": date_from,
            "date_to": date_to,
            "statements": statements,
            "overdrafts": overdrafts,
        }

    @api.model
    def _get_statement_values(self, pack, date_from=None, date_to=None):
        """Opening balance, the moves of the period with a running balance, and
        the closing balance of ``pack`` (the whole life without dates), in the
        language of ``pack``'s environment."""
        date_from = fields.Date.to_date(date_from) if date_from else None
        date_to = fields.Date.to_date(date_to) if date_to else None
        moves = pack.env["support.pack.move"].search(
            [("pack_id", "=", pack.id)], order="date, id"
        )
        opening = sum(m.quantity for m in moves if date_from and m.date < date_from)
        rows, closing = pack._get_ledger_rows(
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
            "opening_text": pack._format_quantity(opening, pack.unit),
            "rows": rows,
            "closing": round(closing, QUANTITY_DIGITS),
            "closing_text": pack._format_quantity(closing, pack.unit),
            # at today's pace, in the customer's language (active packs)
            "forecast": pack.forecast_text or "",
        }
