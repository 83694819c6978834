"""Effectiveness (vaikuttavuus): how the children of a group of units have
changed since their first measurement, and whether the measurements were done
on time. docs/outcomes-effectiveness.md gives the formulas and their source.

- A measurement's score: the mean of its answered items, an item's score being
  the mean of the child's and the worker's scores (either alone when the other
  is missing).
- A child currently placed with two or more done measurements is compared: the
  latest score minus the first. Improved when the change is at least the
  instrument's reliable-change threshold, worse when at most minus it, else
  unchanged (the threshold of the latest measurement's instrument).
- A domain's mean change in a group: the compared children's mean score of the
  domain at their latest measurement minus the mean at their first.
- Coverage: of the due dates of the last COVERAGE_DAYS whose grace has passed
  (schedule.py), the share measured on time (a done measurement; "declined" or
  "not reached" does not count as measured).
- A group of fewer than MIN_GROUP compared children shows no figures (and no
  coverage under MIN_GROUP children).

The figures are summed per unit in a fixed number of queries whatever the
number of units or children; a region, a service type or the organisation is
the sum of its units (`Figures.add`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Avg, Count, Exists, F, FloatField, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import translation

from omavalvonta.clients.models import Placement
from omavalvonta.organisation.models import ServiceType, Unit
from omavalvonta.outcomes import schedule
from omavalvonta.outcomes.models import Answer, Item, Measurement, MeasurementStatus

MIN_GROUP = 5
COVERAGE_DAYS = 365

IMPROVED, UNCHANGED, WORSE = "improved", "unchanged", "worse"


def classify(change: float, threshold: float) -> str:
    """Reliable change (Jacobson & Truax 1991, with the threshold as data)."""
    if change >= threshold:
        return IMPROVED
    if change <= -threshold:
        return WORSE
    return UNCHANGED


@dataclass
class Figures:
    """Additive figures of one unit, or of a group summed from its units."""

    children: int = 0  # currently placed
    improved: int = 0
    unchanged: int = 0
    worse: int = 0
    # domain code -> [sum at first, count at first, sum at latest, count at latest]
    domains: dict = field(default_factory=dict)
    due: int = 0  # due dates whose grace has passed, in the window
    on_time: int = 0

    @property
    def compared(self) -> int:
        return self.improved + self.unchanged + self.worse

    def add(self, other: Figures) -> Figures:
        # Plain additions: an organisation's page sums a few thousand units three times.
        self.children += other.children
        self.improved += other.improved
        self.unchanged += other.unchanged
        self.worse += other.worse
        self.due += other.due
        self.on_time += other.on_time
        domains = self.domains
        for code, (a, b, c, d) in other.domains.items():
            mine = domains.get(code)
            if mine is None:
                domains[code] = [a, b, c, d]
            else:
                mine[0] += a
                mine[1] += b
                mine[2] += c
                mine[3] += d
        return self

    @property
    def hidden(self) -> bool:
        return self.compared < MIN_GROUP

    @property
    def coverage_hidden(self) -> bool:
        return self.children < MIN_GROUP or not self.due

    def share(self, name: str) -> int | None:
        return None if self.hidden else round(100 * getattr(self, name) / self.compared)

    @property
    def improved_share(self) -> int | None:
        return self.share("improved")

    @property
    def unchanged_share(self) -> int | None:
        return self.share("unchanged")

    @property
    def worse_share(self) -> int | None:
        return self.share("worse")

    @property
    def bar(self) -> list[tuple[str, float, float]]:
        """(kind, x, width) of the stacked bar, on a 0-100 axis."""
        if self.hidden:
            return []
        x, parts = 0.0, []
        for kind in (IMPROVED, UNCHANGED, WORSE):
            width = round(100 * getattr(self, kind) / self.compared, 2)
            parts.append((kind, x, width))
            x += width
        return parts

    @property
    def coverage(self) -> int | None:
        return None if self.coverage_hidden else round(100 * self.on_time / self.due)

    def domain_changes(self, labels: dict) -> list[tuple[str, float]]:
        """(label, mean change) per domain, in the instrument's order; empty when hidden."""
        if self.hidden:
            return []
        rows = []
        for code, (first_sum, first_n, last_sum, last_n) in self.domains.items():
            if first_n and last_n:
                rows.append((code, round(last_sum / last_n - first_sum / first_n, 1)))
        order = {code: i for i, code in enumerate(labels)}
        rows.sort(key=lambda r: (order.get(r[0], 99), r[0]))
        return [(labels.get(code, code), change) for code, change in rows]


# An answer's score: the mean of the child's and the worker's, either alone when
# the other is missing (an answer with neither has no score and is skipped).
_SCORE = (
    Coalesce(F("child_score"), F("worker_score"), output_field=FloatField())
    + Coalesce(F("worker_score"), F("child_score"), output_field=FloatField())
) / Value(2.0)


def _done(today: dt.date):
    """Done measurements up to `today` (a report for a past period sees no later ones)."""
    return Measurement.objects.filter(status=MeasurementStatus.DONE, measured_on__lte=today)


def _ends(placements, today):
    """The compared children's first and latest done measurements: those with
    no earlier (later) done measurement of the same child and one later
    (earlier). Same-day measurements are ordered by id."""
    same = {"placement_id": OuterRef("placement_id")}
    earlier = _done(today).filter(**same).filter(
        Q(measured_on__lt=OuterRef("measured_on")) | Q(measured_on=OuterRef("measured_on"), pk__lt=OuterRef("pk"))
    )
    later = _done(today).filter(**same).filter(
        Q(measured_on__gt=OuterRef("measured_on")) | Q(measured_on=OuterRef("measured_on"), pk__gt=OuterRef("pk"))
    )
    base = _done(today).filter(placement__in=placements)
    return base.filter(~Exists(earlier), Exists(later)), base.filter(Exists(earlier), ~Exists(later))


def unit_figures(unit_ids, *, today: dt.date) -> dict[int, Figures]:
    """Figures per unit of `unit_ids` (a list or a queryset of ids): six queries."""
    result: dict[int, Figures] = defaultdict(Figures)
    placements = Placement.objects.filter(unit_id__in=unit_ids).current(today)
    for row in placements.values("unit_id").annotate(n=Count("pk")).order_by():
        result[row["unit_id"]].children = row["n"]

    first, last = _ends(placements, today)
    scored = Answer.objects.filter(Q(child_score__isnull=False) | Q(worker_score__isnull=False))
    first_scores = dict(
        scored.filter(measurement__in=first)
        .values("measurement__placement_id")
        .annotate(score=Avg(_SCORE))
        .order_by()
        .values_list("measurement__placement_id", "score")
    )
    for row in (
        scored.filter(measurement__in=last)
        .values("measurement__placement_id", "measurement__unit_id", "measurement__version__instrument__reliable_change")
        .annotate(score=Avg(_SCORE))
        .order_by()
    ):
        start = first_scores.get(row["measurement__placement_id"])
        if start is None:
            continue
        threshold = float(row["measurement__version__instrument__reliable_change"] or Decimal("1.5"))
        kind = classify(row["score"] - start, threshold)
        figures = result[row["measurement__unit_id"]]
        setattr(figures, kind, getattr(figures, kind) + 1)

    for offset, ends in ((0, first), (2, last)):
        for row in (
            scored.filter(measurement__in=ends)
            .values("measurement__unit_id", "item__domain")
            .annotate(total=Sum(_SCORE), n=Count("pk"))
            .order_by()
        ):
            values = result[row["measurement__unit_id"]].domains.setdefault(row["item__domain"], [0.0, 0, 0.0, 0])
            values[offset] += row["total"] or 0.0
            values[offset + 1] += row["n"]

    _coverage(unit_ids, today, result)
    return dict(result)


def _coverage(unit_ids, today: dt.date, result: dict[int, Figures]) -> None:
    """Due dates of the window whose grace has passed, and how many were
    measured on time: two queries (the placements, their done dates)."""
    window_start = today - dt.timedelta(days=COVERAGE_DAYS)
    placements = list(
        Placement.objects.filter(unit_id__in=unit_ids, starts_on__lt=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=window_start))
        .values_list("pk", "unit_id", "starts_on", "ends_on")
    )
    measured = defaultdict(list)
    for placement_id, day in (
        _done(today)
        .filter(unit_id__in=unit_ids, measured_on__gte=window_start - dt.timedelta(days=120))
        .values_list("placement_id", "measured_on")
    ):
        measured[placement_id].append(day)
    for pk, unit_id, starts_on, ends_on in placements:
        until = min(today, ends_on) if ends_on else today
        for due in schedule.due_dates(
            starts_on=starts_on, ends_on=None, today=until - dt.timedelta(days=1), measured=measured[pk],
            since=window_start,
        ):
            # A due date still in its grace (or ahead) is not counted yet.
            if due.state in (schedule.UPCOMING, schedule.DUE):
                continue
            figures = result[unit_id]
            figures.due += 1
            figures.on_time += due.state == schedule.DONE


def domain_labels() -> dict[str, str]:
    """Domain code -> label in the current language, in the newest published
    versions' item order (one query)."""
    labels: dict[str, str] = {}
    for item in Item.objects.filter(version__status="published").order_by("-version__number", "order"):
        labels.setdefault(item.domain, item.domain_label)
    return labels


def total(figures) -> Figures:
    out = Figures()
    for f in figures:
        out.add(f)
    return out


# --- The organisation's figures, kept by a background job -------------------------------------

# Above this many units a scope reads every unit's figures from the cache the
# job refreshes (computed for every active unit at once: seconds at the scale
# of thousands of units); a smaller scope is computed on the spot.
CACHE_SECONDS = 20 * 60
REFRESH_SECONDS = 10 * 60


def _cache_key(today: dt.date) -> str:
    return f"outcomes.effectiveness:{today.isoformat()}"


# The figures last read from the shared cache, kept in this process with the
# stamp the job wrote beside them: a page reads the small stamp (one query, as
# before) and unpickles the thousands of units' figures only when the job has
# run since (half a second at 2,000 units: the bench, issue 15). Callers only
# read the figures (grouped() and total() sum into new Figures).
_MEMO: dict[str, tuple[str, tuple]] = {}


def _stamp_key(key: str) -> str:
    return f"{key}:stamp"


def refresh(*, today: dt.date | None = None) -> int:
    """The background job: every active unit's figures into the cache.
    Returns 0: it queues nothing (a job's count is the work it leaves for the
    worker's outbox, and a fresh demo starts with none)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    figures = unit_figures(Unit.objects.filter(is_active=True).values("pk"), today=today)
    key = _cache_key(today)
    cache.set(key, (timezone.now(), figures), CACHE_SECONDS)
    cache.set(_stamp_key(key), uuid.uuid4().hex, CACHE_SECONDS)
    return 0


def _cached(today: dt.date):
    """(stamp, (computed_at, figures)) the job keeps, or None: from this
    process's memo when the stamp beside them is the one it read them with."""
    key = _cache_key(today)
    stamp = cache.get(_stamp_key(key))
    memo = _MEMO.get(key)
    if stamp is not None and memo is not None and memo[0] == stamp:
        return memo
    value = cache.get(key)
    _MEMO.clear()  # one day's figures at a time, and the sums made of them
    _SUMS.clear()
    if value is None or stamp is None:
        return None
    _MEMO[key] = (stamp, value)
    return _MEMO[key]


def unit_figures_kept(unit_id: int, *, today: dt.date) -> tuple[Figures, object]:
    """One unit's figures and when they were computed: the job's (as the
    organisation's page shows them) when it has run today, else computed on
    the spot (None). A unit's page reads one small stamp instead of five sums."""
    cached = _cached(today)
    if cached is not None:
        computed_at, figures = cached[1]
        if unit_id in figures:
            return figures[unit_id], computed_at
    return unit_figures([unit_id], today=today).get(unit_id, Figures()), None


@dataclass
class Overview:
    """A scope's figures summed by region, by service type and in total, and
    per unit (for the rows of a chosen region)."""

    regions: list
    service_types: list
    total: Figures
    per_unit: dict
    computed_at: object = None
    # Names these sums among the job's runs, scopes and languages (empty when
    # computed on the spot): the page caches its rendered figures under it.
    key: str = ""


# A large scope's sums, made once per run of the job, scope and language and
# kept in this process beside the job's figures (cleared with them): the
# organisation's page then neither loads its 2,000 units nor adds up their
# figures on every request (the bench, issue 15). Callers only read them.
_SUMS: dict[tuple, Overview] = {}
_SUMS_KEPT = 64


def overview(unit_ids: list[int], *, today: dt.date) -> Overview:
    """The figures of the units `unit_ids` (sorted ids): computed on the spot
    for a few units (computed_at None), else summed from the job's per-unit
    figures (the job runs here first when the cache is empty)."""
    if len(unit_ids) <= UNIT_ROWS:
        return _summed(unit_ids, unit_figures(unit_ids, today=today) if unit_ids else {}, None)
    cached = _cached(today)
    if cached is None:
        refresh(today=today)
        cached = _cached(today)
    if cached is None:  # a cache that keeps nothing: compute them now
        return _summed(unit_ids, unit_figures(unit_ids, today=today), None)
    stamp, (computed_at, figures) = cached
    key = (stamp, translation.get_language(), tuple(unit_ids))
    found = _SUMS.get(key)
    if found is None:
        if len(_SUMS) >= _SUMS_KEPT:
            _SUMS.clear()
        found = _SUMS[key] = _summed(unit_ids, figures, computed_at)
        digest = hashlib.sha256(",".join(map(str, unit_ids)).encode()).hexdigest()
        found.key = f"{stamp}:{key[1]}:{digest}"
    return found


def _summed(unit_ids: list[int], figures: dict[int, Figures], computed_at) -> Overview:
    """The units' figures by region and by service type: one query (the
    units' region and service type), no model instances."""
    units = list(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "service_type", "region_id", "region__name"))
    per_unit = {pk: figures[pk] for pk, *_rest in units if pk in figures}
    service_types = dict(ServiceType.choices)
    regions = grouped(units, per_unit, lambda u: u[2], lambda u: u[3])
    for g in regions:
        g.link = f"?alue={g.key}"
    return Overview(
        regions=regions,
        service_types=grouped(units, per_unit, lambda u: u[1], lambda u: service_types.get(u[1], u[1])),
        # The regions' sums hold every unit once: the total from twenty of them, not from 2,000 units.
        total=total(g.figures for g in regions),
        per_unit=per_unit,
        computed_at=computed_at,
    )


# --- The pages' groups ---------------------------------------------------------------------------

# Above this many units the organisation page lists regions first.
UNIT_ROWS = 30


@dataclass
class Group:
    label: str
    figures: Figures
    units: int = 1
    link: str = ""
    key: str = ""


def grouped(units: list, per_unit: dict[int, Figures], key, label) -> list[Group]:
    """Units (rows whose first value is the unit's id) summed by `key(unit)`
    (a region, a service type), by label."""
    groups: dict = {}
    for unit in units:
        k = key(unit)
        group = groups.get(k)
        if group is None:  # the label once a group: a translated label is not cheap
            group = groups[k] = Group(label=str(label(unit)), figures=Figures(), units=0, key=str(k))
        figures = per_unit.get(unit[0])
        if figures is not None:
            group.figures.add(figures)
        group.units += 1
    return sorted(groups.values(), key=lambda g: g.label)
