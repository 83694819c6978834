"""Background job: remind a risk's owner (or the unit's leaders) that the risk
is due for review, REVIEW_REMINDER_DAYS before its next review date, once per
date. The claim is a RiskReviewReminder row inserted in the same transaction as
the outbox rows."""

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
from omavalvonta.risks.models import Risk, RiskReviewReminder

REVIEW_REMINDER_DAYS = 14
BATCH = 500


def _leaders(unit_id: int) -> list:
    rows = (
        access_people.memberships_of([Role.SUPERVISOR, Role.RESPONSIBLE_PERSON], unit=unit_id)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    return list({m.user_id: m.user for m in rows}.values())


def risk_reviews_remind(*, now: dt.datetime | None = None) -> int:
    """Queue the review reminders that are due. Returns how many notifications."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (
        Risk.objects.filter(
            is_active=True, unit__is_active=True, next_review__isnull=False,
            next_review__lte=today + dt.timedelta(days=REVIEW_REMINDER_DAYS),
        )
        .exclude(Exists(RiskReviewReminder.objects.filter(risk=OuterRef("pk"), review_date=OuterRef("next_review"))))
        .select_related("unit", "owner")
        .order_by("next_review", "id")
    )
    sent = 0
    for risk in due[:BATCH]:
        recipients = [risk.owner] if risk.owner_id and risk.owner.is_active else _leaders(risk.unit_id)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    RiskReviewReminder.objects.create(risk=risk, review_date=risk.next_review, sent_at=now)
            except IntegrityError:
                continue  # another worker claimed it
            date = fi_date(risk.next_review)
            for person in recipients:
                notification_enqueue(
                    recipient=person,
                    kind="risk.review_due",
                    subject=_("Risk review due by %(date)s: %(title)s, %(unit)s")
                    % {"date": date, "title": risk.title, "unit": risk.unit.name},
                    body=_("Review the risk “%(title)s” of %(unit)s by %(date)s: is its level right, do its controls work?")
                    % {"date": date, "title": risk.title, "unit": risk.unit.name},
                    link=reverse("risks:detail", args=[risk.pk]),
                    digestible=True,
                )
                sent += 1
            audit_event_record(actor=None, verb="risk.review_reminded", target=risk, unit=risk.unit,
                               recipients=[p.pk for p in recipients])
    return sent
