"""The complaint pages: the register (list), recording a complaint received by
letter, e-mail or in person, the complaint's page with its handling (handler,
written answer, actions, closing) and the organisation's deadline.

Pages about one complaint declare complaint.view; the selector answers 404
outside the actor's units and 403 inside them without the right a step needs.
The list and the complaint's page are logged reads (they show what clients
wrote; the page shows the complainant's name and contact)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from omavalvonta.complaints import selectors, services
from omavalvonta.complaints.forms import AnswerForm, AssignForm, ComplaintForm, FilterForm, SettingsForm
from omavalvonta.complaints.models import OPEN_STATES, Complaint, State
from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.forms import form_step, picked, posted_step
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.lists import filtered_list
from omavalvonta.core.service_calls import posted_button
from omavalvonta.improvement.forms import ActionForm
from omavalvonta.improvement.selectors import actions_for_source
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.access import P_COMPLAINT_HANDLE, P_COMPLAINT_VIEW, requires
from omavalvonta.organisation.unit_choice import region_choice_initial

PAGE_SIZE = 20


@logs_read("complaint.list")
@requires(P_COMPLAINT_VIEW)
def complaint_list(request):
    actor = request.user
    form = FilterForm(request.GET or None, units=access.units_for(actor, P_COMPLAINT_VIEW).order_by("name"))
    return filtered_list(
        request,
        "complaints/list.html",
        form,
        lambda filters: selectors.complaint_list(actor=actor, filters=filters),
        per_page=PAGE_SIZE,
        status=400 if form.is_bound and form.errors else 200,
        today=timezone.localdate(),
        can_record=access.has_perm_anywhere(actor, P_COMPLAINT_HANDLE),
        can_settings=access.has_perm_organisation_wide(actor, P_COMPLAINT_HANDLE),
        answer_days=selectors.answer_days(),
    )


@requires(P_COMPLAINT_HANDLE)
def complaint_new(request):
    actor = request.user
    units = access.units_for(actor, P_COMPLAINT_HANDLE).filter(is_active=True).order_by("name")

    def page(form, status=200):
        return render(request, "complaints/form.html", {"form": form, "answer_days": selectors.answer_days()}, status=status)

    if request.method != "POST":
        own = access.own_unit_ids(actor, P_COMPLAINT_HANDLE)
        initial_unit = units.filter(pk__in=own).first() if own else None
        if initial_unit is None and units.count() == 1:
            initial_unit = units.first()
        defaults = {"unit": initial_unit, "received_on": timezone.localdate(), "handle_myself": True}
        initial, region_id = region_choice_initial(request.GET, defaults)
        if region_id is None and initial_unit is not None:
            region_id = initial_unit.region_id
        return page(ComplaintForm(units=units, region_id=region_id, initial=initial))
    form = ComplaintForm(request.POST, units=units)
    return posted_step(
        request, form,
        lambda data: services.complaint_register(
            actor=actor, handler=actor if data["handle_myself"] else None,
            **picked(data, "unit", "received_on", "received_via", "complainant_kind", "complainant_name",
                     "complainant_contact", "subject"),
        ),
        success=lambda complaint: _("The complaint was recorded. The written answer is due by %(date)s.") % {
            "date": fi_date(complaint.answer_due)},
        back=lambda complaint: reverse("complaints:detail", args=[complaint.pk]),
        again=lambda: page(form, status=400),
    )


# --- The complaint's page -----------------------------------------------------------------


def _owner_candidates(complaint: Complaint) -> list:
    rows = access_people.memberships_of(None, unit=complaint.unit).select_related("user").order_by("user__full_name")
    people = {m.user_id: m.user for m in rows}
    if complaint.handler_id and complaint.handler.is_active:
        people.setdefault(complaint.handler_id, complaint.handler)
    return list(people.values())


def _forms(actor, complaint: Complaint, *, bound: str | None = None, data=None) -> dict:
    def args(name):
        return (data,) if name == bound else ()

    forms = {}
    if not access.can(actor, P_COMPLAINT_HANDLE, complaint.unit):
        return forms
    if complaint.state in OPEN_STATES:
        forms["assign"] = AssignForm(
            *args("assign"), prefix="assign", people=selectors.handler_candidates(unit=complaint.unit),
            current=complaint.handler,
        )
        forms["answer"] = AnswerForm(*args("answer"), prefix="answer", initial={"answered_on": timezone.localdate()})
    if complaint.state != State.CLOSED and access.can(actor, access.P_ACTION_MANAGE, complaint.unit):
        forms["action"] = ActionForm(*args("action"), prefix="action", people=_owner_candidates(complaint))
    return forms


def _render_detail(request, complaint: Complaint, *, forms=None, failed=False):
    actor = request.user
    if forms is None:
        forms = _forms(actor, complaint)
    today = timezone.localdate()
    context = {
        "c": complaint,
        "forms": forms,
        "failed": failed,
        "today": today,
        "days_left": (complaint.answer_due - today).days,
        "actions": list(actions_for_source(source=complaint)),
        "can_handle": access.can(actor, P_COMPLAINT_HANDLE, complaint.unit),
        # The complaint steers the unit's action plan (improvement's page).
        "can_steer_plan": access.can(actor, access.P_ACTION_MANAGE, complaint.unit),
    }
    return render(request, "complaints/detail.html", context, status=400 if failed else 200)


@logs_read("complaint.detail", model=Complaint)
@requires(P_COMPLAINT_VIEW)
def complaint_detail(request, pk):
    return _render_detail(request, selectors.complaint_for(actor=request.user, pk=pk))


def _step(request, pk, name, perform, success_message):
    """Validate form `name`, run `perform(complaint, cleaned_data)`, back to the
    page with a message; on an error the page again with everything typed (400)."""
    actor = request.user
    complaint = selectors.complaint_for(actor=actor, pk=pk, perm=P_COMPLAINT_HANDLE)
    forms = _forms(actor, complaint, bound=name, data=request.POST)
    form = forms.get(name)
    if form is None:
        # Not open to this step any more (answered, closed) or not the actor's.
        messages.error(request, _("This step is no longer open: the complaint has moved on."))
        return redirect("complaints:detail", pk=complaint.pk)
    return posted_step(
        request, form, lambda data: perform(complaint, data), success=success_message,
        back=reverse("complaints:detail", args=[complaint.pk]), record=complaint,
        again=lambda: _render_detail(request, complaint, forms=forms, failed=True),
    )


def _step_view(name, perform, success_message):
    """The view posting step `name`: `perform(actor, complaint, cleaned_data)`
    calls the service (see `_step`)."""

    @requires(P_COMPLAINT_HANDLE)
    @require_POST
    def view(request, pk):
        return _step(request, pk, name, lambda c, data: perform(request.user, c, data), success_message)

    return view


complaint_assign = _step_view(
    "assign",
    lambda actor, c, data: services.complaint_assign(actor=actor, complaint=c, handler=data["handler"]),
    gettext_lazy("The handler was named."),
)
complaint_answer = _step_view(
    "answer",
    lambda actor, c, data: services.complaint_answer(actor=actor, complaint=c, **picked(data, "answered_on", "answer_summary")),
    gettext_lazy("The written answer was recorded."),
)
complaint_action = _step_view(
    "action",
    lambda actor, c, data: services.complaint_action_create(
        actor=actor, complaint=c, **picked(data, "title", "owner", "due_date")
    ),
    gettext_lazy("The action was added."),
)


@requires(P_COMPLAINT_HANDLE)
@require_POST
def complaint_close(request, pk):
    complaint = selectors.complaint_for(actor=request.user, pk=pk, perm=P_COMPLAINT_HANDLE)
    return posted_button(
        request, lambda: services.complaint_close(actor=request.user, complaint=complaint),
        success=_("The complaint was closed."), back=reverse("complaints:detail", args=[complaint.pk]),
    )


@requires(P_COMPLAINT_HANDLE)
def complaint_settings(request):
    """The organisation's deadline for the written answer (organisation-wide handlers)."""
    actor = request.user
    if not access.has_perm_organisation_wide(actor, P_COMPLAINT_HANDLE):
        raise PermissionDenied(P_COMPLAINT_HANDLE)
    status = 200
    if request.method == "POST":
        form = SettingsForm(request.POST)
        done, _row = form_step(form, lambda data: services.complaint_settings_save(actor=actor, answer_days=data["answer_days"]))
        if done:
            messages.success(request, _("The deadline was saved. It applies to complaints received from now on."))
            return redirect("complaints:list")
        status = 400
    else:
        form = SettingsForm(initial={"answer_days": selectors.answer_days()})
    return render(request, "complaints/settings.html", {"form": form}, status=status)
