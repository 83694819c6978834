"""The information-security plan (THL regulation 3/2024; not public): the plan in
force with the units' critical systems live, its versions, the draft, approval
and comparison. The quality director, the data protection officer and
administrators only, organisation-wide (selectors.security_plan_allowed);
nobody else, and nothing of it on the public site."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from omavalvonta.audits import plan_draft_views, selectors, services
from omavalvonta.audits.forms import SecurityPlanApproveForm, SecurityPlanForm
from omavalvonta.audits.models import SecurityPlanState
from omavalvonta.audits.plan_draft_views import VersionedPlan
from omavalvonta.core.lib import bounds
from omavalvonta.organisation.access import P_SECURITY_PLAN, requires


def _allowed(actor) -> None:
    # requires() admits a unit- or region-level grant; the plan is organisation-wide.
    if not selectors.security_plan_allowed(actor):
        raise PermissionDenied(P_SECURITY_PLAN)


SECURITY_PLAN = VersionedPlan(
    "security_plan", allow=_allowed, versions=selectors.security_plan_versions, sections=selectors.security_plan_sections,
    review_due=selectors.security_plan_review_due, start=services.security_plan_draft_start,
    save=services.security_plan_draft_save, approve=services.security_plan_approve,
    form_class=SecurityPlanForm, approve_class=SecurityPlanApproveForm,
)


@requires(P_SECURITY_PLAN)
def security_plan(request):
    actor = request.user
    _allowed(actor)
    context = plan_draft_views.plan_context(SECURITY_PLAN, actor)
    return render(request, "audits/security_plan.html", {
        **context, "systems": selectors.security_plan_critical_systems(actor=actor),
        "approved_count": sum(1 for v in context["versions"] if v.state == SecurityPlanState.APPROVED),
    })


@requires(P_SECURITY_PLAN)
def security_plan_version(request, pk):
    actor = request.user
    _allowed(actor)
    version = selectors.security_plan_get(actor=actor, pk=pk)
    return render(request, "audits/security_plan.html", {
        **plan_draft_views.version_context(SECURITY_PLAN, version),
        "systems": selectors.security_plan_critical_systems(actor=actor),
    })


security_plan_draft_start, security_plan_draft = plan_draft_views.draft_views(SECURITY_PLAN, perm=P_SECURITY_PLAN)


@requires(P_SECURITY_PLAN)
def security_plan_compare(request):
    actor = request.user
    _allowed(actor)
    versions = {v.number: v for v in selectors.security_plan_versions(actor=actor)}
    if len(versions) < 2:
        return redirect("audits:security_plan")
    numbers = sorted(versions, reverse=True)

    def chosen(name, default):
        value = bounds.parse_int(request.GET.get(name, ""))
        return value if value in versions else default

    left, right = versions[chosen("a", numbers[1])], versions[chosen("b", numbers[0])]
    return render(request, "audits/security_plan_compare.html", {
        "left": left, "right": right, "numbers": numbers, "rows": selectors.security_plan_compare(left=left, right=right),
    })
