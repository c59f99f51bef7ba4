# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What "a pack is busy" means to the posting."""

from psycopg2.errors import LockNotAvailable, SerializationFailure

# A pack row locked by another transaction (NOWAIT), or updated by one that
# committed after this transaction's snapshot (REPEATABLE READ).
PACK_BUSY_ERRORS = (LockNotAvailable, SerializationFailure)


class PackBusy(Exception):
    """Another transaction is posting on one of the packs to lock: the posting
    is queued (``support.posting.queue``) instead of failing the user's call."""
