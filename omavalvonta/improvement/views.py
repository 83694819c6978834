"""Pages of the improvement area: actions (mine, the units', one action), the
units' action plans and the self-supervision log.

Views parse, authorise and render: every record is read through `selectors`
(which apply the access kernel) and every write goes through `services`; a
service's ValidationError is shown next to the fields.

Pages about one record declare only AUTHENTICATED, as the deviation pages do: the
selector answers 404 outside the actor's units and 403 inside them without the
right, and lets an action's owner see (and complete) their own action."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core import rhythm
from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.forms import add_service_errors, form_step
from omavalvonta.improvement import selectors, services
from omavalvonta.improvement.forms import (
    ActionCompleteForm,
    ActionCreateForm,
    ActionEditForm,
    ActionFilterForm,
    CancelForm,
    EffectivenessForm,
    FollowUpForm,
    FollowUpTextForm,
    GoalActionForm,
    GoalForm,
    LogEntryForm,
    LogFilterForm,
    PlanCreateForm,
    PlanParticipantsForm,
)
from omavalvonta.improvement.models import Action, ActionKind, ActionState, LogEntry
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    AUTHENTICATED,
    P_ACTION_MANAGE,
    P_ACTION_VIEW,
    P_DEVIATION_HANDLE,
    P_LOG_VIEW,
    P_LOG_WRITE,
    requires,
)

PAGE_SIZE = 20


def _unit_from(request, units):
    """The unit chosen with ?unit= (or a posted unit) among `units`, else the first."""
    wanted = request.POST.get("unit") or request.GET.get("unit")
    units = list(units)
    for unit in units:
        if str(unit.pk) == str(wanted):
            return unit
    return units[0] if units else None


# --- Actions ------------------------------------------------------------------------------------------


@requires(AUTHENTICATED)
def my_actions(request):
    # AUTHENTICATED: an owner sees their own actions whatever their unit rights.
    actor = request.user
    actions = list(selectors.action_list_mine(actor=actor))
    return render(
        request,
        "improvement/my_actions.html",
        {
            "open_actions": [a for a in actions if a.state == ActionState.OPEN],
            "awaiting": [a for a in actions if a.state == ActionState.AWAITING_CHECK],
            "overdue_count": sum(1 for a in actions if a.is_overdue),
            "recent_done": selectors.action_list_mine_recent_done(actor=actor),
            "can_view_all": access.has_perm_anywhere(actor, P_ACTION_VIEW),
            "can_manage": access.has_perm_anywhere(actor, P_ACTION_MANAGE),
        },
    )


def _action_filter_form(request, actor):
    units = selectors.units_viewable(actor=actor)
    return ActionFilterForm(
        request.GET or None,
        units=units,
        regions=selectors.regions_of(units),
        owners=selectors.action_owners(actor=actor),
    )


class _Echo:
    """A file-like object whose write() returns the line, for streaming csv."""

    def write(self, value):
        return value


@logs_read("action.export")
@requires(P_ACTION_VIEW)
def action_export(request):
    """The filtered actions as CSV: UTF-8 with a BOM and semicolons, as the
    deviations' export (Excel with Finnish settings)."""
    actor = request.user
    form = _action_filter_form(request, actor)
    rows = iter(selectors.action_export_rows(actor=actor, filters=form.filters()))
    header = next(rows, None)
    writer = csv.writer(_Echo(), delimiter=";")

    def stream():
        yield "\ufeff"
        if header is not None:
            yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="toimenpiteet-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@logs_read("action.list")
@requires(P_ACTION_VIEW)
def action_list(request):
    actor = request.user
    form = _action_filter_form(request, actor)
    filters = form.filters()
    page = Paginator(selectors.action_list(actor=actor, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "improvement/action_list.html",
        {
            "form": form,
            "page": page,
            "filtered": form.is_bound,
            "can_manage": access.has_perm_anywhere(actor, P_ACTION_MANAGE),
        },
    )


@requires(P_ACTION_MANAGE)
def action_create(request):
    actor = request.user
    units = list(selectors.units_managed(actor=actor))
    unit = _unit_from(request, units)
    if unit is None:
        raise Http404
    people = list(selectors.people_of_unit(unit=unit))
    if request.method == "POST":
        form = ActionCreateForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            try:
                action = services.action_create(
                    actor=actor,
                    unit=unit,
                    title=data["title"],
                    description=data["description"],
                    owner=data["owner"],
                    due_date=data["due_date"],
                    kind=data["kind"],
                    source_kind=data["source_kind"],
                    needs_effectiveness_check=data["needs_effectiveness_check"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The action was saved and its owner notified."))
                return redirect("improvement:action_detail", pk=action.pk)
    else:
        form = ActionCreateForm(people=people, initial={"kind": request.GET.get("kind") or ActionKind.DEVELOPMENT})
    return render(request, "improvement/action_form.html", {"form": form, "unit": unit, "units": units})


def _action_forms(action, actor, *, bound: str | None = None, data=None) -> dict:
    """The forms the actor may use on this action; the one named `bound` bound to `data`."""

    def args(name):
        return (data,) if name == bound else ()

    is_owner = action.owner_id == actor.pk
    can_manage = access.can(actor, P_ACTION_MANAGE, action.unit)
    forms = {}
    if action.state == ActionState.OPEN and (
        is_owner or can_manage or access.can(actor, P_DEVIATION_HANDLE, action.unit)
    ):
        forms["complete"] = ActionCompleteForm(*args("complete"), prefix="complete")
    if can_manage and action.state == ActionState.AWAITING_CHECK:
        forms["effectiveness"] = EffectivenessForm(*args("effectiveness"), prefix="effectiveness")
    if can_manage and action.state == ActionState.OPEN:
        forms["edit"] = ActionEditForm(
            *args("edit"),
            prefix="edit",
            people=selectors.people_of_unit(unit=action.unit),
            current_owner=action.owner,
            initial={
                "title": action.title,
                "description": action.description,
                "owner": str(action.owner_id),
                "due_date": action.due_date,
                "edit_version": action.edit_version,
            },
        )
    if can_manage and action.state in (ActionState.OPEN, ActionState.AWAITING_CHECK):
        forms["cancel"] = CancelForm(*args("cancel"), prefix="cancel")
    return forms


def _render_action(request, action, *, forms=None, status=200):
    actor = request.user
    failed = bool(forms and any(f.errors for f in forms.values()))
    if forms is None:
        forms = _action_forms(action, actor)
    return render(
        request,
        "improvement/action_detail.html",
        {
            "action": action,
            "forms": forms,
            "failed": failed,
            "is_owner": action.owner_id == actor.pk,
            "can_manage": access.can(actor, P_ACTION_MANAGE, action.unit),
            "sees_unit_actions": access.can(actor, P_ACTION_VIEW, action.unit),
            "source_link": selectors.action_source_link(actor=actor, action=action),
            "timeline": selectors.action_timeline(action=action),
            "today": timezone.localdate(),
        },
        status=status,
    )


@logs_read("action.detail", model=Action)
@requires(AUTHENTICATED)
def action_detail(request, pk):
    action = selectors.action_get(actor=request.user, pk=pk)
    return _render_action(request, action)


def _action_step(request, pk, name, perm, perform, success_message):
    """Run one step posted from the action page: validate form `name`, call the
    service, redirect back with a message; on an error show the page again."""
    actor = request.user
    action = selectors.action_get(actor=actor, pk=pk, perm=perm)
    forms = _action_forms(action, actor, bound=name, data=request.POST)
    form = forms.get(name)
    if form is None:
        # The step is not open to this actor in this state (a stale page).
        messages.error(request, _("That step is not available for this action any more."))
        return redirect("improvement:action_detail", pk=action.pk)
    done, _result = form_step(form, lambda data: perform(action, data))
    if done:
        messages.success(request, success_message)
        return redirect("improvement:action_detail", pk=action.pk)
    action.refresh_from_db()
    return _render_action(request, action, forms=forms, status=400)


@requires(AUTHENTICATED)
@require_POST
def action_complete(request, pk):
    # The owner completes their own action: read with the owner rule (view).
    def perform(action, data):
        services.action_complete(actor=request.user, action=action, note=data["note"])

    return _action_step(request, pk, "complete", P_ACTION_VIEW, perform, _("The action was marked done."))


@requires(AUTHENTICATED)
@require_POST
def action_record_effectiveness(request, pk):
    def perform(action, data):
        services.action_record_effectiveness(
            actor=request.user,
            action=action,
            result=data["result"],
            evidence=data["evidence"],
            new_due_date=data.get("new_due_date"),
        )

    return _action_step(
        request, pk, "effectiveness", P_ACTION_MANAGE, perform, _("The effectiveness check was recorded.")
    )


@requires(AUTHENTICATED)
@require_POST
def action_edit(request, pk):
    def perform(action, data):
        services.action_update(
            actor=request.user,
            action=action,
            title=data["title"],
            description=data["description"],
            owner=data["owner"],
            due_date=data["due_date"],
            expected_version=data["edit_version"],
        )

    return _action_step(request, pk, "edit", P_ACTION_MANAGE, perform, _("The action was saved."))


@requires(AUTHENTICATED)
@require_POST
def action_cancel(request, pk):
    def perform(action, data):
        services.action_cancel(actor=request.user, action=action, reason=data["reason"])

    return _action_step(request, pk, "cancel", P_ACTION_MANAGE, perform, _("The action was cancelled."))


# --- Action plans ------------------------------------------------------------------------------------------


@requires(P_ACTION_VIEW)
def plan_list(request):
    actor = request.user
    plans = list(selectors.plan_list(actor=actor))
    return render(
        request,
        "improvement/plan_list.html",
        {"plans": plans, "can_manage": access.has_perm_anywhere(actor, P_ACTION_MANAGE)},
    )


@requires(P_ACTION_MANAGE)
def plan_create(request):
    actor = request.user
    units = selectors.units_managed(actor=actor)
    form = PlanCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.action_plan_create(
                actor=actor,
                unit=data["unit"],
                year=data["year"],
                made_on=data["made_on"],
                other_participants=data["other_participants"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The action plan was started. Add its goals and who took part."))
            return redirect("improvement:plan_detail", pk=plan.pk)
    return render(request, "improvement/plan_form.html", {"form": form})


def _goal_form(name, goal_id, people, data=None, goal=None):
    """The follow-up, action or edit form of one goal (a prefix per goal keeps ids unique)."""
    args = (data,) if data is not None else ()
    if name == "goal_edit":
        initial = {}
        if goal is not None:
            initial = {
                "area": goal.area,
                "description": goal.description,
                "measures": goal.measures,
                "owner": str(goal.owner_id) if goal.owner_id else "",
                "indicator": goal.indicator,
                "edit_version": goal.edit_version,
            }
        return GoalForm(*args, prefix=f"goal_edit-{goal_id}", people=people, initial=initial)
    if name == "follow_up":
        return FollowUpForm(*args, prefix=f"follow_up-{goal_id}", initial={"period": rhythm.period_of(timezone.localdate()).index})
    return GoalActionForm(*args, prefix=f"goal_action-{goal_id}", people=people)


def _plan_forms(plan, *, bound: str | None = None, data=None, goal_id=None) -> dict:
    people = list(selectors.people_of_unit(unit=plan.unit))

    def args(name):
        return (data,) if name == bound and goal_id is None else ()

    forms = {
        "people": people,
        "participants": PlanParticipantsForm(
            *args("participants"),
            prefix="participants",
            people=people,
            initial={
                "made_on": plan.made_on,
                "other_participants": plan.other_participants,
                "participants": [str(p.pk) for p in plan.participants.all()],
            },
        ),
        "goal": GoalForm(*args("goal"), prefix="goal", people=people),
        "bound": bound,
        "goal_id": goal_id,
    }
    if goal_id is not None and bound in ("follow_up", "goal_action", "goal_edit"):
        forms[bound] = _goal_form(bound, goal_id, people, data)
    return forms


def _render_plan(request, plan, *, forms=None, status=200):
    actor = request.user
    can_manage = access.can(actor, P_ACTION_MANAGE, plan.unit)
    goals = selectors.plan_goals(plan=plan)
    approved = plan.approved_at is not None
    if can_manage:
        forms = forms or _plan_forms(plan)
        names = ("follow_up", "goal_action") if approved else ("follow_up", "goal_action", "goal_edit")
        for goal in goals:
            for name in names:
                if forms["bound"] == name and forms["goal_id"] == goal.pk:
                    form = forms[name]
                else:
                    form = _goal_form(name, goal.pk, forms["people"], goal=goal)
                setattr(goal, f"{name}_form", form)
    return render(
        request,
        "improvement/plan_detail.html",
        {
            "plan": plan,
            "goals": goals,
            "participants": selectors.plan_participants(plan=plan),
            "current_period": rhythm.period_of(timezone.localdate()).index if plan.year == timezone.localdate().year else None,
            "period_overview": selectors.plan_period_overview(plan=plan, goals=goals),
            "approved": approved,
            "approval_missing": selectors.plan_approval_missing(plan=plan, goals=goals) if not approved else [],
            "can_manage": can_manage,
            "forms": forms if can_manage else {},
        },
        status=status,
    )


@requires(AUTHENTICATED)
def plan_detail(request, pk):
    plan = selectors.plan_get(actor=request.user, pk=pk)
    return _render_plan(request, plan)


def _plan_step(request, pk, name, perform, success_message, goal_id=None):
    actor = request.user
    plan = selectors.plan_get(actor=actor, pk=pk, perm=P_ACTION_MANAGE)
    goal = selectors.plan_goal_get(actor=actor, plan=plan, goal_id=goal_id) if goal_id is not None else None
    forms = _plan_forms(plan, bound=name, data=request.POST, goal_id=goal_id)
    form = forms[name]
    done, _result = form_step(form, lambda data: perform(plan, goal, data))
    if done:
        messages.success(request, success_message)
        anchor = f"#goal-{goal.pk}" if goal is not None else ""
        return redirect(f"{plan_url(plan)}{anchor}")
    return _render_plan(request, plan, forms=forms, status=400)


def plan_url(plan) -> str:
    return reverse("improvement:plan_detail", args=[plan.pk])


@requires(AUTHENTICATED)
@require_POST
def plan_participants(request, pk):
    def perform(plan, goal, data):
        services.action_plan_update(
            actor=request.user,
            plan=plan,
            participants=data["participants"],
            other_participants=data["other_participants"],
            made_on=data["made_on"],
        )

    return _plan_step(request, pk, "participants", perform, _("The participants were saved."))


@requires(AUTHENTICATED)
@require_POST
def plan_goal_add(request, pk):
    def perform(plan, goal, data):
        data = {k: v for k, v in data.items() if k != "edit_version"}
        services.plan_goal_add(actor=request.user, plan=plan, **data)

    return _plan_step(request, pk, "goal", perform, _("The goal was added."))


@requires(AUTHENTICATED)
@require_POST
def plan_approve(request, pk):
    actor = request.user
    plan = selectors.plan_get(actor=actor, pk=pk, perm=P_ACTION_MANAGE)
    try:
        services.action_plan_approve(actor=actor, plan=plan)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The action plan was approved."))
    return redirect(plan_url(plan))


@requires(AUTHENTICATED)
@require_POST
def goal_edit(request, pk, goal_id):
    def perform(plan, goal, data):
        data = dict(data)
        expected = data.pop("edit_version")
        services.plan_goal_update(actor=request.user, goal=goal, expected_version=expected, **data)

    return _plan_step(request, pk, "goal_edit", perform, _("The goal was saved."), goal_id=goal_id)


@requires(AUTHENTICATED)
@require_POST
def goal_remove(request, pk, goal_id):
    actor = request.user
    plan = selectors.plan_get(actor=actor, pk=pk, perm=P_ACTION_MANAGE)
    goal = selectors.plan_goal_get(actor=actor, plan=plan, goal_id=goal_id)
    try:
        services.plan_goal_remove(actor=actor, goal=goal)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{plan_url(plan)}#goal-{goal.pk}")
    messages.success(request, _("The goal was removed."))
    return redirect(plan_url(plan))


@requires(AUTHENTICATED)
@require_POST
def goal_follow_up(request, pk, goal_id):
    def perform(plan, goal, data):
        services.goal_follow_up_record(
            actor=request.user, goal=goal, period=data["period"], status=data["status"], note=data["note"]
        )

    return _plan_step(request, pk, "follow_up", perform, _("The follow-up was recorded."), goal_id=goal_id)


@requires(AUTHENTICATED)
@require_POST
def goal_action_add(request, pk, goal_id):
    def perform(plan, goal, data):
        services.action_create(
            actor=request.user,
            unit=plan.unit,
            title=data["title"],
            owner=data["owner"],
            due_date=data["due_date"],
            kind=ActionKind.DEVELOPMENT,
            plan_goal=goal,
        )

    return _plan_step(
        request, pk, "goal_action", perform, _("The action was added and its owner notified."), goal_id=goal_id
    )


# --- The self-supervision log ----------------------------------------------------------------------------


@logs_read("log.list")
@requires(P_LOG_VIEW)
def log_list(request):
    actor = request.user
    units = selectors.units_viewable(actor=actor, perm=P_LOG_VIEW)
    regions = selectors.regions_of(units)
    form = LogFilterForm(request.GET or None, units=units, regions=regions)
    filters = form.filters()
    page = Paginator(selectors.log_list(actor=actor, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "improvement/log_list.html",
        {
            "form": form,
            "page": page,
            "filtered": form.is_bound,
            "filters": filters,
            "can_write": access.has_perm_anywhere(actor, P_LOG_WRITE),
            "printed_at": timezone.localtime(),
        },
    )


@requires(P_LOG_WRITE)
def log_create(request):
    actor = request.user
    units = selectors.units_viewable(actor=actor, perm=P_LOG_WRITE)
    if request.method == "POST":
        form = LogEntryForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.log_entry_create(actor=actor, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The log entry was saved."))
                return redirect("improvement:log_detail", pk=entry.pk)
    else:
        form = LogEntryForm(units=units, initial={"observed_on": timezone.localdate()})
    return render(request, "improvement/log_form.html", {"form": form})


def _render_log_entry(request, entry, *, form=None, status=200):
    can_write = access.can(request.user, P_LOG_WRITE, entry.unit)
    if form is None and can_write:
        form = FollowUpTextForm(initial={"follow_up": entry.follow_up})
    return render(
        request,
        "improvement/log_detail.html",
        {"entry": entry, "form": form if can_write else None, "can_write": can_write},
        status=status,
    )


@logs_read("log.detail", model=LogEntry)
@requires(AUTHENTICATED)
def log_detail(request, pk):
    entry = selectors.log_entry_get(actor=request.user, pk=pk)
    return _render_log_entry(request, entry)


@requires(AUTHENTICATED)
@require_POST
def log_follow_up(request, pk):
    actor = request.user
    entry = selectors.log_entry_get(actor=actor, pk=pk, perm=P_LOG_WRITE)
    form = FollowUpTextForm(request.POST)
    if form.is_valid():
        try:
            services.log_entry_follow_up(actor=actor, entry=entry, follow_up=form.cleaned_data["follow_up"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up was saved."))
            return redirect("improvement:log_detail", pk=entry.pk)
    entry.refresh_from_db()
    return _render_log_entry(request, entry, form=form, status=400)
