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
