# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The words a full-text search of the resolutions looks for (knowledge kept,
IPM), as the text of a PostgreSQL ``tsquery`` for the ``simple``
configuration (language-neutral: the tickets are in French, Spanish and
English).

The ``simple`` configuration lowercases and keeps every word: the short words
and the most common function words of the three languages are dropped here,
or "the" and "les" would match nearly every resolution.
"""

import re

# Letters and digits (no underscore, no tsquery operator can get through).
WORD_RE = re.compile(r"[^\W_]+")
MIN_WORD_LENGTH = 3
MAX_WORDS = 12
STOP_WORDS = frozenset(
    # English
    "the and for with not from this that are was were has have had can cannot "
    "does did but you your our all any into after before when what which "
    "there their they them its out get got "
    # French
    "les des une est pas pour dans avec sur par qui que aux ces son ses mais "
    "plus ont sont été etre être nous vous leur leurs elle ils tout tous "
    "cette comme sans sous chez "
    # Spanish
    "del las los una por con para como sin sus esta este esto está son "
    "pero más muy hay nos ella ellos".split()
)


def search_words(text, limit=MAX_WORDS):
    """The distinct words of ``text`` worth searching, lowercased, in order:
    at least 3 characters, no common function word, at most ``limit``."""
    words = []
    for word in WORD_RE.findall((text or "").lower()):
        if len(word) < MIN_WORD_LENGTH or word in STOP_WORDS or word in words:
            continue
        words.append(word)
        if len(words) == limit:
            break
    return words


def tsquery_text(words, operator="|"):
    """The words joined by ``operator`` (``|`` any of them, ``&`` all of
    them) for ``to_tsquery('simple', ...)``; None without words."""
    if not words:
        return None
    return f" {operator} ".join(words)
