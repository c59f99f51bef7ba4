# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The private mark of the addon's own writes.

The ledger, the posting figures of timesheet lines and the fields that only a
flow may set (estimate approval, first response, fix confirmation, level 3)
are written by the addon's business methods after their own checks. Those
methods mark their environment with an object that exists only in this Python
process: a context sent by a client over XML-RPC/JSON-RPC holds JSON values
only, so it can never carry this mark, whatever key it names.

Other addons written in Python may import :func:`internal` on purpose; nothing
a user or an RPC client sends can.
"""

INTERNAL_CONTEXT_KEY = "helpdesk_support_pack_internal"
_INTERNAL = object()


def internal(records, sudo=True):
    """``records`` marked as written by the addon itself (as superuser by
    default: the calling flow has done its own checks)."""
    if sudo:
        records = records.sudo()
    return records.with_context(**{INTERNAL_CONTEXT_KEY: _INTERNAL})


def public(records):
    """``records`` without the mark (mail, reports and other side effects run
    with the caller's context, never with the mark)."""
    if INTERNAL_CONTEXT_KEY not in records.env.context:
        return records
    return records.with_context(**{INTERNAL_CONTEXT_KEY: None})


def is_internal(env):
    """Whether ``env`` carries the mark of the addon's own writes."""
    return env.context.get(INTERNAL_CONTEXT_KEY) is _INTERNAL


class _Flag:
    """A context value only Python code of this process can build."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def with_flag(records, key, value=True):
    """``records`` with a private context flag ``key`` (a report's lines, a
    refresh): a client may send the same key, never a value this reads."""
    return records.with_context(**{key: _Flag(value)})


def get_flag(env, key, default=None):
    """The value of the private flag ``key``; ``default`` when absent or sent
    by a client."""
    value = env.context.get(key)
    return value.value if isinstance(value, _Flag) else default


def protected_fields_in(vals, fnames):
    """The protected field names ``vals`` writes, sorted."""
    return sorted(set(vals) & set(fnames))
