# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Numbers and durations shown to a person, in the language of the environment.

Thin wrappers around Odoo's own formatting (``formatLang`` and
``format_duration``): the separators, grouping and minus sign come from the
language of ``env`` (the customer's for reports, emails and portal pages).
"""

from odoo.tools import float_round
from odoo.tools.misc import format_duration, formatLang

__all__ = ["format_duration", "format_number", "significant_digits"]


def significant_digits(value, digits=2):
    """Decimals needed to show ``value`` rounded to ``digits`` decimals without
    trailing zeros: 1.0 -> 0, 1.5 -> 1, 0.25 -> 2."""
    rounded = float_round(abs(value or 0.0), precision_digits=digits)
    decimals = round((rounded - int(rounded)) * 10**digits)
    while digits and decimals % 10 == 0:
        decimals //= 10
        digits -= 1
    return digits if decimals else 0


def format_number(env, value, digits=2):
    """``value`` in the language of ``env``, with at most ``digits`` decimals and
    no trailing zeros: '1,5', '0,25', '1 234 567' in French."""
    value = float_round(value or 0.0, precision_digits=digits) or 0.0
    return formatLang(env, value, digits=significant_digits(value, digits))
