"""Staff pages of the units' plans: the overview with review states, a plan's
page (current version, draft, versions), a version, editing a draft section by
section, approval by the responsible person, a review without changes, the
side-by-side comparison and the quality director's template.

Pages about one unit or version declare plan.view; the selector answers 404
outside the actor's units and 403 inside them without the needed right."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core.forms import form_page, posted_step
from omavalvonta.core.lib.edit_version import with_expected_version
from omavalvonta.core.service_calls import posted_button
from omavalvonta.organisation import access
from omavalvonta.organisation.access import P_PLAN_APPROVE, P_PLAN_EDIT, P_PLAN_TEMPLATE, P_PLAN_VIEW, requires
from omavalvonta.organisation.models import Region
from omavalvonta.plans import selectors, services
from omavalvonta.plans.forms import (
    ApproveForm,
    DetailsForm,
    OverviewFilterForm,
    ReviewForm,
    SectionForm,
    TemplateSectionForm,
    compare_chosen,
)
from omavalvonta.plans.models import KIND_BY_SLUG, PlanKind, SectionTemplate

PAGE_SIZE = 50


def _kind(slug: str) -> str:
    kind = KIND_BY_SLUG.get(slug)
    if kind is None:
        raise Http404
    return kind


@requires(P_PLAN_VIEW)
def plan_list(request):
    actor = request.user
    units = access.units_for(actor, P_PLAN_VIEW)
    regions = Region.objects.filter(pk__in=units.values("region_id")).order_by("name")
    form = OverviewFilterForm(request.GET or None, regions=regions)
    filters = form.filters()
    units, counts = selectors.plan_overview_units(actor=actor, filters=filters)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.plan_rows(page.object_list)
    return render(request, "plans/list.html", {
        "rows": page.object_list, "page": page, "form": form, "filtered": any(filters.values()) if filters else False, "counts": counts,
        "can_template": access.has_perm_anywhere(actor, P_PLAN_TEMPLATE),
        # The group's programme is reached from here (not from the main menu).
        "can_programme": access.has_perm_anywhere(actor, access.P_PROGRAMME_MANAGE),
    })


@requires(P_PLAN_VIEW)
def plan_detail(request, unit_id, kind_slug):
    actor = request.user
    unit = selectors.unit_for_plans(actor=actor, unit_id=unit_id)
    kind = _kind(kind_slug)
    plan = selectors.plan_of(unit=unit, kind=kind)
    versions = selectors.plan_versions(plan=plan)
    current = next((v for v in versions if v.is_approved), None)
    draft = next((v for v in versions if not v.is_approved), None)
    return render(request, "plans/plan.html", {
        "unit": unit, "kind": kind, "kind_slug": kind_slug, "kind_label": PlanKind(kind).label, "plan": plan,
        "versions": versions, "current": current, "draft": draft,
        "sections": selectors.version_sections(version=current) if current else [],
        "facts": selectors.version_facts(actor=actor, version=current) if current else {},
        "fact_links": selectors.fact_links(actor=actor, unit=unit),
        "can_edit": access.can(actor, P_PLAN_EDIT, unit),
        "can_approve": access.can(actor, P_PLAN_APPROVE, unit),
        "good_treatment_allowed": services.plan_kind_allowed(unit, PlanKind.GOOD_TREATMENT),
        "other_kind_slug": next(s for s, k in KIND_BY_SLUG.items() if k != kind),
    })


@require_POST
@requires(P_PLAN_EDIT)
def draft_start(request, unit_id, kind_slug):
    actor = request.user
    unit = selectors.unit_for_plans(actor=actor, unit_id=unit_id, perm=P_PLAN_EDIT)
    try:
        draft = services.plan_draft_start(actor=actor, unit=unit, kind=_kind(kind_slug))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("plans:plan", unit.pk, kind_slug)
    return redirect(draft.get_absolute_url())


@requires(P_PLAN_VIEW)
def version_detail(request, pk):
    actor = request.user
    version = selectors.version_get(actor=actor, pk=pk)
    can_edit = not version.is_approved and access.can(actor, P_PLAN_EDIT, version.unit)
    can_approve = not version.is_approved and access.can(actor, P_PLAN_APPROVE, version.unit)
    return render(request, "plans/version.html", {
        "version": version, "plan": version.plan, "unit": version.unit,
        "kind_slug": version.plan.slug,
        "sections": selectors.version_sections(version=version),
        "facts": selectors.version_facts(actor=actor, version=version),
        "fact_links": selectors.fact_links(actor=actor, unit=version.unit),
        "can_edit": can_edit, "can_approve": can_approve,
        "addable": selectors.addable_sections(version=version) if can_edit else [],
        "missing": services.approval_missing(version) if can_edit or can_approve else [],
    })


def _draft_for_edit(request, pk):
    version = selectors.version_get(actor=request.user, pk=pk, perm=P_PLAN_EDIT)
    if version.is_approved:
        messages.error(request, _("An approved version cannot be changed. Start a new draft."))
        return None, redirect(version.get_absolute_url())
    return version, None


@requires(P_PLAN_EDIT)
def section_edit(request, pk, section_id):
    version, refused = _draft_for_edit(request, pk)
    if refused:
        return refused
    section = selectors.section_get(version=version, section_id=section_id)

    def page(form):
        return render(request, "plans/section_form.html", {
            "version": version, "section": section, "form": form,
            "facts": selectors.version_facts(actor=request.user, version=version) if section.live_fact else {},
            "fact_links": selectors.fact_links(actor=request.user, unit=version.unit),
        })

    if request.method != "POST":
        return page(SectionForm(initial={"text": section.text, "edit_version": section.edit_version}))
    form = SectionForm(request.POST)
    return posted_step(
        request, form,
        lambda data: services.plan_section_save(actor=request.user, section=section, **with_expected_version(data)),
        success=_("Section saved."), back=f"{version.get_absolute_url()}#section-{section.pk}", again=lambda: page(form),
    )


@require_POST
@requires(P_PLAN_EDIT)
def section_remove(request, pk, section_id):
    version, refused = _draft_for_edit(request, pk)
    if refused:
        return refused
    section = selectors.section_get(version=version, section_id=section_id)
    return posted_button(
        request, lambda: services.plan_section_remove(actor=request.user, section=section),
        success=_("Section removed from the draft."), back=version.get_absolute_url(),
    )


@require_POST
@requires(P_PLAN_EDIT)
def section_add(request, pk):
    version, refused = _draft_for_edit(request, pk)
    if refused:
        return refused
    try:
        section = services.plan_section_add(actor=request.user, version=version, key=request.POST.get("key", ""))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(version.get_absolute_url())
    return redirect("plans:section", version.pk, section.pk)


@requires(P_PLAN_EDIT)
def details_edit(request, pk):
    version, refused = _draft_for_edit(request, pk)
    if refused:
        return refused
    good = version.plan.kind == PlanKind.GOOD_TREATMENT
    return form_page(
        request, DetailsForm,
        lambda form: services.plan_version_details_save(
            actor=request.user, version=version, **with_expected_version(form.cleaned_data)
        ),
        template="plans/details_form.html", context={"version": version, "good_treatment": good},
        form_kwargs={"good_treatment": good}, success=_("Saved."), back=version.get_absolute_url(),
        initial={
            "change_summary": version.change_summary,
            "children_participation": version.children_participation,
            "child_friendly_text": version.child_friendly_text,
            "edit_version": version.edit_version,
        },
    )


@require_POST
@requires(P_PLAN_EDIT)
def request_approval(request, pk):
    version, refused = _draft_for_edit(request, pk)
    if refused:
        return refused
    try:
        told = services.plan_approval_request(actor=request.user, version=version)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        if told:
            messages.success(request, _("The responsible person was asked to approve the plan."))
        else:
            messages.info(request, _("The unit has no other responsible person to ask."))
    return redirect(version.get_absolute_url())


@requires(P_PLAN_APPROVE)
def approve(request, pk):
    version = selectors.version_get(actor=request.user, pk=pk, perm=P_PLAN_APPROVE)
    if version.is_approved:
        messages.info(request, _("This version is already approved."))
        return redirect(version.get_absolute_url())

    def page(form):
        return render(request, "plans/approve.html", {
            "version": version, "form": form, "missing": services.approval_missing(version),
        })

    if request.method != "POST":
        return page(ApproveForm(initial={"change_summary": version.change_summary}))
    form = ApproveForm(request.POST)
    return posted_step(
        request, form,
        lambda data: services.plan_version_approve(actor=request.user, version=version, change_summary=data["change_summary"]),
        success=_("The version was approved and published."), back=version.get_absolute_url(), again=lambda: page(form),
    )


@require_POST
@requires(P_PLAN_APPROVE)
def discard(request, pk):
    version = selectors.version_get(actor=request.user, pk=pk, perm=P_PLAN_APPROVE)
    plan = version.plan
    try:
        services.plan_draft_discard(actor=request.user, version=version)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(version.get_absolute_url())
    messages.success(request, _("The draft was discarded."))
    return redirect(plan.get_absolute_url())


@requires(P_PLAN_APPROVE)
def review(request, unit_id, kind_slug):
    actor = request.user
    unit = selectors.unit_for_plans(actor=actor, unit_id=unit_id, perm=P_PLAN_APPROVE)
    kind = _kind(kind_slug)
    plan = selectors.plan_of(unit=unit, kind=kind)
    return form_page(
        request, ReviewForm,
        lambda form: services.plan_review_record(actor=actor, unit=unit, kind=kind, note=form.cleaned_data["note"]),
        template="plans/review.html",
        context={"unit": unit, "plan": plan, "kind_slug": kind_slug, "kind_label": PlanKind(kind).label},
        success=lambda version: _("The review was recorded as version %(number)s.") % {"number": version.number},
        back=lambda version: version.get_absolute_url(),
    )


@requires(P_PLAN_VIEW)
def compare(request, unit_id, kind_slug):
    actor = request.user
    unit = selectors.unit_for_plans(actor=actor, unit_id=unit_id)
    kind = _kind(kind_slug)
    versions = {v.number: v for v in selectors.plan_versions(plan=selectors.plan_of(unit=unit, kind=kind))}
    numbers = sorted(versions, reverse=True)
    if len(numbers) < 2:
        messages.info(request, _("There is only one version: nothing to compare yet."))
        return redirect("plans:plan", unit.pk, kind_slug)
    form, left, right = compare_chosen(request, versions)
    rows = selectors.compare_versions(left=left, right=right) if left else []
    return render(request, "plans/compare.html", {
        "unit": unit, "kind_slug": kind_slug, "kind_label": PlanKind(kind).label, "form": form,
        "rows": rows, "left": left, "right": right,
    })


# --- The template (quality director) -----------------------------------------------------------


@requires(P_PLAN_TEMPLATE)
def template_list(request):
    kind = request.GET.get("kind") if request.GET.get("kind") in PlanKind.values else PlanKind.SELF_SUPERVISION
    return render(request, "plans/template_list.html", {
        "kind": kind, "kinds": PlanKind.choices, "sections": selectors.template_sections(kind=kind),
    })


@requires(P_PLAN_TEMPLATE)
def template_edit(request, pk=None):
    section = None
    if pk is not None:
        section = SectionTemplate.objects.filter(pk=pk).first()
        if section is None:
            raise Http404
        initial = {f: getattr(section, f)
                   for f in ("kind", "number", "title", "guidance", "order", "required", "is_active", "edit_version")}
    else:
        kind = request.GET.get("kind") if request.GET.get("kind") in PlanKind.values else PlanKind.SELF_SUPERVISION
        initial = {"kind": kind, "required": False, "is_active": True, "order": 1000}
    return form_page(
        request, TemplateSectionForm,
        lambda form: services.template_section_save(actor=request.user, section=section, **with_expected_version(form.cleaned_data)),
        template="plans/template_form.html", context={"section": section}, initial=initial,
        success=_("Template section saved."), back=lambda saved: f"{reverse('plans:template')}?kind={saved.kind}",
    )
