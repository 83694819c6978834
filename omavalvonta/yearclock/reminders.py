"""The quality calendar's background job: reminders before a duty is due and
escalation after, each sent once (a claim row committed with its outbox rows)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.services import audit_event_record
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access_people
from omavalvonta.organisation.models import Role
from omavalvonta.organisation.selectors import unit_managers
from omavalvonta.yearclock.models import (
    NoticeKind,
    Occurrence,
    OccurrenceNotice,
    OccurrenceState,
)
from omavalvonta.yearclock.services import JOB_BATCH
from omavalvonta.yearclock.template_checks import REMIND_MAX_DAYS

# --- Reminders and escalation (the background job) ---------------------------------------------


def _claim(occurrence: Occurrence, kind: str, now, recipients: list) -> bool:
    """Insert the notice row: True for the one caller whose insert succeeds. A
    savepoint keeps a lost race from breaking the caller's transaction."""
    try:
        with transaction.atomic():
            OccurrenceNotice.objects.create(
                occurrence=occurrence, kind=kind, sent_at=now, recipients=[p.pk for p in recipients]
            )
    except IntegrityError:
        return False
    return True


# What each notice tells: the notification's kind, the audit event, the subject
# and the body, which name the duty's %(title)s, %(unit)s, %(date)s and %(owner)s.
_NOTICES = {
    NoticeKind.REMINDER: (
        "obligation.reminder", "obligation.reminded", gettext_lazy("Due by %(date)s: %(title)s, %(unit)s"),
        gettext_lazy(
            "The quality calendar duty “%(title)s” of %(unit)s is due by %(date)s. "
            "Mark it done with its evidence in the quality calendar."
        ),
    ),
    NoticeKind.ESCALATION: (
        "obligation.late", "obligation.escalated", gettext_lazy("Late: %(title)s, %(unit)s (due %(date)s)"),
        gettext_lazy(
            "The quality calendar duty “%(title)s” of %(unit)s was due by %(date)s and has "
            "not been marked done. Owner: %(owner)s."
        ),
    ),
}


def _tell_once(occurrence: Occurrence, notice: str, now, recipients: list, *, owner: str = "", **options) -> int:
    """Claim the notice of kind `notice` and queue what it tells (_NOTICES) to
    each of `recipients`, linked to the duty, with its audit event: claim and
    outbox rows commit together, so the notice goes out exactly once. `options`
    go to notification_enqueue. Returns notifications queued (none when the
    claim was lost)."""
    kind, verb, subject, body = _NOTICES[notice]
    words = {
        "title": occurrence.template.title, "unit": occurrence.unit.name, "date": fi_date(occurrence.due_date),
        "owner": owner,
    }
    with transaction.atomic():
        if not _claim(occurrence, notice, now, recipients):
            return 0
        for person in recipients:
            notification_enqueue(
                recipient=person, kind=kind, subject=str(subject) % words, body=str(body) % words,
                link=reverse("yearclock:detail", args=[occurrence.pk]), **options,
            )
        audit_event_record(
            actor=None, verb=verb, target=occurrence, unit=occurrence.unit, recipients=[p.pk for p in recipients]
        )
    return len(recipients)


def _unit_leaders(unit_id: int) -> list:
    people = (
        access_people.memberships_of([Role.SUPERVISOR, Role.RESPONSIBLE_PERSON], unit=unit_id)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    return list({m.user_id: m.user for m in people}.values())


def _quality_directors() -> list:
    people = (
        access_people.memberships_of([Role.QUALITY_DIRECTOR], organisation_wide=True)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    return list({m.user_id: m.user for m in people}.values())


def _without_notice(kind: str):
    return ~Exists(OccurrenceNotice.objects.filter(occurrence=OuterRef("pk"), kind=kind))


def obligations_remind(*, now: dt.datetime | None = None) -> int:
    """Remind the owner of each open duty whose reminder day has come (the
    template's days before the due date), once. Returns notifications queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        Occurrence.objects.filter(
            state=OccurrenceState.OPEN,
            due_date__gte=today,
            due_date__lte=today + dt.timedelta(days=REMIND_MAX_DAYS),
            template__is_active=True,
            unit__is_active=True,
        )
        .filter(_without_notice(NoticeKind.REMINDER))
        .select_related("template", "unit", "owner")
        .order_by("due_date", "id")
    )
    sent = 0
    for occurrence in due[:JOB_BATCH]:
        if (occurrence.due_date - today).days > occurrence.template.remind_days_before:
            continue
        owner = occurrence.owner if occurrence.owner_id and occurrence.owner.is_active else None
        recipients = [owner] if owner else _unit_leaders(occurrence.unit_id)
        # A reminder may wait for the person's daily or weekly digest; an escalation (below) never does.
        sent += _tell_once(occurrence, NoticeKind.REMINDER, now, recipients, digestible=True)
    return sent


def obligations_escalate(*, now: dt.datetime | None = None) -> int:
    """Tell the owner's own manager (the unit's responsible person and the
    region's regional director, as deviations escalate) about each duty still
    open after its due date, once; the quality director when there is nobody.
    Returns notifications queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    late = (
        Occurrence.objects.filter(
            state=OccurrenceState.OPEN, due_date__lt=today, template__is_active=True, unit__is_active=True
        )
        .filter(_without_notice(NoticeKind.ESCALATION))
        .select_related("template", "unit", "owner")
        .order_by("due_date", "id")
    )
    sent = 0
    for occurrence in late[:JOB_BATCH]:
        recipients = unit_managers(unit=occurrence.unit, exclude_user_id=occurrence.owner_id) or _quality_directors()
        owner_name = occurrence.owner.full_name if occurrence.owner_id else _("nobody named")
        sent += _tell_once(occurrence, NoticeKind.ESCALATION, now, recipients, owner=owner_name)
    return sent


def obligations_remind_and_escalate(*, now: dt.datetime | None = None) -> int:
    """The periodic job: reminders, then escalations."""
    return obligations_remind(now=now) + obligations_escalate(now=now)
