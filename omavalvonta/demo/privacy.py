"""Demo retention: the table at its defaults (no setting of the DPO's: the
page shows each default with its source), and this month's destruction run
proposed for the data-protection officer to preview. What falls due in the
demo is the delivered notifications of more than a year ago (the outbox keeps
one year), so the history gets a few of them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.organisation.models import Membership, Role
from omavalvonta.privacy import retention

OLD_MESSAGES = 8


@transaction.atomic
def build(*, log=print, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    people = list(
        Membership.objects.filter(role__in=(Role.SUPERVISOR, Role.EMPLOYEE), user__is_active=True)
        .order_by("pk").values_list("user_id", flat=True)[:OLD_MESSAGES]
    )
    old = []
    for i, person_id in enumerate(people):
        sent = now - dt.timedelta(days=400 + 9 * i)
        old.append(Notification(
            recipient_id=person_id, kind="demo.old_reminder", subject="Muistutus: tiimipalaveri huomenna",
            body="Tiimipalaveri pidetään huomenna klo 13.", state=DeliveryState.SENT, created_at=sent, sent_at=sent,
            next_attempt_at=sent,
        ))
    Notification.objects.bulk_create(old)
    last_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    run = retention.propose(today=timezone.localdate(now))
    # The DPO's notice of the run is in the product (the bell); the worker starts
    # without a backlog to mail.
    Notification.objects.filter(pk__gt=last_notification, state=DeliveryState.PENDING).update(
        state=DeliveryState.SENT, sent_at=now
    )
    items = run.items.count() if run else 0
    log(f"  retention: a destruction run of {items} records proposed")
    return {"records in the proposed destruction run": items}
