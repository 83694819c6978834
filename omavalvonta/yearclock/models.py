"""The quality calendar (laadun vuosikello): group-level obligation templates and
the occurrences they generate for each unit.

A template says what recurs (a risk assessment, a plan review...), when (one set
of months a year) and for which units. `services.occurrences_generate` turns
templates into per-unit occurrences with a due date (the last day of the month)
and an owner resolved from the template's owner role. An occurrence is done with
evidence: a note, a file, or a generic link to the record that fulfils it.

Every write goes through `services`, every read through `selectors`."""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.attachments import random_name
from omavalvonta.core.models import EditVersioned, LabelledByNumber
from omavalvonta.organisation.access import UnitScopedQuerySet


class ObligationKind(models.TextChoices):
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    INTERNAL_AUDIT = "internal_audit", _("Internal audit")
    EXTERNAL_AUDIT = "external_audit", _("External audit")
    PLAN_REVIEW = "plan_review", _("Self-supervision plan review")
    FEEDBACK_ROUND = "feedback_round", _("Feedback round")
    SAFETY_DRILL = "safety_drill", _("Fire and safety drill")
    CONTINUITY_REVIEW = "continuity_review", _("Continuity plan review")
    ACTION_PLAN_FOLLOW_UP = "action_plan_follow_up", _("Action plan follow-up")
    SUPERVISOR_REVIEW = "supervisor_review", _("Supervisor's review with the manager")
    OTHER = "other", _("Other duty")


class Recurrence(models.TextChoices):
    YEARLY = "yearly", _("Once a year")
    EVERY_N_MONTHS = "every_n_months", _("Every few months")
    SPECIFIC_MONTHS = "specific_months", _("In chosen months")
    TWICE_A_MONTH = "twice_a_month", _("Twice a month")


# Intervals that divide the year evenly: the months then repeat every year alike.
INTERVAL_CHOICES = [(1, _("every month")), (2, _("every two months")), (3, _("every three months")),
                    (4, _("every four months")), (6, _("every six months"))]


class UnitScope(models.TextChoices):
    ALL = "all", _("All units")
    SERVICE_TYPE = "service_type", _("Units of chosen service types")
    CHOSEN = "chosen", _("Chosen units")


class OwnerRole(models.TextChoices):
    SUPERVISOR = "supervisor", _("The unit's supervisor")
    RESPONSIBLE_PERSON = "responsible_person", _("The unit's responsible person")
    REGIONAL_DIRECTOR = "regional_director", _("The region's regional director")


class ObligationTemplate(EditVersioned):
    """A recurring quality duty at group level, edited by the quality director."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=ObligationKind.choices)
    description = models.TextField(_("description"), blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=20, choices=Recurrence.choices)
    start_month = models.PositiveSmallIntegerField(_("month (first month)"), default=1)
    interval_months = models.PositiveSmallIntegerField(_("interval"), default=12)
    months = models.JSONField(_("months"), default=list, blank=True)
    owner_role = models.CharField(_("owner"), max_length=32, choices=OwnerRole.choices, default=OwnerRole.SUPERVISOR)
    remind_days_before = models.PositiveSmallIntegerField(_("reminder (days before the due date)"), default=14)
    unit_scope = models.CharField(_("applies to"), max_length=16, choices=UnitScope.choices, default=UnitScope.ALL)
    service_types = models.JSONField(_("service types"), default=list, blank=True)
    units = models.ManyToManyField("organisation.Unit", blank=True, related_name="+", verbose_name=_("units"))
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("obligation template")
        verbose_name_plural = _("obligation templates")

    def __str__(self):
        return self.title

    def month_set(self) -> list[int]:
        """The months (1..12) of the year in which this duty falls due."""
        if self.recurrence == Recurrence.YEARLY:
            return [self.start_month]
        if self.recurrence == Recurrence.EVERY_N_MONTHS:
            step = self.interval_months or 12
            first = (self.start_month - 1) % step + 1
            return list(range(first, 13, step))
        if self.recurrence == Recurrence.TWICE_A_MONTH:
            return list(range(1, 13))
        return sorted({int(m) for m in self.months or [] if 1 <= int(m) <= 12})

    def due_dates_in(self, year: int, month: int) -> list[dt.date]:
        """The due dates of the duty in one month of its schedule: the month's
        last day, and for a duty twice a month also the 15th."""
        if month not in self.month_set():
            return []
        if self.recurrence == Recurrence.TWICE_A_MONTH:
            return [dt.date(year, month, MID_MONTH_DAY), month_end(year, month)]
        return [month_end(year, month)]

    def schedule_label(self) -> str:
        from django.utils.formats import date_format

        names = [date_format(dt.date(2000, m, 1), "F") for m in self.month_set()]
        return ", ".join(names)


MID_MONTH_DAY = 15


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _stdlib_calendar.monthrange(year, month)[1])


class OccurrenceState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


def evidence_path(instance, filename):
    # A random name: never the uploader's file name (it may name a person).
    return random_name("vuosikello", filename)


class Occurrence(models.Model):
    """One unit's instance of a duty, due on `due_date`. Late = open past due."""

    template = models.ForeignKey(ObligationTemplate, on_delete=models.CASCADE, related_name="occurrences")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    due_date = models.DateField(_("due date"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="obligations",
        verbose_name=_("owner"),
    )
    state = models.CharField(_("state"), max_length=8, choices=OccurrenceState.choices, default=OccurrenceState.OPEN)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_note = models.TextField(_("note"), blank=True)
    evidence_file = models.FileField(_("file"), upload_to=evidence_path, blank=True)
    evidence_file_name = models.CharField(max_length=200, blank=True)
    # The record that fulfils the duty: a generic link (content type + id) with the
    # URL and a label kept as written, so a link survives the other app's changes.
    evidence_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_id = models.PositiveBigIntegerField(null=True, blank=True)
    evidence_url = models.CharField(max_length=300, blank=True)
    evidence_label = models.CharField(max_length=300, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "unit", "due_date"], name="occurrence_once_per_due_date")
        ]
        indexes = [
            models.Index(fields=["unit", "due_date"]),
            models.Index(fields=["state", "due_date"]),
            # The list of every duty in a director's scope is in due-date order: read
            # in that order, the database sorts only one date's rows by unit name.
            models.Index(fields=["due_date", "id"], name="occurrence_due_date_idx"),
        ]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")

    def __str__(self):
        return f"{self.template.title} {self.due_date:%m/%Y}"

    @property
    def is_done(self) -> bool:
        return self.state == OccurrenceState.DONE

    def is_late(self, today: dt.date | None = None) -> bool:
        return self.state == OccurrenceState.OPEN and self.due_date < (today or timezone.localdate())


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    ESCALATION = "escalation", _("Escalation")


class OccurrenceNotice(LabelledByNumber):
    """The claim of a reminder or escalation: unique per occurrence and kind, and
    inserted in the same transaction as the outbox rows, so it goes out once even
    with several workers."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["occurrence", "kind"], name="occurrence_notice_once")]


class DutyNotice(models.Model):
    """The claim of a reminder or escalation of a duty another area keeps
    (core.registry DUTY_SOURCES, e.g. a child's measurement due): unique per
    duty key and kind, committed with the outbox rows, so each goes out once
    even with several workers. The key names no client."""

    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    # None: an organisation-wide duty (the information-security plan's review).
    unit = models.ForeignKey("organisation.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "kind"], name="duty_notice_once")]
        indexes = [models.Index(fields=["due_on"], name="duty_notice_due_on")]

    def __str__(self):
        return f"{self.key} {self.kind}"
