# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from ...lib.forecast import forecast, window_start
from ...lib.units import QUANTITY_DIGITS


class SupportPack(models.Model):
    """The pack's future: the pace of its consumption over the last 8 weeks,
    the date its balance runs out at that pace or what is left when it
    expires (per pack, and for the customer as a whole per unit), and the
    consumption chart (consumed against granted, the forecast dashed).

    The figures of many packs come from one grouped query on the ledger; the
    chart of a pack from one query grouped per week."""

    _inherit = "support.pack"

    forecast_state = fields.Selection(
        [
            ("history", "Not enough history"),
            ("runs_out", "Runs out"),
            ("expires", "Left at expiry"),
        ],
        compute="_compute_forecast",
    )
    forecast_pace = fields.Float(
        string="Pace (per week)",
        compute="_compute_forecast",
        digits=(16, QUANTITY_DIGITS),
        help="Consumption of the last 8 weeks divided by 8 (or by the weeks "
        "since the first consumption, when it is more recent).",
    )
    forecast_date = fields.Date(
        compute="_compute_forecast",
        help="At this pace, the day the balance runs out, or the day the pack "
        "expires when something is still left then.",
    )
    forecast_left_at_expiry = fields.Float(
        string="Left at Expiry (forecast)",
        compute="_compute_forecast",
        digits=(16, QUANTITY_DIGITS),
        help="At this pace, what is left when the pack expires (whole units).",
    )
    forecast_text = fields.Char(string="Forecast", compute="_compute_forecast")
    forecast_chart_data = fields.Json(
        string="Consumption Chart", compute="_compute_forecast_chart_data"
    )

    @api.depends("state", "unit", "date_end", "quantity_remaining", "move_ids.quantity")
    @api.depends_context("lang", "tz", "uid")
    def _compute_forecast(self):
        today = fields.Date.context_today(self)
        live = self.filtered(lambda p: p.state == "active" and p._origin.id)
        history = self._support_get_consumption_history(
            SQL("pack_id = ANY(%s)", live._origin.ids), "pack_id", today
        )
        for pack in self:
            if pack not in live:
                pack.forecast_state = False
                pack.forecast_pace = 0.0
                pack.forecast_date = False
                pack.forecast_left_at_expiry = 0.0
                pack.forecast_text = False
                continue
            first_date, consumed = history.get(pack._origin.id, (None, 0.0))
            state, pace, date, left = forecast(
                pack.quantity_remaining, consumed, first_date, today, pack.date_end
            )
            pack.forecast_state = state
            pack.forecast_pace = pace
            pack.forecast_date = date
            pack.forecast_left_at_expiry = left
            pack.forecast_text = self._support_get_forecast_text(
                state, date, left, pack.unit
            )

    @api.depends("forecast_text", "move_ids.quantity")
    @api.depends_context("lang", "tz", "uid")
    def _compute_forecast_chart_data(self):
        for pack in self:
            pack.forecast_chart_data = (
                pack._support_get_chart_data() if pack._origin.id else False
            )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _support_get_consumption_history(self, where, key, today):
        """{key: (first consumption date, consumption of the pace's window)}
        of the consumption moves matching ``where`` (an SQL condition on
        ``support_pack_move``), grouped by the column ``key``: one query.
        Consumption moves only (purchases, carry-overs, expiries, adjustments
        and overdrafts are not the pace); included work (nothing consumed)
        does not start the history."""
        move_model = self.env["support.pack.move"]
        move_model.flush_model(["pack_id", "partner_id", "unit", "move_type"])
        move_model.flush_model(["date", "quantity", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT %(key)s,
                       MIN(date),
                       -COALESCE(SUM(quantity) FILTER (WHERE date >= %(start)s), 0)
                  FROM support_pack_move
                 WHERE %(where)s
                   AND move_type = 'consumption'
                   AND quantity != 0
                   AND date <= %(today)s
              GROUP BY %(key)s
                """,
                key=SQL.identifier(key),
                start=window_start(today),
                where=where,
                today=today,
            )
        )
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    @api.model
    def _support_get_forecast_text(self, state, date, left, unit, whole=False):
        """The forecast as its reader reads it (language of the environment):
        ``whole`` for the customer's balance of a unit, else a pack's."""
        if state == "runs_out":
            return self.env._(
                "At this pace your balance runs out around %(date)s.",
                date=format_date(self.env, date),
            )
        if state == "expires" and whole:
            return self.env._(
                "At this pace about %(quantity)s will be left when your last "
                "pack expires on %(date)s.",
                quantity=self._format_quantity(left, unit),
                date=format_date(self.env, date),
            )
        if state == "expires":
            return self.env._(
                "At this pace about %(quantity)s will be left when the pack "
                "expires on %(date)s.",
                quantity=self._format_quantity(left, unit),
                date=format_date(self.env, date),
            )
        return self.env._("Not enough history yet for a forecast.")

    @api.model
    def _support_get_forecast_short_text(self, state, date, left, unit):
        """The forecast in a few words (the customer's smart button)."""
        if state == "runs_out":
            return self.env._(
                "Runs out around %(date)s", date=format_date(self.env, date)
            )
        if state == "expires":
            return self.env._(
                "About %(quantity)s left on %(date)s",
                quantity=self._format_quantity(left, unit),
                date=format_date(self.env, date),
            )
        return self.env._("Not enough history yet")

    @api.model
    def _support_get_customer_forecasts(self, partner):
        """The forecast of the customer ``partner`` (commercial partner) as a
        whole, per unit of its active packs: their balances summed, the
        customer's consumption in that unit (any pack) as the pace, and the
        last expiry of those packs as the end (a renewal carries the older
        pack's balance over to the newer one). A list of dicts (unit, state,
        pace, date, left, text), by unit."""
        today = fields.Date.context_today(self)
        groups = (
            self._read_group(
                [("partner_id", "=", partner.id), ("state", "=", "active")],
                ["unit"],
                ["quantity_remaining:sum", "date_end:max"],
            )
            if partner
            else []
        )
        if not groups:
            return []
        # the packs' companies: those of the environment (multi-company rule)
        history = self._support_get_consumption_history(
            SQL(
                "partner_id = %s AND company_id = ANY(%s)",
                partner.id,
                self.env.companies.ids,
            ),
            "unit",
            today,
        )
        result = []
        for unit, remaining, date_end in sorted(groups):
            first_date, consumed = history.get(unit, (None, 0.0))
            state, pace, date, left = forecast(
                remaining, consumed, first_date, today, date_end
            )
            result.append(
                {
                    "unit": unit,
                    "state": state,
                    "pace": pace,
                    "date": date,
                    "left": left,
                    "text": self._support_get_forecast_text(
                        state, date, left, unit, whole=True
                    ),
                    "short": self._support_get_forecast_short_text(
                        state, date, left, unit
                    ),
                }
            )
        return result

    def _support_get_chart_data(self):
        """The consumption chart of the pack: per week, the consumed and the
        granted quantities so far (cumulated), and the forecast from this
        week to the day the balance runs out or the pack expires. Dates in
        the reader's language; read from the ledger in one grouped query."""
        self.ensure_one()
        groups = (
            self.env["support.pack.move"]
            .sudo()
            ._read_group(
                [("pack_id", "=", self.id)],
                ["date:week", "move_type"],
                ["quantity:sum"],
                order="date:week",
            )
        )
        granted_types = self._granted_move_types()
        consumed_types = self._consumed_move_types()
        weeks = {}
        for week, move_type, quantity in groups:
            granted, consumed = weeks.get(week, (0.0, 0.0))
            if move_type in granted_types:
                granted += quantity
            elif move_type in consumed_types:
                consumed -= quantity
            weeks[week] = (granted, consumed)
        today = fields.Date.context_today(self)
        labels, granted_line, consumed_line, forecast_line = [], [], [], []
        if weeks:
            week = min(weeks)
            last = max(max(weeks), today)
            granted = consumed = 0.0
            while week <= last:
                week_granted, week_consumed = weeks.get(week, (0.0, 0.0))
                granted += week_granted
                consumed += week_consumed
                labels.append(format_date(self.env, week))
                granted_line.append(round(granted, QUANTITY_DIGITS))
                consumed_line.append(round(consumed, QUANTITY_DIGITS))
                forecast_line.append(None)
                week += timedelta(weeks=1)
            if self.forecast_state in ("runs_out", "expires") and self.forecast_date:
                forecast_line[-1] = consumed_line[-1]
                end = self.forecast_date
                pace = self.forecast_pace
                while week < end + timedelta(weeks=1):
                    day = min(week, end)
                    labels.append(format_date(self.env, day))
                    value = consumed + pace * max((day - today).days, 0) / 7.0
                    forecast_line.append(round(min(value, granted), QUANTITY_DIGITS))
                    granted_line.append(round(granted, QUANTITY_DIGITS))
                    consumed_line.append(None)
                    week += timedelta(weeks=1)
        return {
            "labels": labels,
            "unit": dict(self._fields["unit"]._description_selection(self.env)).get(
                self.unit, ""
            ),
            "datasets": {
                "consumed": {"label": self.env._("Consumed"), "data": consumed_line},
                "granted": {"label": self.env._("Granted"), "data": granted_line},
                "forecast": {"label": self.env._("Forecast"), "data": forecast_line},
            },
            "forecast": self.forecast_text or "",
        }
