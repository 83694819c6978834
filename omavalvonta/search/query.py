"""What a search asks: the raw text and the Finnish stems of its words
(Snowball's Finnish stemmer). The areas' search providers (core.registry
SEARCH_SOURCES) read `text` and `stems` and match them with
`core.lib.textsearch`, which finds a word's inflections from its stem."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import snowballstemmer

from omavalvonta.core.lib.textsearch import match_terms, words

# Longer queries are cut here (the form says so).
MAX_QUERY = 200


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("finnish")


def stem_words(found: list[str]) -> list[str]:
    """The Finnish stems of `found` (lower-case words), one for one."""
    return list(_stemmer().stemWords(found)) if found else []


@dataclass(frozen=True)
class SearchQuery:
    """A search: `text` as typed, `stems` one per word of it (core.lib.textsearch.words),
    and the request it came with (the access log's address), or None."""

    text: str
    stems: list[str] = field(default_factory=list)
    request: Any = field(default=None, compare=False, repr=False)

    @property
    def is_empty(self) -> bool:
        """No word long enough to search with ("ja on")."""
        return not match_terms(self)


def search_query(text: str, *, request=None) -> SearchQuery:
    text = " ".join((text or "").split())[:MAX_QUERY]
    return SearchQuery(text=text, stems=stem_words(words(text)), request=request)
