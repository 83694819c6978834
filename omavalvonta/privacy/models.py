"""The review of the access log.

The access log itself (`core.AccessLogEntry`) is append-only: nothing in the
application updates or deletes a row. A review is a row of its own beside the
entry: who looked at a flagged read, when, and what they concluded."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.models import Authored, EditVersioned, LabelledByNumber


class LogReview(LabelledByNumber):
    entry = models.OneToOneField("core.AccessLogEntry", on_delete=models.CASCADE, related_name="review")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("access log review")
        verbose_name_plural = _("access log reviews")


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


class SubjectRequest(LabelledByNumber):
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


class SubjectCompilation(LabelledByNumber):
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


class ItemAction(models.TextChoices):
    ERASE = "erase", _("Erase")
    RECTIFY = "rectify", _("Rectify")
    REFUSE = "refuse", _("Refuse")


class SubjectAction(models.Model):
    """The outcome of one item of a rectification or erasure request: erased or
    rectified through the owning area's service (core.registry SUBJECT_ACTIONS),
    or refused with its legal reason. Never the old or the new value."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.CASCADE, related_name="actions")
    area = models.CharField(max_length=60)
    key = models.CharField(max_length=80)
    title = models.CharField(_("item"), max_length=300)
    action = models.CharField(_("decision"), max_length=10, choices=ItemAction.choices)
    refusal_reason = models.CharField(_("legal reason for refusal"), max_length=20, choices=RefusalReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "area", "key"], name="privacy_subject_action_once")
        ]
        verbose_name = _("decision on an item")
        verbose_name_plural = _("decisions on items")

    def __str__(self):
        return f"{self.request_id} {self.area}:{self.key} {self.action}"


# --- Retention and logged destruction ----------------------------------------------------


class RetentionRule(models.Model):
    """The DPO's setting of one record type's retention period, when it differs
    from the default (privacy.retention_defaults). Without a row the default holds."""

    record_type = models.CharField(_("record type"), max_length=40, unique=True)
    months = models.PositiveSmallIntegerField(_("retention period in months"))
    basis = models.CharField(_("basis of the change"), max_length=500, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")

    def __str__(self):
        return f"{self.record_type}: {self.months}"


class LegalHold(models.Model):
    """A legal hold on one record, or on a whole case (a deviation report with
    its attachments): while it is not lifted, nothing it covers is destroyed."""

    record_type = models.CharField(_("record type"), max_length=40)
    record_id = models.PositiveBigIntegerField(_("identifier"))
    reason = models.CharField(_("reason"), max_length=500)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.CharField(_("reason for lifting"), max_length=500, blank=True)

    class Meta:
        ordering = ["-set_at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"], name="privacy_hold_record")]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"], condition=models.Q(lifted_at__isnull=True),
                name="privacy_hold_active_once",
            )
        ]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self):
        return f"{self.record_type} #{self.record_id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class RunState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved, waiting for the worker")
    DONE = "done", _("Destroyed")
    CANCELLED = "cancelled", _("Cancelled")


class DestructionRun(models.Model):
    """One month's proposal of what falls due. The DPO approves it (or cancels);
    the worker then destroys the approved run's records through their owners'
    services. `month` (the first day of the month) makes the proposal once a month."""

    month = models.DateField(unique=True)
    proposed_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(_("state"), max_length=12, choices=RunState.choices, default=RunState.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = _("destruction run")
        verbose_name_plural = _("destruction runs")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.month:%Y-%m}"


class ItemState(models.TextChoices):
    PENDING = "pending", _("To be destroyed")
    DESTROYED = "destroyed", _("Destroyed")
    HELD = "held", _("Kept: legal hold")
    GONE = "gone", _("Already gone")


class DestructionItem(models.Model):
    """One record of a run: its type, identifier and dates, never its content.
    The worker claims pending items row by row (select_for_update, skip_locked)."""

    run = models.ForeignKey(DestructionRun, on_delete=models.CASCADE, related_name="items")
    record_type = models.CharField(max_length=40)
    record_id = models.PositiveBigIntegerField()
    unit_id = models.PositiveBigIntegerField(null=True, blank=True)
    case_type = models.CharField(max_length=40, blank=True)
    case_id = models.PositiveBigIntegerField(null=True, blank=True)
    dated = models.DateField()
    due_on = models.DateField()
    state = models.CharField(max_length=12, choices=ItemState.choices, default=ItemState.PENDING)

    class Meta:
        ordering = ["record_type", "dated", "record_id"]
        indexes = [models.Index(fields=["run", "state"], name="privacy_item_run_state")]
        constraints = [
            models.UniqueConstraint(fields=["run", "record_type", "record_id"], name="privacy_item_once_per_run")
        ]

    def __str__(self):
        return f"{self.record_type} #{self.record_id}"


class DestructionRecord(models.Model):
    """The record that a record was destroyed: type, identifier, its dates, the
    approver and the run. Never the content."""

    record_type = models.CharField(_("record type"), max_length=40)
    record_id = models.PositiveBigIntegerField(_("identifier"))
    unit_id = models.PositiveBigIntegerField(null=True, blank=True)
    dated = models.DateField(_("period counted from"))
    due_on = models.DateField(_("due for destruction"))
    destroyed_at = models.DateTimeField(_("destroyed"), default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(DestructionRun, on_delete=models.PROTECT, related_name="records")

    class Meta:
        ordering = ["-destroyed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["record_type", "record_id"], name="privacy_destroyed_once")
        ]
        verbose_name = _("destruction record")
        verbose_name_plural = _("destruction records")

    def __str__(self):
        return f"{self.record_type} #{self.record_id}"


class NoticeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PrivacyNoticeVersion(EditVersioned, Authored):
    """One version of the privacy notice (tietosuojaseloste, GDPR arts. 13–14) of
    a register the product keeps (`privacy.notices.REGISTERS`), in Finnish and
    Swedish. One draft per register; publishing freezes it and puts it on the
    public site in place of the previous version."""

    register = models.CharField(_("register"), max_length=32)
    number = models.PositiveIntegerField()
    text_fi = models.TextField(_("text in Finnish"), blank=True)
    text_sv = models.TextField(_("text in Swedish"), blank=True)
    change_summary = models.CharField(_("what changed"), max_length=300, blank=True)
    state = models.CharField(max_length=16, choices=NoticeState.choices, default=NoticeState.DRAFT)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["register", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], name="privacy_notice_number_once"),
            models.UniqueConstraint(
                fields=["register"], condition=models.Q(state="draft"), name="privacy_notice_one_draft"
            ),
        ]
        verbose_name = _("privacy notice version")
        verbose_name_plural = _("privacy notice versions")

    def __str__(self):
        return f"{self.register} {self.number}"
