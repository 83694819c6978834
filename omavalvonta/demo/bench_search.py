"""The bench's search and themes across units (issue 19): the themes computed
once (as the daily job does; its time is logged), then the pages measured: a
search by a supervisor, a regional director and the quality director, and the
themes page of the quality director and a regional director."""

from __future__ import annotations

import time

from omavalvonta.search.models import ThemeRun
from omavalvonta.search.services import themes_compute

WORD = "l%C3%A4%C3%A4kkeen"  # "lääkkeen"


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
        ("themes across units (QD)", get(qd, lambda i: "/haku/teemat/"), {200}),
        ("themes across units (RD)", get(rd, lambda i: "/haku/teemat/"), {200}),
    ]
