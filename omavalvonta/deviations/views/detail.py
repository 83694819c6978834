"""The report page with its handling panel; each handling step posts to its own URL."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from omavalvonta.core.attachments import attachment_response
from omavalvonta.deviations import selectors, services
from omavalvonta.core.forms import add_service_errors
from omavalvonta.deviations.forms import ActionForm, AnswerForm, AssignForm, ClassifyForm, DisclosureForm, ReopenForm
from omavalvonta.deviations.models import Kind, NotificationRecipient
from omavalvonta.improvement.selectors import actions_for_source
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    AUTHENTICATED,
    P_DEVIATION_HANDLE,
    P_DEVIATION_NOTIFY,
    P_DEVIATION_ROUTING,
    P_DEVIATION_VIEW,
    requires,
)
from omavalvonta.organisation.models import Role
from omavalvonta.risks.selectors import risks_for_deviation

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
    deadline = deviation.submitted_at + dt.timedelta(hours=services.GDPR_BREACH_HOURS)
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
    reporter = selectors.reporter_display(actor=actor, deviation=deviation, request=request)

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
        # Known risks the report is tied to (the risks app owns the link).
        "risk_links": risks_for_deviation(actor=actor, deviation=deviation) if sees_handling else None,
    }
    return render(request, "deviations/detail.html", context)


@requires(AUTHENTICATED)
def deviation_detail(request, pk):
    # AUTHENTICATED, not deviation.view: a reporter without that right still reads
    # their own report. deviation_get applies the kernel (owner rules included).
    deviation = selectors.deviation_get(actor=request.user, pk=pk, perm=P_DEVIATION_VIEW, request=request)
    return _render_detail(request, deviation)


@requires(AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def deviation_disclose_reporter(request, pk):
    """The reasoned, recorded step by which the unit's responsible person sees a
    protected (§ 29) reporter's identity on one report."""
    deviation = selectors.deviation_get(actor=request.user, pk=pk, perm=P_DEVIATION_VIEW, request=request)
    if not selectors.may_disclose_reporter(request.user, deviation):
        raise PermissionDenied(access.P_DEVIATION_DISCLOSE_REPORTER)
    if selectors.reporter_visible(actor=request.user, deviation=deviation):
        return redirect("deviations:detail", pk=deviation.pk)
    form = DisclosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deviation_reporter_disclose(
                actor=request.user, deviation=deviation, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The identity was disclosed to you. The reason was recorded."))
            return redirect(f"{reverse('deviations:detail', args=[deviation.pk])}#reporter")
    return render(request, "deviations/disclose_reporter.html", {"deviation": deviation, "form": form})


@requires(AUTHENTICATED)
def attachment_download(request, pk, attachment_id):
    deviation = selectors.deviation_get(actor=request.user, pk=pk, perm=P_DEVIATION_VIEW, request=request)
    attachment = selectors.deviation_attachment(
        actor=request.user, deviation=deviation, attachment_id=attachment_id, request=request
    )
    return attachment_response(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


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
