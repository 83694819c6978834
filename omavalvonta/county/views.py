"""The purchasing county's own view: its units and their public plans, the
statutory notifications and § 29 grievances sent to it with their handling
status, the areas' aggregate figures for its units and the published follow-up
reports. Every page needs an active county access (`requires_county`) and is
logged in the access log; another county's unit or notification is 404."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from omavalvonta.core.accesslog import logs_read
from omavalvonta.county import figures, rows as unit_table, selectors
from omavalvonta.county.forms import PeriodForm
from omavalvonta.organisation.access_county import requires_county
from omavalvonta.organisation.models import Unit
from omavalvonta.plans.models import SLUG_BY_KIND

PAGE_SIZE = 25
HOME_NOTIFICATIONS = 5
HOME_REPORTS = 3


def _period(request):
    form = PeriodForm(request.GET or None)
    return form, form.period()


def _notifications(rows) -> dict:
    """The reports notified to the county, labelled, and their table's rows written out."""
    labelled = selectors.labelled(rows)
    return {"notifications": labelled, "notification_rows": unit_table.notification_rows(labelled)}


@logs_read("county.home")
@requires_county
def home(request):
    """The county's units a page at a time, each with its figures (answers,
    NPS, restrictive measures on the county's children) beside its plans; the
    figures of all its units together above them. The figures are the current
    run's (county.figures): the page computes none of them while the run lasts."""
    county = request.county
    form, period = _period(request)
    unit_ids = selectors.county_unit_ids(county=county)
    unit_page = Paginator(unit_ids, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = figures.sections(county=county, unit_ids=unit_ids, period=period)
    rows = selectors.by_unit(kept.sections)
    units = selectors.with_plans(selectors.units_of(unit_page.object_list))
    for unit in units:
        unit.figures = {name: found.get(unit.pk) for name, found in rows.items()}
    smalls = {s["name"]: s["figures"].get("small") for s in kept.sections if isinstance(s["figures"], dict)}
    return render(
        request,
        "county/home.html",
        {
            "county": county,
            "units": units,
            "page": unit_page,
            "unit_count": len(unit_ids),
            "unit_columns": rows,
            "unit_rows": unit_table.unit_rows(units, columns=rows, smalls=smalls),
            **_notifications(selectors.notifications(county=county, newest=HOME_NOTIFICATIONS)),
            "sections": selectors.summary(kept.sections),
            "smalls": smalls,
            "computed_at": kept.computed_at,
            "reports": selectors.newest_published_reports(HOME_REPORTS),
            "period_form": form,
            "period": period,
            "slugs": SLUG_BY_KIND,
        },
    )


@logs_read("county.notifications")
@requires_county
def notification_list(request):
    county = request.county
    page = Paginator(selectors.notifications(county=county), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "county/notifications.html",
        {"county": county, "page": page, **_notifications(page.object_list)},
    )


@requires_county
def notification_detail(request, pk):
    """One report notified to the county: the provider logs the read."""
    row = selectors.notification(county=request.county, deviation_id=pk, actor=request.user, request=request)
    if row is None:
        raise Http404
    return render(
        request, "county/notification.html", {"county": request.county, "row": selectors.labelled([row])[0]}
    )


@logs_read("county.unit", model=Unit)
@requires_county
def unit_detail(request, pk):
    county = request.county
    unit = selectors.county_unit(county=county, pk=pk)
    form, period = _period(request)
    page = Paginator(selectors.notifications(county=county, unit_id=unit.pk), PAGE_SIZE).get_page(request.GET.get("page"))
    kept = figures.sections(county=county, unit_ids=[unit.pk], period=period)
    return render(
        request,
        "county/unit.html",
        {
            "county": county,
            "unit": selectors.with_plans([unit])[0],
            "page": page,
            **_notifications(page.object_list),
            "sections": kept.sections,
            "computed_at": kept.computed_at,
            "period_form": form,
            "period": period,
            "slugs": SLUG_BY_KIND,
        },
    )
