# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The pack's future: the pace of consumption and where it leads (no ORM).

The pace is the consumption of the last ``WINDOW_WEEKS`` weeks (today and the
56 days before) divided by 8, or by the weeks since the first consumption when
it is more recent. Under ``MIN_HISTORY_WEEKS`` weeks of consumption there is
not enough history for a forecast.
"""

from datetime import timedelta

from odoo.tools import float_round

WINDOW_WEEKS = 8
MIN_HISTORY_WEEKS = 2

__all__ = ["MIN_HISTORY_WEEKS", "WINDOW_WEEKS", "forecast", "window_start"]


def window_start(today):
    """First day of the pace's window: consumption from this day to ``today``
    (both included) counts."""
    return today - timedelta(weeks=WINDOW_WEEKS)


def forecast(remaining, consumed, first_date, today, date_end):
    """Where ``remaining`` goes at the pace of ``consumed`` (consumption of the
    window, positive) since ``first_date`` (first consumption ever):
    ``(state, pace, date, left)`` where ``state`` is

    - ``'history'``: not enough history yet (no date, nothing left computed);
    - ``'runs_out'``: the balance runs out on ``date`` (``date_end`` not
      reached, or no end);
    - ``'expires'``: ``left`` (rounded to a whole unit) is left on ``date``,
      the day the pack expires (``date_end``).

    A 40-credit pack with 24 left on 2027-03-01 after 2 credits a week for 8
    weeks runs out on 2027-05-24 (12 weeks); valid up to 2027-05-01, it has
    24 - 2 × 62 / 7 = 6.3, about 6 credits left then."""
    if not first_date or first_date > today:
        return "history", 0.0, None, 0.0
    weeks = min((today - first_date).days / 7.0, WINDOW_WEEKS)
    if weeks < MIN_HISTORY_WEEKS:
        return "history", 0.0, None, 0.0
    pace = max(consumed, 0.0) / weeks
    remaining = max(remaining, 0.0)
    run_out = None
    if pace > 0:
        run_out = today + timedelta(days=round(remaining / pace * 7))
    if run_out and (not date_end or run_out <= date_end):
        return "runs_out", pace, run_out, 0.0
    if not date_end:
        # nothing consumed lately and no end: nothing to foresee
        return "history", pace, None, 0.0
    # valid up to and including date_end: consumed until that day's end
    days_left = max((date_end - today).days + 1, 0)
    left = float_round(max(remaining - pace * days_left / 7.0, 0.0), precision_digits=0)
    return "expires", pace, date_end, left
