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
    return plan_draft_page(
        request, draft, sections=selectors.security_plan_sections(draft), form_class=SecurityPlanForm,
        approve_class=SecurityPlanApproveForm, save=services.security_plan_draft_save,
        approve_plan=services.security_plan_approve, plan_url="audits:security_plan",
        draft_url="audits:security_plan_draft", template="audits/security_plan_draft.html",
    )


def plan_draft_page(request, draft, *, sections, form_class, approve_class, save, approve_plan, plan_url, draft_url,
                    template, refused_status=200):
    """A versioned plan's draft page (the information-security and the
    crisis-communication plan): the sections' form, saved with the version it
    was opened at, and the approval; a refusal shows the page again with what
    was typed (`refused_status`)."""
    actor = request.user
    initial = {f"section_{s['key']}": s["text"] for s in sections}
    form = form_class(initial={**initial, "change_note": draft.change_note, "edit_version": draft.edit_version},
                      sections=sections)
    approve = approve_class(prefix="a")
    status = 200
    if request.method == "POST":
        if request.POST.get("form") == "approve":
            approve = approve_class(request.POST, prefix="a")
            if approve.is_valid():
                try:
                    approve_plan(actor=actor, version=draft, **approve.cleaned_data)
                except ValidationError as error:
                    add_service_errors(approve, error)
                else:
                    messages.success(request, _("Version %(number)s of the plan was approved.") % {"number": draft.number})
                    return redirect(plan_url)
        else:
            form = form_class(request.POST, sections=sections)
            if form.is_valid():
                try:
                    save(
                        actor=actor, version=draft, sections=form.sections(),
                        change_note=form.cleaned_data["change_note"], expected_version=form.cleaned_data["edit_version"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The draft was saved."))
                    return redirect(draft_url)
        status = refused_status
    return render(request, template, {"draft": draft, "form": form, "approve": approve}, status=status)


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
