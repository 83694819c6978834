"""Risk register pages: the register, one risk with its linked deviation reports,
adding and changing risks, assessment sessions with their new actions, and tying
a deviation report to a known risk (from the deviation page).

Pages declare risk.view or risk.manage; one record is fetched through the kernel
(404 outside the actor's units, 403 inside without the right)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.forms import form_page, picked, posted_step
from omavalvonta.core.lists import filtered_list
from omavalvonta.core.service_calls import posted_button
from omavalvonta.improvement.forms import ActionForm
from omavalvonta.organisation import access
from omavalvonta.organisation.access import P_RISK_MANAGE, P_RISK_VIEW, requires
from omavalvonta.risks import selectors, services
from omavalvonta.risks.forms import AssessmentForm, FilterForm, LinkForm, RiskForm
from omavalvonta.risks.models import Risk, RiskAssessment, RiskDeviationLink

PAGE_SIZE = 20


@logs_read("risk.list")
@requires(P_RISK_VIEW)
def risk_list(request):
    actor = request.user
    form = FilterForm(request.GET or None, units=selectors.units_for_risks(actor=actor))
    return filtered_list(
        request,
        "risks/list.html",
        form,
        lambda filters: selectors.risk_list(actor=actor, filters=filters),
        per_page=PAGE_SIZE,
        can_manage=access.has_perm_anywhere(actor, P_RISK_MANAGE),
        today=timezone.localdate(),
        matrix=selectors.risk_matrix_counts(actor=actor, filters=form.filters()),
    )


def _risk_form_response(request, form, risk=None):
    return render(request, "risks/form.html", {"form": form, "risk": risk})


def _save_risk(request, form, risk=None):
    data = form.cleaned_data
    fields = {k: data.get(k) for k in ("category", "title", "likelihood", "consequence", "description", "controls", "owner", "next_review")}
    fields["description"] = fields["description"] or ""
    fields["controls"] = fields["controls"] or ""
    if risk is None:
        return services.risk_create(actor=request.user, unit=data["unit"], **fields)
    return services.risk_update(
        actor=request.user, risk=risk, is_active=data.get("is_active", False),
        expected_version=data.get("edit_version"), **fields,
    )


@requires(P_RISK_MANAGE)
def risk_create(request):
    actor = request.user
    units = list(selectors.units_for_risks(actor=actor, perm=P_RISK_MANAGE))
    unit_qs = selectors.units_for_risks(actor=actor, perm=P_RISK_MANAGE)
    chosen = None
    unit_id = request.POST.get("unit") or request.GET.get("unit")
    chosen = next((u for u in units if str(u.pk) == str(unit_id)), None) or (units[0] if len(units) == 1 else None)
    people = selectors.unit_people(unit=chosen) if chosen else selectors.people_of_units(units=units)
    return form_page(
        request,
        RiskForm,
        lambda form: _save_risk(request, form),
        template="risks/form.html",
        success=_("The risk was added to the register."),
        back=lambda risk: reverse("risks:detail", args=[risk.pk]),
        context={"risk": None},
        initial={"unit": chosen, "is_active": True},
        form_kwargs={"units": unit_qs, "people": people},
    )


@logs_read("risk.detail", model=Risk)
@requires(P_RISK_VIEW)
def risk_detail(request, pk):
    actor = request.user
    risk = selectors.risk_get(actor=actor, pk=pk)
    return render(
        request,
        "risks/detail.html",
        {
            "risk": risk,
            "links": selectors.risk_deviations(actor=actor, risk=risk),
            "assessments": selectors.risk_assessments_of(risk=risk),
            "can_manage": access.can(actor, P_RISK_MANAGE, risk.unit),
        },
    )


@requires(P_RISK_MANAGE)
def risk_edit(request, pk):
    actor = request.user
    risk = selectors.risk_get(actor=actor, pk=pk, perm=P_RISK_MANAGE)
    unit_qs = access.units_for(actor, P_RISK_MANAGE).filter(pk=risk.unit_id)
    people = selectors.unit_people(unit=risk.unit)
    if request.method != "POST":
        form = RiskForm(
            units=unit_qs,
            people=people,
            initial={
                "unit": risk.unit, "category": risk.category, "title": risk.title, "description": risk.description,
                "likelihood": risk.likelihood, "consequence": risk.consequence, "controls": risk.controls,
                "owner": risk.owner, "next_review": risk.next_review, "is_active": risk.is_active,
                "edit_version": risk.edit_version,
            },
        )
        return _risk_form_response(request, form, risk)
    data = request.POST.copy()
    data["unit"] = str(risk.unit_id)  # a risk stays in its unit
    form = RiskForm(data, units=unit_qs, people=people)
    return posted_step(
        request,
        form,
        lambda _data: _save_risk(request, form, risk),
        success=_("The risk was saved."),
        back=reverse("risks:detail", args=[risk.pk]),
        again=lambda: _risk_form_response(request, form, risk),
    )


# --- Assessment sessions ---------------------------------------------------------------------


@logs_read("risk.assessment_list")
@requires(P_RISK_VIEW)
def assessment_list(request):
    actor = request.user
    return filtered_list(
        request,
        "risks/assessments.html",
        FilterForm(request.GET or None, units=selectors.units_for_risks(actor=actor)),
        lambda filters: selectors.assessment_list(actor=actor, filters=filters),
        per_page=PAGE_SIZE,
        can_manage=access.has_perm_anywhere(actor, P_RISK_MANAGE),
    )


@requires(P_RISK_MANAGE)
def assessment_create(request):
    actor = request.user
    units = list(selectors.units_for_risks(actor=actor, perm=P_RISK_MANAGE))
    unit_id = request.POST.get("unit") or request.GET.get("unit")
    unit = next((u for u in units if str(u.pk) == str(unit_id)), None) or (units[0] if len(units) == 1 else None)
    if unit is None:
        return render(request, "risks/choose_unit.html", {"units": units})
    risks = selectors.active_risks(unit=unit)

    def record(form):
        data = form.cleaned_data
        return services.risk_assessment_create(
            actor=actor, unit=unit, held_on=data["held_on"], participants=data["participants"],
            other_participants=data.get("other_participants", ""), risks=data["risks"],
            summary=data.get("summary", ""), next_review=data.get("next_review"),
        )

    return form_page(
        request,
        AssessmentForm,
        record,
        template="risks/assessment_form.html",
        success=_("The risk assessment was recorded. Add the actions it decided below."),
        back=lambda assessment: reverse("risks:assessment_detail", args=[assessment.pk]),
        context={"unit": unit},
        initial=lambda: {"held_on": timezone.localdate(), "risks": list(risks)},
        form_kwargs={"people": selectors.unit_people(unit=unit), "risks": risks},
    )


@logs_read("risk.assessment", model=RiskAssessment)
@requires(P_RISK_VIEW)
def assessment_detail(request, pk):
    actor = request.user
    assessment = selectors.assessment_get(actor=actor, pk=pk)
    can_manage = access.can(actor, P_RISK_MANAGE, assessment.unit)
    people = selectors.unit_people(unit=assessment.unit)

    def page(form):
        return render(
            request,
            "risks/assessment_detail.html",
            {
                "a": assessment,
                "participants": list(assessment.participants.order_by("full_name")),
                "risks": list(assessment.risks.order_by("title")),
                "actions": selectors.assessment_actions(actor=actor, assessment=assessment),
                "form": form,
            },
        )

    if request.method != "POST":
        return page(ActionForm(people=people) if can_manage else None)
    if not can_manage:
        raise PermissionDenied(P_RISK_MANAGE)
    form = ActionForm(request.POST, people=people)
    return posted_step(
        request,
        form,
        lambda data: services.risk_assessment_action_create(
            actor=actor, assessment=assessment, **picked(data, "title", "owner", "due_date")
        ),
        success=_("The action was added."),
        back=reverse("risks:assessment_detail", args=[assessment.pk]),
        again=lambda: page(form),
    )


# --- Deviations and risks ----------------------------------------------------------------------


@require_POST
@requires(P_RISK_MANAGE)
def deviation_link(request, deviation_id):
    from omavalvonta.deviations.selectors import deviation_get

    actor = request.user
    deviation = deviation_get(actor=actor, pk=deviation_id, request=request)
    if not access.can(actor, P_RISK_MANAGE, deviation.unit):
        raise PermissionDenied(P_RISK_MANAGE)
    form = LinkForm(request.POST, risks=selectors.active_risks(unit=deviation.unit))
    if not form.is_valid():
        messages.error(request, _("Choose a risk of this unit."))
        return redirect("deviations:detail", pk=deviation.pk)
    return posted_button(
        request, lambda: services.risk_link_deviation(actor=actor, risk=form.cleaned_data["risk"], deviation=deviation),
        success=_("The report was tied to the risk."), back=reverse("deviations:detail", args=[deviation.pk]),
    )


@require_POST
@requires(P_RISK_MANAGE)
def deviation_unlink(request, link_id):
    actor = request.user
    link = access.access_object(RiskDeviationLink.objects.select_related("risk"), actor, link_id, P_RISK_MANAGE)
    deviation_id = link.deviation_id
    services.risk_unlink_deviation(actor=actor, link=link)
    messages.success(request, _("The report is no longer tied to the risk."))
    if request.POST.get("next") == "risk":
        return redirect("risks:detail", pk=link.risk_id)
    return redirect("deviations:detail", pk=deviation_id)
