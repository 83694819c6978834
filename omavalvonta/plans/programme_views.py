"""Staff pages of the group programme and its follow-up reports (group level:
the rights are held organisation-wide by the quality director and the
management group)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core.forms import form_page, form_step, posted_step
from omavalvonta.core.lib.edit_version import with_expected_version
from omavalvonta.core.service_calls import posted_button
from omavalvonta.organisation import access
from omavalvonta.organisation.access import P_PROGRAMME_APPROVE, P_PROGRAMME_MANAGE, requires
from omavalvonta.plans import programme as services, selectors
from omavalvonta.plans.forms import FindingsForm, ProgrammeForm, ProgrammeReviewForm, ReportCreateForm, compare_chosen
from omavalvonta.plans.models import FollowupReport, ProgrammeVersion, ReportState, VersionState
from omavalvonta.plans.report_view import REPORT_UNIT_ROWS, report_context, report_for_page


def _programme_page(request, review_form=None, status=200):
    versions = list(ProgrammeVersion.objects.select_related("approved_by").order_by("-number"))
    current = next((v for v in versions if v.state == VersionState.APPROVED), None)
    can_approve = access.has_perm_anywhere(request.user, P_PROGRAMME_APPROVE)
    review_due = selectors.programme_review_due(current)
    return render(request, "plans/programme.html", {
        "current": current,
        "draft": next((v for v in versions if v.state == VersionState.DRAFT), None),
        "versions": versions,
        "can_approve": can_approve,
        "review_due": review_due,
        "review_late": review_due is not None and review_due < timezone.localdate(),
        "review_form": review_form or (ProgrammeReviewForm() if can_approve else None),
    }, status=status)


@requires(P_PROGRAMME_MANAGE)
def programme(request):
    return _programme_page(request)


@require_POST
@requires(P_PROGRAMME_APPROVE)
def programme_review(request):
    """The four-monthly review found nothing to change: recorded as a version."""
    form = ProgrammeReviewForm(request.POST)
    return posted_step(
        request, form, lambda data: services.programme_review_record(actor=request.user, note=data["note"]),
        success=_("The review was recorded."), back=reverse("plans:programme"),
        again=lambda: _programme_page(request, review_form=form, status=400),
    )


@requires(P_PROGRAMME_MANAGE)
def programme_compare(request):
    """Two versions of the programme (the draft too) side by side, paragraph by paragraph."""
    versions = {v.number: v for v in ProgrammeVersion.objects.order_by("-number")}
    form = left = right = None
    rows = []
    if len(versions) >= 2:
        form, left, right = compare_chosen(request, versions)
        rows = selectors.compare_texts(left=left.text, right=right.text) if left else []
    return render(request, "plans/programme_compare.html", {"form": form, "rows": rows, "left": left, "right": right})


@requires(P_PROGRAMME_APPROVE)
def programme_edit(request):
    draft = ProgrammeVersion.objects.filter(state=VersionState.DRAFT).first()
    base = draft or ProgrammeVersion.objects.filter(state=VersionState.APPROVED).order_by("-number").first()
    initial = {"text": base.text if base else "", "change_summary": draft.change_summary if draft else "",
               # 0: no draft yet, so a draft someone else starts meanwhile is a conflict.
               "edit_version": draft.edit_version if draft else 0}
    return form_page(
        request, ProgrammeForm,
        lambda form: services.programme_draft_save(actor=request.user, **with_expected_version(form.cleaned_data)),
        template="plans/programme_form.html", initial=initial, success=_("Saved."), back=reverse("plans:programme"),
    )


@require_POST
@requires(P_PROGRAMME_APPROVE)
def programme_approve(request, pk):
    version = ProgrammeVersion.objects.filter(pk=pk).first()
    if version is None:
        raise Http404
    return posted_button(
        request, lambda: services.programme_approve(actor=request.user, version=version),
        success=_("The programme was approved and published."), back=reverse("plans:programme"),
    )


@requires(P_PROGRAMME_MANAGE)
def report_list(request):
    start, end = services.suggested_period()
    reports = FollowupReport.objects.without_figures().select_related("approved_by").order_by("-period_end", "-id")
    return form_page(
        request, ReportCreateForm, lambda form: services.followup_report_create(actor=request.user, **form.cleaned_data),
        template="plans/report_list.html", context={"reports": reports}, initial={"period_start": start, "period_end": end},
        success="", back=lambda report: report.get_absolute_url(),
    )


def _report(pk, *, unit_rows: int | None = None) -> FollowupReport:
    report = report_for_page(
        FollowupReport.objects.select_related("approved_by", "created_by").filter(pk=pk), unit_rows=unit_rows
    )
    if report is None:
        raise Http404
    return report


@requires(P_PROGRAMME_MANAGE)
def report_detail(request, pk):
    rows = None if request.GET.get("yksikot") == "kaikki" else REPORT_UNIT_ROWS
    # A POST saves the findings: the whole report, as it is.
    report = _report(pk, unit_rows=rows if request.method != "POST" else None)
    editable = report.state == ReportState.DRAFT
    form = FindingsForm(request.POST or None, initial={"findings": report.findings, "measures": report.measures})
    if request.method == "POST":
        if not editable:
            messages.error(request, _("An approved report cannot be changed."))
            return redirect(report.get_absolute_url())
        done, _saved = form_step(
            form, lambda data: services.followup_report_findings_save(actor=request.user, report=report, **data)
        )
        if done:
            messages.success(request, _("Saved."))
            return redirect(report.get_absolute_url())
    return render(request, "plans/report.html", {
        **report_context(report, unit_rows=rows), "form": form, "editable": editable,
        "can_approve": access.has_perm_anywhere(request.user, P_PROGRAMME_APPROVE),
    })


def _report_action(request, pk, func, done_message):
    report = _report(pk)
    return posted_button(
        request, lambda: func(actor=request.user, report=report), success=done_message, back=report.get_absolute_url()
    )


@require_POST
@requires(P_PROGRAMME_MANAGE)
def report_recompile(request, pk):
    return _report_action(request, pk, services.followup_report_recompile, _("The figures were compiled again."))


@require_POST
@requires(P_PROGRAMME_APPROVE)
def report_approve(request, pk):
    return _report_action(request, pk, services.followup_report_approve, _("The report was approved."))


@require_POST
@requires(P_PROGRAMME_APPROVE)
def report_publish(request, pk):
    return _report_action(request, pk, services.followup_report_publish, _("The report was published."))
