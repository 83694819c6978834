"""The review of the access log.

The access log itself (`core.AccessLogEntry`) is append-only: nothing in the
application updates or deletes a row. A review is a row of its own beside the
entry: who looked at a flagged read, when, and what they concluded."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LogReview(models.Model):
    entry = models.OneToOneField("core.AccessLogEntry", on_delete=models.CASCADE, related_name="review")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("access log review")
        verbose_name_plural = _("access log reviews")

    def __str__(self):
        return f"{self._meta.verbose_name} #{self.pk}"


# --- Data-subject requests (GDPR arts. 12-22) ------------------------------------------


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access to one's data (art. 15)")
    RECTIFICATION = "rectification", _("Rectification (art. 16)")
    ERASURE = "erasure", _("Erasure (art. 17)")
    RESTRICTION = "restriction", _("Restriction of processing (art. 18)")
    OBJECTION = "objection", _("Objection (art. 21)")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    REFUSED = "refused", _("Refused")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


class IdentityMethod(models.TextChoices):
    """How the requester's identity was verified. Never a copy of a document."""

    IN_PERSON = "in_person", _("In person, an identity document was shown")
    STRONG_AUTH = "strong_auth", _("Strong electronic identification")
    SIGNED_IN = "signed_in", _("Signed in to the product as themselves")
    KNOWN_CONTACT = "known_contact", _("Through contact details already on record")
    OTHER = "other", _("Another way (see the note)")


class RefusalReason(models.TextChoices):
    """The legal reasons a request may be refused (GDPR)."""

    UNFOUNDED = "unfounded", _("Manifestly unfounded (art. 12(5))")
    EXCESSIVE = "excessive", _("Excessive, in particular repetitive (art. 12(5))")
    IDENTITY = "identity", _("Identity could not be verified (arts. 11(2), 12(6))")
    OTHERS_RIGHTS = "others_rights", _("Would adversely affect the rights of others (art. 15(4))")
    LEGAL_OBLIGATION = "legal_obligation", _("Processing required by law (art. 17(3)(b))")
    LEGAL_CLAIMS = "legal_claims", _("Needed for legal claims (arts. 17(3)(e), 18(2), 21(1))")
    OTHER = "other", _("Another legal reason (see the note)")


class SubjectRequest(models.Model):
    """One data-subject request in the register. The person concerned is a
    person in the product or, for an outside person, a name as text."""

    kind = models.CharField(_("type of request"), max_length=16, choices=RequestKind.choices)
    received_on = models.DateField(_("received"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("person in the product"),
    )
    outside_name = models.CharField(_("or an outside person's name"), max_length=150, blank=True)
    identity_method = models.CharField(_("identity verified"), max_length=16, choices=IdentityMethod.choices)
    identity_note = models.CharField(_("how, in short"), max_length=300, blank=True)
    details = models.TextField(_("what the person asks"), max_length=2000, blank=True)
    due_on = models.DateField(_("due"))
    extension_months = models.PositiveSmallIntegerField(_("extended by months"), default=0)
    extension_notice_on = models.DateField(_("extension notice sent"), null=True, blank=True)
    extension_reasons = models.TextField(_("reasons for the extension"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    refusal_reason = models.CharField(_("legal reason for refusal"), max_length=20, choices=RefusalReason.choices, blank=True)
    refusal_note = models.CharField(_("refusal note"), max_length=500, blank=True)
    answered_on = models.DateField(_("answered"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["status", "due_on"], name="privacy_request_open_due")]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")

    def __str__(self):
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def subject_label(self) -> str:
        return self.person.full_name if self.person_id else self.outside_name


class SubjectRequestNotice(models.Model):
    """The claim row of a reminder or an escalation: once per request, kind and
    due date (an extension's new due date is reminded again), inserted in the
    transaction of its outbox rows, so two workers send it once."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16)
    due_on = models.DateField()
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "kind", "due_on"], name="privacy_request_notice_once")
        ]

    def __str__(self):
        return f"{self.kind} {self.request_id} {self.due_on}"


class SubjectCompilation(models.Model):
    """What the product held about the person of an access request when it was
    compiled: the areas' sections and who has read the data, with each
    redaction and its reason. Released only after the DPO reviewed it."""

    request = models.OneToOneField(SubjectRequest, on_delete=models.CASCADE, related_name="compilation")
    compiled_at = models.DateTimeField(default=timezone.now)
    compiled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sections = models.JSONField(default=list)
    seen = models.JSONField(default=list)
    redactions = models.JSONField(default=list)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.CharField(_("review note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("compilation of a person's data")
        verbose_name_plural = _("compilations of a person's data")

    def __str__(self):
        return f"{self._meta.verbose_name} #{self.pk}"
