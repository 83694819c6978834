"""The organisation's readiness: the readiness group (valmiusryhmä) with its
members, its yearly exercise and the crisis-communication plan
(kriisiviestintäsuunnitelma) with its versions. Everyone of the organisation
reads the group, the exercises and the plan in force; the quality director,
the management group and administrators (readiness.manage, organisation-wide)
change them: others get 403 on every write."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from omavalvonta.audits import plan_draft_views, readiness_services, selectors
from omavalvonta.audits.forms import (
    CrisisPlanApproveForm,
    CrisisPlanForm,
    ReadinessExerciseForm,
    ReadinessMemberChangeForm,
    ReadinessMemberForm,
)
from omavalvonta.audits.plan_draft_views import VersionedPlan
from omavalvonta.core.forms import form_step
from omavalvonta.core.lib.edit_version import with_expected_version
from omavalvonta.organisation.access import P_READINESS_MANAGE, P_UNIT_VIEW, requires

HISTORY_LIMIT = 10


def _may_manage(actor) -> None:
    # requires() admits a unit- or region-level grant; readiness.manage is organisation-wide.
    if not selectors.readiness_allowed(actor):
        raise PermissionDenied(P_READINESS_MANAGE)


@dataclass
class _ReadinessForms:
    """The readiness page's forms: fresh ones, or the one a refused step bound."""

    people: list
    add: ReadinessMemberForm
    exercise: ReadinessExerciseForm
    change: dict  # {member pk: ReadinessMemberChangeForm}

    @classmethod
    def fresh(cls, *, members, people: list, can_manage: bool) -> _ReadinessForms:
        change = {
            m.pk: ReadinessMemberChangeForm(prefix=f"c{m.pk}", initial={
                "group_role": m.group_role, "duties": m.duties, "edit_version": m.edit_version})
            for m in members
        } if can_manage else {}
        return cls(
            people=people,
            add=ReadinessMemberForm(people=people, prefix="m"),
            exercise=ReadinessExerciseForm(people=people, prefix="e", initial={"held_on": timezone.localdate()}),
            change=change,
        )


def _done(request, message: str):
    messages.success(request, message)
    return redirect("audits:readiness")


def _post_form(request, form, service, *, actor, message: str):
    """Validate `form` and call `service(actor=..., **its data)`: back to the page
    with `message` once done, None when the form shows its errors."""

    def perform(data):
        return service(actor=actor, **data)

    done, _result = form_step(form, perform)
    return _done(request, message) if done else None


def _member_add(request, actor, members, forms: _ReadinessForms):
    forms.add = ReadinessMemberForm(request.POST, people=forms.people, prefix="m")
    return _post_form(request, forms.add, readiness_services.readiness_member_add, actor=actor,
                      message=_("The person was added to the readiness group."))


def _posted_member(request, members):
    return next((m for m in members if str(m.pk) == request.POST.get("member")), None)


def _member_gone(request):
    messages.error(request, _("This person is no longer in the group."))
    return redirect("audits:readiness")


def _member_remove(request, actor, members, forms: _ReadinessForms):
    member = _posted_member(request, members)
    if member is None:
        return _member_gone(request)
    readiness_services.readiness_member_remove(actor=actor, member=member)
    return _done(request, _("%(name)s was taken out of the readiness group.") % {"name": member.user.full_name})


def _member_change(request, actor, members, forms: _ReadinessForms):
    member = _posted_member(request, members)
    if member is None:
        return _member_gone(request)
    form = forms.change[member.pk] = ReadinessMemberChangeForm(request.POST, prefix=f"c{member.pk}")

    def perform(data):
        readiness_services.readiness_member_change(actor=actor, member=member, **with_expected_version(data))

    done, _changed = form_step(form, perform)
    return _done(request, _("The member's role was saved.")) if done else None


def _exercise_record(request, actor, members, forms: _ReadinessForms):
    forms.exercise = ReadinessExerciseForm(request.POST, people=forms.people, prefix="e")
    return _post_form(request, forms.exercise, readiness_services.readiness_exercise_record, actor=actor,
                      message=_("The readiness exercise was recorded."))


# The posted "form" -> its step: a response when the step went through (or has
# nothing to show), None when its bound form is shown again with the errors.
_READINESS_STEPS = {
    "member_add": _member_add,
    "member_change": _member_change,
    "member_remove": _member_remove,
    "exercise": _exercise_record,
}


@requires(P_UNIT_VIEW)
@require_http_methods(["GET", "POST"])
def readiness(request):
    actor = request.user
    can_manage = selectors.readiness_allowed(actor)
    members = selectors.readiness_members()
    people = list(selectors.readiness_people()) if can_manage else []
    forms = _ReadinessForms.fresh(members=members, people=people, can_manage=can_manage)
    status = 200
    if request.method == "POST":
        _may_manage(actor)
        step = _READINESS_STEPS.get(request.POST.get("form"))
        if step is None:
            return redirect("audits:readiness")
        response = step(request, actor, members, forms)
        if response is not None:
            return response
        status = 400
    today = timezone.localdate()
    due = selectors.readiness_exercise_due()
    current = selectors.crisis_plan_current()
    return render(request, "audits/readiness.html", {
        "can_manage": can_manage,
        "members": [(m, forms.change.get(m.pk)) for m in members],
        "former": selectors.readiness_former_members(limit=HISTORY_LIMIT),
        "exercises": selectors.readiness_exercises(),
        "exercise_due": due, "exercise_late": due is not None and due < today,
        "crisis_plan": current, "crisis_review_due": selectors.crisis_plan_review_due(current),
        "add_form": forms.add, "exercise_form": forms.exercise,
    }, status=status)


# A refused save or approval answers 400 here (the information-security plan's draft page answers 200).
CRISIS_PLAN = VersionedPlan(
    "crisis_plan", allow=_may_manage, versions=selectors.crisis_plan_versions, sections=selectors.crisis_plan_sections,
    review_due=selectors.crisis_plan_review_due, start=readiness_services.crisis_plan_draft_start,
    save=readiness_services.crisis_plan_draft_save, approve=readiness_services.crisis_plan_approve,
    form_class=CrisisPlanForm, approve_class=CrisisPlanApproveForm, refused_status=400,
)


@requires(P_UNIT_VIEW)
def crisis_plan(request):
    actor = request.user
    return render(request, "audits/crisis_plan.html", {
        **plan_draft_views.plan_context(CRISIS_PLAN, actor), "can_manage": selectors.readiness_allowed(actor),
    })


@requires(P_UNIT_VIEW)
def crisis_plan_version(request, pk):
    version = selectors.crisis_plan_get(actor=request.user, pk=pk)
    return render(request, "audits/crisis_plan.html", plan_draft_views.version_context(CRISIS_PLAN, version))


crisis_plan_draft_start, crisis_plan_draft = plan_draft_views.draft_views(CRISIS_PLAN, perm=P_READINESS_MANAGE)
