# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The pack's units moved to ``lib/units.py`` (the pack itself is in
``models/pack/``): this name stays for the files that still import them from
here, until they import ``lib.units``."""

from ..lib.units import QUANTITY_DIGITS, UNITS

__all__ = ["QUANTITY_DIGITS", "UNITS"]
