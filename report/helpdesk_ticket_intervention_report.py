# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import is_html_empty

from ..lib.formatting import format_duration, format_number
from ..lib.guard import get_flag
from ..models.ticket.helpdesk_ticket_closing import REPORT_LINES_KEY


class HelpdeskTicketInterventionReport(models.AbstractModel):
    """Intervention report of a ticket: its rows, totals, pack balances and SLA
    targets. The portal's ticket page and the report email reuse the builders;
    the report reads lines and packs with ``sudo()``, so the user must be able
    to read the tickets first (the portal renders it sudo after its own check).

    Every value the template prints is built here, from the ids: the tickets
    (``docids``) and the timesheet lines to list (``data["timesheet_ids"]``;
    the email's report, rendered by its mail template that passes no data,
    gives them in the context, ``REPORT_LINES_KEY``; all the ticket's lines
    without either), in the language of each ticket's customer.
    """

    _name = "report.helpdesk_support_pack.report_helpdesk_ticket_intervention"
    _description = "Intervention Report"
    # the name derived from _name is over PostgreSQL's 63 characters (no table
    # is created for an abstract model, the name is checked all the same)
    _table = "report_hsp_ticket_intervention"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["helpdesk.ticket"].browse(docids)
        docs.check_access("read")
        line_ids = (data or {}).get("timesheet_ids")
        if line_ids is None:
            line_ids = get_flag(self.env, REPORT_LINES_KEY)
        values = {}
        for doc in docs:
            report = self.with_context(
                lang=doc.partner_id.lang or doc.commercial_partner_id.lang
            )
            values[doc.id] = report._get_ticket_values(
                doc.with_env(report.env), line_ids
            )
        return {
            "doc_ids": docs.ids,
            "doc_model": "helpdesk.ticket",
            "docs": docs,
            "values_by_ticket": values,
        }

    @api.model
    def _get_intervention_rows(self, lines):
        """One row per timesheet line, formatted in the language of the
        environment, and the quantity the lines consumed per unit."""
        pack_model = self.env["support.pack"]
        rows = []
        consumed = {}
        for line in lines:
            unit = line.support_unit or "credit"
            if line.support_coverage == "included":
                quantity_text = self.env._("Included")
            else:
                quantity_text = pack_model._format_quantity(line.support_quantity, unit)
                consumed[unit] = consumed.get(unit, 0.0) + line.support_quantity
            rows.append(
                {
                    "line": line,
                    "date": line.date,
                    "technician": line.sudo().employee_id.name
                    or line.sudo().user_id.name
                    or "",
                    "description": line.name or "",
                    "logged": format_duration(line._support_get_hours()),
                    "rounded": format_duration(line.support_rounded_hours),
                    "multiplier": "×"
                    + format_number(self.env, line.support_multiplier),
                    "quantity": line.support_quantity,
                    "quantity_text": quantity_text,
                }
            )
        return rows, consumed

    @api.model
    def _get_totals(self, lines, consumed, empty_as_zero=False):
        """Totals of interventions: logged and rounded time, quantity per unit."""
        pack_model = self.env["support.pack"]
        total_consumed = ", ".join(
            pack_model._format_quantity(qty, unit)
            for unit, qty in sorted(consumed.items())
        )
        if not total_consumed and empty_as_zero:
            total_consumed = pack_model._format_quantity(0.0, "credit")
        return {
            "total_logged": format_duration(
                sum(line._support_get_hours() for line in lines)
            ),
            "total_rounded": format_duration(
                sum(lines.mapped("support_rounded_hours"))
            ),
            "total_consumed": total_consumed,
        }

    @api.model
    def _get_sla_rows(self, ticket):
        """SLA targets of the ticket (helpdesk_mgmt_sla) and whether they were met."""
        ticket.ensure_one()
        status = {
            "accomplished": self.env._("Met"),
            "expired": self.env._("Missed"),
            "in_progress": self.env._("Ongoing"),
            "on_hold": self.env._("On hold"),
        }
        rows = []
        for sla in ticket.sudo().ticket_sla_ids:
            state = sla.state
            if state == "in_progress" and sla.expired:
                state = "expired"
            rows.append(
                {
                    "name": sla.name,
                    "deadline": sla.deadline,
                    "met": state == "accomplished",
                    "status": status.get(state, state),
                }
            )
        return rows

    @api.model
    def _get_pack_balances(self, last_move_by_pack):
        """Balance of each pack after the last move the report lists."""
        pack_model = self.env["support.pack"]
        move_model = self.env["support.pack.move"].sudo()
        balances = []
        for pack, (last_date, last_id) in sorted(
            last_move_by_pack.items(), key=lambda item: item[0].id
        ):
            [[balance]] = move_model._read_group(
                [
                    ("pack_id", "=", pack.id),
                    "|",
                    ("date", "<", last_date),
                    "&",
                    ("date", "=", last_date),
                    ("id", "<=", last_id),
                ],
                [],
                ["quantity:sum"],
            )
            balance = balance or 0.0
            balances.append(
                {
                    "pack": pack,
                    "name": pack.name,
                    "product": pack.sudo().product_id.display_name,
                    "date_end": pack.date_end,
                    "balance": round(balance, 2),
                    "balance_text": pack_model._format_quantity(balance, pack.unit),
                }
            )
        return balances

    @api.model
    def _get_readable_moves(self, moves):
        """The ledger moves the reader of the report may read, with their packs
        and balances: its own access rules in its own companies, not the
        ``sudo()`` the portal renders the report with. A contact of the
        ticket's customer reads the customer's moves (and an agent those of
        its tickets' customers); a follower from another customer does not."""
        context = dict(self.env.context)
        context.pop("allowed_company_ids", None)
        reader_env = self.env(context=context, su=False)
        return moves.with_env(reader_env)._filtered_access("read").with_env(moves.env)

    @api.model
    def _get_report_lines(self, ticket, line_ids=None):
        """Timesheet lines the report lists (``line_ids``; all the ticket's
        lines when None), oldest first."""
        lines = ticket.timesheet_ids
        if line_ids is not None:
            lines = lines.filtered(lambda line: line.id in line_ids)
        return lines.sorted(lambda line: (line.date, line.id))

    @api.model
    def _get_rules_values(self, ticket):
        """The customer's rules the report prints (service mode, closing,
        proof), without download links: the report is a read-only route."""
        rules = ticket._get_support_customer_rules_values(links=False)
        rules["proof_names"] = ticket.sudo().support_proof_attachment_ids.mapped("name")
        return rules

    @api.model
    def _get_resolution(self, ticket):
        """What was wrong and what was done (empty: not printed)."""
        resolution = ticket.sudo().support_resolution
        return "" if is_html_empty(resolution) else resolution

    @api.model
    def _get_ticket_values(self, ticket, line_ids=None):
        """Rows, totals, balances, SLA targets and the customer's rules of the
        intervention report of one ticket, formatted in the language of the
        environment. The packs and balances are those the reader may see
        (``_get_readable_moves``)."""
        ticket.ensure_one()
        lines = self._get_report_lines(ticket, line_ids)
        rows, consumed = self._get_intervention_rows(lines)
        live_moves = {
            row["line"]: row["line"]._support_get_live_moves() for row in rows
        }
        readable = self._get_readable_moves(
            self.env["support.pack.move"].sudo().union(*live_moves.values())
        )
        last_move_by_pack = {}
        for row in rows:
            moves = live_moves[row["line"]] & readable
            for move in moves.filtered("pack_id"):
                # the statement's order: date, then id
                last_move_by_pack[move.pack_id] = max(
                    last_move_by_pack.get(move.pack_id, (move.date, move.id)),
                    (move.date, move.id),
                )
            pack_names = moves.pack_id.mapped("name")
            if moves.filtered(lambda m: not m.pack_id):
                pack_names.append(self.env._("Overdraft"))
            row["pack"] = ", ".join(pack_names)
        return {
            "rows": rows,
            **self._get_totals(lines, consumed, empty_as_zero=True),
            "balances": self._get_pack_balances(last_move_by_pack),
            "slas": self._get_sla_rows(ticket),
            "rules": self._get_rules_values(ticket),
            "resolution": self._get_resolution(ticket),
        }
