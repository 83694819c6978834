"""Checks and qualifications of the staff, with their expiry.

A qualification type is data (seeded by migration 0002, kept by the quality
director in the admin): its kind decides which facts a record holds, its refresh
interval when a record runs out, and whether a certificate may be attached. The
criminal-record extract for work with children (Act 504/2002) is a kind that can
never hold a file: the law forbids keeping the extract, so only that it was
seen, when and by whom is recorded.

A record belongs to a person; the newest record of a person and type is the
current one (`is_current`), the older ones are kept as history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.attachments import random_name


def in_language(fi: str, *, sv: str, en: str) -> str:
    """The text in the active language; Finnish when there is none."""
    language = (translation.get_language() or "fi")[:2]
    return {"sv": sv, "en": en}.get(language) or fi


class QualificationKind(models.TextChoices):
    REGISTRATION = "registration", _("Professional registration check")
    CRIMINAL_RECORD = "criminal_record", _("Criminal-record extract seen")
    MEDICATION_PERMIT = "medication_permit", _("Medication permit")
    FIRST_AID = "first_aid", _("First aid")
    SAFETY_TRAINING = "safety_training", _("Safety and aggression-management training")
    DATA_PROTECTION = "data_protection", _("Data-protection training")
    OTHER = "other", _("Other qualification")


# Kinds whose records may never hold a file, whatever the type's setting says.
NO_FILE_KINDS = frozenset({QualificationKind.CRIMINAL_RECORD})


class QualificationType(models.Model):
    kept_by_demo_wipe = True  # installed by a migration (demo.builder.wipe)

    key = models.SlugField(_("key"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=QualificationKind.choices)
    name = models.CharField(_("name (Finnish)"), max_length=150)
    name_sv = models.CharField(_("name (Swedish)"), max_length=150, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    refresh_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True, help_text=_("Empty: the record does not expire.")
    )
    remind_days_before = models.PositiveSmallIntegerField(_("remind days before expiry"), default=30)
    allows_attachment = models.BooleanField(_("a certificate may be attached"), default=False)
    required = models.BooleanField(_("required of every member of a unit's staff"), default=False)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("qualification type")
        verbose_name_plural = _("qualification types")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="criminal_record") | Q(allows_attachment=False),
                name="people_criminal_record_no_attachment",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.name, sv=self.name_sv, en=self.name_en)

    @property
    def takes_file(self) -> bool:
        return self.allows_attachment and self.kind not in NO_FILE_KINDS


class RegistrationResult(models.TextChoices):
    VALID = "valid", _("Registered, right to practise valid")
    RESTRICTED = "restricted", _("Right to practise restricted")
    NOT_FOUND = "not_found", _("Not found in the register")


def certificate_path(instance, filename):
    # A random name: never the uploader's file name (it may name a person).
    return random_name("osaaminen", filename)


class Status(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring")
    EXPIRED = "expired", _("Expired")
    MISSING = "missing", _("Missing")


class QualificationRecord(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qualifications", verbose_name=_("person")
    )
    # The unit the record was made in (the recorder's scope at the time).
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    type = models.ForeignKey(QualificationType, on_delete=models.PROTECT, related_name="records", verbose_name=_("type"))
    done_on = models.DateField(_("date"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=40, blank=True)
    result = models.CharField(_("result"), max_length=16, choices=RegistrationResult.choices, blank=True)
    scope = models.CharField(_("scope"), max_length=300, blank=True)
    provider = models.CharField(_("provider"), max_length=150, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("checked by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    certificate = models.FileField(_("certificate"), upload_to=certificate_path, blank=True)
    certificate_name = models.CharField(max_length=200, blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-done_on", "-id"]
        indexes = [
            models.Index(fields=["person", "type", "is_current"]),
            models.Index(fields=["is_current", "valid_until"]),
        ]
        verbose_name = _("qualification record")
        verbose_name_plural = _("qualification records")

    def __str__(self):
        return f"{self.type} – {self.person}"

    def status(self, today: dt.date) -> str:
        if self.type.kind == QualificationKind.REGISTRATION and self.result != RegistrationResult.VALID:
            return Status.EXPIRED
        if self.valid_until is None:
            return Status.VALID
        if self.valid_until < today:
            return Status.EXPIRED
        if (self.valid_until - today).days <= self.type.remind_days_before:
            return Status.EXPIRING
        return Status.VALID


class QualificationNotice(models.Model):
    """The claim row of a reminder: inserted once per record and kind, in the same
    transaction as its outbox rows (two workers: one wins)."""

    record = models.ForeignKey(QualificationRecord, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, default="expiry")
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "kind"], name="people_notice_once")]

    def __str__(self):
        return f"{self.kind} {self.record_id}"


class UnitRequirement(models.Model):
    """How many valid medication permits and first-aid certificates the unit
    needs among its staff (the supervisor keeps it)."""

    unit = models.OneToOneField("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    medication_permits = models.PositiveSmallIntegerField(_("valid medication permits needed"), default=0)
    first_aid = models.PositiveSmallIntegerField(_("valid first-aid certificates needed"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.unit}: {self.medication_permits} / {self.first_aid}"


# --- Orientation (perehdytys) ---------------------------------------------------------------------


class OrientationRole(models.TextChoices):
    INSTRUCTOR = "instructor", _("Instructor")
    SUPERVISOR = "supervisor", _("Supervisor")
    HOURLY = "hourly", _("Hourly worker")
    STUDENT = "student", _("Student")
    AGENCY = "agency", _("Agency worker")


class OrientationTheme(models.TextChoices):
    UNIT = "unit", _("The unit and its children")
    SAFETY = "safety", _("Safety and threat situations")
    MEDICATION = "medication", _("Medication")
    DATA_PROTECTION = "data_protection", _("Data protection and information security")
    PLANS = "plans", _("The unit's self-supervision and good-treatment plans")
    SYSTEMS = "systems", _("Systems")
    QUALITY = "quality", _("The quality system")


class OrientationCard(models.Model):
    """One version of a role's orientation card. A draft (no published_at) is
    edited by the quality director; publishing makes it the card new
    orientations take. An orientation keeps the version it was started with."""

    kept_by_demo_wipe = True  # the default cards are installed by a migration

    for_role = models.CharField(_("role"), max_length=16, choices=OrientationRole.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["for_role", "-version"]
        constraints = [models.UniqueConstraint(fields=["for_role", "version"], name="people_card_version_once")]
        verbose_name = _("orientation card")
        verbose_name_plural = _("orientation cards")

    def __str__(self):
        return f"{self.get_for_role_display()} v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class CardItem(models.Model):
    kept_by_demo_wipe = True

    card = models.ForeignKey(OrientationCard, on_delete=models.CASCADE, related_name="items")
    theme = models.CharField(_("theme"), max_length=20, choices=OrientationTheme.choices)
    text = models.CharField(_("item (Finnish)"), max_length=300)
    text_sv = models.CharField(_("item (Swedish)"), max_length=300, blank=True)
    text_en = models.CharField(_("item (English)"), max_length=300, blank=True)
    # Days from the start: 0 the first shift, 7 the first week, 30 the first month.
    target_day = models.PositiveSmallIntegerField(_("target day"))
    needs_ack = models.BooleanField(_("the newcomer acknowledges reading it"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.text, sv=self.text_sv, en=self.text_en)


class OrientationState(models.TextChoices):
    OPEN = "open", _("In progress")
    EVALUATION = "evaluation", _("Being evaluated")
    DONE = "done", _("Completed")
    ENDED = "ended", _("Ended (left the unit)")


class Orientation(models.Model):
    """A newcomer's orientation in a unit: the card version, the main mentor and
    the start; its items are the newcomer's checklist."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    newcomer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orientations", verbose_name=_("newcomer")
    )
    card = models.ForeignKey(OrientationCard, on_delete=models.PROTECT, related_name="orientations", verbose_name=_("card"))
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentoring", verbose_name=_("main mentor")
    )
    started_on = models.DateField(_("start date"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=12, choices=OrientationState.choices, default=OrientationState.OPEN)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["unit", "state"]), models.Index(fields=["mentor", "state"])]
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")

    def __str__(self):
        return f"{self.newcomer} ({self.started_on})"

    @property
    def is_open(self) -> bool:
        return self.state in (OrientationState.OPEN, OrientationState.EVALUATION)


class OrientationItem(models.Model):
    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE, related_name="items")
    card_item = models.ForeignKey(CardItem, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ticked_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "card_item__order", "id"]
        indexes = [models.Index(fields=["ticked_at", "due_on"])]

    def __str__(self):
        return f"{self.orientation_id}: {self.card_item_id}"

    @property
    def needs_ack(self) -> bool:
        return self.card_item.needs_ack

    @property
    def done(self) -> bool:
        return self.ticked_at is not None and (self.acknowledged_at is not None or not self.card_item.needs_ack)


class EvaluatorRole(models.TextChoices):
    NEWCOMER = "newcomer", _("Newcomer")
    MENTOR = "mentor", _("Mentor")
    SUPERVISOR = "supervisor", _("Supervisor")


class OrientationEvaluation(models.Model):
    """The closing evaluation: one each by the newcomer, the mentor and the
    supervisor. A finding may become an improvement action (its id kept)."""

    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE, related_name="evaluations")
    by_role = models.CharField(max_length=12, choices=EvaluatorRole.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    score = models.PositiveSmallIntegerField(_("score (1–5)"))
    text = models.CharField(_("evaluation"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    action_id = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["orientation", "by_role"]
        constraints = [models.UniqueConstraint(fields=["orientation", "by_role"], name="people_evaluation_once")]

    def __str__(self):
        return f"{self.orientation_id} {self.by_role}"


# --- Training, development discussions, the recruitment plan --------------------------------------


def training_certificate_path(instance, filename):
    return random_name("koulutus", filename)


class TrainingRecord(models.Model):
    """A course a person attended: what, when, how many hours, by whom, and its
    certificate where one was given."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("person")
    )
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    course = models.CharField(_("course"), max_length=200)
    done_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    provider = models.CharField(_("provider"), max_length=150, blank=True)
    certificate = models.FileField(_("certificate"), upload_to=training_certificate_path, blank=True)
    certificate_name = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-done_on", "-id"]
        indexes = [models.Index(fields=["unit", "done_on"]), models.Index(fields=["person", "done_on"])]
        verbose_name = _("training record")
        verbose_name_plural = _("training records")

    def __str__(self):
        return f"{self.course} ({self.done_on})"


class DevelopmentDiscussion(models.Model):
    """That a yearly development discussion (kehityskeskustelu) was held with a
    person, and when. Its content is never recorded here."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="development_discussions",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    held_on = models.DateField(_("date held"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "person", "held_on"])]
        verbose_name = _("development discussion")
        verbose_name_plural = _("development discussions")

    def __str__(self):
        return f"{self.person_id} {self.held_on}"


class RecruitmentPlan(models.Model):
    """One version of a unit's recruitment plan (rekrytointisuunnitelma): a short
    text naming the competence the unit's children need. A draft is approved by
    the unit's supervisor; approved versions are kept."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("recruitment plan"), max_length=4000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["unit", "-version"]
        constraints = [models.UniqueConstraint(fields=["unit", "version"], name="people_recruitment_version_once")]
        verbose_name = _("recruitment plan")
        verbose_name_plural = _("recruitment plans")

    def __str__(self):
        return f"{self.unit_id} v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.approved_at is None
