"""Reads of the functional-capacity measure. A child's measurements are read
through the kernel (client.view in the child's unit: 404 outside the actor's
units) and every read writes an access-log row; the instruments are read by
those who keep them (outcome.instrument_manage)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, Q, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from omavalvonta.clients.models import Placement
from omavalvonta.core import registry
from omavalvonta.core.lib.counts import CountsFirst, LazyCounts, counts_first
from omavalvonta.core.services import access_log_record
from omavalvonta.organisation import access, access_shape
from omavalvonta.outcomes import effectiveness, schedule, sessions
from omavalvonta.outcomes.child_rows import goals_of as goals_of, measurement_rows as measurement_rows
from omavalvonta.outcomes.defaults import CODE as DEFAULT_CODE
from omavalvonta.outcomes.models import (
    Answer,
    Instrument,
    InstrumentVersion,
    Item,
    Measurement,
    SessionCheck,
    UnitPractice,
    VersionStatus,
)
from omavalvonta.outcomes.trajectory import Chart as Chart, trajectory as trajectory

HOME_ROWS = 8


# --- Instruments -------------------------------------------------------------------------------


def instrument_list(*, actor) -> list[Instrument]:
    """Every instrument with its versions (newest first) and their item and
    measurement counts, for those who keep them."""
    access_require_instruments(actor)
    versions = InstrumentVersion.objects.annotate(
        item_count=Count("items", distinct=True), measurement_count=Count("measurements", distinct=True)
    ).order_by("-number")
    return list(Instrument.objects.prefetch_related(Prefetch("versions", queryset=versions)).order_by("name_fi", "pk"))


def access_require_instruments(actor) -> None:
    if not access.has_perm_anywhere(actor, access.P_OUTCOME_INSTRUMENT_MANAGE):
        raise PermissionDenied(access.P_OUTCOME_INSTRUMENT_MANAGE)


def _instrument_part(actor, records, pk):
    """The instrument, version or item `pk` of `records`, for one who manages
    the instruments; 404 when there is none."""
    access_require_instruments(actor)
    try:
        return records.get(pk=pk)
    except (records.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def instrument_get(*, actor, pk) -> Instrument:
    return _instrument_part(actor, Instrument.objects.all(), pk)


def version_get(*, actor, pk) -> InstrumentVersion:
    return _instrument_part(actor, InstrumentVersion.objects.select_related("instrument"), pk)


def item_get(*, actor, pk) -> Item:
    return _instrument_part(actor, Item.objects.select_related("version__instrument"), pk)


def current_version() -> InstrumentVersion | None:
    """The version new measurements use: the newest published version of the
    default instrument (or of any instrument, when it is gone)."""
    published = InstrumentVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("instrument")
    return (
        published.filter(instrument__code=DEFAULT_CODE).order_by("-number").first()
        or published.order_by("-published_at", "-pk").first()
    )


# --- A child's measurements --------------------------------------------------------------------


def placement_get(*, actor, pk, request=None, what: str = "outcome.measurements") -> Placement:
    """The child (placement) whose measurements are read: 404 outside the
    actor's units, 403 inside them without client.view. Every read is logged."""
    placement = access.access_object(Placement.objects.select_related("county"), actor, pk, access.P_CLIENT_VIEW)
    access_log_record(
        actor=actor, target=placement, what=what, right=access.P_CLIENT_VIEW, unit=placement.unit, request=request
    )
    return placement


def measurement_get(*, actor, pk) -> Measurement:
    return access.access_object(
        Measurement.objects.select_related("placement", "version"), actor, pk, access.P_CLIENT_VIEW
    )


def child_age(placement, today=None) -> int:
    today = today or timezone.localdate()
    return today.year - placement.birth_year


def items_for(placement, version, today=None, items=None) -> list:
    """The version's items for the child's age (all of them when none fits: a
    version written for other ages is still answered whole). `items`: the
    version's items when already read."""
    age = child_age(placement, today)
    items = list(version.items.all()) if items is None else items
    return [i for i in items if i.fits_age(age)] or items


def current_version_items() -> tuple[InstrumentVersion | None, list[Item]]:
    """The version new measurements use (`current_version`) and its items, in
    one query: the items of the default instrument's newest published version
    with their version and instrument (more when that instrument is gone)."""
    newest = (
        InstrumentVersion.objects.filter(status=VersionStatus.PUBLISHED, instrument__code=DEFAULT_CODE)
        .order_by("-number")
        .values("pk")[:1]
    )
    items = list(Item.objects.filter(version_id=Subquery(newest)).select_related("version__instrument"))
    if items:
        return items[0].version, items
    version = current_version()
    return version, list(version.items.all()) if version is not None else []


def measurements_of(placement) -> list[Measurement]:
    """The child's measurements, oldest first, with their answers and items
    (the report's PDF; the child's pages read `measurement_rows`)."""
    return list(
        Measurement.objects.filter(placement=placement)
        .select_related("version", "recorded_by")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("item").order_by("item__order")))
        .order_by("measured_on", "pk")
    )


def due_dates_of(placement, measurements, today=None) -> list[schedule.DueDate]:
    today = today or timezone.localdate()
    return schedule.due_dates(
        starts_on=placement.starts_on,
        ends_on=placement.ends_on,
        today=today,
        measured=[m.measured_on for m in measurements],
    )


def proposed_items(measurement: Measurement, limit: int = 3) -> list:
    """The domains to work on: the lowest-scoring items (the child's and the
    worker's scores together; an unanswered score counts as the other one)."""
    def weight(answer):
        scores = [s for s in (answer.child_score, answer.worker_score) if s is not None]
        return (sum(scores) / len(scores) if scores else 99, answer.item.order)

    answers = sorted(measurement.answers.all(), key=weight)
    return [a.item for a in answers[:limit]]


def child_outcomes(*, placement, today=None, sessions_unit_id=None) -> dict:
    """Everything the child's measure pages show, for a placement already read
    through `placement_get` (which logged the read): two queries, the
    measurements with their answers and the goals, however many there are. With
    `sessions_unit_id`, "sessions_in_use" says whether that unit uses session
    checks (`measurement_rows`; None: not known)."""
    measurements, in_use = measurement_rows(placement, sessions_unit_id=sessions_unit_id)
    dates = due_dates_of(placement, measurements, today)
    return {
        "measurements": list(reversed(measurements)),
        "charts": trajectory(measurements),
        "goals": goals_of(placement),
        "due": next((d for d in reversed(dates) if d.state != schedule.UPCOMING), None),
        "next_due": next((d for d in dates if d.state == schedule.UPCOMING), None),
        "due_dates": dates,
        "sessions_in_use": in_use,
    }


def child_panel(*, actor, placement, request=None) -> dict | None:
    """The child's page's panel (core.registry CHILD_PANELS): the trajectory,
    the goals and the next measurement. The child's page has already written its
    read of the child to the access log (one row per page read, which covers
    what the page shows). Two queries (three for a child not yet measured, four
    when the unit uses session checks)."""
    if not access.can(actor, access.P_CLIENT_VIEW, placement.unit):
        return None
    outcomes = child_outcomes(placement=placement, sessions_unit_id=placement.unit_id)
    in_use = outcomes.pop("sessions_in_use")
    if in_use is None:
        in_use = session_checks_in_use(placement.unit)
    return {
        "template": "outcomes/_child_panel.html",
        "placement": placement,
        "sessions_in_use": in_use,
        "sessions_off_track": in_use and sessions_off_track(placement=placement),
        **outcomes,
    }


# --- The home page -----------------------------------------------------------------------------


def _due_rows(placements, today) -> list[tuple]:
    """(placement, due date) for the placements whose measurement is due or
    late, late first. One query: each current placement with its last
    measurement's date."""
    return _due(
        ((p, p.starts_on, p.ends_on, p.last_measured_on) for p in _with_last_measured(placements, today)
         .select_related("unit")
         .only("pk", "name", "starts_on", "ends_on", "unit__name", "unit_id", "personal_worker_id")),
        today,
    )


def _with_last_measured(placements, today):
    return placements.current(today).annotate(
        last_measured_on=Max("measurements__measured_on", filter=Q(measurements__measured_on__lte=today))
    )


def _due(placements, today) -> list[tuple]:
    """(placement, due date) of those of (placement, starts_on, ends_on, last
    measured on) whose measurement is due or late, late first."""
    rows = []
    for p, starts_on, ends_on, last_measured_on in placements:
        due = schedule.current_due(starts_on=starts_on, ends_on=ends_on, today=today, last_measured_on=last_measured_on)
        if due is not None:
            rows.append((p, due))
    rows.sort(key=lambda r: (r[1].state != schedule.LATE, r[1].due_on, r[0].name))
    return rows


class HomeChild(NamedTuple):
    """What outcomes/_home_measurements.html shows of a placement."""

    pk: int
    name: str
    unit_name: str


def _home_placements(actor):
    return Placement.objects.for_actor(actor, access.P_CLIENT_VIEW).filter(unit__is_active=True)


@counts_first
def measurement_home_items(*, actor, today, now: dt.datetime | None = None) -> CountsFirst:
    """The children of the actor's units whose measurement is due or late (the
    worker's and the supervisor's home page), late first. Counted first
    (core/lib/counts.py): the placements are read only where there are current
    ones, from their SQL kept compiled for the person and the day."""
    now = now or timezone.now()

    def placements_due(who, _now):
        return _with_last_measured(_home_placements(who), today).values_list(
            "pk", "name", "unit__name", "starts_on", "ends_on", "last_measured_on"
        )

    def then(counted):
        if not counted["current"]:
            return None
        kept = access_shape.kept_rows_for(actor, "outcomes.measurements", placements_due, today=today, now=now)
        rows = _due(((HomeChild(*row[:3]), *row[3:]) for row in kept), today)
        if not rows:
            return None
        return {
            "rows": rows[:HOME_ROWS],
            "total": len(rows),
            "late": sum(1 for _p, d in rows if d.state == schedule.LATE),
        }

    return CountsFirst(LazyCounts(lambda: {"current": _home_placements(actor).current(today)}), then)


def measurement_duties(*, today, unit_ids=None) -> list[registry.Duty]:
    """The measurements due or late in active units as quality-calendar duties
    (core.registry DUTY_SOURCES): one per child and due date, owned by the
    child's personal worker (none named: the unit's leaders). The title names no child: it travels
    in e-mail; the link opens the child's page, behind the sign-in."""
    placements = Placement.objects.filter(unit__is_active=True)
    if unit_ids is not None:
        placements = placements.filter(unit_id__in=unit_ids)
    title = _("A child's functional-capacity measurement")
    return [
        registry.Duty(
            key=f"outcomes.measurement:{p.pk}:{due.due_on.isoformat()}",
            unit_id=p.unit_id,
            title=title,
            due_on=due.due_on,
            late=due.state == schedule.LATE,
            link=reverse("outcomes:child", args=[p.pk]),
            owner_id=p.personal_worker_id,
        )
        for p, due in _due_rows(placements, today)
    ]


def measurements_for_agenda(*, actor, unit):
    """For the unit's meeting agenda (core.registry AGENDA_SOURCES): how many of
    the unit's children are due or late for their measurement. A count, no names:
    minutes are read more widely than the children's pages. Comes back to every
    meeting while any is waiting."""
    if unit is None or not access.can(actor, access.P_CLIENT_VIEW, unit):
        return []
    rows = _due_rows(Placement.objects.filter(unit=unit), timezone.localdate())
    if not rows:
        return []
    late = sum(1 for _p, d in rows if d.state == schedule.LATE)
    title = ngettext(
        "Functional-capacity measurements: %(count)s child due",
        "Functional-capacity measurements: %(count)s children due",
        len(rows),
    ) % {"count": len(rows)}
    note = ngettext("%(count)s of them late", "%(count)s of them late", late) % {"count": late} if late else ""
    return [{"title": title, "note": note}]


# --- Effectiveness -----------------------------------------------------------------------------


def _effect_rows(groups, labels) -> list[dict]:
    return [{"group": g, "f": g.figures, "domains": g.figures.domain_changes(labels)} for g in groups]


def effectiveness_overview(*, actor, region_id=None, today=None) -> dict:
    """The effectiveness figures of the units the actor may count children in
    (client.count; no names): per region, per service type and in total, and
    per unit when there are few units or one region is chosen. A fixed number
    of queries, however many units and children."""
    today = today or timezone.localdate()
    scope = access.units_for(actor, access.P_CLIENT_COUNT)
    unit_ids = list(scope.order_by("pk").values_list("pk", flat=True))
    figures = effectiveness.overview(unit_ids, today=today)
    labels = effectiveness.domain_labels() if unit_ids else {}
    regions = figures.regions
    region = next((g for g in regions if g.key == str(region_id)), None) if region_id is not None else None
    unit_rows = []
    if region is not None or len(unit_ids) <= effectiveness.UNIT_ROWS:
        listed = scope.filter(region_id=region.key) if region is not None else scope
        unit_rows = [
            effectiveness.Group(
                label=name, figures=figures.per_unit.get(pk, effectiveness.Figures()),
                link=reverse("outcomes:unit_effectiveness", args=[pk]), key=str(pk),
            )
            for pk, name in listed.order_by("name", "pk").values_list("pk", "name")
        ]
    total = effectiveness.Group(label=_("All your units"), figures=figures.total, units=len(unit_ids))
    return {
        "total": _effect_rows([total], labels)[0],
        "regions": _effect_rows(regions, labels) if len(regions) > 1 else [],
        "service_types": _effect_rows(figures.service_types, labels),
        "region": region,
        "unit_rows": _effect_rows(unit_rows, labels),
        "units": len(unit_ids),
        "computed_at": figures.computed_at,
        "figures_key": figures.key,
        "min_group": effectiveness.MIN_GROUP,
        "coverage_days": effectiveness.COVERAGE_DAYS,
    }


def unit_effectiveness(*, actor, unit, today=None) -> dict:
    """One unit's figures (client.count there, checked by the caller through
    access.access_unit) and how many measurements wait now (counts, no names)."""
    today = today or timezone.localdate()
    figures, computed_at = effectiveness.unit_figures_kept(unit.pk, today=today)
    rows = _due_rows(Placement.objects.filter(unit=unit), today)
    group = effectiveness.Group(label=unit.name, figures=figures)
    return {
        "computed_at": computed_at,
        "row": _effect_rows([group], effectiveness.domain_labels())[0],
        "waiting": len(rows),
        "late": sum(1 for _p, d in rows if d.state == schedule.LATE),
        "min_group": effectiveness.MIN_GROUP,
        "coverage_days": effectiveness.COVERAGE_DAYS,
    }


def effectiveness_section(*, actor, unit=None, period_start=None, period_end=None) -> dict:
    """The effectiveness section of the four-monthly follow-up report (all the
    actor's units) and of a unit's self-supervision plan (core.registry
    REPORT_SECTIONS): plain JSON-able figures, hidden for small groups, no
    names. Empty without client.count."""
    today = min(period_end, timezone.localdate()) if period_end else timezone.localdate()
    if unit is not None:
        if not access.can(actor, access.P_CLIENT_COUNT, unit):
            return {}
        figures = effectiveness.unit_figures([unit.pk], today=today).get(unit.pk, effectiveness.Figures())
    else:
        scope = access.units_for(actor, access.P_CLIENT_COUNT)
        if not scope.exists():
            return {}
        figures = effectiveness.total(effectiveness.unit_figures(scope.values("pk"), today=today).values())
    return {
        "as_of": today.isoformat(),
        "children": figures.children,
        "compared": figures.compared,
        "hidden": figures.hidden,
        "improved": figures.share("improved"),
        "unchanged": figures.share("unchanged"),
        "worse": figures.share("worse"),
        "coverage": figures.coverage,
        "coverage_due": None if figures.coverage_hidden else figures.due,
        "coverage_on_time": None if figures.coverage_hidden else figures.on_time,
        "domains": [[label, change] for label, change in figures.domain_changes(effectiveness.domain_labels())],
        "min_group": effectiveness.MIN_GROUP,
    }


# --- Feedback-informed sessions ----------------------------------------------------------------


def session_checks_in_use(unit) -> bool:
    return UnitPractice.objects.filter(unit=unit, session_checks=True).exists()


def sessions_off_track(*, placement) -> bool:
    """Whether the child's session checks say the work is off track (the child's page's flag)."""
    scores = list(SessionCheck.objects.filter(placement=placement).order_by("checked_on", "pk").values_list("scores", flat=True))
    return bool(sessions.off_track([sessions.life_total(s) for s in scores], [sessions.meeting_total(s) for s in scores]))


def child_sessions(*, placement) -> dict:
    """The child's session checks (oldest first), their plot and the off-track
    reasons, for a placement already read through `placement_get` (logged)."""
    checks = list(SessionCheck.objects.filter(placement=placement).order_by("checked_on", "pk"))
    life = [sessions.life_total(c.scores) for c in checks]
    meeting = [sessions.meeting_total(c.scores) for c in checks]
    reasons = sessions.off_track(life, meeting)
    return {
        "checks": [(c, lt, mt) for c, lt, mt in zip(checks, life, meeting, strict=True)][::-1],
        "plot": sessions.plot(checks),
        "off_track": [sessions.REASONS[r] for r in reasons],
        "in_use": session_checks_in_use(placement.unit),
        "total_max": sessions.TOTAL_MAX,
    }
