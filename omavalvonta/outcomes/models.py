"""The functional-capacity measure: instruments as data, measurements, goals.

An instrument is a named family of versions; a version holds the items (a life
domain, a 0-10 scale, the child's and the worker's wording in fi/sv/en, an age
range). A published version is frozen, and so is any version a measurement has
used: the meaning of a stored score never changes under it. A new wording is a
new draft version."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from omavalvonta.clients.models import Placement, SocialWorkerDelivery
from omavalvonta.core.models import EditVersioned
from omavalvonta.organisation.access import UnitScopedQuerySet
from omavalvonta.organisation.models import Unit

SCALE_MIN = 0
SCALE_MAX = 10


def _in_language(obj, stem: str) -> str:
    """`obj.<stem>_<language>` in the current language, Finnish when empty."""
    language = (translation.get_language() or "fi")[:2]
    return getattr(obj, f"{stem}_{language}", "") or getattr(obj, f"{stem}_fi")


class InLanguage:
    """A read-only attribute: the text of the fields `<stem>_fi`, `<stem>_sv` and
    `<stem>_en` in the active language (`_in_language`)."""

    def __init__(self, stem: str):
        self.stem = stem

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return _in_language(obj, self.stem)


class Instrument(models.Model):
    """A measure the provider uses (its own, or a licensed one entered as data)."""

    kept_by_demo_wipe = True  # installed by a migration (demo.builder.wipe)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=120)
    name_sv = models.CharField(_("name in Swedish"), max_length=120, blank=True)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    name = InLanguage("name")
    # The reliable-change threshold: how far a child's mean score (0-10) must
    # move between the first and the latest measurement to count as improved or
    # worse rather than unchanged. docs/outcomes-effectiveness.md says how the
    # default was reached; a licensed instrument brings its own published value.
    reliable_change = models.DecimalField(
        _("reliable change (points)"), max_digits=4, decimal_places=2, default=Decimal("1.50"),
        validators=[MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("10"))],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_fi", "id"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self):
        return self.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class InstrumentVersion(models.Model):
    kept_by_demo_wipe = True  # installed by a migration (demo.builder.wipe)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrument_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="instrument_version_unique"),
        ]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")

    def __str__(self):
        return f"{self.instrument} {self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class Item(EditVersioned):
    """One question of a version: a life domain on a 0-10 scale, worded for the
    child and for the worker, for children of an age range."""

    kept_by_demo_wipe = True  # installed by a migration (demo.builder.wipe)
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    domain = models.SlugField(_("domain code"), max_length=40)
    domain_fi = models.CharField(_("domain in Finnish"), max_length=80)
    domain_sv = models.CharField(_("domain in Swedish"), max_length=80, blank=True)
    domain_en = models.CharField(_("domain in English"), max_length=80, blank=True)
    child_fi = models.CharField(_("child's wording in Finnish"), max_length=300)
    child_sv = models.CharField(_("child's wording in Swedish"), max_length=300, blank=True)
    child_en = models.CharField(_("child's wording in English"), max_length=300, blank=True)
    worker_fi = models.CharField(_("worker's wording in Finnish"), max_length=300)
    worker_sv = models.CharField(_("worker's wording in Swedish"), max_length=300, blank=True)
    worker_en = models.CharField(_("worker's wording in English"), max_length=300, blank=True)
    # What the ends of the scale mean (shown beside 0 and 10).
    low_fi = models.CharField(_("meaning of 0 in Finnish"), max_length=80, blank=True)
    low_sv = models.CharField(_("meaning of 0 in Swedish"), max_length=80, blank=True)
    low_en = models.CharField(_("meaning of 0 in English"), max_length=80, blank=True)
    high_fi = models.CharField(_("meaning of 10 in Finnish"), max_length=80, blank=True)
    high_sv = models.CharField(_("meaning of 10 in Swedish"), max_length=80, blank=True)
    high_en = models.CharField(_("meaning of 10 in English"), max_length=80, blank=True)
    # The texts above in the active language.
    domain_label = InLanguage("domain")
    child_text = InLanguage("child")
    worker_text = InLanguage("worker")
    low_text = InLanguage("low")
    high_text = InLanguage("high")
    age_min = models.PositiveSmallIntegerField(_("from age"), default=7)
    age_max = models.PositiveSmallIntegerField(_("to age"), default=25)

    class Meta:
        ordering = ["version_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "domain"], name="instrument_item_domain_unique"),
        ]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return self.domain_label

    def fits_age(self, age: int) -> bool:
        return self.age_min <= age <= self.age_max


class MeasurementStatus(models.TextChoices):
    DONE = "done", _("Measured")
    DECLINED = "declined", _("The child declined")
    NOT_REACHED = "not_reached", _("The child was not reached")


class ChildRecord(models.Model):
    """A record about a placed child, made in the child's unit: who recorded it
    (the row stays when they leave) and when."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class Measurement(ChildRecord):
    """One measurement of a child's functional capacity, or the record that it
    could not be done (declined / not reached, with the reason)."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="measurements")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="measurements")
    measured_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=12, choices=MeasurementStatus.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["placement_id", "measured_on", "id"]
        indexes = [models.Index(fields=["placement", "measured_on"], name="measurement_placement_date")]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self):
        return f"{self.placement_id} {self.measured_on}"

    @property
    def is_done(self) -> bool:
        return self.status == MeasurementStatus.DONE


class Answer(models.Model):
    """One item's scores: the child's and the worker's (either may be missing:
    a child may skip a question)."""

    measurement = models.ForeignKey(Measurement, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    child_score = models.PositiveSmallIntegerField(null=True, blank=True)
    worker_score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measurement", "item"], name="answer_unique")]

    def __str__(self):
        return f"{self.item_id}: {self.child_score}/{self.worker_score}"


class FollowUp(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PROGRESSING = "progressing", _("Progressing")
    NOT_PROGRESSING = "not_progressing", _("Not progressing")


class Goal(models.Model):
    """A goal agreed with the child after a measurement, in the child's words,
    followed up at the next measurement."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="goals")
    measurement = models.ForeignKey(Measurement, on_delete=models.PROTECT, related_name="goals")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("domain"))
    text = models.CharField(_("the goal in the child's words"), max_length=300)
    follow_up = models.CharField(_("follow-up"), max_length=16, choices=FollowUp.choices, blank=True)
    followed_up_in = models.ForeignKey(
        Measurement, null=True, blank=True, on_delete=models.PROTECT, related_name="followed_goals"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["placement_id", "created_at", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.text


class UnitPractice(models.Model):
    """How a unit works with the children's measure: whether it uses the
    feedback-informed session checks (optional per unit)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="+")
    session_checks = models.BooleanField(_("feedback-informed session checks in use"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit's practice")
        verbose_name_plural = _("units' practices")

    def __str__(self):
        return f"{self.unit_id}: {self.session_checks}"


class SessionCheck(ChildRecord):
    """A very short check at a meeting with the child (outcomes/sessions.py):
    four questions on how things are and four on how the meeting felt, 0-10 each."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="session_checks")
    checked_on = models.DateField(_("date of the meeting"))
    scores = models.JSONField(default=dict)  # question code -> 0..10

    class Meta:
        ordering = ["placement_id", "checked_on", "id"]
        indexes = [models.Index(fields=["placement", "checked_on"], name="session_check_placement_date")]
        verbose_name = _("session check")
        verbose_name_plural = _("session checks")

    def __str__(self):
        return f"{self.placement_id} {self.checked_on}"


class QuarterlyReport(models.Model):
    """The quarter's report of a child sent by the job at the quarter's start
    (services.quarterly_reports_send): one row per child and quarter, claimed
    before the report is sent, so two workers never send it twice."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    delivery = models.ForeignKey(SocialWorkerDelivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["placement", "period_start"], name="quarterly_report_once")
        ]
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")

    def __str__(self):
        return f"{self.placement_id} {self.period_start}"
