"""Deviation reports (poikkeamailmoitukset), their routing, attachments and the
statutory notifications they cause. Corrective actions live in `improvement`."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.attachments import random_name
from omavalvonta.core.models import EditVersioned, LabelledByNumber
from omavalvonta.deviations.choices import Kind, NotificationRecipient
from omavalvonta.organisation.access import UnitScopedQuerySet
from omavalvonta.organisation.risk import Consequence, Likelihood, RiskLevel  # noqa: F401 (re-exported)


class State(models.TextChoices):
    # The counter on the home page says the same: "waiting for handling".
    SUBMITTED = "submitted", _("Waiting for handling")
    IN_HANDLING = "in_handling", _("In handling")
    ACTIONS_DECIDED = "actions_decided", _("Actions decided")
    CLOSED = "closed", _("Closed")


# The open states by name: a filter on them uses the (state, ...) index, where
# "not closed" reads every report.
OPEN_STATE_VALUES = [s for s in State.values if s != State.CLOSED]


class MedicationStage(models.TextChoices):
    PRESCRIBING = "prescribing", _("Prescribing")
    DISPENSING = "dispensing", _("Dispensing")
    GIVING = "giving", _("Giving")
    RECORDING = "recording", _("Recording")


class ViolenceTarget(models.TextChoices):
    CHILD = "child", _("A child or young person")
    STAFF = "staff", _("Staff")
    OTHER = "other", _("Someone else")
    PROPERTY = "property", _("Property")


class InstructionFollowed(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NO_INSTRUCTION = "no_instruction", _("There is no instruction")


class Deviation(EditVersioned):
    """One report. Unit-scoped: every read goes through `objects.for_actor`."""

    access_kind_field = "kind"

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="deviations", verbose_name=_("unit")
    )
    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SUBMITTED)

    # Common core
    occurred_at = models.DateTimeField(_("when it happened"))
    location = models.CharField(_("where"), max_length=200, blank=True)
    description = models.TextField(_("what happened"))
    immediate_actions = models.TextField(_("immediate actions"), blank=True)
    affected_child = models.BooleanField(_("a child or young person"), default=False)
    affected_staff = models.BooleanField(_("staff"), default=False)
    affected_other = models.BooleanField(_("someone else"), default=False)
    improvement_proposal = models.TextField(_("proposal for improvement"), blank=True)

    # Type-specific details (blank unless the type asks for them)
    medication_stage = models.CharField(
        _("stage of the medication process"), max_length=16, choices=MedicationStage.choices, blank=True
    )
    medication_substance = models.CharField(_("medicine or substance"), max_length=200, blank=True)
    violence_target = models.CharField(_("directed at"), max_length=16, choices=ViolenceTarget.choices, blank=True)
    injury = models.BooleanField(_("someone was injured"), default=False)
    restraint_used = models.BooleanField(_("physical restraint was used"), default=False)
    data_concerned = models.CharField(_("what data and which system"), max_length=300, blank=True)
    personal_data_breach = models.BooleanField(_("possible personal-data breach"), default=False)
    medication_harm = models.BooleanField(_("the child was harmed or needed care"), default=False)

    # Signs of a serious event (Sote-valvontalaki § 28), any type of report
    child_missing = models.BooleanField(_("a child or young person is missing"), default=False)
    reported_serious = models.BooleanField(_("the reporter marked it serious"), default=False)
    # The keys of law.SERIOUS_EVENT_CRITERIA the report met when it was submitted.
    serious_reasons = models.JSONField(_("why it is a serious event"), default=list, blank=True)

    # Reporter: stored unless anonymous; shown only to those with deviation.view_reporter
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reported_deviations"
    )
    is_anonymous = models.BooleanField(_("reported anonymously"), default=False)
    followup_code_digest = models.CharField(max_length=64, blank=True, db_index=True)
    # HMAC of the idempotency key a browser sent with the report (the offline
    # queue): the same key is accepted once, so a report sent twice is stored once.
    submission_digest = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    # Handling
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_deviations",
        verbose_name=_("handler"),
    )
    consequence = models.PositiveSmallIntegerField(_("consequence"), choices=Consequence.choices, null=True, blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood of recurrence"), choices=Likelihood.choices, null=True, blank=True
    )
    risk_level = models.CharField(_("risk level"), max_length=12, choices=RiskLevel.choices, blank=True)
    is_critical = models.BooleanField(_("critical (requires notifying the county)"), default=False)
    contributing_factors = models.TextField(_("contributing factors"), blank=True)
    analysis = models.TextField(_("analysis"), blank=True)
    for_team_meeting = models.BooleanField(_("handle in the next team meeting"), default=False)
    answer = models.TextField(_("answer to the reporter"), blank=True)
    # The programme's three handling questions (services/decisions.py), answered
    # before the report can be closed; decisions_at says they were.
    instruction_followed = models.CharField(
        _("was the instruction followed"), max_length=16, choices=InstructionFollowed.choices, blank=True
    )
    instruction_must_change = models.BooleanField(_("the instruction must change"), null=True, blank=True)
    outside_party_needed = models.BooleanField(_("an outside party is needed"), null=True, blank=True)
    outside_party = models.CharField(_("which outside party"), max_length=200, blank=True)
    decisions_at = models.DateTimeField(_("handling questions answered"), null=True, blank=True)

    # Times
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    handling_due_at = models.DateTimeField(_("handling must start by"))
    due_date = models.DateField(_("handling target date"))
    handling_started_at = models.DateTimeField(null=True, blank=True)
    classified_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The statutory notification clock (law.NotificationDuty): due when it started,
    # done when every recipient the duty names was notified, late-alerted once.
    notification_due_at = models.DateTimeField(_("statutory notification due"), null=True, blank=True)
    notification_done_at = models.DateTimeField(_("statutory notification done"), null=True, blank=True)
    notification_late_at = models.DateTimeField(null=True, blank=True)
    # Why a § 29 grievance was closed while its corrective actions were still open.
    uncorrected_close_reason = models.TextField(_("why closed before the correction"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "-submitted_at", "-id"]),
            models.Index(fields=["unit", "state", "-submitted_at"]),
            models.Index(fields=["reporter", "-submitted_at", "-id"]),
            models.Index(fields=["handler", "state"]),
            models.Index(fields=["state", "handling_due_at"]),
            models.Index(fields=["-submitted_at", "-id"]),
            # Counts of open reports read from this index alone (a list filtered on
            # the open states, by unit and kind, or reported or handled by the
            # reader); the home page's figures read the running counts (ReportCount).
            models.Index(
                fields=["state", "unit", "due_date", "for_team_meeting"],
                include=["kind", "reporter", "handler"],
                condition=models.Q(state__in=OPEN_STATE_VALUES),
                name="deviation_open_scope_counts",
            ),
            # The running § 28 clocks (home page): a handful among every report.
            models.Index(
                fields=["notification_due_at"],
                condition=models.Q(notification_due_at__isnull=False, notification_done_at__isnull=True),
                name="deviation_clock_running",
            ),
            # The reports that stand out at the top of the list (selectors.
            # deviation_priority_list): the open grievances, critical reports and
            # serious events, a few hundred among half a million. It carries what the
            # list's scope and order read, so that a region's priority reports are
            # found in it alone (a heap fetch per report made it 6 ms, 0.2 ms now).
            models.Index(
                fields=["submitted_at", "id"],
                include=["unit", "reporter", "handler", "kind", "notification_due_at", "notification_done_at"],
                condition=models.Q(state__in=OPEN_STATE_VALUES)
                & (models.Q(kind="grievance") | models.Q(is_critical=True) | models.Q(notification_due_at__isnull=False)),
                name="deviation_priority_covered",
            ),
        ]
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")

    def __str__(self):
        return f"{self.number} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.state != State.CLOSED

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()

    @property
    def is_serious(self) -> bool:
        """Met a § 28 serious-event criterion when it was submitted (law.py)."""
        return bool(self.serious_reasons)

    @property
    def statutory_duty(self):
        """The law.NotificationDuty of this report, or None."""
        from omavalvonta.deviations.law import duty_for

        return duty_for(self)

    @property
    def requires_statutory_notification(self) -> bool:
        return self.statutory_duty is not None

    @property
    def notification_is_late(self) -> bool:
        """The § 28 clock ran out before every recipient was notified."""
        if self.notification_due_at is None:
            return False
        done = self.notification_done_at or timezone.now()
        return done > self.notification_due_at

    @property
    def stands_out(self) -> bool:
        """A § 29 grievance, a critical report or a § 28 serious event: shown
        first and marked in the handlers' lists."""
        return self.kind == Kind.GRIEVANCE or self.is_critical or self.notification_due_at is not None

    @property
    def identity_protected(self) -> bool:
        """§ 29 reporters and anonymous reporters are never shown to colleagues."""
        return self.is_anonymous or self.kind == Kind.GRIEVANCE


class ReportCount(models.Model):
    """How many reports there are per unit (no unit: in the whole organisation),
    kind, state, team-meeting mark and handling target date, so that a director's
    figures sum a few hundred rows instead of reading every open report (issue 13).

    A row is a delta (n +1 or -1) or a sum of them. Database triggers on the
    reports' table add the deltas in the transaction of every insert, delete and
    change of those five fields, whoever writes (a service, a job's update, a
    bulk insert, retention): report_counts.py holds their SQL, installs them
    after every migrate and rebuilds the rows when it had to. Its daily
    `report_counts_compact` sums the rows per key and folds every date before
    the day into the day before (a date in the past stays in the past)."""

    # (unit, state) is indexed below: the key's own index is not needed.
    unit = models.ForeignKey("organisation.Unit", null=True, on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    state = models.CharField(max_length=20, choices=State.choices)
    for_team_meeting = models.BooleanField()
    due_date = models.DateField()
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["unit", "state"], name="report_count_unit_state")]

    def __str__(self):
        return f"{self.unit_id or '*'} {self.kind} {self.state} {self.due_date}: {self.n:+d}"


def attachment_path(instance, filename):
    # A random name: never the uploader's file name, nor the report's number.
    return random_name("deviations", filename)


class Attachment(LabelledByNumber):
    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="attachments")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]


class HandlerAssignment(LabelledByNumber):
    """Who handles which type of report in a unit. Without a row, the unit's
    supervisor handles it."""

    access_kind_field = "kind"

    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="handler_assignments")
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices)
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("handler"))

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="one_handler_per_unit_kind")]


class NotificationPurpose(models.TextChoices):
    NOTIFICATION = "notification", _("Statutory notification")
    ESCALATION = "escalation", _("Escalation of an uncorrected shortcoming")


class StatutoryNotification(LabelledByNumber):
    """A notification the law requires: to the purchasing county and its lead
    official (§ 28/§ 29), or an escalation to the supervisory authority.
    Frozen once sent: who sent what, to whom, when."""

    deviation = models.ForeignKey(Deviation, on_delete=models.PROTECT, related_name="statutory_notifications")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    recipient_kind = models.CharField(max_length=16, choices=NotificationRecipient.choices)
    purpose = models.CharField(max_length=16, choices=NotificationPurpose.choices, default=NotificationPurpose.NOTIFICATION)
    legal_basis = models.CharField(max_length=80, blank=True)
    recipient_name = models.CharField(max_length=200)
    recipient_email = models.EmailField()
    subject = models.CharField(max_length=250)
    body = models.TextField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    correction_due = models.DateField(null=True, blank=True)
    outbox = models.ForeignKey(
        "notifications.Notification", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The county the message went to (its notification address, its lead official
    # or a child's social worker there); None for the supervisory authority. The
    # county's own view and API read a county's notifications by it
    # (organisation.access_county).
    county = models.ForeignKey(
        "organisation.WellbeingCounty", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["county", "-sent_at", "-id"], name="notification_county_sent")]


class MessageDirection(models.TextChoices):
    TO_REPORTER = "to_reporter", _("To the reporter")
    FROM_REPORTER = "from_reporter", _("From the reporter")


class DeviationMessage(LabelledByNumber):
    """One message between the handler and the reporter while the report is open:
    a question to the reporter, or the reporter's answer or added information
    (named in the product, anonymous with the follow-up code)."""

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="messages")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(max_length=16, choices=MessageDirection.choices)
    # The handler who asked, or the named reporter; None for an anonymous reporter.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["deviation", "created_at"])]

    @property
    def to_reporter(self) -> bool:
        return self.direction == MessageDirection.TO_REPORTER


# --- Who was informed ---------------------------------------------------------------


class InformedParty(models.TextChoices):
    CHILD = "child", _("The child or young person")
    GUARDIAN = "guardian", _("Parent or guardian")
    SOCIAL_WORKER = "social_worker", _("The child's social worker")
    LICENSING_AUTHORITY = "licensing_authority", _("The licensing and supervisory authority")
    POLICE = "police", _("Police")


class InformedRecord(LabelledByNumber):
    """Who was informed of the event, when and by whom (the handler records it on
    the report page): the child, a parent or guardian, the child's social worker,
    the licensing authority, the police. Replaces the report's lone "police were
    called" tick (migration 0010 turned each tick into a police row dated the
    day of the event, informer not recorded)."""

    deviation = models.ForeignKey(Deviation, on_delete=models.CASCADE, related_name="informed")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    party = models.CharField(_("who was informed"), max_length=24, choices=InformedParty.choices)
    informed_on = models.DateField(_("informed on"))
    # Free text: the one who informed need not have an account (a night nurse, the
    # on-call social worker, the police themselves).
    informed_by = models.CharField(_("informed by"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["informed_on", "id"]
        indexes = [models.Index(fields=["deviation", "informed_on"])]
        verbose_name = _("informed party")
        verbose_name_plural = _("informed parties")


# --- Proposals to change an instruction ---------------------------------------------


class ProposalState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class InstructionProposal(LabelledByNumber):
    """"The instruction must change": the handler's proposal to the person
    responsible for the instruction (holding instruction.decide over the unit),
    tracked to a decision like guidance. Outlives the report it came from (the
    link empties when the report is destroyed by retention)."""

    deviation = models.ForeignKey(
        Deviation, null=True, blank=True, on_delete=models.SET_NULL, related_name="instruction_proposals"
    )
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    instruction = models.CharField(_("which instruction"), max_length=300)
    proposal = models.TextField(_("proposed change"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible for the decision")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    state = models.CharField(_("state"), max_length=12, choices=ProposalState.choices, default=ProposalState.PROPOSED)
    decision_note = models.TextField(_("decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        indexes = [
            models.Index(fields=["responsible", "state", "proposed_at"]),
            models.Index(fields=["unit", "state", "-proposed_at"]),
            models.Index(fields=["state", "proposed_at"]),
        ]
        verbose_name = _("proposal to change an instruction")
        verbose_name_plural = _("proposals to change an instruction")

    @property
    def is_open(self) -> bool:
        return self.state == ProposalState.PROPOSED
