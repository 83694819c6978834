"""Reads of the register. Every read starts from the kernel (restriction.view in
the child's unit); every read of a child's restrictions writes an access-log row."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Subquery, Window
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import ngettext

from omavalvonta.clients import selectors as clients_selectors
from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.services import access_log_record
from omavalvonta.organisation import access
from omavalvonta.restrictions import law
from omavalvonta.restrictions.models import ChildFlag, ReductionGoal, Restriction, RestrictionDocument

CHILD_PANEL_LATEST = 5
# Outside the unit a count this small could point at one child: shown as "fewer than".
SMALL_GROUP = 5
OVERVIEW_DAYS = 365
FIGURE_MONTHS = 12


def unit_counts(*, actor, region_id: int | None = None) -> list[dict]:
    """Per unit the actor may count (client.count: the children's figures), in
    one region when given, the measures of the last year, in one query; no names.
    A unit whose register the actor reads is linked; for others a count under
    SMALL_GROUP is only "fewer"."""
    units = access.units_for(actor, access.P_CLIENT_COUNT).select_related("region").order_by("name", "pk")
    if region_id is not None:
        units = units.filter(region_id=region_id)
    units = list(units)
    since = timezone.now() - dt.timedelta(days=OVERVIEW_DAYS)
    counts = dict(
        Restriction.objects.filter(unit__in=[u.pk for u in units], started_at__gte=since)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    viewable = set(access.units_for(actor, access.P_RESTRICTION_VIEW).values_list("pk", flat=True))
    rows = []
    for unit in units:
        n = counts.get(unit.pk, 0)
        can_view = unit.pk in viewable
        rows.append({"unit": unit, "count": n, "can_view": can_view, "small": not can_view and 0 < n < SMALL_GROUP})
    return rows


def unit_restrictions(*, actor, unit):
    """The unit's register, newest first, for an actor already allowed to read it."""
    access.require(actor, access.P_RESTRICTION_VIEW, unit)
    return Restriction.objects.filter(unit=unit).order_by("-started_at", "-id")


def signed_ids(restrictions) -> set[int]:
    """Which of `restrictions` (a page of the register) have a signed decision or
    account: one query."""
    return set(
        RestrictionDocument.objects.filter(restriction__in=[r.pk for r in restrictions])
        .values_list("restriction_id", flat=True)
        .distinct()
    )


def restriction_get(*, actor, pk, perm: str = access.P_RESTRICTION_VIEW, request=None) -> Restriction:
    """One restriction: 404 outside the actor's units, 403 inside without `perm`.
    Every read is written to the access log (what="restriction.detail")."""
    restriction = access.access_object(
        Restriction.objects.select_related("placement", "unit", "created_by", "decided_by"), actor, pk, perm
    )
    access_log_record(
        actor=actor, target=restriction, what="restriction.detail", right=perm, unit=restriction.unit, request=request
    )
    return restriction


def placement_for_record(*, actor, pk, request=None):
    """The child a measure is recorded for (restriction.record in the child's unit)."""
    return clients_selectors.placement_get(actor=actor, pk=pk, perm=access.P_RESTRICTION_RECORD, request=request)


def child_panel(*, actor, placement, request=None) -> dict | None:
    """The child's page's panel (core.registry CHILD_PANELS): the child's
    latest measures, their number, the debriefs still missing, the open flag
    and the way to record one, in one query; nothing for those who may not read
    the unit's register. The page's read is in the access log already, once (the
    child's page writes "placement.detail": one row per page read, whatever its
    panels show)."""
    if not access.can(actor, access.P_RESTRICTION_VIEW, placement.unit):
        return None
    flag = ChildFlag.objects.filter(placement=placement, handled_at__isnull=True).order_by("-raised_at", "-id")
    latest = list(
        Restriction.objects.filter(placement=placement)
        .only("pk", "measure", "started_at")
        .annotate(
            # Over all the child's measures, before the LIMIT: the count, the debriefs missing, the open flag.
            n_total=Window(Count("pk")),
            n_missing=Window(Count("pk", filter=Q(debrief_at__isnull=True))),
            flag_pk=Subquery(flag.values("pk")[:1]),
            flag_raised_at=Subquery(flag.values("raised_at")[:1]),
        )
        .order_by("-started_at", "-id")[:CHILD_PANEL_LATEST]
    )
    first = latest[0] if latest else None
    return {
        "template": "restrictions/_child_panel.html",
        "placement_id": placement.pk,
        "restrictions": latest,
        "items": _child_panel_items(latest),
        "total": first.n_total if first else 0,
        "debriefs_missing": first.n_missing if first else 0,
        "flag": {"pk": first.flag_pk, "raised_at": first.flag_raised_at} if first and first.flag_pk else None,
        "can_handle": access.can(actor, access.P_RESTRICTION_DECIDE, placement.unit),
        "can_record": access.can(actor, access.P_RESTRICTION_RECORD, placement.unit)
        and (placement.ends_on is None),
        # The law allows no restrictive measure for this placement (open-care support, aftercare).
        "none_allowed": not law.allowed_for(placement.placement_type),
    }


def _child_panel_items(restrictions) -> str:
    """The list items of the child's page's panel, written once: each measure
    linked, with its start in the local time (as the date filter "j.n.Y H:i")."""
    return format_html_join(
        "",
        '<li><a href="{}">{}</a> · {}</li>',
        (
            (reverse("restrictions:detail", args=[r.pk]), r.measure_label, _local_time_text(r.started_at))
            for r in restrictions
        ),
    )


def _local_time_text(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.day}.{local.month}.{local.year} {local:%H:%M}"


def _panel_counts(*, record, unit_id) -> dict:
    """The deviation panel's counts from the report's id and its unit (an id or
    the page's expression of it: the page keeps their SQL compiled)."""
    return {"linked": Restriction.objects.filter(unit_id=unit_id, deviation_id=record.pk)}


def _panel(*, actor, deviation, counted) -> dict | None:
    """The deviation panel from its counts (`_panel_counts`)."""
    unit = deviation.unit
    if not access.can(actor, access.P_RESTRICTION_VIEW, unit):
        return None
    template = "restrictions/_deviation_panel.html"
    if counted["linked"]:
        linked = Restriction.objects.filter(unit=unit, deviation_id=deviation.pk)
        return {"template": template, "restrictions": list(linked.select_related("placement").order_by("started_at", "id"))}
    if not (getattr(deviation, "restraint_used", False) and access.can(actor, access.P_RESTRICTION_RECORD, unit)):
        return None
    children = [
        p for p in clients_selectors.record_children(record=deviation) if p.unit_id == unit.pk and p.ends_on is None
    ]
    return {"template": template, "restrictions": [], "children": children, "deviation_id": deviation.pk}


@counts_first
def deviation_panel(*, actor, deviation) -> CountsFirst | None:
    """The deviation page's panel (core.registry DEVIATION_PANELS): the measures
    recorded about the same event, for those who read the unit's register; when
    the report says a restraint was used and none is recorded yet, links to
    record it for the children the report names, with the report's number
    filled in (one recording, not two). The measures are counted first (the
    page counts them from `record_counts` and makes the panel with `with_counts`)."""
    if not access.can(actor, access.P_RESTRICTION_VIEW, deviation.unit):
        return None
    return CountsFirst(
        _panel_counts(record=deviation, unit_id=deviation.unit_id),
        lambda counted: _panel(actor=actor, deviation=deviation, counted=counted),
    )


deviation_panel.record_counts = _panel_counts
deviation_panel.with_counts = _panel


def report_origin(*, actor, ref: int) -> dict | None:
    """A deviation report started from measure `ref` when something went wrong
    (core.registry REPORT_ORIGINS): what the report form is filled in with, for
    someone who reads the measure and may report in its unit; None when the
    measure has its report already. The label names the measure, not the child."""
    restriction = Restriction.objects.select_related("unit").filter(pk=ref).first()
    if (
        restriction is None
        or restriction.deviation_id is not None
        or not access.can(actor, access.P_RESTRICTION_VIEW, restriction.unit)
        or not access.can(actor, access.P_DEVIATION_REPORT, restriction.unit)
    ):
        return None
    rule = restriction.rule
    restraint = restriction.measure == "restraint"
    label = f"{rule.label if rule else restriction.measure} {fi_date(timezone.localdate(restriction.started_at))}"
    return {
        "label": label,
        "unit": restriction.unit,
        "kind": "threat_or_violence" if restraint else "client_rights",
        "occurred_at": restriction.started_at,
        "children": [restriction.placement_id],
        "fields": {"restraint_used": True, "injury": bool(restriction.injuries.strip())} if restraint else {},
    }


# --- Documents, flags, figures (phase 2) -----------------------------------------------------


def documents_of(*, restriction) -> list:
    """The signed versions of a measure's decision or account, newest first, with their handovers."""
    return list(restriction.documents.select_related("signed_by").prefetch_related("handovers").order_by("-version"))


def document_get(*, actor, restriction_pk, version, request=None) -> RestrictionDocument:
    restriction = restriction_get(actor=actor, pk=restriction_pk, request=request)
    document = restriction.documents.filter(version=version).first()
    if document is None:
        raise Http404
    document.restriction = restriction
    return document


def open_flag(*, placement) -> ChildFlag | None:
    return ChildFlag.objects.filter(placement=placement, handled_at__isnull=True).first()


def flag_get(*, actor, pk) -> ChildFlag:
    return access.access_object(
        ChildFlag.objects.select_related("placement", "unit"), actor, pk, access.P_RESTRICTION_DECIDE
    )


def deliveries_of(*, restriction) -> list:
    """Whom the child's social worker was told of this measure, when (and whether it was opened)."""
    ids = [restriction.social_worker_delivery_id] if restriction.social_worker_delivery_id else []
    return clients_selectors.deliveries(ids=ids)


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    first = today.replace(day=1)
    starts = []
    for _i in range(months):
        starts.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(starts))


def _month_counts(qs, since) -> dict:
    """{(first day of month, measure): count} in one query."""
    rows = (
        qs.filter(started_at__gte=since)
        .annotate(month=TruncMonth("started_at"))
        .values("month", "measure")
        .annotate(n=Count("id"))
        .order_by()
    )
    result = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        result[(month, row["measure"])] = result.get((month, row["measure"]), 0) + row["n"]
    return result


def unit_figures(*, actor, unit, months: int = FIGURE_MONTHS, today: dt.date | None = None) -> dict:
    """A unit's measures per month and type, per child (its own children), the
    trend (the last three months against the three before) and the reduction
    goal followed. Four queries. For restriction.view in the unit."""
    access.require(actor, access.P_RESTRICTION_VIEW, unit)
    today = today or timezone.localdate()
    starts = _month_starts(today, months)
    since = timezone.make_aware(dt.datetime.combine(starts[0], dt.time()))
    qs = Restriction.objects.filter(unit=unit)
    counts = _month_counts(qs, since)
    kinds = [m for m in law.measures() if any(k[1] == m.key for k in counts)]
    totals = [sum(n for (month, _m), n in counts.items() if month == start) for start in starts]
    goal = ReductionGoal.objects.filter(unit=unit, starts_on__lte=today).order_by("-starts_on", "-id").first()
    month_rows = [
        {
            "month": start,
            "cells": [counts.get((start, m.key), 0) for m in kinds],
            "total": total,
            "over_goal": goal is not None and start >= goal.starts_on.replace(day=1) and total > goal.per_month,
        }
        for start, total in zip(starts, totals, strict=True)
    ]
    per_child = list(
        qs.filter(started_at__gte=since)
        .values("placement_id", "placement__name")
        .annotate(n=Count("id"))
        .order_by("-n", "placement__name")
    )
    recent, earlier = sum(totals[-3:]), sum(totals[-6:-3])
    return {
        "unit": unit,
        "kinds": kinds,
        "months": month_rows,
        "per_child": per_child,
        "total": sum(totals),
        "recent": recent,
        "earlier": earlier,
        "trend": "down" if recent < earlier else ("up" if recent > earlier else "level"),
        "goal": goal,
    }


def unit_last_month(*, unit, today: dt.date | None = None) -> dict:
    """Last month's measures by type, no names (the meeting agenda, anonymised)."""
    today = today or timezone.localdate()
    end = today.replace(day=1)
    start = (end - dt.timedelta(days=1)).replace(day=1)
    rows = dict(
        Restriction.objects.filter(
            unit=unit,
            started_at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time())),
            started_at__lt=timezone.make_aware(dt.datetime.combine(end, dt.time())),
        )
        .values("measure")
        .annotate(n=Count("id"))
        .values_list("measure", "n")
    )
    return {"month": start, "by_type": [(m.label, rows[m.key]) for m in law.measures() if rows.get(m.key)], "total": sum(rows.values())}


def _next_month(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=32)).replace(day=1)


def last_month_for_agenda(*, actor, unit):
    """For the unit's meeting agenda (core.registry AGENDA_SOURCES): last month's
    restrictive measures by type, anonymised (counts, no children), to be talked
    through in the team meeting; nothing when there were none."""
    if unit is None or not access.can(actor, access.P_RESTRICTION_VIEW, unit):
        return []
    month = unit_last_month(unit=unit)
    if not month["total"]:
        return []
    title = ngettext(
        "Restrictive measures last month: %(count)s", "Restrictive measures last month: %(count)s", month["total"]
    ) % {"count": month["total"]}
    note = ", ".join(f"{label} {n}" for label, n in month["by_type"])
    return [{"title": title, "note": note}]


PLAN_WINDOW_DAYS = 365


def plan_fact(*, unit, actor) -> dict:
    """core.registry PLAN_FACTS "restrictions": the unit's measures of the past
    year by type for its good-treatment plan (counts only, small ones hidden)."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=PLAN_WINDOW_DAYS)
    data = period_figures(actor=actor, period_start=start, period_end=today, unit=unit)
    if not data:
        return {"hidden": True}
    return {**data, "period_start": start.isoformat(), "period_end": today.isoformat()}


def _hide_small(n: int) -> int | None:
    return n if n == 0 or n >= SMALL_GROUP else None


def period_figures(*, actor, period_start: dt.date, period_end: dt.date, unit=None) -> dict:
    """core.registry REPORT_SECTIONS "restrictions", for the follow-up report (the
    units the actor may count, by type and by region) and the good-treatment
    plan (one unit, by type): counts only, never a child; a count under
    SMALL_GROUP is None (the plan and the report are read more widely than the
    register). Two queries."""
    date_from, date_to = period_start, period_end
    units = access.units_for(actor, access.P_CLIENT_COUNT)
    if unit is not None:
        if not access.can(actor, access.P_CLIENT_COUNT, unit):
            return {}
        units = units.filter(pk=unit.pk)
    begin = timezone.make_aware(dt.datetime.combine(date_from, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time()))
    rows = list(
        Restriction.objects.filter(unit__in=units.values("pk"), started_at__gte=begin, started_at__lt=end)
        .order_by()
        .values("measure", "unit__region__name")
        .annotate(n=Count("id"))
    )
    by_type: dict[str, int] = {}
    by_region: dict[str, int] = {}
    for row in rows:
        by_type[row["measure"]] = by_type.get(row["measure"], 0) + row["n"]
        by_region[row["unit__region__name"]] = by_region.get(row["unit__region__name"], 0) + row["n"]
    total = sum(by_type.values())
    return {
        "total": _hide_small(total),
        "by_type": [{"label": str(m.label), "count": _hide_small(by_type[m.key])} for m in law.measures() if by_type.get(m.key)],
        "by_region": [] if unit is not None else [
            {"label": name, "count": _hide_small(n)} for name, n in sorted(by_region.items())
        ],
        "small": SMALL_GROUP,
    }


def child_period_rows(*, placement_id: int, date_from: dt.date, date_to: dt.date) -> list[Restriction]:
    """A child's measures that started in the period (Helsinki dates, both ends
    included), oldest first: for a document whose reader was checked by its
    sender (the social-worker report of the outcomes area)."""
    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
    return list(
        Restriction.objects.filter(placement_id=placement_id, started_at__gte=start, started_at__lt=end)
        .order_by("started_at", "id")
    )


def county_figures(*, county, unit_ids, period_start: dt.date, period_end: dt.date) -> dict:
    """core.registry COUNTY_SECTIONS "restrictions": the restrictive measures on
    the county's own placed children in its units during the period, by type
    and by unit (counts only, a count under SMALL_GROUP None). Nothing of other
    counties' children. One query."""
    begin = timezone.make_aware(dt.datetime.combine(period_start, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(period_end + dt.timedelta(days=1), dt.time()))
    rows = list(
        Restriction.objects.filter(
            unit_id__in=list(unit_ids), placement__county_id=county.pk, started_at__gte=begin, started_at__lt=end
        )
        .order_by()
        .values("measure", "unit_id", "unit__name")
        .annotate(n=Count("id"))
    )
    by_type: dict[str, int] = {}
    by_unit: dict[tuple[str, int], int] = {}
    for row in rows:
        by_type[row["measure"]] = by_type.get(row["measure"], 0) + row["n"]
        key = (row["unit__name"], row["unit_id"])
        by_unit[key] = by_unit.get(key, 0) + row["n"]
    return {
        "total": _hide_small(sum(by_type.values())),
        "by_type": [
            {"key": m.key, "label": str(m.label), "count": _hide_small(by_type[m.key])}
            for m in law.measures()
            if by_type.get(m.key)
        ],
        "by_unit": [{"unit_id": pk, "unit": name, "count": _hide_small(n)} for (name, pk), n in sorted(by_unit.items())],
        "small": SMALL_GROUP,
    }
