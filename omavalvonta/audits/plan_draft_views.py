"""One home for the versioned plans' draft pages (the information-security plan,
security_views, and the crisis-communication plan, readiness_views): starting a
draft, and the draft's page with its sections' form and the approval. Each plan
describes itself in a `VersionedPlan`; its own views keep their permissions
and URLs, and read the plan's page and a version's page through
`plan_context` and `version_context`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from omavalvonta.audits.models import SecurityPlanState
from omavalvonta.core.forms import add_service_errors
from omavalvonta.organisation.access import requires


@dataclass(frozen=True)
class VersionedPlan:
    """What differs between the versioned plans' draft pages. `name` names the
    plan's pages: the URLs "audits:<name>" and "audits:<name>_draft", the
    template "audits/<name>_draft.html"."""

    name: str
    allow: Callable  # allow(actor): raises PermissionDenied for anyone else
    versions: Callable  # versions(actor=...): the plan's versions
    sections: Callable  # sections(version): the version's sections
    review_due: Callable  # review_due(version): when the version in force is reviewed next
    start: Callable  # start(actor=...): the service that starts a draft
    save: Callable  # the service that saves the draft
    approve: Callable  # the service that approves the draft
    form_class: type
    approve_class: type
    refused_status: int = 200  # the status of a page shown again after a refusal

    @property
    def plan_url(self) -> str:
        return f"audits:{self.name}"

    @property
    def draft_url(self) -> str:
        return f"audits:{self.name}_draft"

    @property
    def template(self) -> str:
        return f"audits/{self.name}_draft.html"


def _in_state(versions, state):
    return next((v for v in versions if v.state == state), None)


def plan_context(plan: VersionedPlan, actor) -> dict:
    """The plan's page: the version in force (the newest approved), the open
    draft, every version, the sections in force and the next review's date."""
    versions = plan.versions(actor=actor)
    current = _in_state(versions, SecurityPlanState.APPROVED)
    return {
        "version": current,
        "draft": _in_state(versions, SecurityPlanState.DRAFT),
        "versions": versions,
        "sections": plan.sections(current),
        "review_due": plan.review_due(current),
    }


def version_context(plan: VersionedPlan, version) -> dict:
    """One version's own page."""
    return {"version": version, "single": True, "sections": plan.sections(version)}


def draft_start(request, plan: VersionedPlan):
    """Start a new draft of `plan` and go to it."""
    plan.allow(request.user)
    plan.start(actor=request.user)
    return redirect(plan.draft_url)


def draft_page(request, plan: VersionedPlan):
    """The draft of `plan`; without a draft, the plan's page."""
    actor = request.user
    plan.allow(actor)
    draft = _in_state(plan.versions(actor=actor), SecurityPlanState.DRAFT)
    if draft is None:
        return redirect(plan.plan_url)
    return _draft_form_page(request, draft, plan)


def draft_views(plan: VersionedPlan, *, perm: str):
    """The two views of `plan`'s draft, declaring `perm` (the URL walk reads it):
    starting a draft (POST) and the draft's page."""

    @requires(perm)
    @require_POST
    def start_view(request):
        return draft_start(request, plan)

    @requires(perm)
    @require_http_methods(["GET", "POST"])
    def page_view(request):
        return draft_page(request, plan)

    start_view.__name__ = start_view.__qualname__ = f"{plan.name}_draft_start"
    page_view.__name__ = page_view.__qualname__ = f"{plan.name}_draft"
    return start_view, page_view


def _draft_form_page(request, draft, plan: VersionedPlan):
    """The sections' form, saved with the version it was opened at, and the
    approval; a refusal shows the page again with what was typed
    (`plan.refused_status`)."""
    actor = request.user
    sections, form_class, approve_class = plan.sections(draft), plan.form_class, plan.approve_class
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
                    plan.approve(actor=actor, version=draft, **approve.cleaned_data)
                except ValidationError as error:
                    add_service_errors(approve, error)
                else:
                    messages.success(request, _("Version %(number)s of the plan was approved.") % {"number": draft.number})
                    return redirect(plan.plan_url)
        else:
            form = form_class(request.POST, sections=sections)
            if form.is_valid():
                try:
                    plan.save(
                        actor=actor, version=draft, sections=form.sections(),
                        change_note=form.cleaned_data["change_note"], expected_version=form.cleaned_data["edit_version"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The draft was saved."))
                    return redirect(plan.draft_url)
        status = plan.refused_status
    return render(request, plan.template, {"draft": draft, "form": form, "approve": approve}, status=status)
