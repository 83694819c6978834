"""Self-supervision plans (omavalvontasuunnitelma, Valvira regulation 1/2024),
good-treatment plans (hyvän kohtelun suunnitelma) of children's homes, the
group's self-supervision programme (omavalvontaohjelma) and its four-monthly
follow-up reports.

The shape
---------
* `SectionTemplate`: the default sections of a plan kind, with guidance for the
  writer. Organisation-wide; the quality director edits it. A required template
  section cannot be dropped from a unit's plan.
* `Plan`: one per unit and kind (self-supervision, good treatment). Holds the
  review rhythm: the next review date.
* `PlanVersion`: a numbered version of a plan, a draft or approved. An approved
  version is frozen forever: its sections, its summary of changes, the facts
  drawn from the product at approval (`facts`, a snapshot) and the approver.
  The next draft starts as a copy of the last approved version.
* `PlanSection`: a section of one version (copied from the template, then
  written by the unit).
* `ProgrammeVersion`: the group programme, versioned and approved the same way
  (by the quality director).
* `FollowupReport`: the four-monthly follow-up: figures compiled from the
  product's own data, the management group's findings and measures, approved
  and published by the quality director.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.models import Authored, EditVersioned
from omavalvonta.organisation.access import UnitScopedQuerySet


class PlanKind(models.TextChoices):
    SELF_SUPERVISION = "self_supervision", _("Self-supervision plan")
    GOOD_TREATMENT = "good_treatment", _("Good-treatment plan")


# The plan kinds in addresses (Finnish, as the rest of the product's paths).
KIND_BY_SLUG = {"omavalvontasuunnitelma": "self_supervision", "hyvan-kohtelun-suunnitelma": "good_treatment"}
SLUG_BY_KIND = {v: k for k, v in KIND_BY_SLUG.items()}


class LiveFact(models.TextChoices):
    """What the product fills into a section from its own data."""

    NONE = "", _("None (written text only)")
    UNIT_DETAILS = "unit_details", _("Provider and unit details")
    RESPONSIBLE_PERSONS = "responsible_persons", _("Responsible persons")
    REPORTING = "reporting", _("Reporting shortcomings and their handling")
    RISKS = "risks", _("Current risks and corrective actions")
    FEEDBACK = "feedback", _("Client feedback summary")
    INFORMATION_SYSTEMS = "information_systems", _("Critical information systems")
    RESTRICTIONS = "restrictions", _("Restrictive measures in the past year")
    EFFECTIVENESS = "effectiveness", _("Effectiveness: the children's change and measurement coverage")
    STAFFING = "staffing", _("Staff competence in figures")
    CHILDRENS_MEETINGS = "childrens_meetings", _("The children's meetings: how many and their topics")
    DOCUMENTS = "documents", _("Tracked documents: current versions and next dates")


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class SectionTemplate(EditVersioned):
    kind = models.CharField(_("plan"), max_length=20, choices=PlanKind.choices)
    key = models.SlugField(_("key"), max_length=60)
    number = models.CharField(_("number"), max_length=10, blank=True)
    title = models.CharField(_("heading"), max_length=200)
    guidance = models.TextField(_("guidance for the writer"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    live_fact = models.CharField(_("facts from the system"), max_length=24, choices=LiveFact.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["kind", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="plans_template_key_once")]
        verbose_name = _("section template")

    def __str__(self):
        return f"{self.number} {self.title}".strip()


class Plan(models.Model):
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="plans", verbose_name=_("unit"))
    kind = models.CharField(_("plan"), max_length=20, choices=PlanKind.choices)
    next_review_due = models.DateField(_("next review due"), null=True, blank=True)
    # Claim of the due-soon reminder for the current due date (set once per date).
    reminded_for = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__name", "kind"]
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="plans_plan_once_per_unit")]
        indexes = [models.Index(fields=["next_review_due"])]
        verbose_name = _("plan")

    def __str__(self):
        return f"{self.get_kind_display()} – {self.unit}"

    def get_absolute_url(self):
        return reverse("plans:plan", args=[self.unit_id, self.slug])

    @property
    def slug(self) -> str:
        return SLUG_BY_KIND[self.kind]

    def review_state(self, today=None) -> str:
        """"overdue", "due" (within REVIEW_DUE_SOON_DAYS), "ok" or "none" (never approved)."""
        if self.next_review_due is None:
            return "none"
        today = today or timezone.localdate()
        if self.next_review_due < today:
            return "overdue"
        if (self.next_review_due - today).days <= REVIEW_DUE_SOON_DAYS:
            return "due"
        return "ok"


REVIEW_DUE_SOON_DAYS = 21


class FrozenOnceApproved(models.Model):
    """A version (of a plan, of the programme) with a `state`: defence in depth
    behind the services, a row read as approved is never written again, whatever
    code tries (an approved version is a legal record)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if getattr(self, "_loaded_state", None) == VersionState.APPROVED:
            raise ValidationError(_("An approved version cannot be changed."))
        super().save(*args, **kwargs)
        self._loaded_state = self.state

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_state = instance.__dict__.get("state")
        return instance


class PlanVersion(EditVersioned, Authored, FrozenOnceApproved):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=12, choices=VersionState.choices, default=VersionState.DRAFT)
    change_summary = models.TextField(_("summary of changes"), blank=True)
    is_review_only = models.BooleanField(_("reviewed without changes"), default=False)
    # Good-treatment plans: made with the children.
    children_participation = models.TextField(_("how and when the children took part"), blank=True)
    child_friendly_text = models.TextField(_("child-friendly version"), blank=True)
    # The facts drawn from the product, frozen at approval (see facts.py).
    facts = models.JSONField(default=dict, blank=True)
    # SET_NULL: only wiping a whole (demo) organisation ever deletes versions.
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_version_number_once"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(state="draft"), name="plans_one_draft_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | (Q(approved_by__isnull=False) & Q(approved_at__isnull=False)),
                name="plans_approved_has_approver",
            ),
        ]
        indexes = [models.Index(fields=["plan", "state", "-number"])]
        verbose_name = _("plan version")

    def __str__(self):
        label = _("%(plan)s, %(unit)s, version %(number)s") % {
            "plan": self.plan.get_kind_display(), "unit": self.unit, "number": self.number,
        }
        if self.approved_at:
            day = timezone.localtime(self.approved_at).date()
            label += f" ({fi_date(day)})"
        return label

    def get_absolute_url(self):
        """Stable address of this version (other areas link to it)."""
        return reverse("plans:version", args=[self.pk])

    @property
    def is_approved(self) -> bool:
        return self.state == VersionState.APPROVED


class PlanSection(EditVersioned):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=60)
    number = models.CharField(_("number"), max_length=10, blank=True)
    title = models.CharField(_("heading"), max_length=200)
    guidance = models.TextField(_("guidance for the writer"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    live_fact = models.CharField(max_length=24, choices=LiveFact.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("text"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="plans_section_key_once")]

    def __str__(self):
        return f"{self.number} {self.title}".strip()

    def save(self, *args, **kwargs):
        if self.version_id and PlanVersion.objects.filter(pk=self.version_id, state=VersionState.APPROVED).exists():
            raise ValidationError(_("An approved version cannot be changed."))
        super().save(*args, **kwargs)


# --- The group programme and its follow-up -------------------------------------------------


class ProgrammeVersion(EditVersioned, Authored, FrozenOnceApproved):
    """The group's self-supervision programme (§ 26), one approved version at a time."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    state = models.CharField(_("state"), max_length=12, choices=VersionState.choices, default=VersionState.DRAFT)
    text = models.TextField(_("programme"))
    change_summary = models.TextField(_("summary of changes"), blank=True)
    # The four-monthly review found nothing to change: the same text approved
    # again, change_summary says what was reviewed (plans.programme.programme_review_record).
    is_review_only = models.BooleanField(_("reviewed without changes"), default=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["state"], condition=Q(state="draft"), name="plans_one_programme_draft"),
        ]

    def __str__(self):
        return _("Self-supervision programme, version %(number)s") % {"number": self.number}


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


# The report's page shows this many units' rows per table (the most reports
# first); "show all units" reads the whole figures, as the PDF does.
PAGE_UNIT_ROWS = 20
# The per-unit lists of a report's figures, cut for its page.
_UNIT_LISTS = (("deviations", "by_unit"), ("feedback", "by_unit"))


def figures_for_page(figures: dict | None) -> dict:
    """What the report's page reads of `figures`: {"figures": the figures with
    each per-unit list cut to its first PAGE_UNIT_ROWS rows, "units_listed":
    the longer list's whole length} (over 2,000 units the whole figures are most
    of a megabyte of JSON: reading them took most of the page's time)."""
    shown, listed = dict(figures or {}), 0
    for area, key in _UNIT_LISTS:
        block = shown.get(area)
        if isinstance(block, dict) and isinstance(block.get(key), list):
            listed = max(listed, len(block[key]))
            shown[area] = {**block, key: block[key][:PAGE_UNIT_ROWS]}
    return {"figures": shown, "units_listed": listed}


class FollowupReportQuerySet(models.QuerySet):
    def without_figures(self):
        """The reports without their stored figures (a report's JSON holds every
        unit's rows: most of a megabyte over 2,000 units)."""
        return self.defer("figures", "page_figures")


class FollowupReport(Authored):
    """A four-monthly follow-up of the programme for one period."""

    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    state = models.CharField(_("state"), max_length=12, choices=ReportState.choices, default=ReportState.DRAFT)
    figures = models.JSONField(default=dict, blank=True)
    # figures_for_page(figures), kept by save() whenever the figures are saved.
    page_figures = models.JSONField(null=True, blank=True, editable=False)
    compiled_at = models.DateTimeField(null=True, blank=True)
    findings = models.TextField(_("findings of the management group"), blank=True)
    measures = models.TextField(_("measures decided"), blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Claims of the publication reminder and of the late notice (each sent once).
    publish_reminded_at = models.DateTimeField(null=True, blank=True)
    publish_late_at = models.DateTimeField(null=True, blank=True)

    objects = FollowupReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["period_start", "period_end"], name="plans_followup_period_once"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="plans_followup_period_order"),
        ]

    def __str__(self):
        return _("Follow-up report %(start)s–%(end)s") % {
            "start": fi_date(self.period_start), "end": fi_date(self.period_end),
        }

    def save(self, *args, update_fields=None, **kwargs):
        # The page's cut of the figures goes wherever the figures go (not when
        # they were not read: a save of other fields leaves both as they are).
        saves_figures = update_fields is None or "figures" in update_fields
        if saves_figures and "figures" not in self.get_deferred_fields():
            self.page_figures = figures_for_page(self.figures)
            if update_fields is not None:
                update_fields = {*update_fields, "page_figures"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return reverse("plans:report", args=[self.pk])

    @property
    def publication_due(self) -> dt.date:
        """The findings of a period are published in its review month: by the
        last day of the month after the period ended."""
        after = self.period_end + dt.timedelta(days=1)
        return dt.date(after.year, after.month, calendar.monthrange(after.year, after.month)[1])

    @property
    def is_published(self) -> bool:
        return self.state == ReportState.PUBLISHED
