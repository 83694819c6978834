"""Meetings and their minutes: the unit's monthly team meeting, the supervisor's
review with their own manager, the management group and the occupational safety
committee; and the children's own meetings of a unit (a short record).

Every write goes through `services`, every read through `selectors`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.models import Authored, EditVersioned, SourceLinked
from omavalvonta.organisation.access import UnitScopedQuerySet


class MeetingKind(models.TextChoices):
    TEAM = "team", _("Team meeting")
    SUPERVISOR_REVIEW = "supervisor_review", _("Supervisor's review")
    MANAGEMENT_GROUP = "management_group", _("Management group meeting")
    # Työsuojelutoimikunta: the provider's programme has threats, danger and
    # violence handled "tarvittaessa myös työsuojelutoimikunnassa" at group level.
    SAFETY_COMMITTEE = "safety_committee", _("Occupational safety committee")


# Kinds held for one unit (the others meet at group level).
UNIT_KINDS = (MeetingKind.TEAM, MeetingKind.SUPERVISOR_REVIEW)
# Kinds held at group level: no unit owns the meeting.
GROUP_KINDS = (MeetingKind.MANAGEMENT_GROUP, MeetingKind.SAFETY_COMMITTEE)


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    MINUTES_CLOSED = "minutes_closed", _("Minutes closed")


class Meeting(Authored):
    """One meeting and its minutes (pöytäkirja).

    `unit` is required for the unit's team meeting and the supervisor's review.
    It is null only for the group-level kinds (GROUP_KINDS): the management group
    and the occupational safety committee meet about every unit at once, so no
    one unit owns the meeting. Such meetings are seen by their audience only
    (`selectors.GROUP_AUDIENCE`, `selectors.meeting_get`)."""

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

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind__in=["management_group", "safety_committee"]) & Q(unit__isnull=True))
                | (~Q(kind__in=["management_group", "safety_committee"]) & Q(unit__isnull=False)),
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


class AgendaItem(EditVersioned, SourceLinked, Authored):
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
    title = models.CharField(_("title"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decision = models.TextField(_("decision"), blank=True)

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


class ChildrensMeetingKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly meeting")
    MONTHLY = "monthly", _("Monthly meeting")


class ChildrensMeeting(EditVersioned, Authored):
    """The children's (or young people's) own meeting of a unit, in short: when,
    what was talked about, what the children raised and what was decided. The
    provider's programme: the good-treatment practices are talked over "lasten
    viikko- ja kuukausikokouksissa" (meetings.rhythms). The topics feed the
    good-treatment plan (public): the form asks not to name a child."""

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="childrens_meetings", verbose_name=_("unit")
    )
    held_on = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=ChildrensMeetingKind.choices, default=ChildrensMeetingKind.WEEKLY
    )
    topics = models.TextField(_("topics"))
    children_raised = models.TextField(_("what the children raised"), blank=True)
    decisions = models.TextField(_("what was decided"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "-held_on"], name="childrens_meeting_unit_day")]
        verbose_name = _("children's meeting")
        verbose_name_plural = _("children's meetings")

    def __str__(self):
        from omavalvonta.core.lib.dates import fi_date

        return f"{self.get_kind_display()} {fi_date(self.held_on)}"

    def get_absolute_url(self):
        return reverse("meetings:childrens_edit", args=[self.pk])
