"""Pages of the functional-capacity measure: the instruments (for the
rehabilitation director), a child's measure page, the measurement form, the
goals agreed after it and the printable goals page.

Every page declares its permission; a child is fetched through the kernel (404
outside the actor's units) and every read of a child's measurements is written
to the access log."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.clients import selectors as clients_selectors
from omavalvonta.core.forms import form_page, form_step
from omavalvonta.core.lib import bounds
from omavalvonta.core.pdf import PdfUnavailable
from omavalvonta.core.service_calls import call_service
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    P_CLIENT_COUNT,
    P_CLIENT_MANAGE,
    P_CLIENT_VIEW,
    P_OUTCOME_INSTRUMENT_MANAGE,
    requires,
)
from omavalvonta.outcomes import report, selectors, services
from omavalvonta.outcomes.forms import GoalsForm, ItemForm, MeasurementForm, ReportForm, SessionCheckForm

# --- Instruments -------------------------------------------------------------------------------


@requires(P_OUTCOME_INSTRUMENT_MANAGE)
def instruments(request, refused=None):
    """refused: (instrument id, the value typed, the message) of a threshold not saved."""
    return render(
        request,
        "outcomes/instruments.html",
        {"instruments": selectors.instrument_list(actor=request.user), "refused": refused},
        status=400 if refused else 200,
    )


@require_POST
@requires(P_OUTCOME_INSTRUMENT_MANAGE)
def instrument_threshold(request, pk):
    instrument = selectors.instrument_get(actor=request.user, pk=pk)
    value = request.POST.get("reliable_change", "")[:20]
    try:
        services.instrument_threshold_set(actor=request.user, instrument=instrument, value=value)
    except ValidationError as error:
        return instruments(request, refused=(instrument.pk, value, " ".join(error.messages)))
    messages.success(request, _("The reliable-change threshold was saved."))
    return redirect("outcomes:instruments")


@requires(P_OUTCOME_INSTRUMENT_MANAGE)
def version_detail(request, pk):
    version = selectors.version_get(actor=request.user, pk=pk)
    used = services.version_is_used(version)
    return render(
        request,
        "outcomes/version.html",
        {
            "version": version,
            "items": list(version.items.all()),
            "used": used,
            "editable": not version.is_published and not used,
        },
    )


@require_POST
@requires(P_OUTCOME_INSTRUMENT_MANAGE)
def version_draft(request, pk):
    version = selectors.version_get(actor=request.user, pk=pk)
    draft = services.version_draft_create(actor=request.user, version=version)
    messages.success(request, _("A draft version was made. Change its items, then publish it."))
    return redirect("outcomes:version", pk=draft.pk)


@require_POST
@requires(P_OUTCOME_INSTRUMENT_MANAGE)
def version_publish(request, pk):
    version = selectors.version_get(actor=request.user, pk=pk)
    call_service(
        request, lambda: services.version_publish(actor=request.user, version=version),
        success=_("The version was published. New measurements use it."),
    )
    return redirect("outcomes:version", pk=version.pk)


@requires(P_OUTCOME_INSTRUMENT_MANAGE)
def item_edit(request, pk):
    item = selectors.item_get(actor=request.user, pk=pk)
    return form_page(
        request, ItemForm,
        lambda form: services.item_update(
            actor=request.user, item=item, expected_version=form.cleaned_data.get("edit_version"),
            **{name: form.cleaned_data.get(name) for name in ItemForm.FIELDS},
        ),
        template="outcomes/item_form.html", context={"item": item}, initial=ItemForm.initial_from(item),
        success=_("The item was saved."), back=reverse("outcomes:version", kwargs={"pk": item.version_id}),
    )


# --- A child's measurements --------------------------------------------------------------------


@requires(P_CLIENT_VIEW)
def child(request, pk):
    placement = selectors.placement_get(actor=request.user, pk=pk, request=request)
    return render(
        request,
        "outcomes/child.html",
        {"placement": placement, **selectors.child_outcomes(placement=placement)},
    )


@requires(P_CLIENT_VIEW)
def measure(request, pk):
    actor = request.user
    placement = selectors.placement_get(actor=actor, pk=pk, request=request)
    version, items = selectors.current_version_items()
    today = timezone.localdate()
    if version is None or (placement.ends_on is not None and placement.ends_on <= today):
        messages.info(request, _("No measurement can be recorded for this child now."))
        return redirect("outcomes:child", pk=placement.pk)
    items = selectors.items_for(placement, version, today, items=items)
    goals = services.open_goals(placement)
    return form_page(
        request, MeasurementForm,
        lambda form: services.measurement_record(
            actor=actor, placement=placement, version=version, **form.service_kwargs()
        ),
        template="outcomes/measure.html", context={"placement": placement, "version": version},
        form_kwargs={"items": items, "goals": goals}, initial=MeasurementForm.initial_values(),
        success=_("The measurement was saved."),
        back=lambda measurement: (
            reverse("outcomes:goals", kwargs={"pk": measurement.pk}) if measurement.is_done
            else reverse("outcomes:child", kwargs={"pk": placement.pk})
        ),
    )


@requires(P_CLIENT_VIEW)
def goals(request, pk):
    actor = request.user
    measurement = selectors.measurement_get(actor=actor, pk=pk)
    placement = selectors.placement_get(actor=actor, pk=measurement.placement_id, request=request)
    if not measurement.is_done or not services.is_latest(measurement):
        messages.info(request, _("Goals are agreed after the child's latest measurement."))
        return redirect("outcomes:child", pk=placement.pk)
    items = list(measurement.version.items.all())
    proposed = selectors.proposed_items(measurement)
    existing = list(measurement.goals.select_related("item"))
    free = max(0, services.MAX_GOALS - len(existing))
    if free == 0:
        messages.info(request, _("Three goals are already agreed after this measurement."))
        return redirect("outcomes:child", pk=placement.pk)
    return form_page(
        request, GoalsForm,
        lambda form: services.goals_agree(actor=actor, measurement=measurement, goals=form.service_goals()),
        template="outcomes/goals.html",
        context={"placement": placement, "measurement": measurement, "proposed": proposed, "existing": existing},
        form_kwargs={"items": items, "proposed": proposed, "rows": free},
        success=_("The goals were saved."), back=reverse("outcomes:child", kwargs={"pk": placement.pk}),
    )



@requires(P_CLIENT_VIEW)
def goals_print(request, pk):
    placement = selectors.placement_get(actor=request.user, pk=pk, request=request, what="outcome.goals")
    return render(
        request,
        "outcomes/goals_print.html",
        {"placement": placement, "goals": selectors.goals_of(placement), "today": timezone.localdate()},
    )


# --- Effectiveness -----------------------------------------------------------------------------


@requires(P_CLIENT_COUNT)
def effectiveness(request):
    region_id = bounds.parse_int(request.GET.get("alue"))
    data = selectors.effectiveness_overview(actor=request.user, region_id=region_id)
    return render(request, "outcomes/effectiveness.html", data)


@requires(P_CLIENT_COUNT)
def unit_effectiveness(request, pk):
    unit = access.access_unit(request.user, pk, P_CLIENT_COUNT)
    data = selectors.unit_effectiveness(actor=request.user, unit=unit)
    return render(
        request,
        "outcomes/unit_effectiveness.html",
        {
            "unit": unit,
            "sessions_in_use": selectors.session_checks_in_use(unit),
            "can_manage": access.can(request.user, P_CLIENT_MANAGE, unit),
            **data,
        },
    )


@require_POST
@requires(P_CLIENT_MANAGE)
def unit_sessions(request, pk):
    unit = access.access_unit(request.user, pk, P_CLIENT_MANAGE)
    in_use = request.POST.get("in_use") == "1"
    services.unit_practice_set(actor=request.user, unit=unit, session_checks=in_use)
    if in_use:
        messages.success(request, _("The session checks are in use in the unit."))
    else:
        messages.success(request, _("The session checks are no longer in use. The checks recorded are kept."))
    return redirect("outcomes:unit_effectiveness", pk=unit.pk)


# --- Feedback-informed sessions ----------------------------------------------------------------


@requires(P_CLIENT_VIEW)
def sessions(request, pk):
    actor = request.user
    placement = selectors.placement_get(actor=actor, pk=pk, request=request, what="outcome.sessions")
    data = selectors.child_sessions(placement=placement)
    today = timezone.localdate()
    can_record = data["in_use"] and (placement.ends_on is None or placement.ends_on > today)
    form = None
    if request.method == "POST":
        if not can_record:
            messages.info(request, _("No session check can be recorded for this child now."))
            return redirect("outcomes:sessions", pk=placement.pk)
        form = SessionCheckForm(request.POST)
        done, _check = form_step(
            form,
            lambda data: services.session_check_record(
                actor=actor, placement=placement, checked_on=data.get("checked_on"), scores=form.scores()
            ),
        )
        if done:
            messages.success(request, _("The session check was saved."))
            return redirect("outcomes:sessions", pk=placement.pk)
    elif can_record:
        form = SessionCheckForm(initial={"checked_on": today})
    return render(request, "outcomes/sessions.html", {"placement": placement, "form": form, **data})


# --- The report to the child's social worker ---------------------------------------------------


def _report_period(request) -> tuple:
    """The period asked for in the query string (?alku=&loppu=, ISO dates), or
    the last full quarter when none or a wrong one is given."""
    today = timezone.localdate()
    try:
        date_from = dt.date.fromisoformat(request.GET.get("alku", ""))
        date_to = dt.date.fromisoformat(request.GET.get("loppu", ""))
    except ValueError:
        return report.last_quarter(today)
    if report.period_errors(date_from, date_to, today) or not (bounds.in_range(date_from) and bounds.in_range(date_to)):
        return report.last_quarter(today)
    return date_from, date_to


@requires(P_CLIENT_VIEW)
def report_page(request, pk):
    """The report to the social worker: the period, the PDF to look at, the
    sending (client.manage), and what was sent to whom and its downloads."""
    actor = request.user
    placement = selectors.placement_get(actor=actor, pk=pk, request=request, what="outcome.report")
    can_send = access.can(actor, P_CLIENT_MANAGE, placement.unit)
    date_from, date_to = _report_period(request)
    if request.method == "POST":
        if not can_send:
            raise PermissionDenied(P_CLIENT_MANAGE)
        form = ReportForm(request.POST)
        done, _delivery = form_step(
            form,
            lambda data: services.report_send(
                actor=actor, placement=placement, date_from=data["period_start"], date_to=data["period_end"]
            ),
        )
        if done:
            messages.success(
                request,
                _("The report was sent to %(name)s: a link and, in a separate message, a one-time code.")
                % {"name": placement.social_worker_name},
            )
            return redirect("outcomes:report", pk=placement.pk)
    else:
        form = ReportForm(initial={"period_start": date_from, "period_end": date_to})
    return render(
        request,
        "outcomes/report.html",
        {
            "placement": placement,
            "form": form,
            "can_send": can_send,
            "date_from": date_from,
            "date_to": date_to,
            "deliveries": [
                (d, report.period_of(d.params))
                for d in clients_selectors.deliveries_of_child(placement=placement, generator=report.REPORT)
            ],
        },
    )


@requires(P_CLIENT_VIEW)
def report_pdf(request, pk):
    placement = selectors.placement_get(actor=request.user, pk=pk, request=request, what="outcome.report_pdf")
    date_from, date_to = _report_period(request)
    try:
        pdf = report.report_pdf(placement, date_from, date_to)
    except PdfUnavailable:
        messages.error(request, _("The PDF cannot be made on this server right now."))
        return redirect("outcomes:report", pk=placement.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.filename(placement.pk, date_from)}"'
    return response
