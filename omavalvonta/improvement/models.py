"""Corrective and development actions: one concept, one table, whatever the
source (a deviation, feedback, guidance, a risk, an audit, a plan review, a meeting)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.models import Authored, EditVersioned, LabelledByNumber, SourceLinked, TargetLinked
from omavalvonta.organisation.access import UnitScopedQuerySet


class ActionKind(models.TextChoices):
    CORRECTIVE = "corrective", _("Corrective action")
    DEVELOPMENT = "development", _("Development action")


class ActionState(models.TextChoices):
    OPEN = "open", _("Open")
    # Done by the owner, but a serious risk's fix counts only once it is seen to work.
    AWAITING_CHECK = "awaiting_check", _("Awaiting effectiveness check")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# States in which an action still needs someone's work.
ACTIVE_STATES = (ActionState.OPEN, ActionState.AWAITING_CHECK)


class SourceKind(models.TextChoices):
    DEVIATION = "deviation", _("Deviation")
    FEEDBACK = "feedback", _("Client feedback")
    GUIDANCE = "guidance", _("Guidance from an authority")
    RISK = "risk", _("Risk assessment")
    AUDIT = "audit", _("Audit or self-assessment")
    COMPLAINT = "complaint", _("Client's complaint")
    PLAN_REVIEW = "plan_review", _("Plan review")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")


class Effectiveness(models.TextChoices):
    YES = "yes", _("Yes, it worked")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No, it did not work")


class Action(EditVersioned, SourceLinked, Authored):
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="actions", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=16, choices=ActionKind.choices, default=ActionKind.CORRECTIVE)
    # Where the action came from, also when no record is linked (an audit on paper).
    source_kind = models.CharField(_("source"), max_length=16, choices=SourceKind.choices, default=SourceKind.OTHER)
    plan_goal = models.ForeignKey(
        "improvement.PlanGoal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("action plan goal"),
    )
    title = models.CharField(_("what is done"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions", verbose_name=_("owner")
    )
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=16, choices=ActionState.choices, default=ActionState.OPEN)
    completion_note = models.TextField(_("what was done"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Effectiveness check: set for corrective actions of a serious or very serious
    # risk. Completing such an action waits in awaiting_check until, from
    # effectiveness_due on, someone records whether it worked.
    needs_effectiveness_check = models.BooleanField(_("needs an effectiveness check"), default=False)
    effectiveness_due = models.DateField(_("effectiveness check from"), null=True, blank=True)
    effectiveness = models.CharField(_("did it work?"), max_length=8, choices=Effectiveness.choices, blank=True)
    effectiveness_evidence = models.TextField(_("evidence"), blank=True)
    effectiveness_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    effectiveness_checked_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("why cancelled"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Reminder claims: each set once by a conditional UPDATE (... WHERE x IS NULL),
    # so a second run or a second worker never sends the same reminder again.
    # Cleared when the due date moves or the action is reopened.
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    effectiveness_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["unit", "state", "due_date"]),
            models.Index(fields=["owner", "state", "due_date"]),
        ]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.state == ActionState.OPEN and self.due_date < timezone.localdate()

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def check_is_due(self) -> bool:
        """Awaiting its effectiveness check, and the check may be recorded now."""
        return (
            self.state == ActionState.AWAITING_CHECK
            and self.effectiveness_due is not None
            and self.effectiveness_due <= timezone.localdate()
        )


class Acknowledgement(TargetLinked, LabelledByNumber):
    """A staff member's confirmation (kuittaus) that they have read a decision or a
    new instruction: meeting minutes, guidance turned into instructions. One row per
    person per target; requested_at when asked, acknowledged_at when confirmed."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements")
    reason = models.CharField(_("why"), max_length=200, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reminded_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id", "user"], name="one_acknowledgement_per_person")
        ]
        indexes = [
            models.Index(fields=["user", "acknowledged_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")


class LogEntry(SourceLinked, Authored, LabelledByNumber):
    """One entry of the self-supervision log (omavalvontaloki): an observed
    deviation or shortcoming, the reaction, the planned correction and its
    follow-up. Arises from meeting and handler decisions, or is written directly."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="log_entries", verbose_name=_("unit"))
    observed_on = models.DateField(_("observed on"), default=timezone.localdate)
    observation = models.TextField(_("what was observed"))
    reaction = models.TextField(_("reaction"), blank=True)
    planned_correction = models.TextField(_("planned correction"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    followed_up_at = models.DateTimeField(null=True, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-observed_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "-observed_on"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        verbose_name = _("self-supervision log entry")
        verbose_name_plural = _("self-supervision log entries")


# --- The unit's action plan (toimintasuunnitelma) ------------------------------------------------


class ActionPlan(Authored):
    """A unit's yearly action plan: development goals, measures, owners and
    indicators, made with the whole team and followed up every four months."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="action_plans", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("participants")
    )
    other_participants = models.TextField(_("other participants"), blank=True)
    made_on = models.DateField(_("made on"), null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit__name", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_action_plan_per_unit_and_year")]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self):
        return f"{self.unit} {self.year}"


class GoalArea(models.TextChoices):
    CLIENT_EXPERIENCE = "client_experience", _("Client experience")
    QUALITY = "quality", _("Quality and client safety")
    STAFF_WELLBEING = "staff_wellbeing", _("Staff wellbeing plan")
    OTHER = "other", _("Other development")


class PlanGoal(EditVersioned):
    """One development goal of an action plan, with its measures, owner and indicator."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    area = models.CharField(_("area"), max_length=24, choices=GoalArea.choices, default=GoalArea.OTHER)
    description = models.TextField(_("goal"))
    measures = models.TextField(_("measures"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "area", "id"]
        verbose_name = _("action plan goal")
        verbose_name_plural = _("action plan goals")

    def __str__(self):
        return self.description[:80]


class GoalPrompt(SourceLinked, Authored):
    """A finding that prompted (or steers) a goal of the unit's action plan: a
    deviation, an audit finding, a complaint, feedback. The record is kept by kind
    and id (this area imports no other), with a label snapshot that names no child
    and no reporter, so the plan's follow-up lists its prompts without reading
    the other areas; their pages open through registry.GOAL_PROMPTS."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="prompts")
    source_kind = models.CharField(_("source"), max_length=16, choices=SourceKind.choices)
    label = models.CharField(_("what prompted the goal"), max_length=300)
    started_goal = models.BooleanField(_("the goal was started from it"), default=False)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["goal", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "source_type", "source_id"], name="one_prompt_per_goal_and_record")
        ]
        indexes = [models.Index(fields=["source_type", "source_id"])]
        verbose_name = _("goal prompt")
        verbose_name_plural = _("goal prompts")

    def __str__(self):
        return self.label


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    DELAYED = "delayed", _("Delayed")
    DONE = "done", _("Done")


class GoalFollowUp(LabelledByNumber):
    """The recorded status of one goal in one period of the year (`period` is the
    index of core.rhythm.periods(): 1 = T1...)."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="follow_ups")
    period = models.PositiveSmallIntegerField(_("period"))
    status = models.CharField(_("status"), max_length=12, choices=GoalStatus.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["goal", "period"]
        constraints = [models.UniqueConstraint(fields=["goal", "period"], name="one_follow_up_per_goal_and_period")]
        verbose_name = _("goal follow-up")
        verbose_name_plural = _("goal follow-ups")


class PlanFollowUpReminder(LabelledByNumber):
    """The claim of one follow-up reminder: the plan's supervisors were asked, once
    per plan and period, to record the goals' follow-ups. The unique constraint is
    the claim: a second run or a second worker fails to insert and sends nothing."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="follow_up_reminders")
    period = models.PositiveSmallIntegerField(_("period"))
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="one_follow_up_reminder_per_plan_and_period")
        ]
        verbose_name = _("follow-up reminder")
        verbose_name_plural = _("follow-up reminders")
