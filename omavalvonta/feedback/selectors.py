"""Reads of the feedback area: the figures (NPS, averages, response rates) per
unit, service type, region and organisation, with the small-group rule; rounds,
surveys and the public channel's feedback for the staff pages; and the meetings
agenda hook.

Figures are computed by two grouped queries per scope whatever the number of
answers (`_figures`), so pages do not slow down as answers pile up."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from omavalvonta.core.lib import bounds
from omavalvonta.core.services import access_log_record
from omavalvonta.feedback.models import (
    MIN_GROUP_SIZE,
    ON_BEHALF_CHANNELS,
    Answer,
    Group,
    Kiosk,
    PublicFeedback,
    QuestionKind,
    Response,
    ResponseLink,
    Round,
    Survey,
    SurveyState,
    Tally,
)
from omavalvonta.feedback.rates import ResponseRate
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Region, ServiceType, Unit

GROUP_ORDER = [Group.CHILD, Group.PARENT, Group.SOCIAL_WORKER]


def nps_of(promoters: int, detractors: int, answered: int) -> int | None:
    """Net Promoter Score: % promoters (9–10) minus % detractors (0–6), rounded."""
    if not answered:
        return None
    return round(100 * (promoters - detractors) / answered)


@dataclass
class Cell:
    """The figures of one respondent group in one period and scope."""

    n: int = 0
    nps_answered: int = 0
    promoters: int = 0
    detractors: int = 0
    items: dict = field(default_factory=dict)  # key -> (average, count)

    @property
    def hidden(self) -> bool:
        """Fewer than MIN_GROUP_SIZE answers: not shown separately."""
        return self.n < MIN_GROUP_SIZE

    @property
    def nps(self) -> int | None:
        if self.hidden or self.nps_answered < MIN_GROUP_SIZE:
            return None
        return nps_of(self.promoters, self.detractors, self.nps_answered)

    def item(self, key: str) -> float | None:
        avg, count = self.items.get(key, (None, 0))
        if self.hidden or count < MIN_GROUP_SIZE or avg is None:
            return None
        return round(avg, 1)


# The scope of the whole organisation's tallies (the rows without a unit).
ORGANISATION = Q(unit__isnull=True, region__isnull=True, service_type="")


def _region_scope(region_id) -> Q:
    return Q(unit__isnull=True, region_id=region_id)


def _service_type_scope(service_type: str) -> Q:
    return Q(unit__isnull=True, region__isnull=True, service_type=service_type)


# Every region's rows and every service type's rows (the overview groups them).
_REGIONS = Q(unit__isnull=True, region__isnull=False)
_SERVICE_TYPES = Q(unit__isnull=True, region__isnull=True) & ~Q(service_type="")
_SUMS = {
    "n": Sum("n"),
    "total": Sum("value_sum"),
    "nps_answered": Sum("nps_answered"),
    "promoters": Sum("promoters"),
    "detractors": Sum("detractors"),
}


def _add_row(cells: dict[str, Cell], group: str, row: dict) -> None:
    """Add a summed tally row (key "": the responses; else a question) to `cells`."""
    cell = cells.setdefault(group, Cell())
    if row["key"]:
        avg, count = cell.items.get(row["key"], (None, 0))
        total = (avg or 0) * count + (row["total"] or 0)
        count += row["n"] or 0
        cell.items[row["key"]] = (total / count if count else None, count)
    else:
        cell.n += row["n"] or 0
        cell.nps_answered += row["nps_answered"] or 0
        cell.promoters += row["promoters"] or 0
        cell.detractors += row["detractors"] or 0


def _figures(scope_q: Q, *, since: tuple[int, int] | None = None) -> dict[tuple[int, int], dict[str, Cell]]:
    """{(year, quarter): {group: Cell}} of the round quarters of the tallies
    matching `scope_q` (ORGANISATION, a region's, a service type's or a unit's). One
    query over the tallies, whatever the number of answers."""
    if since:
        scope_q &= Q(year__gt=since[0]) | Q(year=since[0], quarter__gte=since[1])
    table: dict[tuple[int, int], dict[str, Cell]] = defaultdict(dict)
    for row in Tally.objects.filter(scope_q).values("year", "quarter", "group", "key").annotate(**_SUMS).order_by():
        _add_row(table[(row["year"], row["quarter"])], row["group"], row)
    return dict(table)


def _recent_periods(count: int = 6, today: dt.date | None = None) -> list[tuple[int, int]]:
    today = today or timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    periods = []
    for _i in range(count):
        periods.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return periods[::-1]


def period_label(period: tuple[int, int]) -> str:
    return f"Q{period[1]}/{period[0]}"


def _item_labels() -> dict[str, dict[str, str]]:
    """{group: {key: question text}} from the current (else latest) version."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    surveys = Survey.objects.exclude(state=SurveyState.DRAFT).order_by("group", "version").prefetch_related("questions")
    for survey in surveys:  # later versions overwrite earlier ones
        for q in survey.questions.all():
            if q.kind in (QuestionKind.SCALE, QuestionKind.FACES):
                labels[survey.group][q.key] = q.text_in()
    return labels


@dataclass
class GroupReport:
    group: str
    label: str
    periods: list  # [(label, Cell unit, Cell comparison, ResponseRate)]
    latest: Cell
    latest_comparison: Cell
    items: list  # [(question text, unit avg, comparison avg)]
    trend: list  # [(label, unit nps, comparison nps)]
    rates_over: bool = False  # a quarter with more answers than places (shown capped, with a note)


def _offered_places(rounds, periods) -> dict[tuple[int, int], int]:
    """{(year, quarter): places offered} by `rounds` (a Round queryset) in the
    quarters of `periods`: each round offers its unit's places once."""
    first = periods[0]
    rows = (
        rounds.filter(Q(year__gt=first[0]) | Q(year=first[0], quarter__gte=first[1]))
        .values("year", "quarter")
        .annotate(places=Coalesce(Sum("unit__places"), 0))
        .values_list("year", "quarter", "places")
        .order_by()
    )
    return {(year, quarter): places for year, quarter, places in rows}


def _group_reports(figures, comparison, periods, *, offered: dict[tuple[int, int], int]) -> list[GroupReport]:
    labels = _item_labels()
    reports = []
    for group in GROUP_ORDER:
        rows, trend = [], []
        for p in periods:
            cell = figures.get(p, {}).get(group, Cell())
            comp = comparison.get(p, {}).get(group, Cell())
            rate = ResponseRate(cell.n, offered.get(p))
            rows.append((period_label(p), cell, comp, rate))
            trend.append((f"Q{p[1]}/{p[0] % 100:02d}", cell.nps, comp.nps))
        latest = rows[-1][1]
        latest_comparison = rows[-1][2]
        items = [(text, latest.item(key), latest_comparison.item(key)) for key, text in labels.get(group, {}).items()]
        reports.append(
            GroupReport(
                group=group,
                label=Group(group).label,
                periods=rows,
                latest=latest,
                latest_comparison=latest_comparison,
                items=items,
                trend=trend,
                rates_over=any(row[3].over for row in rows),
            )
        )
    return reports


def unit_results(*, actor, unit: Unit, periods: int = 6) -> dict:
    """A unit's results page: per group, the figures of the last `periods`
    quarters against the organisation's, the item averages of the current
    quarter, response rates (`rates`), and the free-text answers
    of the current quarter (the caller has checked feedback.view on the unit)."""
    access.require(actor, access.P_FEEDBACK_VIEW, unit)
    period_list = _recent_periods(periods)
    since = period_list[0]
    figures = _figures(Q(unit=unit), since=since)
    comparison = _figures(ORGANISATION, since=since)
    offered = _offered_places(Round.objects.filter(unit=unit), period_list)
    reports = _group_reports(figures, comparison, period_list, offered=offered)
    year, quarter = period_list[-1]
    texts = list(
        Answer.objects.filter(unit=unit, round__year=year, round__quarter=quarter)
        .exclude(text="")
        .values_list("response__group", "text")
        .order_by("text")  # not by time: the order of arrival could point at a person
    )
    small = {r.group for r in reports if r.latest.hidden}
    free_texts = [(None if group in small else Group(group).label, text) for group, text in texts]
    if free_texts:
        access_log_record(actor=actor, target=unit, what="feedback.free_texts", right=access.P_FEEDBACK_VIEW, unit=unit)
    return {"reports": reports, "free_texts": free_texts, "period": period_label(period_list[-1])}


SCOPE_LEVELS = ("service_type", "region", "organisation")


def scope_results(*, actor, level: str, key: str = "", periods: int = 6) -> dict | None:
    """The figures of a service type, a region or the whole organisation, per
    group over the last quarters against the organisation's, with the
    small-group rule (aggregates only: no free text at these levels), and the
    response rates of the scope's rounds (`rates`). None: unknown scope."""
    if not access.has_perm_anywhere(actor, access.P_FEEDBACK_VIEW):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(access.P_FEEDBACK_VIEW)
    units, rounds = Unit.objects.filter(is_active=True), Round.objects.all()
    if level == "service_type" and key in ServiceType.values:
        scope_q, name = _service_type_scope(key), str(ServiceType(key).label)
        units, rounds = units.filter(service_type=key), rounds.filter(unit__service_type=key)
    elif level == "region":
        region_id = bounds.parse_int(key)
        region = Region.objects.filter(pk=region_id).first() if region_id is not None else None
        if region is None:
            return None
        scope_q, name = _region_scope(region.pk), region.name
        units, rounds = units.filter(region_id=region.pk), rounds.filter(unit__region_id=region.pk)
    elif level == "organisation":
        scope_q, name = ORGANISATION, _("Whole organisation")
    else:
        return None
    period_list = _recent_periods(periods)
    since = period_list[0]
    figures = _figures(scope_q, since=since)
    comparison = figures if level == "organisation" else _figures(ORGANISATION, since=since)
    places = units.aggregate(total=models.Sum("places"))["total"]
    reports = _group_reports(figures, comparison, period_list, offered=_offered_places(rounds, period_list))
    return {"name": name, "reports": reports, "period": period_label(period_list[-1]), "places": places}


@dataclass
class OverviewRow:
    name: str
    url: str
    cells: list  # [Cell per GROUP_ORDER]
    units_url: str = ""  # a region's drill-down to its units


# Above this many units the overview lists regions and service types, and a
# region's units on request (?alue=), instead of a table of every unit.
OVERVIEW_UNIT_ROWS = 60


def _cells_by(rows, field_name: str) -> dict:
    out: dict = defaultdict(dict)
    for row in rows.values(field_name, "group", "key").annotate(**_SUMS).order_by():
        _add_row(out[row[field_name]], row["group"], row)
    return out


def overview(*, actor, region=None) -> dict:
    """The current quarter's figures per service type, per region, the
    organisation's, and per unit: the actor's units when they are few, else
    those of `region` (an id, from the drill-down) or none. Read from the
    tallies: five queries whatever the number of answers."""
    from django.urls import reverse

    year, quarter = _recent_periods(1)[0]
    units_qs = access.units_for(actor, access.P_FEEDBACK_VIEW)
    region_id = bounds.parse_int(region) if region not in (None, "") else None
    visible_regions = set(units_qs.values_list("region_id", flat=True).distinct())
    if region_id not in visible_regions:
        region_id = None
    chosen_region = region_id
    if region_id is None and len(visible_regions) == 1:  # a regional director: their own region's units
        region_id = next(iter(visible_regions))
    unit_count = units_qs.count()
    listed = region_id is not None or unit_count <= OVERVIEW_UNIT_ROWS
    units = []
    if listed:
        chosen = units_qs.filter(region_id=region_id) if region_id is not None else units_qs
        units = list(chosen.order_by("name").only("pk", "name"))
    current = Q(year=year, quarter=quarter, key="")
    per_unit = _cells_by(Tally.objects.filter(current, unit_id__in=[u.pk for u in units]), "unit_id") if units else {}
    unit_rows = [
        OverviewRow(u.name, reverse("feedback:unit", args=[u.pk]), [per_unit.get(u.pk, {}).get(g, Cell()) for g in GROUP_ORDER])
        for u in units
    ]
    by_type = _cells_by(Tally.objects.filter(_SERVICE_TYPES, current), "service_type")
    type_rows = [
        OverviewRow(
            str(label),
            reverse("feedback:scope", args=["service_type", value]),
            [by_type.get(value, {}).get(g, Cell()) for g in GROUP_ORDER],
        )
        for value, label in ServiceType.choices
    ]
    by_region = _cells_by(Tally.objects.filter(_REGIONS, current), "region_id")
    regions = Region.objects.filter(pk__in=visible_regions).order_by("name")
    home = reverse("feedback:home")
    region_rows = [
        OverviewRow(
            r.name,
            reverse("feedback:scope", args=["region", r.pk]),
            [by_region.get(r.pk, {}).get(g, Cell()) for g in GROUP_ORDER],
            units_url=f"{home}?alue={r.pk}#units",
        )
        for r in regions
    ]
    org: dict[str, Cell] = {}
    for row in Tally.objects.filter(ORGANISATION, current).values("group", "key").annotate(**_SUMS).order_by():
        _add_row(org, row["group"], row)
    return {
        "period": period_label((year, quarter)),
        "groups": [Group(g).label for g in GROUP_ORDER],
        "unit_rows": unit_rows,
        "unit_count": unit_count,
        "units_listed": listed,
        "region": next((r for r in regions if r.pk == chosen_region), None),
        "type_rows": type_rows,
        "region_rows": region_rows,
        "organisation_row": OverviewRow(
            _("Whole organisation"), reverse("feedback:scope", args=["organisation", "0"]), [org.get(g, Cell()) for g in GROUP_ORDER]
        ),
    }


# --- Rounds and the staff pages ---------------------------------------------------------


def round_list(*, actor):
    """The actor's rounds, newest first, each with its number of answers
    (counted per row shown, not over every round's answers)."""
    answers = (
        Response.objects.filter(round=models.OuterRef("pk")).order_by().values("round").annotate(n=Count("id")).values("n")
    )
    return (
        Round.objects.for_actor(actor, access.P_FEEDBACK_MANAGE)
        .select_related("unit")
        .annotate(answers=Coalesce(models.Subquery(answers), 0))
        .order_by("-year", "-quarter", "unit__name")
    )


def round_get(*, actor, pk, perm: str = access.P_FEEDBACK_MANAGE) -> Round:
    return access.access_object(Round.objects.all(), actor, pk, perm)


def round_counts(*, round: Round) -> dict:
    """Per group: answers, links made, links used, open kiosks."""
    counts = {g: {"answers": 0, "on_behalf": 0, "links": 0, "used": 0, "kiosks": []} for g in GROUP_ORDER}
    for row in (
        Response.objects.filter(round=round)
        .values("group")
        .annotate(n=Count("id"), on_behalf=Count("id", filter=Q(channel__in=ON_BEHALF_CHANNELS)))
        .order_by()
    ):
        counts[row["group"]]["answers"] = row["n"]
        counts[row["group"]]["on_behalf"] = row["on_behalf"]
    for row in (
        ResponseLink.objects.filter(round=round)
        .values("group")
        .annotate(n=Count("id"), used=Count("id", filter=Q(used=True)))
        .order_by()
    ):
        counts[row["group"]]["links"], counts[row["group"]]["used"] = row["n"], row["used"]
    for kiosk in Kiosk.objects.filter(round=round, closed=False).order_by("pk"):
        counts[kiosk.group]["kiosks"].append(kiosk)
    return [(g, Group(g).label, counts[g]) for g in GROUP_ORDER]


def kiosk_get(*, actor, pk) -> Kiosk:
    return access.access_object(Kiosk.objects.all(), actor, pk, access.P_FEEDBACK_MANAGE)


def surveys_by_group() -> list:
    surveys = list(Survey.objects.exclude(state=SurveyState.RETIRED).order_by("group", "-version"))
    out = []
    for group in GROUP_ORDER:
        mine = [s for s in surveys if s.group == group]
        out.append(
            {
                "group": group,
                "label": Group(group).label,
                "published": next((s for s in mine if s.state == SurveyState.PUBLISHED), None),
                "draft": next((s for s in mine if s.state == SurveyState.DRAFT), None),
            }
        )
    return out


def public_units(*, region_id: int | None = None):
    """The active units the public channel offers (names are public anyway),
    all of them or those of one region."""
    units = Unit.objects.filter(is_active=True)
    if region_id is not None:
        units = units.filter(region_id=region_id)
    return units.order_by("name", "pk")


def public_regions() -> list[dict]:
    """The regions with active units, each with their number: [{"pk", "name", "units"}]
    (one grouped query; the public form chooses a region first when units are many)."""
    return list(
        Region.objects.filter(units__is_active=True)
        .values("pk", "name")
        .annotate(units=Count("units"))
        .order_by("name", "pk")
    )


# --- Public feedback (staff side) ----------------------------------------------------------


def _public_feedback_q(actor, perm: str) -> Q:
    # Feedback to the organisation (no unit) matches organisation-wide grants only (scope_q).
    return access.scope_q(actor, perm)


def public_feedback_list(*, actor):
    return PublicFeedback.objects.filter(_public_feedback_q(actor, access.P_FEEDBACK_VIEW)).select_related("unit")


def public_feedback_get(*, actor, pk) -> PublicFeedback:
    """One message: 404 outside the actor's units, 403 inside without the right."""
    # A message to the whole organisation (no unit) is the organisation-wide members' (the kernel).
    feedback = access.access_object(PublicFeedback.objects.select_related("answered_by"), actor, pk, access.P_FEEDBACK_VIEW)
    if feedback.sender_name or feedback.sender_contact:
        access_log_record(
            actor=actor, target=feedback, what="feedback.sender", right=access.P_FEEDBACK_VIEW, unit=feedback.unit
        )
    return feedback


def can_answer(actor, feedback: PublicFeedback) -> bool:
    return access.can_on(actor, feedback, access.P_FEEDBACK_MANAGE)


# --- The meetings agenda hook ---------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    last = dt.date(year + (month == 12), 1 if month == 12 else month + 1, 1) - dt.timedelta(days=1)
    return first, last


def _month_cells(scope_q: Q, first: dt.date, last: dt.date) -> dict[str, Cell]:
    """{group: Cell} of the answers given in the whole months from `first` (a
    first day) to `last` (a last day), from the tallies matching `scope_q`: one query."""
    cells: dict[str, Cell] = {}
    rows = Tally.objects.filter(scope_q, month__range=(first.replace(day=1), last)).values("group", "key")
    for row in rows.annotate(**_SUMS).order_by():
        _add_row(cells, row["group"], row)
    return cells


def monthly_report(*, unit: Unit, year: int, month: int, with_texts: bool = False) -> dict:
    """A unit's feedback of one calendar month (by answer date) for the team
    meeting: per group the answers, NPS and item averages against the whole
    organisation's, with the small-group rule; the month's public feedback; and
    (with_texts, for those allowed to see the unit) the free-text answers."""
    first, last = month_bounds(year, month)
    unit_cells = _month_cells(Q(unit=unit), first, last)
    org_cells = _month_cells(ORGANISATION, first, last)
    labels = _item_labels()
    groups = []
    for g in GROUP_ORDER:
        cell, comp = unit_cells.get(g, Cell()), org_cells.get(g, Cell())
        items = [(text, cell.item(key), comp.item(key)) for key, text in labels.get(g, {}).items()]
        groups.append({"group": g, "label": Group(g).label, "cell": cell, "comparison": comp, "items": items})
    public = list(PublicFeedback.objects.filter(unit=unit, created_at__date__range=(first, last)).order_by("created_at"))
    texts = []
    if with_texts:
        small = {g["group"] for g in groups if g["cell"].hidden}
        texts = [
            (None if group in small else Group(group).label, text)
            for group, text in Answer.objects.filter(unit=unit, response__submitted_on__range=(first, last))
            .exclude(text="")
            .values_list("response__group", "text")
            .order_by("text")
        ]
    return {
        "first": first,
        "last": last,
        "groups": groups,
        "cells": [(g["label"], g["cell"]) for g in groups],
        "public": len(public),
        "public_feedback": public,
        "free_texts": texts,
    }


def previous_month(today: dt.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def feedback_report_for_agenda(*, actor, unit):
    """Meetings agenda hook: the unit's feedback report of the previous month, as
    a dict {"title", "note", "source"}, when the chair may see the unit's
    feedback and the month had answers or public feedback."""
    if unit is None or not access.can(actor, access.P_FEEDBACK_VIEW, unit):
        return []
    year, month = previous_month()
    report = monthly_report(unit=unit, year=year, month=month)
    total = sum(cell.n for _, cell in report["cells"])
    if not total and not report["public"]:
        return []
    parts = []
    for label, cell in report["cells"]:
        if not cell.n:
            continue
        if cell.hidden:
            parts.append(
                ngettext(
                    "%(group)s: %(n)d answer (fewer than five, figures not shown)",
                    "%(group)s: %(n)d answers (fewer than five, figures not shown)",
                    cell.n,
                )
                % {"group": label, "n": cell.n}
            )
        else:
            nps = cell.nps
            parts.append(
                ngettext("%(group)s: %(n)d answer, NPS %(nps)s", "%(group)s: %(n)d answers, NPS %(nps)s", cell.n)
                % {"group": label, "n": cell.n, "nps": "–" if nps is None else f"{nps:+d}"}
            )
    if report["public"]:
        parts.append(_("public feedback: %(n)d") % {"n": report["public"]})
    month_label = report["first"].strftime("%-m/%Y")
    return [
        {
            "title": _("Client feedback report %(month)s") % {"month": month_label},
            "note": "; ".join(parts),
            "source": None,
        }
    ]


# --- Team incentive goals ------------------------------------------------------------------


def half_bounds(year: int, half: int) -> tuple[dt.date, dt.date]:
    return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if half == 1 else (dt.date(year, 7, 1), dt.date(year, 12, 31))


def current_half(today: dt.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, 1 if today.month <= 6 else 2


@dataclass
class GoalResult:
    goal: object
    actual: float | None
    met: bool | None  # None: not evaluable (too few answers, no data, not assessed)
    note: str = ""


def goals_evaluated(*, actor, unit: Unit, year: int, half: int) -> list[GoalResult]:
    """The unit's goals for a half-year with the figures from the data: NPS and
    response rate of the half's answers (small-group rule applies), deviations
    whose handling started by the deadline (through the deviations' selector,
    as the actor sees them), manual goals as the team assessed them."""
    from omavalvonta.deviations.selectors import deviation_list
    from omavalvonta.feedback.models import GoalMetric, TeamGoal

    access.require(actor, access.P_FEEDBACK_VIEW, unit)
    goals = list(TeamGoal.objects.filter(unit=unit, year=year, half=half).order_by("pk"))
    if not goals:
        return []
    first, last = half_bounds(year, half)
    cells = _month_cells(Q(unit=unit), first, last)
    quarters = Round.objects.filter(unit=unit, opens_on__lte=last, closes_on__gte=first).count()
    on_time = None
    if any(g.metric == GoalMetric.HANDLING_ON_TIME for g in goals) and access.can(actor, access.P_DEVIATION_VIEW, unit):
        rows = list(
            deviation_list(
                actor=actor, filters={"unit": unit.pk, "date_from": first.isoformat(), "date_to": last.isoformat()}
            ).values_list("handling_started_at", "handling_due_at")
        )
        # A report not started but not yet due is not counted either way.
        now = timezone.now()
        rows = [(s, d) for s, d in rows if s is not None or d < now]
        if rows:
            on_time = round(100 * sum(1 for s, d in rows if s is not None and s <= d) / len(rows))
    results = []
    for goal in goals:
        if goal.metric == GoalMetric.NPS:
            cell = cells.get(goal.group, Cell())
            actual = cell.nps
            met = None if actual is None else actual >= goal.target
            note = _("Fewer than five answers: not evaluated.") if actual is None and cell.n else ""
        elif goal.metric == GoalMetric.RESPONSE_RATE:
            cell = cells.get(goal.group, Cell())
            base = (unit.places or 0) * max(quarters, 1)
            actual = ResponseRate(cell.n, base).percent
            met = None if actual is None else actual >= goal.target
            note = "" if base else _("The unit has no number of places.")
        elif goal.metric == GoalMetric.HANDLING_ON_TIME:
            actual = on_time
            met = None if actual is None else actual >= goal.target
            note = ""
        else:
            actual, met, note = None, goal.manual_met, goal.manual_note
        results.append(GoalResult(goal=goal, actual=actual, met=met, note=note))
    return results


def goal_get(*, actor, pk, perm: str = access.P_FEEDBACK_MANAGE):
    from omavalvonta.feedback.models import TeamGoal

    return access.access_object(TeamGoal.objects.all(), actor, pk, perm)


# --- The group's four-monthly follow-up report ---------------------------------------------


def _cell_figures(cell: Cell) -> dict:
    """One group's figures as plain data, with the small-group rule applied: a
    group with fewer than MIN_GROUP_SIZE answers shows neither its count nor its NPS."""
    if cell.hidden:
        return {"n": None, "nps": None, "hidden": bool(cell.n)}
    return {"n": cell.n, "nps": cell.nps, "hidden": False}


def _whole_months(first: dt.date, last: dt.date):
    """The span of whole months within [first, last] as (first day, last day) or
    None, and the parts of months outside it: [(first, last)]."""
    start = first if first.day == 1 else month_bounds(first.year, first.month)[1] + dt.timedelta(days=1)
    end_month_last = month_bounds(last.year, last.month)[1]
    end = last if last == end_month_last else last.replace(day=1) - dt.timedelta(days=1)
    if start > end:
        return None, [(first, last)]
    edges = []
    if first < start:
        edges.append((first, start - dt.timedelta(days=1)))
    if end < last:
        edges.append((end + dt.timedelta(days=1), last))
    return (start, end), edges


def feedback_period_figures(*, date_from: dt.date, date_to: dt.date, actor=None) -> dict:
    """The client feedback of a period (answers by their date) for the
    programme's follow-up report: per respondent group the answers, NPS and the
    response rate against the places the period's rounds offered (a round's
    unit's places, once per round), for the organisation, per region and per
    unit; the small-group rule applies everywhere. Plain data (stored with the
    report). With `actor`, only the units where the actor may see feedback.
    Whole months are read from the tallies, a part of a month at either end of
    the period from the responses of those days."""
    units = Unit.objects.filter(is_active=True)
    if actor is not None:
        units = access.units_for(actor, access.P_FEEDBACK_VIEW)
    unit_ids = set(units.values_list("pk", flat=True))
    counts = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))  # unit -> group -> n, answered, promoters, detractors
    whole, edges = _whole_months(date_from, date_to)
    rows = []
    if whole:  # the whole months from the tallies
        rows.append(
            Tally.objects.filter(unit__isnull=False, key="", month__range=whole)
            .values("unit_id", "group")
            .annotate(**_SUMS)
        )
    for first, last in edges:  # a part of a month at either end from the responses
        rows.append(
            Response.objects.filter(submitted_on__range=(first, last))
            .values("unit_id", "group")
            .annotate(
                n=Count("id"),
                nps_answered=Count("nps"),
                promoters=Count("id", filter=Q(nps__gte=9)),
                detractors=Count("id", filter=Q(nps__lte=6)),
            )
        )
    for qs in rows:
        for row in qs.order_by():
            if row["unit_id"] not in unit_ids:
                continue
            figures = counts[row["unit_id"]][row["group"]]
            for i, name in enumerate(("n", "nps_answered", "promoters", "detractors")):
                figures[i] += row[name] or 0
    offered: dict[int, int] = defaultdict(int)  # unit -> places offered by its rounds in the period
    for unit_id, places in Round.objects.filter(
        unit_id__in=unit_ids, opens_on__lte=date_to, closes_on__gte=date_from
    ).values_list("unit_id", "unit__places"):
        offered[unit_id] += places or 0
    info = {
        u["pk"]: u
        for u in Unit.objects.filter(pk__in=set(counts) | set(offered)).values("pk", "name", "region_id", "region__name")
    }

    def summary(ids) -> dict:
        cells = {g: Cell() for g in GROUP_ORDER}
        for unit_id in ids:
            for group, (n, answered, promoters, detractors) in counts.get(unit_id, {}).items():
                cell = cells.setdefault(group, Cell())
                cell.n += n
                cell.nps_answered += answered
                cell.promoters += promoters
                cell.detractors += detractors
        base = sum(offered.get(i, 0) for i in ids)
        groups = []
        for g in GROUP_ORDER:
            figures = _cell_figures(cells[g])
            figures["group"] = str(g)
            rate = ResponseRate(cells[g].n, base)
            shown = figures["n"] is not None
            figures["rate"] = rate.percent if shown else None
            figures["rate_over"] = rate.over and shown
            groups.append(figures)
        return {"total": sum(c.n for c in cells.values()), "places": base, "groups": groups}

    by_region: dict[int, list[int]] = defaultdict(list)
    for pk, u in info.items():
        by_region[u["region_id"]].append(pk)
    regions = sorted(by_region.items(), key=lambda kv: (info[kv[1][0]]["region__name"], kv[0]))
    units_sorted = sorted(info.values(), key=lambda u: (u["name"], u["pk"]))
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "min_group_size": MIN_GROUP_SIZE,
        "organisation": summary(list(info)),
        "by_region": [{"label": info[ids[0]]["region__name"], **summary(ids)} for _, ids in regions],
        "by_unit": [{"label": u["name"], **summary([u["pk"]])} for u in units_sorted if u["pk"] in counts],
    }


# --- The home page ("what is waiting for me") ------------------------------------------------------


def round_home_items(*, actor, today: dt.date | None = None, limit: int = 3) -> dict | None:
    """For the home page: the feedback rounds open today in the units where the
    actor runs them, closing soonest first, each with its answers and, per
    respondent group that has answered, its response rate (`rates`). None when no
    round is open. Three queries at most."""
    if not access.has_perm_anywhere(actor, access.P_FEEDBACK_MANAGE):
        return None
    today = today or timezone.localdate()
    qs = Round.objects.for_actor(actor, access.P_FEEDBACK_MANAGE).filter(opens_on__lte=today, closes_on__gte=today)
    total = qs.count()
    if not total:
        return None
    rows = list(qs.select_related("unit").order_by("closes_on", "unit__name", "id")[:limit])
    counts: dict[int, dict[str, int]] = {r.pk: {} for r in rows}
    for round_id, group, n in (
        Response.objects.filter(round_id__in=list(counts))
        .values("round_id", "group")
        .annotate(n=Count("id"))
        .values_list("round_id", "group", "n")
        .order_by()
    ):
        counts[round_id][group] = n
    for r in rows:
        places = r.unit.places
        r.answers = sum(counts[r.pk].values())
        r.groups = [
            {"label": Group(g).label, "answers": counts[r.pk][g], "rate": ResponseRate(counts[r.pk][g], places)}
            for g in GROUP_ORDER
            if g in counts[r.pk]
        ]
    rates_over = any(g["rate"].over for r in rows for g in r.groups)
    return {"rows": rows, "total": total, "today": today, "rates_over": rates_over}
