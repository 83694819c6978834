"""Corrective and development actions: one concept, one table, whatever the
source (a deviation, feedback, guidance, a risk, an audit, a plan review, a meeting)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.organisation.access import UnitScopedQuerySet


class ActionKind(models.TextChoices):
    CORRECTIVE = "corrective", _("Corrective action")
    DEVELOPMENT = "development", _("Development action")


class ActionState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Action(models.Model):
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="actions", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=16, choices=ActionKind.choices, default=ActionKind.CORRECTIVE)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    title = models.CharField(_("what is done"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions", verbose_name=_("owner")
    )
    due_date = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=12, choices=ActionState.choices, default=ActionState.OPEN)
    completion_note = models.TextField(_("what was done"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

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


class Acknowledgement(models.Model):
    """A staff member's confirmation (kuittaus) that they have read a decision or a
    new instruction: meeting minutes, guidance turned into instructions. One row per
    person per target; requested_at when asked, acknowledged_at when confirmed."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
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


class LogEntry(models.Model):
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
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-observed_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "-observed_on"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        verbose_name = _("self-supervision log entry")
        verbose_name_plural = _("self-supervision log entries")
