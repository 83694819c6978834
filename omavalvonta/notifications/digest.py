"""Daily and weekly digests: a person may gather their reminder e-mails into one
message a day (at 7) or a week (Mondays at 7) instead of one e-mail each.

Reminders are queued with `notification_enqueue(..., digestible=True)`; for a
person who chose a digest their e-mail row waits as `held` (the in-app copy is
shown at once). The `notifications.digests` job then sends one digest per
person and period. Exactly once: the digest is claimed by a conditional update
of the person's DigestPreference.last_sent_at, in the same transaction as the
held rows are marked sent and the digest row is queued."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from omavalvonta.notifications.models import DeliveryState, DigestFrequency, DigestPreference, Notification
from omavalvonta.notifications.services import notification_enqueue

DIGEST_HOUR = 7  # local time
DIGEST_MAX_LINES = 100


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("Reminder e-mails"), choices=DigestFrequency.choices, widget=forms.RadioSelect,
        help_text=gettext_lazy("Urgent notices always come at once. Every message is also in the product's messages."),
    )


def digest_frequency(*, user) -> str:
    pref = DigestPreference.objects.filter(user=user).first()
    return pref.frequency if pref else DigestFrequency.IMMEDIATE


@transaction.atomic
def digest_preference_set(*, actor, frequency: str) -> DigestPreference:
    """The actor's own choice. Back to "each at once": whatever waits for a digest
    is sent now (released to the outbox), so nothing is lost."""
    if frequency not in DigestFrequency.values:
        raise ValidationError({"frequency": _("Choose how you want the reminder e-mails.")})
    pref, _created = DigestPreference.objects.get_or_create(user=actor)
    pref.frequency = frequency
    pref.save(update_fields=["frequency"])
    if frequency == DigestFrequency.IMMEDIATE:
        Notification.objects.filter(recipient=actor, state=DeliveryState.HELD).update(
            state=DeliveryState.PENDING, next_attempt_at=timezone.now()
        )
    return pref


def _period_start(frequency: str, local_now: dt.datetime) -> dt.datetime:
    """When the current digest period began: today at 7, or this week's Monday at 7."""
    day = local_now.date()
    if frequency == DigestFrequency.WEEKLY:
        day -= dt.timedelta(days=day.weekday())
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(DIGEST_HOUR)), local_now.tzinfo)
    if local_now < start:  # before 7 in the morning: the previous period's start
        start -= dt.timedelta(days=7 if frequency == DigestFrequency.WEEKLY else 1)
    return start


def notifications_send_digests(*, now: dt.datetime | None = None) -> int:
    """Send the digests that are due. Returns how many digests were queued."""
    now = now or timezone.now()
    local_now = timezone.localtime(now)
    held = Notification.objects.filter(recipient_id=OuterRef("user_id"), state=DeliveryState.HELD)
    prefs = (
        DigestPreference.objects.filter(frequency__in=[DigestFrequency.DAILY, DigestFrequency.WEEKLY])
        .filter(Exists(held))
        .select_related("user")
        .order_by("user_id")
    )
    sent = 0
    for pref in prefs:
        start = _period_start(pref.frequency, local_now)
        with transaction.atomic():
            claimed = (
                DigestPreference.objects.filter(pk=pref.pk)
                .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lt=start))
                .update(last_sent_at=now)
            )
            if not claimed:  # this period's digest is out (or another worker is sending it)
                continue
            rows = list(
                Notification.objects.filter(recipient_id=pref.user_id, state=DeliveryState.HELD).order_by(
                    "created_at", "id"
                )
            )
            if not rows:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in rows], state=DeliveryState.HELD).update(
                state=DeliveryState.SENT, sent_at=now, last_error=""
            )
            lines = []
            for n in rows[:DIGEST_MAX_LINES]:
                lines.append(f"- {n.subject}")
                if n.link:
                    lines.append(f"  {settings.SITE_URL}{n.link}")
            if len(rows) > DIGEST_MAX_LINES:
                lines.append(_("…and %(count)s more in the product's messages.") % {"count": len(rows) - DIGEST_MAX_LINES})
            notification_enqueue(
                recipient=pref.user,
                kind="digest",
                subject=_("Your reminders (%(count)s)") % {"count": len(rows)},
                body=_("Reminders since your last digest:") + "\n\n" + "\n".join(lines),
                link="/ilmoitukset/",
                in_app=False,
            )
            sent += 1
    return sent
