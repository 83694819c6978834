"""Deviation pages: report, my reports, the list and its CSV export, the report
page with its handling panel, statutory notifications and per-unit routing.

Views parse, authorise and render. Every record is read through `selectors`
(which enforce the access kernel and write the access log) and every write goes
through `services`; a service's ValidationError is shown next to the fields."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from omavalvonta.deviations import selectors, services
from omavalvonta.deviations.forms import (
    ActionForm,
    AnswerForm,
    AssignForm,
    ClassifyForm,
    FilterForm,
    NotificationForm,
    ReopenForm,
    ReportForm,
    RoutingForm,
    add_service_errors,
)
from omavalvonta.deviations.models import Kind, NotificationRecipient
from omavalvonta.improvement.selectors import actions_for_source
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    AUTHENTICATED,
    P_DEVIATION_EXPORT,
    P_DEVIATION_HANDLE,
    P_DEVIATION_NOTIFY,
    P_DEVIATION_REPORT,
    P_DEVIATION_ROUTING,
    P_DEVIATION_VIEW,
    P_UNIT_VIEW,
    requires,
)
from omavalvonta.organisation.models import Role

PAGE_SIZE = 20
# The submitted page shows the follow-up code once; it never travels in a URL.
SUBMITTED_SESSION_KEY = "deviations.submitted"
GDPR_BREACH_HOURS = 72


# --- Reporting -------------------------------------------------------------------------


@requires(P_DEVIATION_REPORT)
def report_new(request):
    actor = request.user
    units = list(access.units_for(actor, P_DEVIATION_REPORT).select_related("region").order_by("name"))
    own_unit_ids = [g.unit_id for g in access.grants(actor) if g.unit_id and P_DEVIATION_REPORT in g.permissions]
    initial_unit = next((u for u in units if u.pk in own_unit_ids), None)

    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, units=units, initial_unit=initial_unit)
        if form.is_valid():
            try:
                result = services.deviation_submit(actor=actor, **form.service_kwargs())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                deviation = result.deviation
                request.session[SUBMITTED_SESSION_KEY] = {
                    "number": deviation.number,
                    # An anonymous report is not linked to its reporter anywhere,
                    # not even in their session after this one display.
                    "pk": None if deviation.is_anonymous else deviation.pk,
                    "code": result.followup_code,
                    "anonymous": deviation.is_anonymous,
                }
                return redirect("deviations:submitted")
    else:
        form = ReportForm(units=units, initial_unit=initial_unit)

    return render(
        request,
        "deviations/report_form.html",
        {
            "form": form,
            # Browsers cannot keep chosen files across a failed submit: say so.
            "files_lost": bool(request.method == "POST" and request.FILES and form.errors),
            "grievance": Kind.GRIEVANCE,
        },
    )


@requires(P_DEVIATION_REPORT)
def report_submitted(request):
    submitted = request.session.pop(SUBMITTED_SESSION_KEY, None)
    return render(request, "deviations/submitted.html", {"submitted": submitted})


@requires(P_DEVIATION_REPORT)
def my_reports(request):
    deviations = selectors.deviation_list_mine(actor=request.user)
    page = Paginator(deviations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deviations/mine.html", {"page": page})


# --- The list and its export -------------------------------------------------------------


@requires(P_DEVIATION_VIEW)
def deviation_list(request):
    actor = request.user
    form = FilterForm(
        request.GET or None, units=access.units_for(actor, P_DEVIATION_VIEW).order_by("name"), actor=actor
    )
    filters = form.filters()
    page = Paginator(selectors.deviation_list(actor=actor, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    routing_unit = None
    if filters.get("unit"):
        unit = form.cleaned_data["unit"]
        if access.can(actor, P_DEVIATION_ROUTING, unit):
            routing_unit = unit
    return render(
        request,
        "deviations/list.html",
        {
            "form": form,
            "page": page,
            "filtered": bool(filters),
            "can_export": access.has_perm_anywhere(actor, P_DEVIATION_EXPORT),
            "routing_unit": routing_unit,
        },
    )


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv."""

    def write(self, value):
        return value


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


# --- The report page --------------------------------------------------------------------


def _handling_forms(deviation, *, bound: str | None = None, data=None) -> dict:
    """The handling panel's forms; the one named `bound` bound to `data`."""
    candidates = list(selectors.handler_candidates(unit=deviation.unit, kind=deviation.kind))

    def args(name):
        return (data,) if name == bound else ()

    return {
        "assign": AssignForm(*args("assign"), prefix="assign", candidates=candidates, current=deviation.handler),
        "classify": ClassifyForm(
            *args("classify"), prefix="classify", initial=ClassifyForm.initial_for(deviation)
        ),
        "action": ActionForm(*args("action"), prefix="action", people=selectors.action_owner_candidates(deviation=deviation, handlers=candidates)),
        "answer": AnswerForm(*args("answer"), prefix="answer", initial={"answer": deviation.answer}),
        "reopen": ReopenForm(*args("reopen"), prefix="reopen"),
        "close_errors": [],
    }


def _handling_problems(forms) -> tuple[bool, list[str]]:
    """(did a handling step fail, its messages not tied to a field). The messages
    go on top of the page too: the form they belong to may not be on the page any
    more (a step posted from a stale page after the report was closed)."""
    if not forms:
        return False, []
    messages_ = list(forms.get("close_errors", []))
    failed = bool(messages_)
    for name, form in forms.items():
        if name != "close_errors" and form.errors:
            failed = True
            messages_.extend(form.non_field_errors())
    return failed, messages_


def _gdpr_clock(deviation, now):
    deadline = deviation.submitted_at + dt.timedelta(hours=GDPR_BREACH_HOURS)
    left = deadline - now
    minutes = int(abs(left.total_seconds()) // 60)
    return {
        "deadline": deadline,
        "passed": left.total_seconds() < 0,
        "hours": minutes // 60,
        "minutes": minutes % 60,
    }


def _render_detail(request, deviation, *, forms=None):
    actor = request.user
    now = timezone.now()
    can_handle = access.can_on(actor, deviation, P_DEVIATION_HANDLE)
    can_notify = access.can_on(actor, deviation, P_DEVIATION_NOTIFY)
    is_own = deviation.reporter_id is not None and deviation.reporter_id == actor.pk
    # Someone who sees the report by their role (not only as its reporter) sees
    # the handling details too; the reporter sees what they wrote and the answer.
    sees_handling = (
        can_handle
        or deviation.handler_id == actor.pk
        or access.can(actor, P_DEVIATION_VIEW, deviation.unit, kind=deviation.kind)
    )
    reporter = None
    if not is_own and sees_handling:
        reporter = selectors.deviation_reporter(actor=actor, deviation=deviation, request=request)

    notifications = selectors.deviation_statutory_notifications(deviation=deviation) if sees_handling else []
    county_notifications = [n for n in notifications if n.recipient_kind != NotificationRecipient.AUTHORITY]
    authority_notifications = [n for n in notifications if n.recipient_kind == NotificationRecipient.AUTHORITY]
    # The first deadline given to the county counts (as in the service).
    correction_due = min((n.correction_due for n in county_notifications if n.correction_due), default=None)

    show_gdpr_clock = (
        deviation.kind == Kind.DATA_PROTECTION
        and deviation.personal_data_breach
        and deviation.is_open
        and (can_handle or access.has_role(actor, Role.DATA_PROTECTION_OFFICER))
    )
    handling_failed, handling_messages = _handling_problems(forms)
    if forms is None and can_handle:
        forms = _handling_forms(deviation)

    context = {
        "deviation": deviation,
        "is_own": is_own,
        "sees_handling": sees_handling,
        "can_handle": can_handle,
        "can_notify": can_notify,
        "reporter": reporter,
        "attachments": list(selectors.deviation_attachments(deviation=deviation)),
        "actions": list(actions_for_source(source=deviation)),
        "timeline": selectors.deviation_timeline(actor=actor, deviation=deviation),
        "access_log": selectors.deviation_access_log(actor=actor, deviation=deviation),
        "county_notifications": county_notifications,
        "authority_notifications": authority_notifications,
        "correction_due": correction_due,
        "needs_notification": sees_handling and deviation.requires_statutory_notification and not county_notifications,
        "can_escalate": (
            can_notify
            and deviation.is_open
            and bool(county_notifications)
            and services.authority_escalation_refusal(deviation) is None
        ),
        "gdpr_clock": _gdpr_clock(deviation, now) if show_gdpr_clock else None,
        "can_route": access.can(actor, P_DEVIATION_ROUTING, deviation.unit),
        "forms": forms or {},
        "handling_failed": handling_failed,
        "handling_messages": handling_messages,
    }
    return render(request, "deviations/detail.html", context)


@requires(AUTHENTICATED)
def deviation_detail(request, pk):
    # AUTHENTICATED, not deviation.view: a reporter without that right still reads
    # their own report. deviation_get applies the kernel (owner rules included).
    deviation = selectors.deviation_get(actor=request.user, pk=pk, perm=P_DEVIATION_VIEW, request=request)
    return _render_detail(request, deviation)


@requires(AUTHENTICATED)
def attachment_download(request, pk, attachment_id):
    deviation = selectors.deviation_get(actor=request.user, pk=pk, perm=P_DEVIATION_VIEW, request=request)
    attachment = selectors.deviation_attachment(deviation=deviation, attachment_id=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )


# --- Handling: one POST per step ------------------------------------------------------------
#
# Pages about one report declare only AUTHENTICATED, like the report page: the
# selector then answers 404 outside the actor's units and 403 inside them without
# the right (and lets a named handler act through the kernel's owner rules).
# Refusing earlier on "no such right anywhere" would answer 403 where the record
# must not seem to exist.


def _handle(request, pk, name, perform, success_message):
    """Run one handling step: validate form `name`, call the service through
    `perform(deviation, cleaned_data)`, then redirect back with a message; on an
    error show the report page again with the typed values and the errors."""
    deviation = selectors.deviation_get(actor=request.user, pk=pk, perm=P_DEVIATION_HANDLE, request=request)
    forms = _handling_forms(deviation, bound=name, data=request.POST)
    form = forms.get(name)
    if form is None or form.is_valid():
        try:
            perform(deviation, form.cleaned_data if form is not None else {})
        except ValidationError as error:
            if form is not None:
                add_service_errors(form, error)
            else:
                forms[f"{name}_errors"] = error.messages
        else:
            messages.success(request, success_message)
            return redirect("deviations:detail", pk=deviation.pk)
    # The service ran in a transaction that rolled back; show the stored state.
    deviation.refresh_from_db()
    return _render_detail(request, deviation, forms=forms)


@requires(AUTHENTICATED)
@require_POST
def deviation_assign(request, pk):
    def perform(deviation, data):
        services.deviation_assign(actor=request.user, deviation=deviation, handler=data["handler"])

    return _handle(request, pk, "assign", perform, _("The handler was changed and notified."))


@requires(AUTHENTICATED)
@require_POST
def deviation_classify(request, pk):
    def perform(deviation, data):
        services.deviation_classify(actor=request.user, deviation=deviation, **data)

    return _handle(request, pk, "classify", perform, _("The classification was saved."))


@requires(AUTHENTICATED)
@require_POST
def deviation_add_action(request, pk):
    def perform(deviation, data):
        services.deviation_add_action(
            actor=request.user, deviation=deviation, title=data["title"], owner=data["owner"], due_date=data["due_date"]
        )

    return _handle(request, pk, "action", perform, _("The corrective action was added."))


@requires(AUTHENTICATED)
@require_POST
def deviation_answer(request, pk):
    def perform(deviation, data):
        services.deviation_answer(actor=request.user, deviation=deviation, answer=data["answer"])

    return _handle(request, pk, "answer", perform, _("The answer was saved and the reporter can now read it."))


@requires(AUTHENTICATED)
@require_POST
def deviation_close(request, pk):
    def perform(deviation, data):
        services.deviation_close(actor=request.user, deviation=deviation)

    return _handle(request, pk, "close", perform, _("The report was closed."))


@requires(AUTHENTICATED)
@require_POST
def deviation_reopen(request, pk):
    def perform(deviation, data):
        services.deviation_reopen(actor=request.user, deviation=deviation, reason=data["reason"])

    return _handle(request, pk, "reopen", perform, _("The report was reopened."))


# --- Statutory notifications ---------------------------------------------------------------


@requires(AUTHENTICATED)
def deviation_notify(request, pk):
    actor = request.user
    deviation = selectors.deviation_get(actor=actor, pk=pk, perm=P_DEVIATION_NOTIFY, request=request)
    problems = []
    try:
        drafts = services.deviation_notification_drafts(actor=actor, deviation=deviation)
    except ValidationError as error:
        drafts, problems = [], error.messages
    initial = {"subject": drafts[0].subject, "body": drafts[0].body} if drafts else {}
    if request.method == "POST" and drafts:
        form = NotificationForm(request.POST)
        if form.is_valid():
            try:
                sent = services.deviation_notify_county(actor=actor, deviation=deviation, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The notification was sent to %(count)d recipient.",
                        "The notification was sent to %(count)d recipients.",
                        len(sent),
                    )
                    % {"count": len(sent)},
                )
                return redirect("deviations:detail", pk=deviation.pk)
    else:
        form = NotificationForm(initial=initial)
    return render(
        request,
        "deviations/notify.html",
        {
            "deviation": deviation,
            "form": form,
            "recipients": drafts,
            "problems": problems,
            "title": _("Notify the county"),
            "intro": _(
                "The law requires the county that purchases the service, and its lead social-care "
                "official, to be told without delay. Check the message: it must not name the child or "
                "the reporter. One message is sent to every recipient listed."
            ),
            "submit_label": _("Send the notification"),
        },
    )


@requires(AUTHENTICATED)
def deviation_escalate(request, pk):
    actor = request.user
    deviation = selectors.deviation_get(actor=actor, pk=pk, perm=P_DEVIATION_NOTIFY, request=request)
    draft, draft_error = None, None
    try:
        draft = services.deviation_authority_draft(actor=actor, deviation=deviation)
    except ValidationError as error:
        draft_error = error
    if request.method == "POST":
        form = NotificationForm(request.POST)
        if form.is_valid():
            try:
                services.deviation_escalate_to_authority(actor=actor, deviation=deviation, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The report was escalated to the supervisory authority."))
                return redirect("deviations:detail", pk=deviation.pk)
    else:
        form = NotificationForm(initial={"subject": draft.subject, "body": draft.body} if draft else None)
    return render(
        request,
        "deviations/notify.html",
        {
            "deviation": deviation,
            "form": form,
            "recipients": [draft] if draft else [],
            "problems": draft_error.messages if draft_error is not None else [],
            "title": _("Escalate to the supervisory authority"),
            "intro": _(
                "The county was notified but the shortcoming was not corrected by the due date. "
                "The supervisory authority can now be told. Check the message before sending."
            ),
            "submit_label": _("Send to the supervisory authority"),
        },
    )


# --- Routing ---------------------------------------------------------------------------------


@requires(P_UNIT_VIEW)
def handler_routing(request, unit_id):
    # Declared with unit.view, not deviation.routing: someone outside the unit
    # gets 404 (the unit does not exist for them) rather than a 403 that confirms it.
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_DEVIATION_ROUTING)
    # Kind-limited roles (the DPO, say) are offered only for their own types.
    candidates_by_kind = {kind: list(selectors.handler_candidates(unit=unit, kind=kind)) for kind in Kind.values}
    current = selectors.handler_assignments_for(unit=unit)
    form = RoutingForm(request.POST or None, candidates_by_kind=candidates_by_kind, current=current)
    if request.method == "POST" and form.is_valid():
        changes = list(form.changes())
        try:
            with transaction.atomic():
                for kind, handler in changes:
                    services.handler_assignment_set(actor=actor, unit=unit, kind=kind, handler=handler)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if changes:
                messages.success(request, _("The handlers were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(reverse("deviations:routing", args=[unit.pk]))
    return render(request, "deviations/routing.html", {"unit": unit, "form": form})
