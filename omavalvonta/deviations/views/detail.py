"""The report page with its handling panel; each handling step posts to its own URL."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Subquery
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from omavalvonta.core import registry
from omavalvonta.core.attachments import attachment_response
from omavalvonta.core.forms import add_service_errors
from omavalvonta.core.lib.counts import resolve_with
from omavalvonta.core.lib.formhtml import csrf_input
from omavalvonta.core.lib.kept import kept_counts
from omavalvonta.deviations import detail_html, goal_prompt, handling_html, identity, law, proposals, selectors, services
from omavalvonta.deviations.access_rows import access_log_html
from omavalvonta.deviations.capabilities import deviation_capabilities
from omavalvonta.deviations.forms import (
    AnswerForm,
    AssignForm,
    ClassifyForm,
    CloseForm,
    DisclosureForm,
    MessageForm,
    ReopenForm,
)
from omavalvonta.deviations.handling_forms import DecisionsForm, InformedForm
from omavalvonta.deviations.handling_people import HandlingPeople
from omavalvonta.deviations.informed import informed_records
from omavalvonta.deviations.models import Kind, NotificationRecipient
from omavalvonta.improvement.forms import ActionForm
from omavalvonta.improvement.selectors import actions_for_source, open_action_count_for_source
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    AUTHENTICATED,
    P_DEVIATION_HANDLE,
    P_DEVIATION_VIEW,
    requires,
)

# --- The report page --------------------------------------------------------------------


class _Forms(dict):
    """The handling panel's forms by name, each made when first asked for: a
    closed report shows only reopening's, an open one all but that (and the
    panel's choices of people are read only for a form that offers them)."""

    def __init__(self, makers: dict):
        super().__init__(close_errors=[])
        self._makers = makers

    def __missing__(self, name):
        if name not in self._makers:
            raise KeyError(name)
        form = self[name] = self._makers[name]()
        return form

    def get(self, name, default=None):
        return self[name] if name in self or name in self._makers else default


def _handling_forms(deviation, *, bound: str | None = None, data=None, actor=None) -> dict:
    """The handling panel's forms (made when first asked for); the one named
    `bound` bound to `data`."""
    # Who may handle, own an action, answer for an instruction: one query (only
    # their ids and names while no form is posted: nothing is cleaned to a User).
    people = HandlingPeople(deviation=deviation, to_offer=bound is None)

    def args(name):
        return (data,) if name == bound else ()

    return _Forms(
        {
            "assign": lambda: AssignForm(
                *args("assign"), prefix="assign", candidates=people.handlers, current=deviation.handler
            ),
            "classify": lambda: ClassifyForm(
                *args("classify"), prefix="classify", initial=ClassifyForm.initial_for(deviation)
            ),
            "action": lambda: ActionForm(*args("action"), prefix="action", people=people.owners),
            "answer": lambda: AnswerForm(
                *args("answer"),
                prefix="answer",
                initial={"answer": deviation.answer, "edit_version": deviation.edit_version},
            ),
            "message": lambda: MessageForm(*args("message"), prefix="message"),
            "informed": lambda: InformedForm(*args("informed"), prefix="informed", actor=actor),
            "decisions": lambda: DecisionsForm(
                *args("decisions"), prefix="decisions", candidates=people.responsible, deviation=deviation
            ),
            "close": lambda: CloseForm(prefix="close"),
            "reopen": lambda: ReopenForm(*args("reopen"), prefix="reopen"),
        }
    )


# A refused close comes back to the report page (post/redirect/get) with its
# reasons and whatever the person typed, kept for one display in the session.
CLOSE_REFUSED_SESSION_KEY = "deviations.close_refused"


def _handling_problems(forms) -> tuple[bool, list[str]]:
    """(did a handling step fail, its messages not tied to a field). The messages
    go on top of the page too: the form they belong to may not be on the page any
    more (a step posted from a stale page after the report was closed)."""
    if not forms:
        return False, []
    # "<step>_errors": a step's refusal not tied to a form (closing, removing a row).
    messages_ = [m for name, value in forms.items() if name.endswith("_errors") for m in value]
    failed = bool(messages_)
    for name, form in forms.items():
        if not name.endswith("_errors") and form.errors:
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


def _notification_context(deviation, caps, *, sent: bool) -> dict:
    """The statutory notifications' part of the page (for those who see the
    handling; `sent`: there are notifications to read)."""
    notifications = selectors.deviation_statutory_notifications(deviation=deviation) if sent else []
    county = [n for n in notifications if n.recipient_kind != NotificationRecipient.AUTHORITY]
    duty = deviation.statutory_duty if caps.sees_handling else None
    missing = services.statutory_missing(deviation) if duty is not None else []
    escalation_refusal = services.authority_escalation_refusal(deviation) if caps.can_notify and county else None
    return {
        "county_notifications": county,
        "authority_notifications": [n for n in notifications if n.recipient_kind == NotificationRecipient.AUTHORITY],
        # The first deadline given to the county counts (as in the service).
        "correction_due": min((n.correction_due for n in county if n.correction_due), default=None),
        "duty": duty,
        "missing_county": NotificationRecipient.COUNTY in missing,
        "missing_authority": NotificationRecipient.AUTHORITY in missing,
        "needs_notification": bool(missing),
        "clock_late": deviation.notification_due_at is not None and deviation.notification_is_late,
        "can_escalate": caps.can_notify and bool(county) and escalation_refusal is None,
    }


def _refused_close_forms(request, deviation, caps, forms):
    """A refused close's reasons and typed text, kept in the session for one display."""
    refused = request.session.pop(CLOSE_REFUSED_SESSION_KEY, None)
    if not (refused and refused.get("pk") == deviation.pk and forms is None and caps.can_handle):
        return forms
    forms = _handling_forms(deviation, actor=request.user)
    forms["close_errors"] = refused.get("errors", [])
    forms["close"] = CloseForm(prefix="close", initial={"reason": refused.get("reason", "")})
    return forms


def _handling_context(request, deviation, caps, forms, reporter_form, counted) -> dict:
    """The handling panel, the messages and the closing's preconditions."""
    actor = request.user
    handling_failed, handling_messages = _handling_problems(forms)
    if forms is None and caps.can_handle:
        forms = _handling_forms(deviation, actor=actor)
    thread = identity.deviation_messages(actor=actor, deviation=deviation) if counted.get("messages") else []
    open_actions = (
        open_action_count_for_source(source=deviation) if caps.can_handle and deviation.kind == Kind.GRIEVANCE else 0
    )
    return {
        "messages_thread": thread,
        "question_waits": identity.question_waits(thread),
        "reporter_form": (reporter_form or MessageForm(prefix="reply")) if caps.reporter_can_write else None,
        "reporter_reachable": bool(deviation.followup_code_digest) or (deviation.reporter_id and not deviation.is_anonymous),
        "open_grievance_actions": open_actions,
        "can_close_uncorrected": open_actions and caps.may_close_uncorrected,
        "close_preview": services.deviation_close_refusals(deviation) if caps.can_handle and deviation.is_open else [],
        "forms": forms if forms is not None else {},
        "handling_failed": handling_failed,
        "handling_messages": handling_messages,
    }


def _render_detail(request, deviation, *, forms=None, reporter_form=None, status=200):
    actor = request.user
    caps = deviation_capabilities(actor=actor, deviation=deviation)
    forms = _refused_close_forms(request, deviation, caps, forms)
    sees = caps.sees_handling
    # The report's lists and the panels' rows counted first, in one statement:
    # only those with rows are read.
    counted, panels = _counted_with_panels(actor, deviation, handling=sees, thread=caps.sees_thread)
    context = {
        "deviation": deviation,
        "is_own": caps.is_own,
        "sees_handling": sees,
        "can_handle": caps.can_handle,
        "can_notify": caps.can_notify,
        "can_route": caps.can_route,
        # The report steers the unit's action plan (improvement's page).
        "can_steer_plan": sees and goal_prompt.may_steer(actor=actor, deviation=deviation),
        "reporter": identity.reporter_display(actor=actor, deviation=deviation, request=request),
        "informed": informed_records(deviation=deviation) if sees and counted["informed"] else [],
        "proposals": proposals.proposals_for_deviation(deviation=deviation) if sees and counted["proposals"] else [],
        "attachments": list(selectors.deviation_attachments(deviation=deviation)) if counted["attachments"] else [],
        "actions": list(actions_for_source(source=deviation)) if counted["actions"] else [],
        "timeline": selectors.deviation_timeline(actor=actor, deviation=deviation),
        # Read after reporter_display, which logs a showing of the reporter.
        "access_log": selectors.deviation_access_log(actor=actor, deviation=deviation),
        "serious_reasons": law.reason_labels(deviation.serious_reasons) if sees else [],
        "gdpr_clock": _gdpr_clock(deviation, timezone.now()) if caps.sees_gdpr_clock else None,
        **_notification_context(deviation, caps, sent=sees and bool(counted["notifications"])),
        **_handling_context(request, deviation, caps, forms, reporter_form, counted),
        # Panels other areas add to the handler's view (the known risks the report
        # is tied to: the risks app owns the link and registers the panel).
        "panels": panels,
    }
    context["access_log_html"] = access_log_html(context["access_log"]) if context["access_log"] else ""
    detail_html.page_parts(context)
    _handling_html(request, context)
    return render(request, "deviations/detail.html", context, status=status)


def _handling_html(request, context) -> None:
    """The handling parts of the page, written in Python (handling_html)."""
    if not context["sees_handling"]:
        return
    context["user_pk"] = request.user.pk
    csrf = csrf_input(get_token(request))
    context["informed_html"] = handling_html.informed_section(context, csrf)
    context["decisions_html"] = handling_html.decisions_section(context, csrf)
    if context["can_handle"]:
        context["handling_html"] = handling_html.handling_panel(context, csrf)


def _kept_panel(entry) -> bool:
    """Does the panel give its counts from the report's id (`record_counts`) and
    its data from them (`with_counts`)? Else it is declared as counts_first."""
    return hasattr(entry.func, "record_counts") and hasattr(entry.func, "with_counts")


def _own_rows(deviation, *, handling: bool, thread: bool) -> dict:
    """The report's own lists its page shows ({name: queryset}): its actions and
    deviation_related_rows', and with `handling` the counts of the panels that
    give theirs from the report's id ("<panel>:<name>"), the report's unit an
    expression of its id."""
    rows = {
        "actions": actions_for_source(source=deviation),
        **selectors.deviation_related_rows(deviation=deviation, handling=handling, thread=thread),
    }
    if handling:
        unit_id = Subquery(type(deviation).objects.filter(pk=deviation.pk).values("unit_id"))
        for entry in registry.entries(registry.DEVIATION_PANELS):
            if _kept_panel(entry):
                counts = entry.func.record_counts(record=deviation, unit_id=unit_id)
                rows.update({f"{entry.name}:{name}": queryset for name, queryset in counts.items()})
    return rows


def _counted_with_panels(actor, deviation, *, handling: bool, thread: bool) -> tuple[dict, list[dict]]:
    """The counts of the report's own lists (_own_rows) and, with `handling`,
    the registered panels' contexts, each with its "template" (core.registry):
    the own rows and those of every panel counted in one statement. The own
    lists' and the panels' counting SQL (`record_counts`) is kept compiled
    (core.lib.kept) with the report's id filled in; a panel without it is
    declared with counts_first as before."""
    entries = list(registry.entries(registry.DEVIATION_PANELS)) if handling else []
    declared = [
        None if _kept_panel(entry) else getattr(entry.func, "declare", entry.func)(actor=actor, deviation=deviation)
        for entry in entries
    ]
    model = type(deviation)
    own = kept_counts(
        ("deviations.detail", model._meta.label, handling, thread),
        lambda: _own_rows(deviation, handling=handling, thread=thread),
        lambda pk: _own_rows(model(pk=pk), handling=handling, thread=thread),
        record_id=deviation.pk,
    )
    counted, contexts = resolve_with(own, [made for made in declared if made is not None])
    contexts = iter(contexts)
    panels = []
    for entry, made in zip(entries, declared, strict=True):
        if made is not None:
            panel = next(contexts)
        else:
            prefix = f"{entry.name}:"
            mine = {name.removeprefix(prefix): n for name, n in counted.items() if name.startswith(prefix)}
            panel = entry.func.with_counts(actor=actor, deviation=deviation, counted=mine)
        if panel:
            panels.append(panel)
    return counted, panels


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
    deviation = selectors.deviation_get(actor=request.user, pk=pk, perm=P_DEVIATION_VIEW, log=False)
    if not identity.may_disclose_reporter(request.user, deviation):
        raise PermissionDenied(access.P_DEVIATION_DISCLOSE_REPORTER)
    selectors.deviation_read_log(actor=request.user, deviation=deviation, perm=P_DEVIATION_VIEW, request=request)
    if identity.reporter_visible(actor=request.user, deviation=deviation):
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
    # The attachment's read is the one access-log row (deviation.attachment).
    deviation = selectors.deviation_get(actor=request.user, pk=pk, perm=P_DEVIATION_VIEW, log=False)
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


def _handle(request, pk, name, perform, success_message, *, anchor="", failed_status=200):
    """Run one handling step: validate form `name`, call the service through
    `perform(deviation, cleaned_data)`, then redirect back with a message (to
    `anchor` on the page); on an error show the report page again with the typed
    values and the errors (`failed_status`: the newer steps answer 400)."""
    deviation = selectors.deviation_get(actor=request.user, pk=pk, perm=P_DEVIATION_HANDLE, request=request)
    forms = _handling_forms(deviation, bound=name, data=request.POST, actor=request.user)
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
            return redirect(reverse("deviations:detail", args=[deviation.pk]) + (f"#{anchor}" if anchor else ""))
    # The service ran in a transaction that rolled back; show the stored state.
    deviation.refresh_from_db()
    return _render_detail(request, deviation, forms=forms, status=failed_status)


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
        data = dict(data)
        expected = data.pop("edit_version")
        services.deviation_classify(actor=request.user, deviation=deviation, expected_version=expected, **data)

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
        services.deviation_answer(
            actor=request.user, deviation=deviation, answer=data["answer"], expected_version=data["edit_version"]
        )

    return _handle(request, pk, "answer", perform, _("The answer was saved and the reporter can now read it."))


@requires(AUTHENTICATED)
@require_POST
def deviation_close(request, pk):
    """Close, or come back to the report page with every reason it cannot be
    closed yet (post/redirect/get), keeping what was typed."""
    deviation = selectors.deviation_get(actor=request.user, pk=pk, perm=P_DEVIATION_HANDLE, request=request)
    form = CloseForm(request.POST, prefix="close")
    form.is_valid()
    reason = form.cleaned_data.get("reason", "") if hasattr(form, "cleaned_data") else ""
    try:
        services.deviation_close(actor=request.user, deviation=deviation, reason=reason)
    except ValidationError as error:
        request.session[CLOSE_REFUSED_SESSION_KEY] = {"pk": deviation.pk, "errors": error.messages, "reason": reason}
        return redirect(reverse("deviations:detail", args=[deviation.pk]) + "#close-title")
    messages.success(request, _("The report was closed."))
    return redirect("deviations:detail", pk=deviation.pk)


@requires(AUTHENTICATED)
@require_POST
def deviation_message(request, pk):
    """The handler asks the reporter a question."""

    def perform(deviation, data):
        services.deviation_message_to_reporter(actor=request.user, deviation=deviation, body=data["body"])

    return _handle(request, pk, "message", perform, _("The message was sent to the reporter."))


@requires(AUTHENTICATED)
@require_POST
def deviation_reply(request, pk):
    """The named reporter answers or adds information to their own report."""
    deviation = selectors.deviation_get(actor=request.user, pk=pk, perm=P_DEVIATION_VIEW, request=request)
    form = MessageForm(request.POST, prefix="reply")
    if form.is_valid():
        try:
            services.deviation_message_from_reporter(actor=request.user, deviation=deviation, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your message was sent to the handler."))
            return redirect(reverse("deviations:detail", args=[deviation.pk]) + "#messages-title")
    deviation.refresh_from_db()
    return _render_detail(request, deviation, reporter_form=form)


@requires(AUTHENTICATED)
@require_POST
def deviation_reopen(request, pk):
    def perform(deviation, data):
        services.deviation_reopen(actor=request.user, deviation=deviation, reason=data["reason"])

    return _handle(request, pk, "reopen", perform, _("The report was reopened."))
