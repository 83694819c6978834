"""The information-security plan (THL regulation 3/2024; not public): the plan in
force with the units' critical systems live, its versions, the draft, approval
and comparison. The quality director, the data protection officer and
administrators only, organisation-wide (selectors.security_plan_allowed);
nobody else, and nothing of it on the public site."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from omavalvonta.audits import selectors, services
from omavalvonta.audits.forms import SecurityPlanApproveForm, SecurityPlanForm
from omavalvonta.audits.models import SecurityPlanState
from omavalvonta.core.forms import add_service_errors
from omavalvonta.core.lib import bounds
from omavalvonta.organisation.access import P_SECURITY_PLAN, requires


def _allowed(actor) -> None:
    # requires() admits a unit- or region-level grant; the plan is organisation-wide.
    if not selectors.security_plan_allowed(actor):
        raise PermissionDenied(P_SECURITY_PLAN)


@requires(P_SECURITY_PLAN)
def security_plan(request):
    actor = request.user
    _allowed(actor)
    versions = selectors.security_plan_versions(actor=actor)
    current = next((v for v in versions if v.state == SecurityPlanState.APPROVED), None)
    draft = next((v for v in versions if v.state == SecurityPlanState.DRAFT), None)
    return render(request, "audits/security_plan.html", {
        "version": current, "draft": draft, "versions": versions,
        "sections": selectors.security_plan_sections(current),
        "review_due": selectors.security_plan_review_due(current),
        "systems": selectors.security_plan_critical_systems(actor=actor),
        "approved_count": sum(1 for v in versions if v.state == SecurityPlanState.APPROVED),
    })


@requires(P_SECURITY_PLAN)
def security_plan_version(request, pk):
    actor = request.user
    _allowed(actor)
    version = selectors.security_plan_get(actor=actor, pk=pk)
    return render(request, "audits/security_plan.html", {
        "version": version, "single": True, "sections": selectors.security_plan_sections(version),
        "systems": selectors.security_plan_critical_systems(actor=actor),
    })


@requires(P_SECURITY_PLAN)
@require_POST
def security_plan_draft_start(request):
    _allowed(request.user)
    services.security_plan_draft_start(actor=request.user)
    return redirect("audits:security_plan_draft")


@requires(P_SECURITY_PLAN)
@require_http_methods(["GET", "POST"])
def security_plan_draft(request):
    actor = request.user
    _allowed(actor)
    draft = next((v for v in selectors.security_plan_versions(actor=actor) if v.state == SecurityPlanState.DRAFT), None)
    if draft is None:
        return redirect("audits:security_plan")
    sections = selectors.security_plan_sections(draft)
    initial = {f"section_{s['key']}": s["text"] for s in sections}
    form = SecurityPlanForm(initial={**initial, "change_note": draft.change_note, "edit_version": draft.edit_version},
                            sections=sections)
    approve = SecurityPlanApproveForm(prefix="a")
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "approve":
            approve = SecurityPlanApproveForm(request.POST, prefix="a")
            if approve.is_valid():
                try:
                    services.security_plan_approve(actor=actor, version=draft, **approve.cleaned_data)
                except ValidationError as error:
                    add_service_errors(approve, error)
                else:
                    messages.success(request, _("Version %(number)s of the plan was approved.") % {"number": draft.number})
                    return redirect("audits:security_plan")
        else:
            form = SecurityPlanForm(request.POST, sections=sections)
            if form.is_valid():
                try:
                    services.security_plan_draft_save(
                        actor=actor, version=draft, sections=form.sections(),
                        change_note=form.cleaned_data["change_note"], expected_version=form.cleaned_data["edit_version"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The draft was saved."))
                    return redirect("audits:security_plan_draft")
    return render(request, "audits/security_plan_draft.html", {"draft": draft, "form": form, "approve": approve})


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
