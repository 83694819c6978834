"""Reminders and escalation of data-subject requests (the worker's job), like
the other duties: the data-protection officers hear of an open request
REMIND_DAYS_BEFORE days before its due date (or at once, when it is registered
late), and once it is past due the escalation goes one level up, to the
management group (the administrators when there is none) with the DPOs. Each
goes out once per request and due date: the claim row (SubjectRequestNotice)
commits with the outbox rows, so two workers never send one twice; an
extension's new due date is reminded again."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.services import audit_event_record
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access_people
from omavalvonta.organisation.models import Role
from omavalvonta.privacy.deadlines import REMIND_DAYS_BEFORE
from omavalvonta.privacy.models import OPEN_STATUSES, SubjectRequest, SubjectRequestNotice

REMINDER = "reminder"
ESCALATION = "escalation"
JOB_BATCH = 500


def _dpos() -> list:
    return list(access_people.people_holding([Role.DATA_PROTECTION_OFFICER]).order_by("full_name", "pk"))


def _above() -> list:
    above = list(access_people.people_holding([Role.MANAGEMENT_GROUP]).order_by("full_name", "pk"))
    return above or list(access_people.people_holding([Role.ADMINISTRATOR]).order_by("full_name", "pk"))


def _claim(request, kind, now, recipients) -> bool:
    try:
        with transaction.atomic():
            SubjectRequestNotice.objects.create(
                request=request, kind=kind, due_on=request.due_on, sent_at=now, recipients=[p.pk for p in recipients]
            )
    except IntegrityError:
        return False
    return True


def _send(request, kind, recipients, now) -> int:
    values = {"kind": request.get_kind_display(), "number": request.pk, "date": fi_date(request.due_on)}
    with transaction.atomic():
        if not _claim(request, kind, now, recipients):
            return 0
        for person in recipients:
            if kind == REMINDER:
                subject = _("Due by %(date)s: data-subject request %(number)s (%(kind)s)") % values
                body = _("Data-subject request %(number)s (%(kind)s) must be answered by %(date)s.") % values
            else:
                subject = _("Late: data-subject request %(number)s (%(kind)s, due %(date)s)") % values
                body = _(
                    "Data-subject request %(number)s (%(kind)s) was due by %(date)s and has not been answered. "
                    "The law gives no more time."
                ) % values
            # The request's page: no name of the person concerned travels in e-mail.
            notification_enqueue(
                recipient=person, kind=f"subject_request.{kind}", subject=subject, body=body,
                link=reverse("privacy:request", args=[request.pk]), digestible=kind == REMINDER,
            )
        audit_event_record(
            actor=None, verb=f"subject_request.{'reminded' if kind == REMINDER else 'escalated'}",
            target=request, recipients=[p.pk for p in recipients],
        )
    return len(recipients)


def subject_requests_remind(*, now: dt.datetime | None = None) -> int:
    """Queue the reminders and escalations whose day has come. Returns
    notifications queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        SubjectRequest.objects.filter(status__in=OPEN_STATUSES, due_on__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE))
        .order_by("due_on", "pk")[:JOB_BATCH]
    )
    due = list(due)
    if not due:
        return 0
    claimed = set(
        SubjectRequestNotice.objects.filter(request__in=due).values_list("request_id", "kind", "due_on")
    )
    dpos = above = None
    sent = 0
    for request in due:
        for kind in (REMINDER, ESCALATION):
            if (request.pk, kind, request.due_on) in claimed or (kind == ESCALATION and request.due_on >= today):
                continue
            if dpos is None:
                dpos, above = _dpos(), _above()
            recipients = dpos if kind == REMINDER else list({p.pk: p for p in above + dpos}.values())
            if recipients:
                sent += _send(request, kind, recipients, now)
    return sent
