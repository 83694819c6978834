"""The areas' figures for a county's units (core.registry COUNTY_SECTIONS),
kept per run of a job: the outcomes area's pattern (outcomes/effectiveness.py).

Summing a year of feedback tallies and restrictive measures over a county's
hundreds of units is most of the county's home page and of the API's
/county/figures (the bench, issue 19). The job `refresh` names a new run every
REFRESH_SECONDS (a stamp in the shared cache); within a run a county's figures
for one set of units, period and language are computed once, kept in the shared
cache (every web worker reads the same figures) and in this process beside the
run's stamp. A page reads the small stamp (one query with the database cache)
and computes nothing while the run lasts; a new run makes a new key, so the
figures shown are at most a run old and say when they were computed.

What decides the content is in the key: the county, its units now (the kernel
decides them on every request: a unit that stops concerning the county leaves
at once), the period and the language. Access is still checked and every read
logged by the caller on every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone, translation

from omavalvonta.county import selectors

# The job names a new run this often; without the job the stamp lapses after
# CACHE_SECONDS and the next page names a run itself.
REFRESH_SECONDS = 5 * 60
CACHE_SECONDS = 2 * REFRESH_SECONDS
_STAMP_KEY = "county.figures:run"

# This process's figures of the current run (cleared when the run changes).
_MEMO: dict = {"run": None, "items": {}}
_MEMO_KEPT = 256


@dataclass(frozen=True)
class Kept:
    """The sections of county.selectors.sections and when they were computed
    (None: computed now, the cache keeping nothing). Callers only read them."""

    sections: list
    computed_at: dt.datetime | None


def refresh() -> int:
    """The background job: a new run (the next read computes the figures anew).
    Returns 0: it queues nothing."""
    cache.set(_STAMP_KEY, uuid.uuid4().hex, CACHE_SECONDS)
    return 0


def _run() -> str | None:
    run = cache.get(_STAMP_KEY)
    if run is None:
        refresh()
        run = cache.get(_STAMP_KEY)
    return run


def sections(*, county, unit_ids, period: selectors.Period) -> Kept:
    """selectors.sections(county, unit_ids, period) as computed in the current run."""
    unit_ids = list(unit_ids)
    run = _run()
    if run is None:  # a cache that keeps nothing: compute them now
        return Kept(selectors.sections(county=county, unit_ids=unit_ids, period=period), None)
    digest = hashlib.sha256(",".join(map(str, sorted(unit_ids))).encode()).hexdigest()[:32]
    key = f"county.figures:{run}:{county.pk}:{translation.get_language()}:{period.start}:{period.end}:{digest}"
    if _MEMO["run"] != run:
        _MEMO["run"], _MEMO["items"] = run, {}
    items = _MEMO["items"]
    found = items.get(key)
    if found is None:
        found = cache.get(key)
        if found is None:
            found = Kept(selectors.sections(county=county, unit_ids=unit_ids, period=period), timezone.now())
            cache.set(key, found, CACHE_SECONDS)
        if len(items) >= _MEMO_KEPT:
            items.clear()
        items[key] = found
    return found
