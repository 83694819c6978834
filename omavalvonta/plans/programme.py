"""Writes of the group's self-supervision programme and its four-monthly
follow-up reports (the same conventions as services.py).

The programme: a draft -> the quality director approves it (frozen). A
follow-up report: created for a period with its figures compiled from the
product -> the management group writes its findings and measures (the figures
may be compiled again while it is a draft) -> the quality director approves ->
publishes (public). An approved report's figures and texts no longer change."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core import rhythm
from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.services import audit_event_record
from omavalvonta.organisation import access, access_people
from omavalvonta.plans.followup import compile_figures
from omavalvonta.plans.models import FollowupReport, ProgrammeVersion, ReportState, VersionState

TEXT_MAX = 50000


def suggested_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The period the next report should cover: the one that closed before the
    latest review month (core.rhythm), or, when a report already covers it, the
    period after the latest report."""
    start, end = rhythm.group_period(today or timezone.localdate())
    latest = FollowupReport.objects.without_figures().order_by("-period_end", "-id").first()
    if latest is not None and latest.period_end >= end:
        return rhythm.next_group_period(latest.period_end)
    return start, end


def _require(actor, perm: str) -> None:
    # The programme is group-level: the right must be held organisation-wide.
    if not access.has_perm_anywhere(actor, perm):
        raise PermissionDenied(perm)


def _audit(actor, verb: str, target, **data) -> None:
    audit_event_record(actor=actor, verb=verb, target=target, unit=None, **data)


def _clean(value) -> str:
    return (value or "").strip()


# --- The programme -----------------------------------------------------------------------------


@transaction.atomic
def programme_draft_save(
    *, actor, text: str, change_summary: str = "", expected_version: int | None = None
) -> ProgrammeVersion:
    """Write the programme's draft (started from the last approved version's text).
    `expected_version`: the draft's edit version when the form was opened (0: there
    was no draft); a newer save refuses this one (EditConflict)."""
    _require(actor, access.P_PROGRAMME_APPROVE)
    text = _clean(text)
    if not text:
        raise ValidationError({"text": _("Write the programme.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("The text is too long.")})
    draft = ProgrammeVersion.objects.select_for_update().filter(state=VersionState.DRAFT).first()
    if draft is None:
        number = (ProgrammeVersion.objects.aggregate(m=Max("number"))["m"] or 0) + 1
        draft = ProgrammeVersion(number=number, created_by=actor)
    else:
        edit_version_claim(draft, expected=expected_version)
    draft.text = text
    draft.change_summary = _clean(change_summary)[:TEXT_MAX]
    draft.save()
    _audit(actor, "programme.saved", draft, number=draft.number)
    return draft


@transaction.atomic
def programme_approve(*, actor, version: ProgrammeVersion) -> ProgrammeVersion:
    """The quality director approves the programme's draft: frozen forever."""
    _require(actor, access.P_PROGRAMME_APPROVE)
    version = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != VersionState.DRAFT:
        raise ValidationError(_("This version is already approved."))
    if not version.change_summary:
        raise ValidationError({"change_summary": _("Summarise what changed in this version.")})
    version.state = VersionState.APPROVED
    version.approved_by = actor
    version.approved_at = timezone.now()
    version.save(update_fields=["state", "approved_by", "approved_at"])
    _audit(actor, "programme.approved", version, number=version.number)
    return version


# --- The programme's four-monthly review --------------------------------------------------------


@transaction.atomic
def programme_review_record(*, actor, note: str) -> ProgrammeVersion:
    """Record the four-monthly review that found nothing to change: the text in
    force approved again as a new version marked "reviewed without changes",
    with `note` saying what was reviewed and with whom. Refused while a draft is
    open (approve the draft instead: it records the review with its changes)."""
    _require(actor, access.P_PROGRAMME_APPROVE)
    note = _clean(note)
    if not note:
        raise ValidationError({"note": _("Write what was reviewed and with whom.")})
    if len(note) > TEXT_MAX:
        raise ValidationError({"note": _("The text is too long.")})
    # Lock the versions: two directors recording at once make one version each, in turn.
    versions = list(ProgrammeVersion.objects.select_for_update().order_by("-number"))
    if any(v.state == VersionState.DRAFT for v in versions):
        raise ValidationError(_("A draft of the programme is open: approve it, and its approval records the review."))
    current = next((v for v in versions if v.state == VersionState.APPROVED), None)
    if current is None:
        raise ValidationError(_("There is no approved programme to review yet."))
    version = ProgrammeVersion.objects.create(
        number=versions[0].number + 1, state=VersionState.APPROVED, text=current.text, change_summary=note,
        is_review_only=True, created_by=actor, approved_by=actor, approved_at=timezone.now(),
    )
    _audit(actor, "programme.reviewed", version, number=version.number)
    return version


# --- Follow-up reports ------------------------------------------------------------------------


@transaction.atomic
def followup_report_create(*, actor, period_start: dt.date, period_end: dt.date) -> FollowupReport:
    """Start the follow-up report of a period with its figures compiled now."""
    _require(actor, access.P_PROGRAMME_MANAGE)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if FollowupReport.objects.filter(period_start=period_start, period_end=period_end).exists():
        raise ValidationError({"period_start": _("There is already a report for this period.")})
    report = FollowupReport(period_start=period_start, period_end=period_end, created_by=actor)
    report.figures = compile_figures(actor=actor, period_start=period_start, period_end=period_end)
    report.compiled_at = timezone.now()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError({"period_start": _("There is already a report for this period.")}) from None
    _audit(actor, "followup.created", report, period=f"{period_start}..{period_end}")
    return report


def _lock_draft(report: FollowupReport) -> FollowupReport:
    report = FollowupReport.objects.select_for_update().get(pk=report.pk)
    if report.state != ReportState.DRAFT:
        raise ValidationError(_("An approved report cannot be changed."))
    return report


@transaction.atomic
def followup_report_recompile(*, actor, report: FollowupReport) -> FollowupReport:
    """Compile the figures again (a draft only)."""
    _require(actor, access.P_PROGRAMME_MANAGE)
    report = _lock_draft(report)
    report.figures = compile_figures(actor=actor, period_start=report.period_start, period_end=report.period_end)
    report.compiled_at = timezone.now()
    report.save(update_fields=["figures", "compiled_at"])
    _audit(actor, "followup.recompiled", report)
    return report


@transaction.atomic
def followup_report_findings_save(*, actor, report: FollowupReport, findings: str, measures: str) -> FollowupReport:
    """The management group's findings and the measures decided, beside the figures."""
    _require(actor, access.P_PROGRAMME_MANAGE)
    report = _lock_draft(report)
    if len(_clean(findings)) > TEXT_MAX or len(_clean(measures)) > TEXT_MAX:
        raise ValidationError(_("The text is too long."))
    report.findings = _clean(findings)
    report.measures = _clean(measures)
    report.save(update_fields=["findings", "measures"])
    _audit(actor, "followup.findings_saved", report)
    return report


@transaction.atomic
def followup_report_approve(*, actor, report: FollowupReport) -> FollowupReport:
    """The quality director approves the report (it no longer changes)."""
    _require(actor, access.P_PROGRAMME_APPROVE)
    report = _lock_draft(report)
    if not report.findings or not report.measures:
        raise ValidationError(_("Write the findings and the measures decided before approving."))
    report.state = ReportState.APPROVED
    report.approved_by = actor
    report.approved_at = timezone.now()
    report.save(update_fields=["state", "approved_by", "approved_at"])
    _audit(actor, "followup.approved", report)
    return report


@transaction.atomic
def followup_report_publish(*, actor, report: FollowupReport) -> FollowupReport:
    """Publish an approved report on the public site."""
    _require(actor, access.P_PROGRAMME_APPROVE)
    report = FollowupReport.objects.select_for_update().get(pk=report.pk)
    if report.state != ReportState.APPROVED:
        raise ValidationError(_("Only an approved report can be published."))
    report.state = ReportState.PUBLISHED
    report.published_at = timezone.now()
    report.save(update_fields=["state", "published_at"])
    _audit(actor, "followup.published", report)
    return report


# --- The four-monthly job ------------------------------------------------------------------------


def followup_reports_prepare(today: dt.date | None = None) -> int:
    """In a review month (January, May, October by default), compile the draft
    follow-up report of the period that just ended and tell the quality
    directors and the management group. Exactly once: the report's unique
    period is the claim, so a second worker's insert fails and sends nothing.
    Returns the number of messages queued."""
    from omavalvonta.notifications.services import notification_enqueue
    from omavalvonta.organisation.models import Role

    today = today or timezone.localdate()
    if today.month not in rhythm.review_months():
        return 0
    start, end = rhythm.group_period(today)
    if FollowupReport.objects.filter(period_start=start, period_end=end).exists():
        return 0
    directors = list(
        access_people.memberships_of([Role.QUALITY_DIRECTOR], organisation_wide=True)
        .select_related("user").order_by("user_id")
    )
    if not directors:
        return 0
    compiler = directors[0].user
    sent = 0
    try:
        with transaction.atomic():
            report = FollowupReport.objects.create(
                period_start=start, period_end=end, created_by=compiler, compiled_at=timezone.now(),
                figures=compile_figures(actor=compiler, period_start=start, period_end=end),
            )
            _audit(None, "followup.compiled_by_job", report)
            people = {m.user for m in directors}
            people |= {
                m.user for m in access_people.memberships_of([Role.MANAGEMENT_GROUP]).select_related("user")
            }
            for person in sorted(people, key=lambda u: u.pk):
                notification_enqueue(
                    kind="plans.followup_compiled",
                    recipient=person,
                    subject=_("Self-supervision follow-up %(start)s–%(end)s: figures compiled") % {
                        "start": fi_date(start), "end": fi_date(end),
                    },
                    body=_("Write the management group's findings and the measures decided beside the figures."),
                    link=report.get_absolute_url(),
                )
                sent += 1
    except IntegrityError:  # another worker compiled it first
        return 0
    return sent


# Remind this many days before a compiled report's publication is due.
PUBLISH_REMIND_DAYS = 14


def _programme_people():
    """The quality directors (organisation-wide) and the management group."""
    from omavalvonta.organisation.models import Role

    rows = (
        (
            access_people.memberships_of([Role.QUALITY_DIRECTOR], organisation_wide=True)
            | access_people.memberships_of([Role.MANAGEMENT_GROUP])
        )
        .select_related("user")
        .order_by("user_id")
    )
    return list({m.user_id: m.user for m in rows}.values())


def followup_reports_remind(today: dt.date | None = None) -> int:
    """The findings are published every four months: a compiled report still
    unpublished PUBLISH_REMIND_DAYS before its publication is due (the end of
    its review month) is reminded to the quality directors and the management
    group once, and once more, not held for a digest, when it is late. Each
    notice is claimed with a conditional UPDATE, so it goes out once even with
    several workers. Returns the number of messages queued."""
    from omavalvonta.notifications.services import notification_enqueue

    today = today or timezone.localdate()
    now = timezone.now()
    sent = 0
    people = None
    for report in FollowupReport.objects.exclude(state=ReportState.PUBLISHED).without_figures().order_by("period_end", "id"):
        due = report.publication_due
        if today > due and report.publish_late_at is None:
            claim, late = "publish_late_at", True
        elif today >= due - dt.timedelta(days=PUBLISH_REMIND_DAYS) and report.publish_reminded_at is None and today <= due:
            claim, late = "publish_reminded_at", False
        else:
            continue
        with transaction.atomic():
            if not FollowupReport.objects.filter(pk=report.pk, **{f"{claim}__isnull": True}).update(**{claim: now}):
                continue
            people = people if people is not None else _programme_people()
            values = {"report": str(report), "due": fi_date(due)}
            for person in people:
                notification_enqueue(
                    kind="plans.followup_late" if late else "plans.followup_unpublished",
                    recipient=person,
                    digestible=not late,
                    subject=(_("Late: %(report)s was due to be published by %(due)s") if late
                             else _("Publish %(report)s by %(due)s")) % values,
                    body=_("The management group's findings and the measures decided are published every four "
                           "months. Approve and publish the report."),
                    link=report.get_absolute_url(),
                )
                sent += 1
            _audit(None, "followup.publication_late" if late else "followup.publication_reminded", report,
                   due=due.isoformat())
    return sent
