"""The guidance deadline job: a reminder before a response is due and an
escalation after it is missed, each sent once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.lib.workdays import add_working_days
from omavalvonta.core.services import audit_event_record
from omavalvonta.guidance import selectors
from omavalvonta.guidance.models import (
    PENDING_STATES,
    Guidance,
)
from omavalvonta.guidance.services import _date, detail_link
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation.models import Role

# How many working days before a deadline the reminder goes out (settings may override).
DEFAULT_REMINDER_WORKING_DAYS = 5
JOB_BATCH = 500


# --- The deadline job ----------------------------------------------------------------------


def reminder_working_days() -> int:
    return int(getattr(settings, "GUIDANCE_REMINDER_WORKING_DAYS", DEFAULT_REMINDER_WORKING_DAYS))


def _regional_directors(guidance: Guidance) -> list:
    units = selectors.guidance_units(guidance=guidance)
    return selectors.people_with_role_covering(
        units=units, all_units=guidance.applies_to_all_units, roles=[Role.REGIONAL_DIRECTOR]
    )


def _claim(guidance: Guidance, field: str, now) -> bool:
    """Set `field` (reminded_at / escalated_at) if still empty and the item still
    pending: one conditional UPDATE, so two workers never both win."""
    return bool(
        Guidance.objects.filter(pk=guidance.pk, state__in=PENDING_STATES, **{f"{field}__isnull": True}).update(
            **{field: now}
        )
    )


def _send(people, *, kind: str, subject: str, body: str, guidance: Guidance) -> list[int]:
    sent = []
    for person in {p.pk: p for p in people if p is not None and p.is_active}.values():
        notification_enqueue(recipient=person, kind=kind, subject=subject, body=body, link=detail_link(guidance))
        sent.append(person.pk)
    return sent


def guidance_deadlines_check(*, now: dt.datetime | None = None) -> int:
    """Background job (hourly). For pending items with a deadline:

    * N working days before it (GUIDANCE_REMINDER_WORKING_DAYS, default 5) the
      assignee and the quality directors are reminded, once per item;
    * when the deadline has passed, the quality directors and the regional
      directors of the affected units are told (escalation), once per item.

    Each item is claimed with a conditional UPDATE on `reminded_at` /
    `escalated_at` in its own transaction. Returns how many messages went out
    (items reminded + escalated)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    remind_until = add_working_days(today, reminder_working_days())
    due_reminders = _with_deadline(deadline__gte=today, deadline__lte=remind_until, reminded_at__isnull=True)
    overdue = _with_deadline(deadline__lt=today, escalated_at__isnull=True)
    return _each_claimed(due_reminders, "reminded_at", now, _remind) + _each_claimed(overdue, "escalated_at", now, _escalate)


def _with_deadline(**filters):
    """The pending items with a deadline, of `filters`, the nearest deadline first (a batch)."""
    return (
        Guidance.objects.pending()
        .filter(deadline__isnull=False, **filters)
        .select_related("assignee", "authority", "county")
        .order_by("deadline", "id")[:JOB_BATCH]
    )


def _each_claimed(items, field: str, now, handle) -> int:
    """`handle(guidance)` for each of `items` that `_claim` still wins on `field`,
    each in its own transaction. Returns how many."""
    done = 0
    for guidance in items:
        with transaction.atomic():
            if not _claim(guidance, field, now):
                continue
            handle(guidance)
            done += 1
    return done


def _facts(guidance: Guidance) -> dict:
    """What the deadline messages say of the item."""
    return {
        "sender": guidance.sender,
        "date": _date(guidance.deadline),
        "title": guidance.title,
        "state": guidance.get_state_display(),
    }


def _remind(guidance: Guidance) -> None:
    recipients = [guidance.assignee, *selectors.quality_directors(guidance=guidance)]
    sent = _send(
        recipients,
        kind="guidance.deadline_reminder",
        subject=_("Deadline %(date)s: %(title)s") % {"date": _date(guidance.deadline), "title": guidance.title[:150]},
        body=_(
            "The deadline of this item from %(sender)s is %(date)s.\n\n%(title)s\nState: %(state)s"
        )
        % _facts(guidance),
        guidance=guidance,
    )
    audit_event_record(actor=None, verb="guidance.reminded", target=guidance, unit=guidance.unit, recipients=sent)


def _escalate(guidance: Guidance) -> None:
    recipients = [*selectors.quality_directors(guidance=guidance), *_regional_directors(guidance)]
    assignee = guidance.assignee.full_name if guidance.assignee_id else _("nobody named")
    sent = _send(
        recipients,
        kind="guidance.deadline_missed",
        subject=_("Deadline missed: %(title)s") % {"title": guidance.title[:150]},
        body=_(
            "The deadline %(date)s of this item from %(sender)s has passed without an approved "
            "response.\n\n%(title)s\nState: %(state)s\nResponsible: %(assignee)s"
        )
        % {**_facts(guidance), "assignee": assignee},
        guidance=guidance,
    )
    audit_event_record(actor=None, verb="guidance.escalated", target=guidance, unit=guidance.unit, recipients=sent)
