# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pure date arithmetic of the weekly release train (no ORM).

Datetimes in and out are naive UTC, as Odoo stores them; the weekday, the
hour and the noon cut-off are read in the calendar's time zone (``tz``, an
IANA name such as ``Europe/Paris``), daylight saving time included.

A fix ready by noon (local) on a release day makes that day's release; later,
the next one. A release moment covered by a skipped interval (a public
holiday, a freeze: the calendar's global leaves) is skipped: the train leaves
the week after.
"""

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc

DEFAULT_WEEKDAY = 2  # Wednesday (Monday is 0, as datetime.weekday())
DEFAULT_HOUR = 20.0
CUTOFF_HOUR = 12.0  # a fix ready by noon on release day makes that release
MAX_WEEKS = 104  # a train skipped two years running is a configuration error


def _zone(tz):
    return ZoneInfo(tz or "UTC")


def hour_to_time(hour):
    """20.5 → 20:30 (minutes rounded; 24.0 and above is refused)."""
    minutes = round((hour or 0.0) * 60)
    if not 0 <= minutes < 24 * 60:
        raise ValueError(f"hour out of range: {hour}")
    return time(minutes // 60, minutes % 60)


def to_local(moment, tz):
    """Naive UTC → aware local datetime."""
    return moment.replace(tzinfo=UTC).astimezone(_zone(tz))


def release_moment(day, hour, tz):
    """The release of local ``day`` (a date) at ``hour``, as naive UTC."""
    local = datetime.combine(day, hour_to_time(hour), tzinfo=_zone(tz))
    return local.astimezone(UTC).replace(tzinfo=None)


def is_skipped(moment, skipped):
    """Whether ``moment`` lies in one of the ``skipped`` (start, end)
    intervals (naive UTC, both ends included, as Odoo's leaves)."""
    return any(start <= moment <= end for start, end in skipped)


def next_release(
    ready,
    weekday=DEFAULT_WEEKDAY,
    hour=DEFAULT_HOUR,
    tz="UTC",
    skipped=(),
    taken=(),
    cutoff_hour=CUTOFF_HOUR,
):
    """The release (naive UTC) that ships a fix ready at ``ready`` (naive UTC).

    :param weekday: release day, 0 (Monday) to 6 (Sunday), local
    :param hour: release time, local (20.0 = 20:00)
    :param skipped: (start, end) naive UTC intervals: releases they cover
        are skipped
    :param taken: release moments that cannot take fixes any more (already
        delivered): skipped as well
    :param cutoff_hour: a fix ready on release day up to this local hour
        makes that day's release (never later than the release itself)
    :returns: the release moment, or ``None`` when every release of the next
        ``MAX_WEEKS`` weeks is skipped
    """
    local_ready = to_local(ready, tz)
    day = local_ready.date()
    day += timedelta(days=(int(weekday) - day.weekday()) % 7)
    if day == local_ready.date():
        cutoff = hour_to_time(min(cutoff_hour, hour))
        if local_ready.time().replace(tzinfo=None) > cutoff:
            day += timedelta(days=7)
    taken = set(taken)
    for __ in range(MAX_WEEKS):
        moment = release_moment(day, hour, tz)
        if moment not in taken and not is_skipped(moment, skipped):
            return moment
        day += timedelta(days=7)
    return None
