"""Writes to the outbox and its delivery. Callers enqueue inside their own
transaction: the row commits with the change that caused it, or not at all."""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from omavalvonta.notifications.models import DeliveryState, Notification

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
CLAIM_SECONDS = 120


def notification_enqueue(
    *,
    kind: str,
    subject: str,
    body: str,
    recipient=None,
    email: str = "",
    link: str = "",
    send_email: bool = True,
    in_app: bool | None = None,
) -> Notification:
    """Queue one message. `recipient` (a user) gets it in the product and by
    e-mail; `email` alone addresses someone outside the product (a county).
    The worker delivers it after the surrounding transaction commits."""
    if recipient is None and not email:
        raise ValueError("A notification needs a recipient or an e-mail address.")
    address = email or (recipient.email if recipient is not None else "")
    return Notification.objects.create(
        recipient=recipient,
        email=address,
        kind=kind,
        subject=subject[:250],
        body=body,
        link=link,
        in_app=recipient is not None if in_app is None else in_app,
        state=DeliveryState.PENDING if (send_email and address) else DeliveryState.NOT_EMAILED,
    )


def notification_mark_read(*, actor, notification: Notification) -> None:
    """Mark one of the actor's own in-app notifications read."""
    if notification.recipient_id != actor.pk:
        raise PermissionError("Not your notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notification_mark_all_read(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, in_app=True, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _backoff(attempts: int) -> dt.timedelta:
    # 1, 2, 4, 8 ... minutes, at most six hours between tries.
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _claim_batch(limit: int) -> list[int]:
    """Claim up to `limit` due rows so that no other worker sends them.

    PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, then mark them claimed.
    SQLite (one writer at a time): a conditional UPDATE per row does the same.
    """
    now = timezone.now()
    due = Q(state=DeliveryState.PENDING, next_attempt_at__lte=now) | Q(
        state=DeliveryState.SENDING, claimed_until__lt=now
    )
    with transaction.atomic():
        qs = Notification.objects.filter(due).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            ids = list(qs.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
            Notification.objects.filter(id__in=ids).update(
                state=DeliveryState.SENDING, claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS)
            )
            return ids
        claimed = []
        for pk in qs.values_list("id", flat=True)[:limit]:
            if Notification.objects.filter(due, pk=pk).update(
                state=DeliveryState.SENDING, claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS)
            ):
                claimed.append(pk)
        return claimed


def notifications_send_due(*, limit: int = 50) -> int:
    """Send the due e-mails once. Returns how many were sent. A failure is kept
    for a later retry with backoff; after MAX_ATTEMPTS the row is marked failed."""
    sent = 0
    for pk in _claim_batch(limit):
        n = Notification.objects.get(pk=pk)
        try:
            link = f"\n\n{settings.SITE_URL}{n.link}" if n.link else ""
            EmailMessage(subject=n.subject, body=n.body + link, to=[n.email]).send(fail_silently=False)
        except Exception as exc:  # any transport error: keep the row and retry
            n.attempts += 1
            n.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            n.state = DeliveryState.FAILED if n.attempts >= MAX_ATTEMPTS else DeliveryState.PENDING
            n.next_attempt_at = timezone.now() + _backoff(n.attempts)
            n.claimed_until = None
            n.save(update_fields=["attempts", "last_error", "state", "next_attempt_at", "claimed_until"])
            log.warning("Notification %s not sent (attempt %s): %s", n.pk, n.attempts, n.last_error)
        else:
            n.attempts += 1
            n.state = DeliveryState.SENT
            n.sent_at = timezone.now()
            n.claimed_until = None
            n.save(update_fields=["attempts", "state", "sent_at", "claimed_until"])
            sent += 1
    return sent
