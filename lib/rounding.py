# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rounding of logged time, without any ORM: plain functions, plain tests."""

import math

# Minutes are rounded to this many decimals before the ceiling, so that the float
# noise of a float_time entry (7 min = 0.11666… h) never adds a quarter-hour.
_MINUTE_DIGITS = 6


def to_minutes(hours):
    """Hours (float) to minutes, with the float noise removed."""
    return round((hours or 0.0) * 60.0, _MINUTE_DIGITS)


def round_up_minutes(minutes, unit_minutes=15, minimum_minutes=0):
    """Minutes rounded up to the started ``unit_minutes`` period.

    0 stays 0; anything above 0 counts at least ``minimum_minutes``.

    >>> round_up_minutes(7), round_up_minutes(16), round_up_minutes(61)
    (15, 30, 75)
    """
    if unit_minutes <= 0:
        raise ValueError("The rounding unit must be positive.")
    if minutes < 0:
        raise ValueError("Logged time cannot be negative.")
    minutes = round(minutes, _MINUTE_DIGITS)
    if not minutes:
        return 0
    rounded = math.ceil(minutes / unit_minutes) * unit_minutes
    return max(rounded, minimum_minutes or 0)


def round_up_hours(hours, unit_minutes=15, minimum_minutes=0):
    """Hours rounded up to the started period: 7 min -> 0.25 h, 61 min -> 1.25 h."""
    return round_up_minutes(to_minutes(hours), unit_minutes, minimum_minutes) / 60.0


def periods(rounded_hours, unit_minutes=15):
    """Number of rounding periods in already rounded hours (0.5 h -> 2)."""
    return round(to_minutes(rounded_hours) / unit_minutes, _MINUTE_DIGITS)


def consumed_quantity(rounded_hours, unit, multiplier=1.0, unit_minutes=15):
    """Quantity consumed in a pack of ``unit`` ('credit' or 'hour').

    Credits: one credit per rounding period times the multiplier.
    Hours: the rounded hours times the multiplier.
    """
    if unit == "credit":
        quantity = periods(rounded_hours, unit_minutes) * multiplier
    elif unit == "hour":
        quantity = rounded_hours * multiplier
    else:
        raise ValueError(f"Unknown pack unit {unit!r}")
    return round(quantity, 2)
