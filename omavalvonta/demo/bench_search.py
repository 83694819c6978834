"""The bench's search and themes across units (issue 19): the themes computed
once (as the daily job does; its time is logged), then the pages measured: a
search by a supervisor, a regional director and the quality director (Finnish
words in other inflections than the texts': "lääkkeen", "väkivaltaa",
"ovesta", "tapaamiset", and two words at once), and the themes page of the
quality director and a regional director."""

from __future__ import annotations

import time
from urllib.parse import quote_plus

from omavalvonta.search.models import ThemeRun
from omavalvonta.search.services import themes_compute

WORD = quote_plus("lääkkeen")
# Inflections the texts do not have as such: "väkivallalla", "ovi", "tapaaminen".
MORE_WORDS = ("väkivaltaa", "ovesta", "tapaamiset")


def pages(cast, get, log=None) -> list:
    if not ThemeRun.objects.exists():
        started = time.perf_counter()
        runs = themes_compute()
        if log:
            log(f"  themes computed for {len(runs)} scopes in {time.perf_counter() - started:.1f} s (the daily job)")
    sup, rd, qd = cast.supervisor, cast.regional_director, cast.quality_director
    return [
        ("search 'lääkkeen' (supervisor)", get(sup, lambda i: f"/haku/?q={WORD}"), {200}),
        ("search 'lääkkeen' (RD)", get(rd, lambda i: f"/haku/?q={WORD}"), {200}),
        ("search 'lääkkeen' (QD, all units)", get(qd, lambda i: f"/haku/?q={WORD}"), {200}),
        ("search two words (QD)", get(qd, lambda i: f"/haku/?q={WORD}+ilta"), {200}),
        *[(f"search '{word}' (QD, all units)", get(qd, _url(word)), {200}) for word in MORE_WORDS],
        ("search 'ovesta' (supervisor)", get(sup, lambda i: f"/haku/?q={quote_plus('ovesta')}"), {200}),
        ("themes across units (QD)", get(qd, lambda i: "/haku/teemat/"), {200}),
        ("themes across units (RD)", get(rd, lambda i: "/haku/teemat/"), {200}),
    ]


def _url(word: str):
    query = quote_plus(word)
    return lambda i: f"/haku/?q={query}"
