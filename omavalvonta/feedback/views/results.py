"""The feedback results pages (overview, a unit, a service type, region or the
organisation), the unit's monthly report for the team meeting and the team's
incentive goals."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core.forms import picked, posted_step
from omavalvonta.core.service_calls import call_service
from omavalvonta.core.services import access_log_record
from omavalvonta.feedback import charts, goals, reports, selectors
from omavalvonta.feedback.forms import (
    GoalAssessForm,
    GoalForm,
    TeamRewardForm,
)
from omavalvonta.organisation import access
from omavalvonta.organisation.access import P_FEEDBACK_MANAGE, P_FEEDBACK_VIEW, P_SURVEY_EDIT, requires

# --- Results ---------------------------------------------------------------------------


@requires(P_FEEDBACK_VIEW)
def home(request):
    actor = request.user
    return render(
        request,
        "feedback/home.html",
        {
            **selectors.overview(actor=actor, region=request.GET.get("alue")),
            "can_manage": access.has_perm_anywhere(actor, P_FEEDBACK_MANAGE),
            "can_edit_surveys": access.has_perm_anywhere(actor, P_SURVEY_EDIT),
        },
    )


@requires(P_FEEDBACK_VIEW)
def unit_detail(request, pk):
    unit = access.access_unit(request.user, pk, P_FEEDBACK_VIEW)
    results = selectors.unit_results(actor=request.user, unit=unit)
    _with_charts(results["reports"])
    return render(request, "feedback/unit.html", {"unit": unit, **results, "legend": charts.legend_text()})


def _with_charts(reports):
    for report in reports:
        report.trend_svg = charts.nps_trend_svg(report.trend, title=_("NPS over the quarters: %(group)s") % {"group": report.label})
        report.items_svg = charts.item_bars_svg(report.items, title=_("Averages 1–5 this quarter: %(group)s") % {"group": report.label})
    return reports


@requires(P_FEEDBACK_VIEW)
def scope_detail(request, level, key):
    """A service type's, a region's or the organisation's figures (aggregates
    with the small-group rule, no free text)."""
    results = selectors.scope_results(actor=request.user, level=level, key=key)
    if results is None:
        raise Http404
    _with_charts(results["reports"])
    return render(request, "feedback/scope.html", {**results, "legend": charts.legend_text()})


def _report_month(request) -> tuple[int, int]:
    """?kk=YYYY-MM, default the previous month; a bad value falls back to it."""
    raw = request.GET.get("kk", "")
    try:
        year, month = (int(x) for x in raw.split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return reports.previous_month()


def _report_context(request, unit):
    year, month = _report_month(request)
    report = reports.monthly_report(unit=unit, year=year, month=month, with_texts=True)
    for group in report["groups"]:
        group["items_svg"] = charts.item_bars_svg(group["items"], title=_("Averages 1–5: %(group)s") % {"group": group["label"]})
    prev_y, prev_m = (year - 1, 12) if month == 1 else (year, month - 1)
    next_y, next_m = (year + 1, 1) if month == 12 else (year, month + 1)
    if report["free_texts"]:
        access_log_record(actor=request.user, target=unit, what="feedback.free_texts", right=P_FEEDBACK_VIEW, unit=unit, request=request)
    return {
        "unit": unit,
        "report": report,
        "month_label": f"{month}/{year}",
        "previous": f"{prev_y}-{prev_m:02d}",
        "next": f"{next_y}-{next_m:02d}",
        "current": f"{year}-{month:02d}",
    }


@requires(P_FEEDBACK_VIEW)
def unit_report(request, pk):
    """The unit's monthly feedback report for the team meeting (web and PDF)."""
    unit = access.access_unit(request.user, pk, P_FEEDBACK_VIEW)
    context = _report_context(request, unit)
    if request.GET.get("muoto") == "pdf":
        from omavalvonta.core.pdf import PdfUnavailable, render_pdf

        try:
            pdf = render_pdf("feedback/report_pdf.html", context, request=request)
        except PdfUnavailable:
            messages.error(request, _("The PDF cannot be made on this server. Print the page instead."))
            return redirect(f"{reverse('feedback:unit_report', args=[unit.pk])}?kk={context['current']}")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="palauteraportti-{unit.public_slug}-{context["current"]}.pdf"'
        return response
    return render(request, "feedback/report.html", context)


# --- Team incentive goals ----------------------------------------------------------------


def _goals_url(unit_id, year, half) -> str:
    """The team goals page of the half-year."""
    return f"{reverse('feedback:unit_goals', args=[unit_id])}?puolivuosi={year}-{half}"


def _half(request) -> tuple[int, int]:
    raw = request.GET.get("puolivuosi", "")
    try:
        year, half = (int(x) for x in raw.split("-", 1))
        if 2000 <= year <= 2100 and half in (1, 2):
            return year, half
    except ValueError:
        pass
    return goals.current_half()


@requires(P_FEEDBACK_VIEW)
def unit_goals(request, pk):
    """The team's incentive goals of a half-year, evaluated from the data."""
    unit = access.access_unit(request.user, pk, P_FEEDBACK_VIEW)
    year, half = _half(request)
    can_manage = access.can(request.user, P_FEEDBACK_MANAGE, unit)
    form, status = None, 200
    if can_manage:
        if request.method == "POST":
            form = GoalForm(request.POST)
            return posted_step(
                request, form,
                lambda data: goals.goal_create(
                    actor=request.user, unit=unit, year=year, half=half,
                    **picked(data, "metric", "group", "target", "description"),
                ),
                success=_("The goal was added."), back=_goals_url(unit.pk, year, half),
                again=lambda: _goals_page(request, unit, year, half, form=form, can_manage=True, status=400),
            )
        else:
            form = GoalForm()
    return _goals_page(request, unit, year, half, form=form, can_manage=can_manage, status=status)


def _goals_page(request, unit, year, half, *, form=None, reward_form=None, can_manage=False, status=200):
    previous = f"{year - 1}-2" if half == 1 else f"{year}-1"
    following = f"{year}-2" if half == 1 else f"{year + 1}-1"
    results = goals.goals_evaluated(actor=request.user, unit=unit, year=year, half=half)
    reward = goals.reward_get(unit=unit, year=year, half=half)
    met = goals.all_goals_met(results)
    ended = goals.half_ended(year, half)
    if reward_form is None and can_manage and met and ended:
        reward_form = TeamRewardForm(initial={
            "decision": reward.decision if reward else "", "decided_on": reward.decided_on if reward else None,
            "edit_version": reward.edit_version if reward else 0,
        })
    return render(
        request,
        "feedback/goals.html",
        {
            "unit": unit,
            "results": results,
            "reward": reward,
            "all_met": met,
            "half_ended": ended,
            "reward_form": reward_form,
            "form": form,
            "assess_form": GoalAssessForm() if can_manage else None,
            "team_facts": goals.team_facts(actor=request.user, unit=unit, year=year, half=half),
            "half_label": f"{half}/{year}",
            "current": f"{year}-{half}",
            "previous": previous,
            "next": following,
        },
        status=status,
    )


@requires(P_FEEDBACK_MANAGE)
@require_POST
def reward_record(request, pk):
    """The team's decision on how to use the half-year's reward."""
    unit = access.access_unit(request.user, pk, P_FEEDBACK_MANAGE)
    year, half = _half(request)
    form = TeamRewardForm(request.POST)

    def record(data):
        data = dict(data)
        expected = data.pop("edit_version")
        return goals.reward_record(actor=request.user, unit=unit, year=year, half=half, expected_version=expected, **data)

    return posted_step(
        request, form, record, success=_("The team's decision on the reward was saved."),
        back=_goals_url(unit.pk, year, half),
        again=lambda: _goals_page(request, unit, year, half, form=GoalForm(), reward_form=form, can_manage=True, status=400),
    )


@requires(P_FEEDBACK_MANAGE)
@require_POST
def goal_assess(request, pk):
    goal = goals.goal_get(actor=request.user, pk=pk)
    form = GoalAssessForm(request.POST)
    if form.is_valid():
        call_service(
            request,
            lambda: goals.goal_assess(actor=request.user, goal=goal, met=form.cleaned_data["met"], note=form.cleaned_data["note"]),
            success=_("The assessment was saved."),
        )
    else:
        messages.error(request, _("Choose whether the goal was met."))
    return redirect(_goals_url(goal.unit_id, goal.year, goal.half))


@requires(P_FEEDBACK_MANAGE)
@require_POST
def goal_delete(request, pk):
    goal = goals.goal_get(actor=request.user, pk=pk)
    back = _goals_url(goal.unit_id, goal.year, goal.half)
    goals.goal_delete(actor=request.user, goal=goal)
    messages.success(request, _("The goal was removed."))
    return redirect(back)
