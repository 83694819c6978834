"""Quality calendar pages: the unit's year wheel with its list, all duties as a
list, what is due this month (supervisors), the late duties across units
(regional and quality directors), one duty with its completion, and the
group-level templates (quality director).

Every view declares its permission; one duty is fetched through the kernel
(404 outside the actor's units, 403 inside without the right)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST

from omavalvonta.core.attachments import ATTACHMENT_EXTENSIONS, attachment_extension, attachment_response
from omavalvonta.core.forms import add_service_errors
from omavalvonta.core.lib import bounds
from omavalvonta.core.pagination import LIST_COUNT_LIMIT, CappedPaginator
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    P_OBLIGATION_COMPLETE,
    P_OBLIGATION_TEMPLATE_EDIT,
    P_OBLIGATION_VIEW,
    requires,
)
from omavalvonta.organisation.access_region import UnitIds
from omavalvonta.yearclock import duties, selectors, services, wheel
from omavalvonta.yearclock.forms import (
    CalendarFilterForm,
    CompleteForm,
    ListFilterForm,
    TemplateForm,
    template_initial,
)
from omavalvonta.yearclock.models import UnitScope

PAGE_SIZE = 20


def _nav(actor) -> dict:
    """Which calendar pages the actor's menu row offers."""
    return {
        "perms_complete": access.has_perm_anywhere(actor, P_OBLIGATION_COMPLETE),
        "perms_templates": access.has_perm_anywhere(actor, P_OBLIGATION_TEMPLATE_EDIT),
    }


def _years(today: dt.date) -> list[int]:
    return [today.year - 1, today.year, today.year + 1]


def _month_names() -> list[str]:
    """The months' names as date_format(..., "F") writes them (its MONTHS), capitalized."""
    return [str(MONTHS[m]).capitalize() for m in range(1, 13)]


def _asked_unit_and_year(form, *, actor, units, today: dt.date) -> tuple:
    """(unit, year) chosen in the filter form: no unit and this year when
    nothing was chosen; another region chosen shows its first unit (the old
    unit is no error)."""
    if not form.is_bound:
        return None, today.year
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    unit, region, year = data.get("unit"), data.get("region"), data.get("year") or today.year
    if region is not None and (unit is None or unit.region_id != region.pk):
        form.errors.pop("unit", None)
        unit = selectors.default_unit(actor=actor, units=units.filter(region=region))
    return unit, year


def _form_shows_unit(form, units, unit) -> None:
    """The unit shown is the one chosen in the form, among its own region's units."""
    form.offer_units(units, region_id=unit.region_id)
    form.initial.update(unit=unit.pk, region=unit.region_id)
    if form.is_bound:
        form.data = form.data.copy()
        form.data.update({"unit": str(unit.pk), "region": str(unit.region_id)})


def _wheel_months(occurrences, *, year: int, today: dt.date) -> tuple:
    """(the year's month slices, each with its month's name, and the wheel's drawing)."""
    months = selectors.by_month(occurrences, year)
    names = _month_names()
    drawing = wheel.build(months, names, today=today, year=year)
    for slice_ in months:
        slice_.name = names[slice_.month - 1]
    return months, drawing


@requires(P_OBLIGATION_VIEW)
def year_wheel(request):
    actor = request.user
    today = timezone.localdate()
    units = selectors.units_for_calendar(actor=actor)
    form = CalendarFilterForm(request.GET or None, units=units, years=_years(today), initial={"year": today.year})
    unit, year = _asked_unit_and_year(form, actor=actor, units=units, today=today)
    if unit is None:
        unit = selectors.default_unit(actor=actor, units=units)
    if unit is not None:
        _form_shows_unit(form, units, unit)
    occurrences = selectors.occurrences_of_unit_year(actor=actor, unit=unit, year=year) if unit else []
    months, drawing = _wheel_months(occurrences, year=year, today=today)
    return render(
        request,
        "yearclock/wheel.html",
        {
            "form": form,
            "unit": unit,
            "year": year,
            "months": months,
            "wheel": drawing,
            "today": today,
            "total": len(occurrences),
            "late": sum(1 for o in occurrences if o.is_late(today)),
            "done": sum(1 for o in occurrences if o.is_done),
            "several_units": form.show_region or units[:2].count() > 1,
            "can_complete": unit is not None and access.can(actor, P_OBLIGATION_COMPLETE, unit),
            "can_edit_templates": access.has_perm_anywhere(actor, P_OBLIGATION_TEMPLATE_EDIT),
        },
    )


@requires(P_OBLIGATION_VIEW)
def occurrence_list(request):
    actor = request.user
    today = timezone.localdate()
    form = ListFilterForm(request.GET or None, units=selectors.units_for_calendar(actor=actor), years=_years(today))
    filters = form.filters()
    # Every duty of a director's scope is some 80,000: counted up to the limit,
    # the duties' ids alone (an index is read, no row joined).
    duties = selectors.occurrence_list(actor=actor, filters=filters)
    page = CappedPaginator(
        selectors.IdsFirst(duties), PAGE_SIZE, count_limit=LIST_COUNT_LIMIT,
        count=lambda: duties.select_related(None).order_by().values("pk")[:LIST_COUNT_LIMIT].count(),
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "yearclock/list.html",
        {"form": form, "page": page, "capped": page.paginator.count_capped, "filtered": bool(filters),
         "today": today, **_nav(actor)},
    )


def _due_region(request, units) -> tuple[dict | None, list]:
    """The region asked for (?alue=) among the actor's units' regions (its
    name, and the ids of the actor's units in it as `UnitIds`), or None; and
    the ids of the first DUE_UNITS + 1 of the actor's units (the region's, when
    it is one of theirs): one query for a region."""
    region_id = bounds.parse_int(request.GET.get("alue"))
    if region_id is not None:
        rows = list(units.filter(region_id=region_id).values_list("pk", "region__name"))
        if rows:
            ids = [pk for pk, _name in rows]
            region = {"region_id": region_id, "name": rows[0][1], "unit_ids": UnitIds(ids)}
            return region, ids[: selectors.DUE_UNITS + 1]
    return None, list(units.values_list("pk", flat=True)[: selectors.DUE_UNITS + 1])


@requires(P_OBLIGATION_COMPLETE)
def due_this_month(request):
    actor = request.user
    today = timezone.localdate()
    units = access.units_for(actor, P_OBLIGATION_COMPLETE).order_by("name")
    # Duties other areas keep (a child's measurement), counted per unit for the
    # units the person completes duties in (the first DUE_UNITS of them). Over
    # more units than that (a director's), the regions first: their counts, and
    # a region's duties on request (?alue=).
    region, own = _due_region(request, units)
    by_region = []
    if region is None and len(own) > selectors.DUE_UNITS:
        by_region = selectors.due_by_region(actor=actor, today=today)
        data, contributed = {"month_last": selectors.month_last(today)}, []
    else:
        data = selectors.due_this_month(actor=actor, today=today, unit_ids=region and region["unit_ids"])
        contributed = duties.duties_of_units(actor=actor, today=today, unit_ids=own[: selectors.DUE_UNITS])
    for row in contributed:
        row["counts"] = duties.duty_counts_text(row)
    organisation_duties = duties.organisation_duties(actor=actor, today=today)
    return render(
        request, "yearclock/due.html",
        {**data, "by_region": by_region, "region": region, "contributed": contributed,
         "organisation_duties": organisation_duties, "today": today, **_nav(actor)},
    )


# Above this many units with late duties the overview lists regions first.
OVERDUE_UNIT_ROWS = 30


@requires(P_OBLIGATION_VIEW)
def overdue(request):
    actor = request.user
    today = timezone.localdate()
    # Many units late: the regions first, a region's units on request (?alue=).
    by_region = selectors.overdue_by_region(actor=actor, today=today)
    region = next((r for r in by_region if str(r["region_id"]) == request.GET.get("alue", "")), None)
    listed = region is not None or sum(r["units"] for r in by_region) <= OVERDUE_UNIT_ROWS
    summary = []
    if listed:
        summary = selectors.overdue_overview(actor=actor, today=today, region_id=region["region_id"] if region else None)
    page = Paginator(selectors.IdsFirst(selectors.overdue_list(actor=actor, today=today)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "yearclock/overdue.html",
        {
            "summary": summary,
            "by_region": by_region if not listed else [],
            "region": region,
            "page": page,
            "today": today,
            "total": page.paginator.count,
            **_nav(actor),
        },
    )


@requires(P_OBLIGATION_VIEW)
def occurrence_detail(request, pk):
    actor = request.user
    occurrence = selectors.occurrence_get(actor=actor, pk=pk)
    can_complete = not occurrence.is_done and access.can(actor, P_OBLIGATION_COMPLETE, occurrence.unit)
    form = None
    if request.method == "POST":
        if occurrence.is_done or not access.can(actor, P_OBLIGATION_COMPLETE, occurrence.unit):
            if occurrence.is_done:
                messages.info(request, _("This duty has already been marked done."))
                return redirect("yearclock:detail", pk=occurrence.pk)
            raise PermissionDenied(P_OBLIGATION_COMPLETE)
        form = CompleteForm(
            request.POST, request.FILES, evidence_groups=selectors.evidence_choices(actor=actor, occurrence=occurrence)
        )
        if form.is_valid():
            try:
                services.occurrence_complete(
                    actor=actor,
                    occurrence=occurrence,
                    note=form.cleaned_data.get("note", ""),
                    file=form.cleaned_data.get("file"),
                    evidence_key=form.cleaned_data.get("evidence", ""),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The duty was marked done."))
                return redirect("yearclock:detail", pk=occurrence.pk)
    elif can_complete:
        form = CompleteForm(evidence_groups=selectors.evidence_choices(actor=actor, occurrence=occurrence))
    return render(
        request,
        "yearclock/detail.html",
        {
            "o": occurrence,
            "form": form if can_complete else None,
            "late": occurrence.is_late(),
            "today": timezone.localdate(),
        },
    )


@requires(P_OBLIGATION_VIEW)
def evidence_download(request, pk):
    occurrence = selectors.occurrence_get(actor=request.user, pk=pk)
    stored = selectors.occurrence_evidence_file(actor=request.user, occurrence=occurrence, request=request)
    name = occurrence.evidence_file_name or stored.name
    content_type = ATTACHMENT_EXTENSIONS.get(attachment_extension(name), "application/octet-stream")
    return attachment_response(stored, filename=name, content_type=content_type)


# --- Templates (quality director) ----------------------------------------------------------------


@requires(P_OBLIGATION_TEMPLATE_EDIT)
def template_list(request):
    templates = list(selectors.template_list(actor=request.user))
    return render(request, "yearclock/template_list.html", {"templates": templates})


@requires(P_OBLIGATION_TEMPLATE_EDIT)
def template_edit(request, pk=None):
    actor = request.user
    template = selectors.template_get(actor=actor, pk=pk) if pk is not None else None
    units = selectors.template_units(actor=actor)
    if request.method == "POST":
        form = TemplateForm(request.POST, units=units)
        if form.is_valid():
            try:
                services.obligation_template_save(actor=actor, template=template, **form.service_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The duty was saved. The units' calendars now follow it.") if template else
                    _("The duty was added to the units' calendars."),
                )
                return redirect("yearclock:templates")
    elif template is not None:
        form = TemplateForm(initial=template_initial(template), units=units)
    else:
        form = TemplateForm(
            initial={"recurrence": "yearly", "unit_scope": UnitScope.ALL, "owner_role": "supervisor",
                     "remind_days_before": 14, "is_active": True, "start_month": timezone.localdate().month,
                     "interval_months": 3},
            units=units,
        )
    return render(request, "yearclock/template_form.html", {"form": form, "template": template})


@require_POST
@requires(P_OBLIGATION_TEMPLATE_EDIT)
def template_defaults(request):
    made = services.obligation_templates_install_defaults(actor=request.user)
    if made:
        messages.success(
            request,
            ngettext("%(count)s default duty was added.", "%(count)s default duties were added.", len(made))
            % {"count": len(made)},
        )
    else:
        messages.info(request, _("Every default duty is already in use."))
    return redirect("yearclock:templates")
