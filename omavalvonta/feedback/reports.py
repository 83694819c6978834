"""What the feedback area reports to others: a unit's monthly feedback report
for the team meeting (and the meetings agenda hook that brings it there), and
the period figures of the group's four-monthly follow-up report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from omavalvonta.feedback import figures as fig
from omavalvonta.feedback.figures import GROUP_ORDER, ORGANISATION, Cell
from omavalvonta.feedback.models import MIN_GROUP_SIZE, Answer, Group, PublicFeedback, Response, Round, Tally
from omavalvonta.feedback.rates import ResponseRate
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Unit


def monthly_report(*, unit: Unit, year: int, month: int, with_texts: bool = False) -> dict:
    """A unit's feedback of one calendar month (by answer date) for the team
    meeting: per group the answers, NPS and item averages against the whole
    organisation's, with the small-group rule; the month's public feedback; and
    (with_texts, for those allowed to see the unit) the free-text answers."""
    first, last = fig.month_bounds(year, month)
    unit_cells = fig.month_cells(Q(unit=unit), first, last)
    org_cells = fig.month_cells(ORGANISATION, first, last)
    labels = fig.item_labels()
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


_COUNTED = ("n", "nps_answered", "promoters", "detractors")


def _period_rows(date_from: dt.date, date_to: dt.date) -> list:
    """The querysets of a period's answers per unit and group: the whole months
    from the tallies, a part of a month at either end from the responses."""
    whole, edges = fig.whole_months(date_from, date_to)
    rows = []
    if whole:
        rows.append(Tally.objects.filter(unit__isnull=False, key="", month__range=whole).values("unit_id", "group").annotate(**fig.SUMS))
    for first, last in edges:
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
    return rows


def _period_counts(date_from: dt.date, date_to: dt.date, unit_ids: set) -> dict:
    """unit -> group -> [n, answered, promoters, detractors] of the period, for the units of `unit_ids`."""
    counts = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    for qs in _period_rows(date_from, date_to):
        for row in qs.order_by():
            if row["unit_id"] not in unit_ids:
                continue
            figures = counts[row["unit_id"]][row["group"]]
            for i, name in enumerate(_COUNTED):
                figures[i] += row[name] or 0
    return counts


def _offered_in_period(unit_ids: set, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """unit -> places offered by its rounds in the period (a round's unit's places, once per round)."""
    offered: dict[int, int] = defaultdict(int)
    for unit_id, places in Round.objects.filter(unit_id__in=unit_ids, opens_on__lte=date_to, closes_on__gte=date_from).values_list(
        "unit_id", "unit__places"
    ):
        offered[unit_id] += places or 0
    return offered


def _group_figures(group, cell: Cell, base: int) -> dict:
    """One group's figures with its response rate (shown only where the small-group rule shows the figures)."""
    figures = fig.cell_figures(cell)
    figures["group"] = str(group)
    rate = ResponseRate(cell.n, base)
    shown = figures["n"] is not None
    figures["rate"] = rate.percent if shown else None
    figures["rate_over"] = rate.over and shown
    return figures


def _period_summary(ids, counts: dict, offered: dict) -> dict:
    """The summed figures of the units `ids`: total answers, places offered and per group."""
    cells = {g: Cell() for g in GROUP_ORDER}
    for unit_id in ids:
        for group, (n, answered, promoters, detractors) in counts.get(unit_id, {}).items():
            cell = cells.setdefault(group, Cell())
            cell.n += n
            cell.nps_answered += answered
            cell.promoters += promoters
            cell.detractors += detractors
    base = sum(offered.get(i, 0) for i in ids)
    return {
        "total": sum(c.n for c in cells.values()),
        "places": base,
        "groups": [_group_figures(g, cells[g], base) for g in GROUP_ORDER],
    }


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
    counts = _period_counts(date_from, date_to, unit_ids)
    offered = _offered_in_period(unit_ids, date_from, date_to)
    info = {u["pk"]: u for u in Unit.objects.filter(pk__in=set(counts) | set(offered)).values("pk", "name", "region_id", "region__name")}
    by_region: dict[int, list[int]] = defaultdict(list)
    for pk, u in info.items():
        by_region[u["region_id"]].append(pk)
    regions = sorted(by_region.items(), key=lambda kv: (info[kv[1][0]]["region__name"], kv[0]))
    units_sorted = sorted(info.values(), key=lambda u: (u["name"], u["pk"]))
    return {
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "min_group_size": MIN_GROUP_SIZE,
        "organisation": _period_summary(list(info), counts, offered),
        "by_region": [{"label": info[ids[0]]["region__name"], **_period_summary(ids, counts, offered)} for _, ids in regions],
        "by_unit": [{"label": u["name"], **_period_summary([u["pk"]], counts, offered)} for u in units_sorted if u["pk"] in counts],
    }
