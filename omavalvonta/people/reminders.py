"""The expiry reminders (the worker's job): before a current record runs out,
its person and the supervisors of the units they work in now hear of it, once
per record. The claim row (QualificationNotice, unique per record) commits with
the outbox rows, so two workers never send one twice. A person no longer on any
unit's staff (their membership ended) is not reminded; their records are kept."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.services import audit_event_record
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access_people
from omavalvonta.organisation.models import Role
from omavalvonta.people.models import QualificationNotice, QualificationRecord
from omavalvonta.people.selectors import STAFF_ROLES

EXPIRY = "expiry"
HORIZON_DAYS = 180  # the longest reminder a type may ask for
JOB_BATCH = 500


def _claim(record, now, recipients) -> bool:
    """Insert the notice row: True for the one caller whose insert succeeds."""
    try:
        with transaction.atomic():
            QualificationNotice.objects.create(record=record, kind=EXPIRY, sent_at=now, recipients=[p.pk for p in recipients])
    except IntegrityError:
        return False
    return True


def _recipients(record) -> list:
    """The person (while on some unit's staff) and the supervisors of their units."""
    memberships = access_people.memberships_of(STAFF_ROLES, user=record.person)
    unit_ids = list(memberships.values_list("unit_id", flat=True))
    if not unit_ids:
        return []
    leaders = (
        access_people.memberships_of([Role.SUPERVISOR], units=unit_ids)
        .exclude(user=record.person).select_related("user").order_by("user__full_name", "user_id")
    )
    people = [record.person] + [m.user for m in leaders]
    return list({p.pk: p for p in people}.values())


def _due(today):
    on_staff = access_people.memberships_of(STAFF_ROLES).filter(user_id=OuterRef("person_id"))
    return (
        QualificationRecord.objects.filter(
            is_current=True, type__is_active=True, person__is_active=True,
            valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=HORIZON_DAYS),
        )
        .filter(Exists(on_staff))
        .exclude(Exists(QualificationNotice.objects.filter(record=OuterRef("pk"), kind=EXPIRY)))
        .select_related("type", "person")
        .order_by("valid_until", "id")
    )


def qualifications_remind(*, now: dt.datetime | None = None) -> int:
    """Queue the expiry reminders whose day has come. Returns notifications queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for record in _due(today)[:JOB_BATCH]:
        if (record.valid_until - today).days > record.type.remind_days_before:
            continue
        recipients = _recipients(record)
        if not recipients:
            continue
        with transaction.atomic():
            # Claim and outbox rows commit together: the reminder goes out exactly once.
            if not _claim(record, now, recipients):
                continue
            for person in recipients:
                own = person.pk == record.person_id
                notification_enqueue(
                    recipient=person,
                    kind="competence.expiring",
                    subject=_("Expires %(date)s: %(type)s, %(person)s")
                    % {"date": fi_date(record.valid_until), "type": record.type.label, "person": record.person.full_name},
                    body=(
                        _("Your %(type)s expires on %(date)s. Renew it in time and show the new certificate to your supervisor.")
                        if own else
                        _("The %(type)s of %(person)s, a member of your unit's staff, expires on %(date)s.")
                    ) % {"type": record.type.label, "date": fi_date(record.valid_until), "person": record.person.full_name},
                    link=reverse("people:index"),
                    digestible=True,
                )
                sent += 1
            audit_event_record(
                actor=None, verb="qualification.reminded", target=record, unit=None, recipients=[p.pk for p in recipients]
            )
    return sent
