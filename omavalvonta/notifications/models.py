"""The notification outbox. Every message the product sends (e-mail and in-app)
is first a row here, written in the same transaction as the change that caused
it; the `worker` command delivers due rows with retries and backoff."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    NOT_EMAILED = "not_emailed", _("In the product only")
    # Waiting for the recipient's daily or weekly digest (see DigestPreference).
    HELD = "held", _("Held for the digest")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # For recipients outside the product (a county's address); else the user's.
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=64)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    in_app = models.BooleanField(default=True)
    state = models.CharField(max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["recipient", "in_app", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.kind} → {self.email or self.recipient_id}"


class DigestFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Each message at once")
    DAILY = "daily", _("A daily digest")
    WEEKLY = "weekly", _("A weekly digest (Mondays)")


class DigestPreference(models.Model):
    """How a person wants their reminder e-mails: each at once, or gathered into
    one digest a day or a week. Only messages queued as `digestible` (reminders,
    not urgent notices) wait for the digest; the in-app copy is shown at once.
    `last_sent_at` is also the digest's claim: a worker sends a digest only if
    its conditional update of this row succeeds."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="digest_preference"
    )
    frequency = models.CharField(
        _("reminder e-mails"), max_length=12, choices=DigestFrequency.choices, default=DigestFrequency.IMMEDIATE
    )
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user_id}: {self.frequency}"
