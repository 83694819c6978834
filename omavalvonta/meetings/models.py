"""Meetings and their minutes: the unit's monthly team meeting, the supervisor's
review with their own manager, and the management group.

Every write goes through `services`, every read through `selectors`."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.models import EditVersioned
from omavalvonta.organisation.access import UnitScopedQuerySet


class MeetingKind(models.TextChoices):
    TEAM = "team", _("Team meeting")
    SUPERVISOR_REVIEW = "supervisor_review", _("Supervisor's review")
    MANAGEMENT_GROUP = "management_group", _("Management group meeting")


# Kinds held for one unit (the others meet at group level).
UNIT_KINDS = (MeetingKind.TEAM, MeetingKind.SUPERVISOR_REVIEW)


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    MINUTES_CLOSED = "minutes_closed", _("Minutes closed")


class Meeting(models.Model):
    """One meeting and its minutes (pöytäkirja).

    `unit` is required for the unit's team meeting and the supervisor's review.
    It is null only for the management group: the group's leadership meets at
    group level about every unit at once, so no one unit owns the meeting. Such
    meetings are seen by management group members and the quality director only
    (see `selectors.meeting_get`)."""

    unit = models.ForeignKey(
        "organisation.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("unit"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.TEAM)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online meeting"), default=False)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_meetings", verbose_name=_("chair")
    )
    state = models.CharField(_("state"), max_length=16, choices=MeetingState.choices, default=MeetingState.PLANNED)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="meetings_attended", verbose_name=_("participants")
    )
    absentees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="meetings_missed", verbose_name=_("absentees")
    )
    guests = models.TextField(_("guests"), blank=True)
    contains_new_instructions = models.BooleanField(_("contains new instructions"), default=False)
    closed_at = models.DateTimeField(_("minutes closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="management_group") & Q(unit__isnull=True))
                | (~Q(kind="management_group") & Q(unit__isnull=False)),
                name="meeting_unit_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "-starts_at"]),
            models.Index(fields=["kind", "-starts_at"]),
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.state == MeetingState.MINUTES_CLOSED


class AgendaItemKind(models.TextChoices):
    DEVIATION = "deviation", _("Deviation")
    FEEDBACK_REPORT = "feedback_report", _("Feedback report")
    GUIDANCE = "guidance", _("Guidance")
    ACTION_DUE = "action_due", _("Action due")
    PLAN_REVIEW = "plan_review", _("Plan review")
    OTHER = "other", _("Other")


class AgendaItem(EditVersioned):
    """One item on a meeting's agenda and, in the minutes, its decision.

    `source` points at what put the item on the agenda (a deviation, an action,
    guidance...); items the chair adds have none. The deviations on the items of
    closed minutes are what `selectors` leave off the next agenda."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting"))
    # Copied from the meeting (null for the management group, like the meeting).
    unit = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaItemKind.choices, default=AgendaItemKind.OTHER)
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        indexes = [
            models.Index(fields=["meeting", "order"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.meeting_id]) + f"#item-{self.pk}"
