"""Self-assessment, audit and continuity pages. Reading needs risk.view in the
unit, recording risk.manage (the unit's leaders), checklists obligation.template_edit
(the quality director). One record is fetched through the kernel (404 outside
the actor's units, 403 inside without the right)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.audits import selectors, services
from omavalvonta.audits.forms import (
    AuditForm,
    ChecklistForm,
    DrillForm,
    FindingForm,
    PlanForm,
    SelfAssessmentForm,
    SystemForm,
)
from omavalvonta.audits.models import AnswerResult, Finding
from omavalvonta.core.forms import form_page, form_step
from omavalvonta.core.lib.edit_version import with_expected_version
from omavalvonta.improvement.forms import ActionForm
from omavalvonta.organisation import access
from omavalvonta.organisation.access import P_OBLIGATION_TEMPLATE_EDIT, P_RISK_MANAGE, P_RISK_VIEW, requires
from omavalvonta.risks.selectors import unit_people

LIST_LIMIT = 30


def _chosen_unit(request, units):
    unit_id = request.POST.get("unit") or request.GET.get("unit")
    return next((u for u in units if str(u.pk) == str(unit_id)), None) or (units[0] if len(units) == 1 else None)


@requires(P_RISK_VIEW)
def index(request):
    actor = request.user
    units = list(selectors.units_for(actor=actor))
    chosen = request.GET.get("unit")
    if chosen and any(str(u.pk) == chosen for u in units):
        return redirect("audits:continuity", unit_id=int(chosen))
    own = access.own_unit_ids(actor)
    return render(
        request,
        "audits/index.html",
        {
            "self_assessments": list(selectors.self_assessments(actor=actor)[:LIST_LIMIT]),
            "audits": list(selectors.audits(actor=actor)[:LIST_LIMIT]),
            "units": units,
            "own_units": [u for u in units if u.pk in own] or units[:1],
            "can_manage": access.has_perm_anywhere(actor, P_RISK_MANAGE),
            "can_edit_checklists": access.has_perm_anywhere(actor, P_OBLIGATION_TEMPLATE_EDIT),
            "can_documents": access.has_perm_anywhere(actor, access.P_DOCUMENT_VIEW),
        },
    )


@requires(P_OBLIGATION_TEMPLATE_EDIT)
def checklist_list(request):
    return render(request, "audits/checklists.html", {"checklists": list(selectors.checklists())})


@requires(P_OBLIGATION_TEMPLATE_EDIT)
def checklist_edit(request, pk=None):
    actor = request.user
    checklist = selectors.checklist_get(actor=actor, pk=pk) if pk is not None else None

    def initial():
        if checklist is None:
            return {"is_active": True}
        return {
            "title": checklist.title, "description": checklist.description, "is_active": checklist.is_active,
            "criteria_text": "\n".join(c.text for c in checklist.criteria.all() if c.position < 1000),
            "edit_version": checklist.edit_version,
        }

    return form_page(
        request, ChecklistForm,
        lambda form: services.checklist_save(actor=actor, checklist=checklist, **with_expected_version(form.cleaned_data)),
        template="audits/checklist_form.html", context={"checklist": checklist}, initial=initial,
        success=_("The checklist was saved."), back=reverse("audits:checklists"),
    )


@requires(P_RISK_MANAGE)
def self_assessment_create(request):
    actor = request.user
    units = list(selectors.units_for(actor=actor, perm=P_RISK_MANAGE))
    unit = _chosen_unit(request, units)
    active = list(selectors.checklists(active_only=True))
    checklist_id = request.POST.get("checklist") or request.GET.get("checklist")
    checklist = next((c for c in active if str(c.pk) == str(checklist_id)), None) or (active[0] if len(active) == 1 else None)
    if unit is None or checklist is None:
        return render(request, "audits/choose.html", {"units": units, "checklists": active, "unit": unit})
    criteria = [c for c in checklist.criteria.all() if c.position < 1000]

    def perform(form):
        return services.self_assessment_create(
            actor=actor, unit=unit, checklist=checklist, held_on=form.cleaned_data["held_on"],
            answers=form.answers(), summary=form.cleaned_data.get("summary", ""),
        )

    return form_page(
        request, SelfAssessmentForm, perform, template="audits/self_assessment_form.html",
        context={"unit": unit, "checklist": checklist}, form_kwargs={"criteria": criteria},
        initial={"held_on": timezone.localdate()}, success=_("The self-assessment was recorded."),
        back=lambda assessment: reverse("audits:self_assessment", args=[assessment.pk]),
    )


@requires(P_RISK_VIEW)
def self_assessment_detail(request, pk):
    actor = request.user
    assessment = selectors.self_assessment_get(actor=actor, pk=pk)
    can_manage = access.can(actor, P_RISK_MANAGE, assessment.unit)
    answers = selectors.self_assessment_answers(assessment=assessment)
    people = unit_people(unit=assessment.unit)
    failed_form, failed_id = None, None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(P_RISK_MANAGE)
        answer = next((a for a in answers if str(a.pk) == request.POST.get("answer")), None)
        if answer is None or answer.result not in (AnswerResult.NOT_MET, AnswerResult.PARTLY):
            messages.error(request, _("Choose an unmet criterion."))
            return redirect("audits:self_assessment", pk=assessment.pk)
        form = ActionForm(request.POST, people=people, prefix=f"a{answer.pk}")
        done, _action = form_step(form, lambda data: services.answer_action_create(actor=actor, answer=answer, **data))
        if done:
            messages.success(request, _("The action was added."))
            return redirect("audits:self_assessment", pk=assessment.pk)
        failed_form, failed_id = form, answer.pk
    rows = []
    for a in answers:
        form = None
        if can_manage and a.result in (AnswerResult.NOT_MET, AnswerResult.PARTLY):
            form = failed_form if a.pk == failed_id else ActionForm(people=people, prefix=f"a{a.pk}")
        rows.append((a, form))
    from omavalvonta.improvement.selectors import actions_for_source

    return render(
        request,
        "audits/self_assessment_detail.html",
        {"a": assessment, "rows": rows, "actions": list(actions_for_source(source=assessment))},
    )


@requires(P_RISK_MANAGE)
def audit_create(request):
    actor = request.user
    units = list(selectors.units_for(actor=actor, perm=P_RISK_MANAGE))
    unit = _chosen_unit(request, units)
    if unit is None:
        return render(request, "audits/choose.html", {"units": units, "checklists": None, "unit": None})
    return form_page(
        request, AuditForm, lambda form: services.audit_create(actor=actor, unit=unit, **form.cleaned_data),
        template="audits/audit_form.html", context={"unit": unit},
        initial={"held_on": timezone.localdate(), "kind": "internal"},
        success=_("The audit was recorded. Add its findings below."),
        back=lambda audit: reverse("audits:audit", args=[audit.pk]),
    )


def _finding_add_step(request, *, actor, audit) -> tuple[bool, FindingForm]:
    """The "add a finding" step: (done, the bound form showing any errors)."""
    form = FindingForm(request.POST, prefix="f")

    def perform(data):
        return services.finding_add(actor=actor, audit=audit, **data)

    done, _finding = form_step(form, perform)
    if done:
        messages.success(request, _("The finding was added."))
    return done, form


def _finding_action_step(request, *, actor, findings, people) -> tuple[bool, dict]:
    """The "add an action to a finding" step: (done, {finding id: the bound form
    showing its errors}). A finding no longer on the page counts as done: the
    page is simply shown again."""
    finding = next((f for f in findings if str(f.pk) == request.POST.get("finding")), None)
    if finding is None:
        return True, {}
    form = ActionForm(request.POST, people=people, prefix=f"a{finding.pk}")

    def perform(data):
        return services.finding_action_create(actor=actor, finding=finding, **data)

    done, _action = form_step(form, perform)
    if done:
        messages.success(request, _("The action was added."))
    return done, {finding.pk: form}


def _finding_rows(findings, *, actor, people, can_manage: bool, failed_forms: dict) -> list[tuple]:
    """(finding, its actions, its action form: the failed one, a fresh one, or
    None without risk.manage) for each finding."""
    from omavalvonta.improvement.selectors import actions_by_source

    by_finding = actions_by_source(actor=actor, model=Finding, source_ids=[f.pk for f in findings])
    rows = []
    for finding in findings:
        form = None
        if can_manage:
            form = failed_forms.get(finding.pk) or ActionForm(people=people, prefix=f"a{finding.pk}")
        rows.append((finding, by_finding.get(finding.pk, []), form))
    return rows


@requires(P_RISK_VIEW)
def audit_detail(request, pk):
    actor = request.user
    audit = selectors.audit_get(actor=actor, pk=pk)
    can_manage = access.can(actor, P_RISK_MANAGE, audit.unit)
    people = unit_people(unit=audit.unit)
    findings = selectors.audit_findings(audit=audit)
    finding_form = FindingForm(prefix="f") if can_manage else None
    failed_forms: dict = {}
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(P_RISK_MANAGE)
        if request.POST.get("finding"):
            done, failed_forms = _finding_action_step(request, actor=actor, findings=findings, people=people)
        else:
            done, finding_form = _finding_add_step(request, actor=actor, audit=audit)
        if done:
            return redirect("audits:audit", pk=audit.pk)
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            "rows": _finding_rows(findings, actor=actor, people=people, can_manage=can_manage, failed_forms=failed_forms),
            "finding_form": finding_form,
            # A finding steers the unit's action plan (improvement's page).
            "can_steer_plan": access.can(actor, access.P_ACTION_MANAGE, audit.unit),
        },
    )


@requires(P_RISK_VIEW)
def continuity(request, unit_id):
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_RISK_VIEW)
    can_manage = access.can(actor, P_RISK_MANAGE, unit)
    people = unit_people(unit=unit)
    data = selectors.continuity_of(unit=unit)
    plan = data["plan"]
    forms_ = {
        "system": SystemForm(people=people, prefix="s"),
        "plan": PlanForm(prefix="p", initial={"threats": plan.threats, "preparedness": plan.preparedness,
                                              "contacts": plan.contacts, "edit_version": plan.edit_version}
                         if plan else {"edit_version": 0}),
        "drill": DrillForm(people=people, prefix="d", initial={"held_on": timezone.localdate()}),
    }
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(P_RISK_MANAGE)
        # The page's three forms: the bound form, the service and the message when it went through.
        steps = {
            "system": (lambda: SystemForm(request.POST, people=people, prefix="s"),
                       lambda data: services.critical_system_save(actor=actor, unit=unit, **data),
                       _("The system was added.")),
            "plan": (lambda: PlanForm(request.POST, prefix="p"),
                     lambda data: services.continuity_plan_save(actor=actor, unit=unit, **with_expected_version(data)),
                     _("The continuity plan was saved.")),
            "drill": (lambda: DrillForm(request.POST, people=people, prefix="d"),
                      lambda data: services.drill_record(actor=actor, unit=unit, **data),
                      _("The drill was recorded.")),
        }
        which = request.POST.get("form")
        if which in steps:
            bound, perform, message = steps[which]
            form = forms_[which] = bound()
            done, _saved = form_step(form, perform)
            if done:
                messages.success(request, message)
                return redirect("audits:continuity", unit_id=unit.pk)
    return render(
        request, "audits/continuity.html",
        {"unit": unit, "can_manage": can_manage, "forms": forms_, "readiness": selectors.readiness_summary(), **data},
    )
