"""Writes of the search area: the themes across units, computed by the job
`search.themes` and the command `compute_themes` (never at a page's load)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from omavalvonta.deviations import search as deviation_search
from omavalvonta.organisation.selectors import region_choices
from omavalvonta.search import themes
from omavalvonta.search.models import Theme, ThemeRun

PERIOD_DAYS = 90
# Runs kept per scope (the page shows the newest; older ones are history).
RUNS_KEPT = 5
# Reports read per scope and period (the newest): a bound on the job's time.
MAX_REPORTS = 5000


def theme_run_compute(*, region_id: int | None, today: dt.date | None = None, days: int = PERIOD_DAYS) -> ThemeRun:
    """Compute the themes of the `days` before `today` (inclusive) in a region
    (None: the whole organisation), against the `days` before them, and store
    them as a new run (older runs of the scope beyond RUNS_KEPT go)."""
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=1)
    since = until - dt.timedelta(days=days)
    before = since - dt.timedelta(days=days)
    rows = deviation_search.deviation_texts_for_themes(
        since=since, until=until, region_id=region_id, limit=MAX_REPORTS
    )
    previous = deviation_search.deviation_texts_for_themes(
        since=before, until=since, region_id=region_id, limit=MAX_REPORTS
    )
    found = themes.group_reports(rows, previous)
    with transaction.atomic():
        run = ThemeRun.objects.create(
            region_id=region_id, period_start=since, period_end=today,
            deviations=len(rows), previous_deviations=len(previous),
        )
        Theme.objects.bulk_create(
            Theme(
                run=run, order=i, kind=t["kind"], terms=t["terms"], count=t["count"],
                units_affected=t["units_affected"], previous_count=t["previous_count"],
                trend=themes.trend(t["count"], t["previous_count"]),
                deviation_ids=t["deviation_ids"], unit_ids=t["unit_ids"],
            )
            for i, t in enumerate(found)
        )
        old = ThemeRun.objects.filter(region_id=region_id).order_by("-computed_at", "-id").values_list("pk", flat=True)
        ThemeRun.objects.filter(pk__in=list(old[RUNS_KEPT:])).delete()
    return run


def themes_compute(*, today: dt.date | None = None, days: int = PERIOD_DAYS, region_id: int | None = None) -> list[ThemeRun]:
    """Every scope's run (the organisation, then each region), or one region's."""
    if region_id is not None:
        return [theme_run_compute(region_id=region_id, today=today, days=days)]
    return [theme_run_compute(region_id=scope, today=today, days=days) for scope in [None, *region_choices().values_list("pk", flat=True)]]


def themes_job() -> int:
    """The worker's job: once a day (the first run after midnight), every scope.
    Returns the runs computed."""
    today = timezone.localdate()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())
    if ThemeRun.objects.filter(region__isnull=True, computed_at__gte=start).exists():
        return 0
    return len(themes_compute(today=today))
