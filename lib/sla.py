# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pure SLA time helpers (no ORM): the 24/7 clock and the warning threshold.

Working-hours math is done by ``resource.calendar`` (``plan_hours``,
``get_work_hours_count``); these helpers cover what a calendar does not.
"""

from datetime import timedelta

HOURS_PER_DAY_24_7 = 24.0
# Share of the allowed time after which the assignee is warned (a setting).
WARNING_PERCENT_PARAM = "helpdesk_support_pack.sla_warning_percent"
DEFAULT_WARNING_PERCENT = 80


def allowed_hours(days, hours, hours_per_day=HOURS_PER_DAY_24_7):
    """Hours allowed by a policy of ``days`` + ``hours``.

    A day counts ``hours_per_day`` hours: 24 around the clock, the calendar's
    working day (e.g. 7 h) in working hours.
    """
    return (hours or 0) + (days or 0) * hours_per_day


def warning_hours(allowed, percent):
    """Hours after which the warning is due (``percent`` of the allowed time).

    ``percent`` is clamped to 1..100: 0 or less would warn at creation.
    """
    percent = min(max(percent or 0, 1), 100)
    return allowed * percent / 100.0


def plan_hours_24_7(start, hours):
    """Datetime ``hours`` after ``start`` (negative: before) on a 24/7 clock."""
    return start + timedelta(hours=hours)


def elapsed_hours_24_7(start, end):
    """Hours between ``start`` and ``end`` on a 24/7 clock, never negative."""
    return max((end - start).total_seconds() / 3600.0, 0.0)


def plan_on_intervals(intervals, offsets):
    """Datetimes at which ``offsets`` hours of work are done.

    ``intervals`` are the ``(start, stop)`` working intervals in order. Same
    rule as ``resource.calendar.plan_hours``: an offset that ends an interval
    lands on its end, an offset of 0 on the first start. ``None`` for an offset
    beyond the intervals. One pass serves several offsets (deadline, warning).
    """
    pending = sorted({offset for offset in offsets if offset >= 0}, reverse=True)
    found = {}
    done = 0.0
    for start, stop in intervals:
        length = (stop - start).total_seconds() / 3600.0
        while pending and pending[-1] - done <= length:
            offset = pending.pop()
            found[offset] = start + timedelta(seconds=round((offset - done) * 3600))
        if not pending:
            break
        done += length
    return [found.get(offset) for offset in offsets]
