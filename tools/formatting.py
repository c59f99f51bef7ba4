# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Formatting of durations and quantities for reports, without any ORM."""

from .rounding import to_minutes


def format_duration(hours):
    """Hours (float) as ``H:MM``: 7 min -> '0:07', 0.25 h -> '0:15', 1.5 -> '1:30'.

    Minutes are rounded to the nearest minute; a negative duration gets a sign.
    """
    minutes = int(round(to_minutes(abs(hours or 0.0))))
    sign = "-" if (hours or 0.0) < 0 and minutes else ""
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


def format_quantity(quantity, digits=2):
    """A quantity without trailing zeros: 1.0 -> '1', 0.25 -> '0.25', -4 -> '-4'."""
    text = f"{round(quantity or 0.0, digits):.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
