"""Action plan pages: the list, a new plan, one plan, its participants, goals and approval."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from omavalvonta.core import rhythm
from omavalvonta.core.forms import form_step, picked, posted_step
from omavalvonta.core.lib.edit_version import with_expected_version
from omavalvonta.improvement import plan_selectors, selectors, services
from omavalvonta.improvement.forms import (
    ActionForm,
    FollowUpForm,
    GoalForm,
    GoalPromptLinkForm,
    GoalStartForm,
    PlanCreateForm,
    PlanParticipantsForm,
)
from omavalvonta.improvement.models import ActionKind
from omavalvonta.improvement.views._common import start_page
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    AUTHENTICATED,
    P_ACTION_MANAGE,
    P_ACTION_VIEW,
    requires,
)

# --- Action plans ------------------------------------------------------------------------------------------


@requires(P_ACTION_VIEW)
def plan_list(request):
    actor = request.user
    plans = list(plan_selectors.plan_list(actor=actor))
    return render(
        request,
        "improvement/plan_list.html",
        {"plans": plans, "can_manage": access.has_perm_anywhere(actor, P_ACTION_MANAGE)},
    )


@requires(P_ACTION_MANAGE)
def plan_create(request):
    actor = request.user
    fields = ("unit", "year", "made_on", "other_participants")
    return start_page(
        request,
        PlanCreateForm,
        lambda form: services.action_plan_create(actor=actor, **picked(form.cleaned_data, *fields)),
        success=_("The action plan was started. Add its goals and who took part."),
        back=lambda plan: reverse("improvement:plan_detail", args=[plan.pk]),
        form_kwargs={"units": selectors.units_managed(actor=actor)},
        heading=_("New action plan"),
        intro=_("One plan per unit and year, made with the whole team. Add the goals on the next page."),
        names=" ".join(fields),
        button=_("Start the plan"),
        cancel=reverse("improvement:plan_list"),
    )


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
    return ActionForm(*args, prefix=f"goal_action-{goal_id}", people=people)


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
    goals = plan_selectors.plan_goals(plan=plan)
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
            "participants": plan_selectors.plan_participants(plan=plan),
            "current_period": rhythm.period_of(timezone.localdate()).index if plan.year == timezone.localdate().year else None,
            "period_overview": plan_selectors.plan_period_overview(plan=plan, goals=goals),
            "approved": approved,
            "approval_missing": plan_selectors.plan_approval_missing(plan=plan, goals=goals) if not approved else [],
            "can_manage": can_manage,
            "forms": forms if can_manage else {},
        },
        status=status,
    )


@requires(AUTHENTICATED)
def plan_detail(request, pk):
    plan = plan_selectors.plan_get(actor=request.user, pk=pk)
    return _render_plan(request, plan)


def _plan_step(request, pk, name, perform, success_message, goal_id=None):
    actor = request.user
    plan = plan_selectors.plan_get(actor=actor, pk=pk, perm=P_ACTION_MANAGE)
    goal = plan_selectors.plan_goal_get(actor=actor, plan=plan, goal_id=goal_id) if goal_id is not None else None
    forms = _plan_forms(plan, bound=name, data=request.POST, goal_id=goal_id)
    form = forms[name]
    anchor = f"#goal-{goal.pk}" if goal is not None else ""
    return posted_step(
        request, form, lambda data: perform(plan, goal, data), success=success_message,
        back=f"{plan_url(plan)}{anchor}", again=lambda: _render_plan(request, plan, forms=forms, status=400),
    )


def plan_url(plan) -> str:
    return reverse("improvement:plan_detail", args=[plan.pk])


def plan_step(name, *, success):
    """Declare one step posted from the action plan's page (its form `name`): the
    decorated function is given the request, the plan, the goal (None for a step
    on the whole plan) and the form's cleaned data, and calls the service;
    `success` is the message."""

    def decorate(perform):
        @requires(AUTHENTICATED)
        @require_POST
        @wraps(perform)
        def view(request, pk, goal_id=None):
            def step(plan, goal, data):
                return perform(request, plan, goal, data)

            return _plan_step(request, pk, name, step, success, goal_id=goal_id)

        return view

    return decorate


@plan_step("participants", success=gettext_lazy("The participants were saved."))
def plan_participants(request, plan, goal, data):
    services.action_plan_update(
        actor=request.user, plan=plan, **picked(data, "participants", "other_participants", "made_on")
    )


@plan_step("goal", success=gettext_lazy("The goal was added."))
def plan_goal_add(request, plan, goal, data):
    data = {k: v for k, v in data.items() if k != "edit_version"}
    services.plan_goal_add(actor=request.user, plan=plan, **data)


@requires(AUTHENTICATED)
@require_POST
def plan_approve(request, pk):
    actor = request.user
    plan = plan_selectors.plan_get(actor=actor, pk=pk, perm=P_ACTION_MANAGE)
    try:
        services.action_plan_approve(actor=actor, plan=plan)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The action plan was approved."))
    return redirect(plan_url(plan))


@plan_step("goal_edit", success=gettext_lazy("The goal was saved."))
def goal_edit(request, plan, goal, data):
    services.plan_goal_update(actor=request.user, goal=goal, **with_expected_version(data))


@requires(AUTHENTICATED)
@require_POST
def goal_remove(request, pk, goal_id):
    actor = request.user
    plan = plan_selectors.plan_get(actor=actor, pk=pk, perm=P_ACTION_MANAGE)
    goal = plan_selectors.plan_goal_get(actor=actor, plan=plan, goal_id=goal_id)
    try:
        services.plan_goal_remove(actor=actor, goal=goal)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(f"{plan_url(plan)}#goal-{goal.pk}")
    messages.success(request, _("The goal was removed."))
    return redirect(plan_url(plan))


@plan_step("follow_up", success=gettext_lazy("The follow-up was recorded."))
def goal_follow_up(request, plan, goal, data):
    services.goal_follow_up_record(actor=request.user, goal=goal, **picked(data, "period", "status", "note"))


@plan_step("goal_action", success=gettext_lazy("The action was added and its owner notified."))
def goal_action_add(request, plan, goal, data):
    services.action_create(
        actor=request.user,
        unit=plan.unit,
        **picked(data, "title", "owner", "due_date"),
        kind=ActionKind.DEVELOPMENT,
        plan_goal=goal,
    )


# --- A finding steers the action plan (registry.GOAL_PROMPTS) ----------------------------------------


def _prompt_link(form, *, actor, origin, plans) -> tuple[bool, object]:
    """The "link" step: tie the record to a chosen goal of its unit's plans."""
    plan_by_goal = {goal.pk: goal for plan in plans for goal in plan.goals.all()}

    def perform(data):
        goal = plan_by_goal.get(data["goal"])
        if goal is None:
            raise ValidationError({"goal": _("Choose a goal.")})
        services.goal_prompt_link(
            actor=actor, goal=goal, source=origin.record, source_kind=origin.kind, label=origin.label
        )
        return goal

    return form_step(form, perform)


def _prompt_start(form, *, actor, origin, plans) -> tuple[bool, object]:
    """The "start" step: a new goal in a chosen plan, prompted by the record."""
    plan_by_id = {plan.pk: plan for plan in plans}

    def perform(data):
        plan = plan_by_id.get(data["plan"])
        if plan is None:
            raise ValidationError({"plan": _("Choose the action plan.")})
        return services.plan_goal_start_from(
            actor=actor,
            plan=plan,
            source=origin.record,
            source_kind=origin.kind,
            label=origin.label,
            area=data["area"],
            description=data["description"],
            measures=data["measures"],
            owner=data["owner"],
            indicator=data["indicator"],
        )

    return form_step(form, perform)


@require_POST
@requires(P_ACTION_MANAGE)
def goal_prompt_remove(request, pk):
    """Unlink a finding from a goal (action.manage in the goal's unit); the goal stays."""
    prompt = plan_selectors.goal_prompt_get(actor=request.user, pk=pk)
    goal = prompt.goal
    services.goal_prompt_remove(actor=request.user, prompt=prompt)
    messages.success(request, _("The finding is no longer linked to the goal; the goal stays."))
    return redirect(f"{plan_url(goal.plan)}#goal-{goal.pk}")


def _prompt_origin_or_refuse(request):
    """The record named by "?lahde=kind:id": 404 when the actor may not open it,
    403 when they may not link it (no action.manage in its unit)."""
    actor = request.user
    origin = plan_selectors.prompt_origin(actor=actor, ref=request.POST.get("lahde") or request.GET.get("lahde"))
    if origin is None:
        raise Http404
    if not access.can(actor, P_ACTION_MANAGE, origin.unit):
        raise PermissionDenied(P_ACTION_MANAGE)
    return origin


@requires(P_ACTION_MANAGE)
def goal_prompt(request):
    """Link a deviation, an audit finding, a complaint or feedback ("?lahde=kind:id")
    to a goal of its unit's action plan, or start a new goal from it. The record's
    own area says whether the actor may open it (404 when not); linking needs
    action.manage in the record's unit (403)."""
    actor = request.user
    origin = _prompt_origin_or_refuse(request)
    plans = plan_selectors.prompt_plans(actor=actor, unit=origin.unit)
    people = list(selectors.people_of_unit(unit=origin.unit))
    intent = request.POST.get("intent") if request.method == "POST" else None
    link_form = GoalPromptLinkForm(request.POST if intent == "link" else None, plans=plans, prefix="link")
    start_form = GoalStartForm(request.POST if intent == "start" else None, plans=plans, people=people, prefix="start")
    if intent == "link":
        done, goal = _prompt_link(link_form, actor=actor, origin=origin, plans=plans)
    elif intent == "start":
        done, goal = _prompt_start(start_form, actor=actor, origin=origin, plans=plans)
    else:
        done, goal = False, None
    if done:
        messages.success(request, _("The goal now shows what prompted it in the action plan's follow-up."))
        return redirect(f"{plan_url(goal.plan)}#goal-{goal.pk}")
    return render(
        request,
        "improvement/goal_prompt.html",
        {
            "origin": origin,
            "plans": plans,
            "open_plans": [plan for plan in plans if plan.approved_at is None],
            "has_goals": any(plan.goals.all() for plan in plans),
            "linked": plan_selectors.prompts_of_record(record=origin.record),
            "link_form": link_form,
            "start_form": start_form,
            "intent": intent,
            "can_create_plan": access.can(actor, P_ACTION_MANAGE, origin.unit),
        },
        status=400 if request.method == "POST" else 200,
    )
