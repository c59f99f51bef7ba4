# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The units a pack (and all that is counted in it) is sold and consumed in."""

# Decimals of every quantity of a pack and of its ledger.
QUANTITY_DIGITS = 2

UNITS = [("hour", "Hours"), ("credit", "Credits")]

# How the time logged on a ticket is counted: by its category, or by the scope
# of the customer's subscription.
COVERAGES = [
    ("included", "Included (not counted)"),
    ("counted", "Counted on the pack"),
    ("not_covered", "Not covered (quotation)"),
]
