"""Reads of the feedback area for its staff pages: the results (NPS, averages,
response rates) per unit, service type, region and organisation with the
small-group rule, read from the tallies through feedback.figures; rounds,
surveys and the public channel's feedback; and the home page's open rounds.
The monthly and follow-up reports are in feedback.reports, the team goals in
feedback.goals."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.lib import bounds
from omavalvonta.core.lib.counts import CountsFirst, LazyCounts, counts_first
from omavalvonta.core.lib.kept import kept_rows
from omavalvonta.core.services import access_log_record
from omavalvonta.feedback import figures as fig
from omavalvonta.feedback.figures import GROUP_ORDER, ORGANISATION, Cell, period_label
from omavalvonta.feedback.models import (
    MIN_GROUP_SIZE,
    ON_BEHALF_CHANNELS,
    Answer,
    Group,
    Kiosk,
    PublicFeedback,
    Response,
    ResponseLink,
    Round,
    Survey,
    SurveyState,
    Tally,
)
from omavalvonta.feedback.rates import ResponseRate
from omavalvonta.organisation import access, access_shape
from omavalvonta.organisation.models import Region, ServiceType, Unit


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
    labels = fig.item_labels()
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
    period_list = fig.recent_periods(periods)
    since = period_list[0]
    figures, comparison = fig.with_organisation(Q(unit=unit), since=since)
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
        scope_q, name = fig.service_type_scope(key), str(ServiceType(key).label)
        units, rounds = units.filter(service_type=key), rounds.filter(unit__service_type=key)
    elif level == "region":
        region_id = bounds.parse_int(key)
        region = Region.objects.filter(pk=region_id).first() if region_id is not None else None
        if region is None:
            return None
        scope_q, name = fig.region_scope(region.pk), region.name
        units, rounds = units.filter(region_id=region.pk), rounds.filter(unit__region_id=region.pk)
    elif level == "organisation":
        scope_q, name = ORGANISATION, _("Whole organisation")
    else:
        return None
    period_list = fig.recent_periods(periods)
    since = period_list[0]
    if level == "organisation":
        figures = comparison = fig.by_quarter(scope_q, since=since)
    else:
        figures, comparison = fig.with_organisation(scope_q, since=since)
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


def _by_group(cells: dict) -> list[Cell]:
    """One scope's cells in the order of the groups' columns (an empty Cell for a group without answers)."""
    return [cells.get(g, Cell()) for g in GROUP_ORDER]


def _overview_regions(units_qs, region) -> tuple[set, int | None, int | None, int]:
    """(visible regions, the region asked for, the region whose units are
    listed, the number of units): a region asked for counts only when the actor
    sees units in it; a regional director (one visible region) sees their own
    region's units. One query (the units per region)."""
    region_id = bounds.parse_int(region) if region not in (None, "") else None
    per_region = dict(units_qs.order_by().values_list("region_id").annotate(n=Count("pk")))
    visible_regions = set(per_region)
    if region_id not in visible_regions:
        region_id = None
    chosen_region = region_id
    if region_id is None and len(visible_regions) == 1:
        region_id = next(iter(visible_regions))
    return visible_regions, chosen_region, region_id, sum(per_region.values())


def _unit_rows(units, per_unit: dict) -> list[OverviewRow]:
    """`units`: [(id, name)]."""
    # A unit's address without a reverse() per row (a region lists a hundred).
    prefix = reverse("feedback:unit", args=[0])
    assert prefix.endswith("/0/"), prefix
    prefix = prefix[:-2]
    return [OverviewRow(name, f"{prefix}{pk}/", _by_group(per_unit.get(pk, {}))) for pk, name in units]


def _type_rows(by_type: dict) -> list[OverviewRow]:
    return [
        OverviewRow(str(label), reverse("feedback:scope", args=["service_type", value]), _by_group(by_type.get(value, {})))
        for value, label in ServiceType.choices
    ]


def _region_rows(regions, by_region: dict) -> list[OverviewRow]:
    home = reverse("feedback:home")
    prefix = reverse("feedback:scope", args=["region", 0])
    assert prefix.endswith("/0/"), prefix
    prefix = prefix[:-2]
    return [
        OverviewRow(
            r.name,
            f"{prefix}{r.pk}/",
            _by_group(by_region.get(r.pk, {})),
            units_url=f"{home}?alue={r.pk}#units",
        )
        for r in regions
    ]


def overview(*, actor, region=None) -> dict:
    """The current quarter's figures per service type, per region, the
    organisation's, and per unit: the actor's units when they are few, else
    those of `region` (an id, from the drill-down) or none. Read from the
    tallies: the figures in one statement whatever the number of answers."""
    year, quarter = fig.recent_periods(1)[0]
    units_qs = access.units_for(actor, access.P_FEEDBACK_VIEW)
    visible_regions, chosen_region, region_id, unit_count = _overview_regions(units_qs, region)
    listed = region_id is not None or unit_count <= OVERVIEW_UNIT_ROWS
    units = []
    if listed:
        chosen = units_qs.filter(region_id=region_id) if region_id is not None else units_qs
        units = list(chosen.order_by("name").values_list("pk", "name"))
    cells = fig.quarter_cells(year, quarter, [pk for pk, _name in units])
    regions = list(Region.objects.filter(pk__in=visible_regions).order_by("name"))
    return {
        "period": period_label((year, quarter)),
        "groups": [str(Group(g).label) for g in GROUP_ORDER],
        "unit_rows": _unit_rows(units, cells["unit"]),
        "unit_count": unit_count,
        "units_listed": listed,
        "region": next((r for r in regions if r.pk == chosen_region), None),
        "type_rows": _type_rows(cells["service_type"]),
        "region_rows": _region_rows(regions, cells["region"]),
        "organisation_row": OverviewRow(
            _("Whole organisation"), reverse("feedback:scope", args=["organisation", "0"]), _by_group(cells["organisation"][None])
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


def public_feedback_get(*, actor, pk, request=None) -> PublicFeedback:
    """One message: 404 outside the actor's units, 403 inside without the right.
    Every read is in the access log: the sender's contact details when they gave
    them (feedback.sender), else the message itself (feedback.notice)."""
    # A message to the whole organisation (no unit) is the organisation-wide members' (the kernel).
    feedback = access.access_object(PublicFeedback.objects.select_related("answered_by"), actor, pk, access.P_FEEDBACK_VIEW)
    what = "feedback.sender" if feedback.sender_name or feedback.sender_contact else "feedback.notice"
    access_log_record(
        actor=actor, target=feedback, what=what, right=access.P_FEEDBACK_VIEW, unit=feedback.unit, request=request
    )
    return feedback


def can_answer(actor, feedback: PublicFeedback) -> bool:
    return access.can_on(actor, feedback, access.P_FEEDBACK_MANAGE)


# --- The home page ("what is waiting for me") ------------------------------------------------------


@counts_first
def round_home_items(
    *, actor, today: dt.date | None = None, now: dt.datetime | None = None, limit: int = 3
) -> CountsFirst | None:
    """For the home page: the feedback rounds open today in the units where the
    actor runs them, closing soonest first, each with its answers and, per
    respondent group that has answered, its response rate (`rates`). None when no
    round is open. Three queries at most. A person who runs them over a region
    or the organisation sees how many are open (`rows` empty) and the overview's
    link: the few closing soonest of a region's rounds say little (issue 13)."""
    if not access.has_perm_anywhere(actor, access.P_FEEDBACK_MANAGE):
        return None
    today, now = today or timezone.localdate(), now or timezone.now()
    limit = 0 if access.has_perm_above_unit(actor, access.P_FEEDBACK_MANAGE) else limit

    def shown(who, _now):
        # What the block shows of a round, from its SQL kept compiled for the person and the day.
        rounds = _open_rounds(who, today).order_by("closes_on", "unit__name", "id")
        return rounds.values_list("pk", "year", "quarter", "closes_on", "unit_id", "unit__name", "unit__places")[:limit]

    def then(counted):
        if not counted["total"] or not limit:
            return _round_rows([], counted["total"], today)
        kept = access_shape.kept_rows_for(actor, ("feedback.rounds", limit), shown, today=today, now=now)
        return _round_rows([_shown_round(*row) for row in kept], counted["total"], today)

    # The count first (core/lib/counts.py), then the rows.
    return CountsFirst(LazyCounts(lambda: {"total": _open_rounds(actor, today)}), then)


def _open_rounds(actor, today):
    return Round.objects.for_actor(actor, access.P_FEEDBACK_MANAGE).filter(opens_on__lte=today, closes_on__gte=today)


def _shown_round(pk, year, quarter, closes_on, unit_id, unit_name, places) -> Round:
    """A round with what the home block shows of it and its unit, nothing else."""
    return Round(pk=pk, year=year, quarter=quarter, closes_on=closes_on, unit=Unit(pk=unit_id, name=unit_name, places=places))


def _answers(rounds):
    """The rounds' answers per respondent group (their SQL kept per the rounds' ids: core/lib/kept.py)."""
    return Response.objects.filter(round_id__in=list(rounds)).values_list("round_id", "group").annotate(n=Count("id")).order_by()


def _round_rows(rows: list, total, today):
    if not total:
        return None
    if not rows:
        return {"rows": [], "total": total, "today": today, "rates_over": False}
    counts: dict[int, dict[str, int]] = {r.pk: {} for r in rows}
    for round_id, group, n in kept_rows(
        ("feedback.home.answers", tuple(counts)), lambda _now: _answers(counts), lambda _now: _answers(counts), now=timezone.now()
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


def county_figures(*, county, unit_ids, period_start: dt.date, period_end: dt.date) -> dict:
    """core.registry COUNTY_SECTIONS "feedback": the answers and NPS of the
    county's units in the whole months of the period, all respondent groups
    together and by group, per unit (from the tallies: one query). A figure of
    fewer than MIN_GROUP_SIZE answers is hidden (None). The answers are
    anonymous: they say nothing of which county placed the child."""
    rows = (
        Tally.objects.filter(
            unit_id__in=list(unit_ids), key="", month__range=(period_start.replace(day=1), period_end)
        )
        .values("unit_id", "unit__name", "group", "key")
        .annotate(**fig.SUMS)
        .order_by()
    )
    per_unit: dict[tuple[str, int], dict[str, Cell]] = defaultdict(dict)
    totals: dict[str, Cell] = {}
    for row in rows:
        fig.add_row(per_unit[(row["unit__name"], row["unit_id"])], row["group"], row)
        fig.add_row(totals, row["group"], row)
        fig.add_row(per_unit[(row["unit__name"], row["unit_id"])], "all", row)
        fig.add_row(totals, "all", row)
    if not per_unit:
        return {}
    labels = dict(Group.choices)

    def _groups(cells):
        return [
            {"group": str(g), "label": str(labels[g]), **fig.cell_figures(cells.get(g, Cell()))} for g in GROUP_ORDER
        ]

    return {
        "total": fig.cell_figures(totals.get("all", Cell())),
        "groups": _groups(totals),
        "by_unit": [
            {"unit_id": pk, "unit": name, **fig.cell_figures(cells.get("all", Cell()))}
            for (name, pk), cells in sorted(per_unit.items())
        ],
        "small": MIN_GROUP_SIZE,
    }
