"""Reporting: the report form, the thank-you page with the follow-up code, my reports, the list and its CSV export."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from omavalvonta.core import registry
from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.forms import add_service_errors
from omavalvonta.core.offline import queue_answer, render_offline_page, submit_refusal, wants_json
from omavalvonta.core.pagination import LIST_COUNT_LIMIT, IdPaginator
from omavalvonta.deviations import list_rows, selectors, services
from omavalvonta.deviations.forms import FilterForm, ReportForm
from omavalvonta.deviations.models import Kind
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    P_DEVIATION_EXPORT,
    P_DEVIATION_REPORT,
    P_DEVIATION_ROUTING,
    P_DEVIATION_VIEW,
    requires,
)

PAGE_SIZE = 20
# The list counts its reports up to this many (counting half a million took
# 30-40 ms); beyond it the page says "more than" and the filters narrow it down.
# The submitted page shows the follow-up code once; it never travels in a URL.
SUBMITTED_SESSION_KEY = "deviations.submitted"

# --- Reporting -------------------------------------------------------------------------


def _report_units(actor):
    """The units `actor` may report in, and the one chosen first (their own)."""
    units = list(access.units_for(actor, P_DEVIATION_REPORT).select_related("region").order_by("name"))
    own_unit_ids = access.own_unit_ids(actor, P_DEVIATION_REPORT)
    return units, next((u for u in units if u.pk in own_unit_ids), None)


@requires(P_DEVIATION_REPORT)
def report_new(request):
    actor = request.user
    units, initial_unit = _report_units(actor)
    child_choices = _child_choices(actor, units)

    if request.method == "POST":
        form = ReportForm(
            request.POST, request.FILES, units=units, initial_unit=initial_unit, child_choices=child_choices
        )
        if form.is_valid():
            try:
                result = services.deviation_submit(actor=actor, **form.service_kwargs())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                deviation = result.deviation
                submitted = {
                    "number": deviation.number,
                    # An anonymous report is not linked to its reporter anywhere,
                    # not even in their session after this one display.
                    "pk": None if deviation.is_anonymous else deviation.pk,
                    "code": result.followup_code,
                    "anonymous": deviation.is_anonymous,
                }
                if wants_json(request):
                    return submit_answer(result.created, submitted)
                request.session[SUBMITTED_SESSION_KEY] = submitted
                return redirect("deviations:submitted")
        if wants_json(request):
            return submit_refusal(form)
    else:
        form = ReportForm(units=units, initial_unit=initial_unit, child_choices=child_choices)
        if request.GET.get("alkupera"):
            _start_from_origin(request, form, units)
    origin = form["origin"].value()
    found = selectors.report_origin(origin, actor=actor) if origin else None

    return render(
        request,
        "deviations/report_form.html",
        {
            "form": form,
            "origin_label": found[2]["label"] if found else "",
            # Browsers cannot keep chosen files across a failed submit: say so.
            "files_lost": bool(request.method == "POST" and request.FILES and form.errors),
            "grievance": Kind.GRIEVANCE,
        },
    )


def _start_from_origin(request, form, units) -> None:
    """Fill the new report in from another area's record (?alkupera=name:id)."""
    origin = request.GET["alkupera"]
    found = selectors.report_origin(origin, actor=request.user)
    if found is None or found[2]["unit"] not in units:
        messages.warning(request, _("The record to start the report from was not found. Write the report as usual."))
    else:
        form.prefill_from(origin, found[2])


def submit_answer(created: bool, submitted: dict):
    """The JSON answer to the offline queue: stored now (201) or already (200)."""
    number = submitted["number"]
    if created:
        message = _("Report %(number)s was sent.") % {"number": number}
    else:
        message = _("Report %(number)s had already reached the server: it is stored once.") % {"number": number}
    return queue_answer(
        created=created,
        message=message,
        number=number,
        code=submitted["code"],
        url=reverse("deviations:detail", args=[submitted["pk"]]) if submitted["pk"] else "",
    )


@requires(P_DEVIATION_REPORT)
@require_safe
def report_new_offline(request):
    """The report form as the service worker keeps it on the device: rendered for
    nobody, without the units (the offline queue fills them in from
    `report_units_offline`, kept encrypted per person), sent to `report_new`."""
    form = ReportForm(units=[])
    # The time the page was kept is not the time of the event: the queue puts now in.
    form.fields["occurred_at"].widget.attrs["data-offline-now"] = ""
    return render_offline_page(
        request, "deviations/report_form.html", {"form": form, "offline": True, "grievance": Kind.GRIEVANCE}
    )


@requires(P_DEVIATION_REPORT)
@require_safe
def report_units_offline(request):
    """The units the signed-in person may report in, for the offline form."""
    units, initial_unit = _report_units(request.user)
    return JsonResponse(
        {"choices": [[u.pk, u.name] for u in units], "initial": initial_unit.pk if initial_unit else None}
    )


# Above this many units the report form offers no children to name (a director
# over a large region: its handler then chooses the counties to notify).
CHILD_CHOOSER_MAX_UNITS = 10


def _child_choices(actor, units) -> dict:
    """{unit id: [(placement id, label)]}: the children the actor may name on a
    report, from the area that keeps placements (core.registry); none without it."""
    choices = registry.first(registry.CHILD_CHOICES)
    if choices is None or len(units) > CHILD_CHOOSER_MAX_UNITS:
        return {}
    return {unit.pk: choices(actor=actor, unit=unit) for unit in units}


@requires(P_DEVIATION_REPORT)
def report_submitted(request):
    submitted = request.session.pop(SUBMITTED_SESSION_KEY, None)
    return render(request, "deviations/submitted.html", {"submitted": submitted})


@requires(P_DEVIATION_REPORT)
def my_reports(request):
    deviations = selectors.deviation_list_mine(actor=request.user)
    page = IdPaginator(deviations, PAGE_SIZE, related=selectors.LIST_RELATED).get_page(request.GET.get("page"))
    return render(request, "deviations/mine.html", {"page": page})


# --- The list and its export -------------------------------------------------------------


@logs_read("deviation.list")
@requires(P_DEVIATION_VIEW)
def deviation_list(request):
    actor = request.user
    form = FilterForm(
        request.GET or None, units=access.units_for(actor, P_DEVIATION_VIEW).order_by("name"), actor=actor
    )
    filters = form.filters()
    page = _ListPaginator(
        actor,
        filters,
        count=lambda: selectors.deviation_count(actor=actor, filters=filters, limit=LIST_COUNT_LIMIT),
    ).get_page(request.GET.get("page"))
    routing_unit = None
    if filters.get("unit"):
        unit = form.cleaned_data["unit"]
        if access.can(actor, P_DEVIATION_ROUTING, unit):
            routing_unit = unit
    today = timezone.localdate()
    # Grievances, critical reports and serious events first, above the list in
    # its usual order (which the pages walk by date).
    priority = selectors.deviation_priority_list(actor=actor, today=today) if not filters and page.number == 1 else []
    prefix = list_rows.detail_url_prefix()
    rows = list_rows.list_rows(page.object_list, today=today, prefix=prefix)
    bar = list_rows.filter_bar(form)
    priority = list_rows.list_rows(priority, today=today, prefix=prefix)
    return render(
        request,
        "deviations/list.html",
        {
            "form": form,
            "bar": bar,
            "bar_html": list_rows.filter_bar_html(bar) if bar is not None else "",
            "page": page,
            "rows": rows,
            "rows_html": list_rows.table_html(rows),
            "filtered": bool(filters),
            "can_export": access.has_perm_anywhere(actor, P_DEVIATION_EXPORT),
            "routing_unit": routing_unit,
            "priority": priority,
            "priority_html": list_rows.cards_html(priority),
        },
    )


class _ListPaginator(IdPaginator):
    """The list's pages: counted the fast way (`count`, at most LIST_COUNT_LIMIT),
    a page's rows read as `ListRow`s (selectors.deviation_page_rows), not models."""

    def __init__(self, actor, filters: dict, *, count):
        super().__init__((), PAGE_SIZE, count=count, count_limit=LIST_COUNT_LIMIT)
        self.actor, self.filters = actor, filters

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        rows = selectors.deviation_page_rows(actor=self.actor, filters=self.filters, bottom=bottom, top=top)
        return Page(rows, number, self)


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv."""

    def write(self, value):
        return value


@logs_read("deviation.export")
@requires(P_DEVIATION_EXPORT)
def deviation_export(request):
    actor = request.user
    form = FilterForm(request.GET or None, units=access.units_for(actor, P_DEVIATION_EXPORT), actor=actor)
    rows = iter(selectors.deviation_export_rows(actor=actor, filters=form.filters()))
    # Take the header now, so that a refusal surfaces as a status code rather than
    # a broken download half-way through the stream.
    header = next(rows, None)
    # Semicolons: Excel with Finnish regional settings splits columns on them.
    writer = csv.writer(_Echo(), delimiter=";")

    def stream():
        yield "\ufeff"  # BOM: Excel then reads the file as UTF-8 (ä, ö, å).
        if header is not None:
            yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    filename = f"poikkeamat-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
