# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Allocation of a consumption over packs, without any ORM."""

from collections import namedtuple

Bucket = namedtuple("Bucket", ["key", "available", "date_end"])

_DIGITS = 2


def sort_buckets(buckets):
    """Expiry first: by end date, then key (the pack id); no end date last."""
    return sorted(
        buckets,
        key=lambda b: (b.date_end is None, b.date_end or 0, b.key),
    )


def allocate(quantity, buckets):
    """Split ``quantity`` (positive) over ``buckets`` taken in the given order.

    Returns ``(parts, leftover)``: ``parts`` lists ``(key, quantity)`` for each
    bucket drawn from (never more than its available quantity, never 0);
    ``leftover`` is what no bucket could cover (the overdraft).
    """
    if quantity < 0:
        raise ValueError("Cannot allocate a negative quantity.")
    remaining = round(quantity, _DIGITS)
    parts = []
    for bucket in buckets:
        if remaining <= 0:
            break
        available = round(bucket.available or 0.0, _DIGITS)
        if available <= 0:
            continue
        taken = min(available, remaining)
        parts.append((bucket.key, taken))
        remaining = round(remaining - taken, _DIGITS)
    return parts, max(remaining, 0.0)


def split_prorata(total, weights, digits=_DIGITS):
    """Split ``total`` in proportion to ``weights``, rounded to ``digits``; the
    last share takes the rounding difference so that the shares sum to ``total``.

    >>> split_prorata(0.5, [3.0, 1.0])
    [0.38, 0.12]
    """
    weight_sum = sum(weights)
    if not weights:
        return []
    if not weight_sum:
        return [round(total, digits)] + [0.0] * (len(weights) - 1)
    shares = [round(total * w / weight_sum, digits) for w in weights[:-1]]
    shares.append(round(total - sum(shares), digits))
    return shares
