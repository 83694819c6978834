"""The organisation's readiness: the readiness group (valmiusryhmä) with its
members, its yearly exercise and the crisis-communication plan
(kriisiviestintäsuunnitelma) with its versions. Everyone of the organisation
reads the group, the exercises and the plan in force; the quality director,
the management group and administrators (readiness.manage, organisation-wide)
change them: others get 403 on every write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from omavalvonta.audits import readiness_services, selectors
from omavalvonta.audits.forms import (
    CrisisPlanApproveForm,
    CrisisPlanForm,
    ReadinessExerciseForm,
    ReadinessMemberChangeForm,
    ReadinessMemberForm,
)
from omavalvonta.audits.models import SecurityPlanState
from omavalvonta.audits.security_views import plan_draft_page
from omavalvonta.core.forms import add_service_errors
from omavalvonta.organisation.access import P_READINESS_MANAGE, P_UNIT_VIEW, requires

HISTORY_LIMIT = 10


def _may_manage(actor) -> None:
    # requires() admits a unit- or region-level grant; readiness.manage is organisation-wide.
    if not selectors.readiness_allowed(actor):
        raise PermissionDenied(P_READINESS_MANAGE)


@requires(P_UNIT_VIEW)
@require_http_methods(["GET", "POST"])
def readiness(request):
    actor = request.user
    can_manage = selectors.readiness_allowed(actor)
    members = selectors.readiness_members()
    people = list(selectors.readiness_people()) if can_manage else []
    add_form = ReadinessMemberForm(people=people, prefix="m")
    exercise_form = ReadinessExerciseForm(people=people, prefix="e", initial={"held_on": timezone.localdate()})
    change_forms = {
        m.pk: ReadinessMemberChangeForm(prefix=f"c{m.pk}", initial={
            "group_role": m.group_role, "duties": m.duties, "edit_version": m.edit_version})
        for m in members
    } if can_manage else {}
    status = 200
    if request.method == "POST":
        _may_manage(actor)
        which = request.POST.get("form")
        form = None
        try:
            if which == "member_add":
                form = add_form = ReadinessMemberForm(request.POST, people=people, prefix="m")
                if form.is_valid():
                    readiness_services.readiness_member_add(actor=actor, **form.cleaned_data)
                    messages.success(request, _("The person was added to the readiness group."))
                    return redirect("audits:readiness")
            elif which in ("member_change", "member_remove"):
                member = next((m for m in members if str(m.pk) == request.POST.get("member")), None)
                if member is None:
                    messages.error(request, _("This person is no longer in the group."))
                    return redirect("audits:readiness")
                if which == "member_remove":
                    readiness_services.readiness_member_remove(actor=actor, member=member)
                    messages.success(request, _("%(name)s was taken out of the readiness group.")
                                     % {"name": member.user.full_name})
                    return redirect("audits:readiness")
                form = change_forms[member.pk] = ReadinessMemberChangeForm(request.POST, prefix=f"c{member.pk}")
                if form.is_valid():
                    fields = dict(form.cleaned_data)
                    expected = fields.pop("edit_version")
                    readiness_services.readiness_member_change(actor=actor, member=member, expected_version=expected, **fields)
                    messages.success(request, _("The member's role was saved."))
                    return redirect("audits:readiness")
            elif which == "exercise":
                form = exercise_form = ReadinessExerciseForm(request.POST, people=people, prefix="e")
                if form.is_valid():
                    readiness_services.readiness_exercise_record(actor=actor, **form.cleaned_data)
                    messages.success(request, _("The readiness exercise was recorded."))
                    return redirect("audits:readiness")
            else:
                return redirect("audits:readiness")
        except ValidationError as error:
            add_service_errors(form, error)
        status = 400
    today = timezone.localdate()
    due = selectors.readiness_exercise_due()
    current = selectors.crisis_plan_current()
    return render(request, "audits/readiness.html", {
        "can_manage": can_manage,
        "members": [(m, change_forms.get(m.pk)) for m in members],
        "former": selectors.readiness_former_members(limit=HISTORY_LIMIT),
        "exercises": selectors.readiness_exercises(),
        "exercise_due": due, "exercise_late": due is not None and due < today,
        "crisis_plan": current, "crisis_review_due": selectors.crisis_plan_review_due(current),
        "add_form": add_form, "exercise_form": exercise_form,
    }, status=status)


@requires(P_UNIT_VIEW)
def crisis_plan(request):
    actor = request.user
    versions = selectors.crisis_plan_versions(actor=actor)
    current = next((v for v in versions if v.state == SecurityPlanState.APPROVED), None)
    draft = next((v for v in versions if v.state == SecurityPlanState.DRAFT), None)
    return render(request, "audits/crisis_plan.html", {
        "version": current, "draft": draft, "versions": versions,
        "can_manage": selectors.readiness_allowed(actor),
        "sections": selectors.crisis_plan_sections(current),
        "review_due": selectors.crisis_plan_review_due(current),
    })


@requires(P_UNIT_VIEW)
def crisis_plan_version(request, pk):
    version = selectors.crisis_plan_get(actor=request.user, pk=pk)
    return render(request, "audits/crisis_plan.html", {
        "version": version, "single": True, "sections": selectors.crisis_plan_sections(version),
    })


@requires(P_READINESS_MANAGE)
@require_POST
def crisis_plan_draft_start(request):
    _may_manage(request.user)
    readiness_services.crisis_plan_draft_start(actor=request.user)
    return redirect("audits:crisis_plan_draft")


@requires(P_READINESS_MANAGE)
@require_http_methods(["GET", "POST"])
def crisis_plan_draft(request):
    actor = request.user
    _may_manage(actor)
    draft = next((v for v in selectors.crisis_plan_versions(actor=actor) if v.state == SecurityPlanState.DRAFT), None)
    if draft is None:
        return redirect("audits:crisis_plan")
    return plan_draft_page(
        request, draft, sections=selectors.crisis_plan_sections(draft), form_class=CrisisPlanForm,
        approve_class=CrisisPlanApproveForm, save=readiness_services.crisis_plan_draft_save,
        approve_plan=readiness_services.crisis_plan_approve, plan_url="audits:crisis_plan",
        draft_url="audits:crisis_plan_draft", template="audits/crisis_plan_draft.html", refused_status=400,
    )
