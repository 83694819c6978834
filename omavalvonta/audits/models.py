"""Self-assessments and audits, continuity and readiness.

* `Checklist` with its `Criterion` rows: group level, edited by the quality
  director (e.g. the organisation's quality-system requirements).
* `SelfAssessment`: a unit answers a checklist (`Answer` per criterion).
* `Audit`: an internal or external audit of a unit with its `Finding`s; a
  finding (or an unmet criterion) may create an action (improvement app).
* `CriticalSystem`: the unit's critical information systems in criticality
  order, each with its owner (main user), fallback and tolerable outage.
* `ContinuityPlan`: the unit's readiness and continuity plan (one per unit).
* `Drill`: a readiness drill with date, scenario, participants and lessons; of
  kind `readiness_exercise` it is the organisation's yearly readiness exercise
  (no unit; `audits/readiness.py`).
* `ReadinessMember`: a person of the organisation's readiness group
  (valmiusryhmä) with their role in it; a removed member is kept, ended.
* `CrisisPlanVersion`: the crisis-communication plan (kriisiviestintäsuunnitelma),
  organisation-level, versioned like the information-security plan.
* `SecurityPlanVersion`: the provider's information-security plan (THL
  regulation 3/2024; organisation-level, not public), versioned: one draft is
  edited, approving it freezes the version (`audits/security_sections.py`).
* `TrackedDocument` with its `DocumentVersion`s: documents and records that
  expire or are reviewed (the medication plan, the rescue plan, Soteri, the
  liability insurance, licences...; kinds as data in `audits/document_kinds.py`).
* `ServicePartner` with its `PartnerEvidence`: purchased-service partners and
  the self-supervision evidence received from them.

Continuity lives here beside the audits (one app for "how ready and how good
are we"), documented in the issue note. Writes go through `services`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.audits.document_kinds import DocumentKind, EvidenceKind
from omavalvonta.core.attachments import random_name
from omavalvonta.core.models import Authored, EditVersioned, LabelledByNumber
from omavalvonta.organisation.access import UnitScopedQuerySet


class Checklist(EditVersioned):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self):
        return self.title


class Criterion(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("criterion"), max_length=500)

    class Meta:
        ordering = ["checklist", "position", "id"]

    def __str__(self):
        return self.text


class UnitAssessment(Authored):
    """A unit's assessment held on a day, with its summary: a self-assessment or
    an audit. Newest first."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    held_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-held_on", "-id"]


class SelfAssessment(UnitAssessment):
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="assessments")

    def __str__(self):
        return f"{self.checklist} {self.held_on:%d.%m.%Y}"


class AnswerResult(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "na", _("Not applicable")


class Answer(LabelledByNumber):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=8, choices=AnswerResult.choices)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["criterion__position", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="answer_once_per_criterion")]


class AuditKind(models.TextChoices):
    INTERNAL = "internal", _("Internal audit")
    EXTERNAL = "external", _("External audit")


class Audit(UnitAssessment):
    kind = models.CharField(_("kind"), max_length=10, choices=AuditKind.choices)
    auditor = models.CharField(_("auditor"), max_length=200)

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%d.%m.%Y}"


class FindingKind(models.TextChoices):
    NONCONFORMITY = "nonconformity", _("Nonconformity")
    OBSERVATION = "observation", _("Observation")
    STRENGTH = "strength", _("Strength")


class Finding(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=FindingKind.choices)
    text = models.TextField(_("finding"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "id"]

    def __str__(self):
        return self.text[:80]


class CriticalSystem(models.Model):
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    position = models.PositiveSmallIntegerField(_("criticality order"), default=1)
    name = models.CharField(_("system"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("owner (main user)"),
    )
    fallback = models.TextField(_("fallback procedure"))
    tolerable_outage = models.CharField(_("tolerable outage"), max_length=100)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "position", "name", "id"]

    def __str__(self):
        return self.name


class ContinuityPlan(EditVersioned):
    unit = models.OneToOneField("organisation.Unit", on_delete=models.PROTECT, related_name="+")
    threats = models.TextField(_("threats and disruptions"), blank=True)
    preparedness = models.TextField(_("72-hour preparedness"), blank=True)
    contacts = models.TextField(_("who does what in a disruption"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = UnitScopedQuerySet.as_manager()


class DrillKind(models.TextChoices):
    UNIT = "unit", _("Unit drill")
    READINESS_EXERCISE = "readiness_exercise", _("Readiness exercise")


class Drill(Authored):
    """A unit's drill, or (kind `readiness_exercise`, no unit) the organisation's
    yearly readiness exercise: what worked and what to improve."""

    kind = models.CharField(_("kind"), max_length=20, choices=DrillKind.choices, default=DrillKind.UNIT)
    unit = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    held_on = models.DateField(_("date"))
    scenario = models.CharField(_("scenario"), max_length=300)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("participants"))
    lessons = models.TextField(_("lessons learned"), blank=True)
    went_well = models.TextField(_("what worked"), blank=True)
    to_improve = models.TextField(_("what to improve"), blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            # A unit's drill has its unit; the organisation's readiness exercise has none.
            models.CheckConstraint(
                condition=(models.Q(kind="unit") & models.Q(unit__isnull=False))
                | (models.Q(kind="readiness_exercise") & models.Q(unit__isnull=True)),
                name="drill_unit_by_kind",
            )
        ]

    def __str__(self):
        return f"{self.scenario} {self.held_on:%d.%m.%Y}"


class SecurityPlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class PlanVersionBase(EditVersioned, Authored):
    """One version of an organisation-wide plan kept as sections (the
    information-security plan, the crisis-communication plan): the sections'
    texts by key. A draft is edited; an approved version is frozen. Each plan
    names its own table and its one-draft constraint."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    state = models.CharField(_("state"), max_length=10, choices=SecurityPlanState.choices, default=SecurityPlanState.DRAFT)
    sections = models.JSONField(_("sections"), default=dict)
    change_note = models.TextField(_("what changed"), blank=True)
    review_note = models.TextField(_("annual review"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-number"]

    def __str__(self):
        return f"{self.number}"


class SecurityPlanVersion(PlanVersionBase):
    """A version of the information-security plan (security_sections.SECTIONS)."""

    class Meta(PlanVersionBase.Meta):
        verbose_name = _("information-security plan version")
        constraints = [
            # One draft at a time.
            models.UniqueConstraint(fields=["state"], condition=models.Q(state="draft"), name="one_security_plan_draft")
        ]


# --- Tracked documents and the compliance register (issue 21 items 6 and 8) ----------------------


def document_file_path(instance, filename):
    # A random name: never the uploader's file name (it may name a person).
    return random_name("asiakirjat", filename)


class TrackedDocument(EditVersioned, Authored):
    """A document or record that expires or is reviewed on a date: a unit's
    medication plan, rescue plan or evacuation safety report, the organisation's
    registration in Soteri, its liability insurance, licences, contractor's
    liability reports (the kinds as data: `audits/document_kinds.py`). `unit`
    None: the whole organisation's. `due_on` is the valid-until or next-review
    date; a new version moves it. `current` is the published version."""

    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind.choices)
    unit = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    title = models.CharField(_("name"), max_length=200, blank=True)
    number = models.CharField(_("number"), max_length=80, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner"))
    due_on = models.DateField(_("date"))
    current = models.ForeignKey(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(_("in use"), default=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("tracked document")
        indexes = [models.Index(fields=["is_active", "due_on"], name="audits_doc_due")]

    def __str__(self):
        return self.title or self.get_kind_display()


class DocumentVersion(Authored):
    """One version of a tracked document: its date, what changed, who approved it
    (the medication plan: the region's doctor) and an optional file. Older
    versions are kept; the document's `current` points at the published one."""

    document = models.ForeignKey(TrackedDocument, on_delete=models.CASCADE, related_name="versions")
    dated_on = models.DateField(_("date of the version"))
    note = models.TextField(_("what changed"))
    approver_name = models.CharField(_("approved by"), max_length=200, blank=True)
    approved_on = models.DateField(_("approval date"), null=True, blank=True)
    next_due = models.DateField(_("next date"))
    file = models.FileField(_("file"), upload_to=document_file_path, blank=True)
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-dated_on", "-id"]
        verbose_name = _("document version")

    def __str__(self):
        return f"{self.document} {self.dated_on:%d.%m.%Y}"


class ServicePartner(EditVersioned, Authored):
    """A purchased-service partner (ostopalvelukumppani) supervised as the
    provider's own service: who they are, what is bought, the units using it and
    when their self-supervision evidence is next due (`next_due`)."""

    name = models.CharField(_("name"), max_length=200)
    business_id = models.CharField(_("business ID"), max_length=9)
    service = models.CharField(_("service bought"), max_length=300)
    units = models.ManyToManyField("organisation.Unit", blank=True, related_name="+", verbose_name=_("units using it"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner"))
    next_due = models.DateField(_("evidence next due"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("purchased-service partner")

    def __str__(self):
        return self.name


class PartnerEvidence(Authored):
    """Self-supervision evidence received from a partner (their plan, an audit report)."""

    partner = models.ForeignKey(ServicePartner, on_delete=models.CASCADE, related_name="evidence")
    received_on = models.DateField(_("received on"))
    kind = models.CharField(_("what"), max_length=10, choices=EvidenceKind.choices)
    note = models.TextField(_("note"), blank=True)
    file = models.FileField(_("file"), upload_to=document_file_path, blank=True)
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("partner's evidence")

    def __str__(self):
        return f"{self.partner} {self.received_on:%d.%m.%Y}"


class ReadinessRole(models.TextChoices):
    """A member's role in the readiness group (the provider's programme: a chair
    who leads, a deputy, the person who speaks for the organisation)."""

    CHAIR = "chair", _("Chair")
    DEPUTY = "deputy", _("Deputy chair")
    COMMUNICATIONS = "communications", _("Communications")
    SAFETY = "safety", _("Safety and premises")
    MEMBER = "member", _("Member")


class ReadinessMember(EditVersioned):
    """A person in the organisation's readiness group. Removing one ends the
    row (`ended_at`), so the group's history stays readable."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    group_role = models.CharField(_("role in the group"), max_length=20, choices=ReadinessRole.choices)
    duties = models.CharField(_("responsibilities"), max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("readiness group member")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(ended_at__isnull=True),
                                    name="readiness_member_once"),
            models.UniqueConstraint(fields=["group_role"], condition=models.Q(ended_at__isnull=True, group_role="chair"),
                                    name="readiness_one_chair"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_group_role_display()})"


class CrisisPlanVersion(PlanVersionBase):
    """A version of the crisis-communication plan (readiness.CRISIS_SECTIONS)."""

    class Meta(PlanVersionBase.Meta):
        verbose_name = _("crisis-communication plan version")
        constraints = [
            models.UniqueConstraint(fields=["state"], condition=models.Q(state="draft"), name="one_crisis_plan_draft")
        ]
