"""Matching Finnish words across their inflections, for the areas' search
providers (core.registry SEARCH_SOURCES).

A query arrives as Snowball stems of its words (the search area stems them).
Finnish inflects a word's stem too ("lääke", "lääkkeen", "lääkkeitä": stems
"lääke" and "lääk"), so a stem is matched as the beginning of a word, after
its consonant gradation ("kk" -> "k") and a final vowel are taken off: every
one of those three words then begins with the key "lääk".

* PostgreSQL: the record's texts as a `finnish` tsvector (the search area's GIN
  index keeps one for the deviations' texts), matched with prefix terms
  (`lääk:*`) in the `simple` configuration, every word of the query required.
* SQLite (development and the quick tests): every key found in one of the
  texts lower-cased by Python (`omv_lower`, registered on each SQLite
  connection by `sqlite_functions_register`): SQLite's own LOWER and LIKE fold
  ASCII letters only, so "LÄÄKKEEN" would not be found by "lääk".

The same rows match on both for the usual words; PostgreSQL is stricter about
word beginnings ("lääk" inside "hyvinvointilääke" matches on SQLite only).
"""

from __future__ import annotations

import re
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import F, Func, Q, TextField
from django.db.models.lookups import Contains

# Shorter keys would match too much ("la" is in half the words).
MIN_KEY = 3
# A key longer than this is cut: an inflected form of a long word may be stemmed
# shorter than the query's stem ("väkivallan" -> "väkival", "väkivalta" -> "väkiv").
MAX_KEY = 6
MAX_WORDS = 8
SNIPPET_CHARS = 180

_DOUBLE_AT_END = re.compile(r"([bdfghjklmnprstv])\1$")
_VOWELS = "aeiouyäö"
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of a query, lower-cased, in order, each once (the search area
    stems these: its `SearchQuery.stems` are theirs, one for one)."""
    found: list[str] = []
    for word in _WORD.findall((text or "").lower()):
        word = word.replace("_", "")
        if word and word not in found:
            found.append(word)
    return found[:MAX_WORDS]


def word_key(stem: str) -> str:
    """A stem's key: gradation and a final vowel off, at most MAX_KEY letters ("" when too short)."""
    key = "".join(_WORD.findall(stem.lower())).replace("_", "")
    if len(key) > MIN_KEY and key[-1] in _VOWELS:
        key = key[:-1]
    key = _DOUBLE_AT_END.sub(r"\1", key)[:MAX_KEY]
    return key if len(key) >= MIN_KEY else ""


def match_terms(query) -> list[list[str]]:
    """For each word of `query` (its `text` and `stems`), the keys that find
    its inflections: the stem's key (gradation and a final vowel off: "lääkkeen"
    and "lääke" -> "lääk"), and the word's own beginning as long as its stem (the
    stemmer may leave a consonant out: "ikkuna" -> "iku"). Every word must match
    one of its keys. Only word characters: they go into a tsquery as they are."""
    # A page asks this of one query for every hit's score and snippet: the
    # answer is kept on the query object itself (it lives for one request; no
    # search words are kept beyond it), by its text and stems.
    key = (getattr(query, "text", ""), tuple(getattr(query, "stems", None) or ()))
    memo = getattr(query, "__dict__", None)
    kept = memo.get(_MEMO) if memo is not None else None
    if kept is None or kept[0] != key:
        kept = (key, _match_terms(*key))
        if memo is not None:
            memo[_MEMO] = kept
    return [list(keys) for keys in kept[1]]


_MEMO = "_textsearch_terms"


def _match_terms(text: str, stems: tuple) -> tuple[tuple[str, ...], ...]:
    query_words = words(text)
    stems = list(stems)
    if len(stems) != len(query_words):
        query_words = stems = [s for s in stems if s]
    terms = []
    for word, stem in zip(query_words, stems, strict=True):
        keys = []
        own = word[: min(max(len(str(stem)), MIN_KEY), MAX_KEY)]
        for key in (word_key(str(stem)), own if len(own) >= MIN_KEY else ""):
            if key and key not in keys:
                keys.append(key)
        if keys and keys not in terms:
            terms.append(keys)
    return tuple(tuple(keys) for keys in terms)


def uses_postgresql() -> bool:
    return connection.vendor == "postgresql"


def text_match_q(fields, query, *, vector=None) -> Q | None:
    """A filter for the rows whose `fields` contain every word of `query` in one
    of its inflections (None: the query has no usable word). `vector`: on
    PostgreSQL, the tsvector expression to match (default: a `finnish`
    SearchVector of `fields`), so a provider can match the expression its index
    was built on."""
    terms = match_terms(query)
    if not terms:
        return None
    if uses_postgresql():
        from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact

        vector = vector if vector is not None else SearchVector(*fields, config="finnish")
        raw = " & ".join("(" + " | ".join(f"{key}:*" for key in keys) + ")" for keys in terms)
        # `vector @@ tsquery`, as a lookup on the expression itself.
        return Q(SearchVectorExact(vector, SearchQuery(raw, search_type="raw", config="simple")))
    return reduce(
        and_,
        (reduce(or_, (Q(Contains(UnicodeLower(F(f)), key)) for f in fields for key in keys)) for keys in terms),
    )


# --- SQLite: a Unicode lower-case ---------------------------------------------------------------

SQLITE_LOWER = "omv_lower"


class UnicodeLower(Func):
    """The text lower-cased as Python does (SQLite only: the function registered
    on the connection; the keys are lower-cased the same way)."""

    function = SQLITE_LOWER
    output_field = TextField()


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def sqlite_functions_register(sender, connection, **kwargs) -> None:
    """django.db.backends.signals.connection_created (core's AppConfig.ready)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_LOWER, 1, _lower, deterministic=True)


def score(texts, query) -> float:
    """How well the texts match (higher first): each word counts once per text
    it is in, the first text (the title) double."""
    terms = match_terms(query)
    total = 0.0
    for i, text in enumerate(texts):
        low = (text or "").lower()
        weight = 2.0 if i == 0 else 1.0
        total += sum(weight for keys in terms if any(key in low for key in keys))
    return total


def _redacted(text: str, redact) -> str:
    """`text` with every string in `redact` (longer than one letter) replaced by an ellipsis, in any case."""
    for secret in redact:
        if secret and len(secret.strip()) > 1:
            text = re.sub(re.escape(secret.strip()), "…", text, flags=re.IGNORECASE)
    return text


def _first_hit(text: str, query) -> int | None:
    """Where the first key of `query` is in `text` (None: no key is)."""
    low = text.lower()
    hits = [h for h in (low.find(key) for keys in match_terms(query) for key in keys) if h >= 0]
    return min(hits) if hits else None


def _cut_start(text: str, hit: int | None, length: int) -> int:
    """The piece starts a third of its length before the hit, at the next word
    when one begins within 20 characters (the text's start without a hit)."""
    start = max(0, hit - length // 3) if hit is not None else 0
    if not start:
        return 0
    space = text.find(" ", start)
    return space + 1 if 0 <= space < start + 20 else start


def _cut_end(text: str, start: int, length: int) -> int:
    """The piece ends after `length` characters, at the end of the last whole
    word when that is past its middle."""
    end = start + length
    if end >= len(text):
        return end
    space = text.rfind(" ", start, end)
    return space if space > start + length // 2 else end


def snippet(text: str, query, *, redact=(), length: int = SNIPPET_CHARS) -> str:
    """A short piece of `text` around the first key it contains (its start when
    none), whole words, with every string in `redact` (a protected reporter's
    name) replaced by an ellipsis before the cut."""
    text = _redacted(" ".join((text or "").split()), redact)
    if len(text) <= length:
        return text
    start = _cut_start(text, _first_hit(text, query), length)
    end = _cut_end(text, start, length)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")
