"""The register of restrictive measures: one row per measure used on a placed
child, with what the law asks to be written about it (restrictions.law)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omavalvonta.clients.models import Placement, SocialWorkerDelivery
from omavalvonta.core.models import TimeStampedModel
from omavalvonta.organisation.access import UnitScopedQuerySet
from omavalvonta.organisation.models import Region, Unit
from omavalvonta.restrictions import law


class RecordKind(models.TextChoices):
    DECISION = law.DECISION, _("A decision I make")
    ACCOUNT = law.ACCOUNT, _("An account of what was done (or of another person's decision)")


class Restriction(TimeStampedModel):
    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="restrictions", verbose_name=_("child")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    measure = models.CharField(_("measure"), max_length=30)
    record_kind = models.CharField(_("recorded as"), max_length=10, choices=RecordKind.choices)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    details = models.TextField(_("what was done"))
    reason = models.TextField(_("why it was necessary"))
    milder_means = models.TextField(_("milder means tried"))
    # The recorder confirmed the general conditions (61 a §): proportionate, the
    # mildest means that sufficed, respecting the child's dignity, never a punishment.
    conditions_confirmed = models.BooleanField(_("general conditions confirmed"), default=False)
    decided_by_name = models.CharField(_("decided by"), max_length=150, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    carried_out_by = models.CharField(_("carried out by"), max_length=300)
    child_heard = models.BooleanField(_("the child was heard"))
    child_view = models.TextField(_("the child's view"), blank=True)
    child_not_heard_reason = models.TextField(_("why the child could not be heard"), blank=True)
    injuries = models.TextField(_("injuries"), blank=True)
    # The debrief with the child afterwards (jälkikeskustelu): may be recorded later.
    debrief_at = models.DateTimeField(_("debrief held"), null=True, blank=True)
    debrief_notes = models.TextField(_("debrief"), blank=True)
    # The last reminder of a missing debrief (services.debriefs_remind): one every
    # few days until the debrief is recorded.
    debrief_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A deviation report about the same event, by id: deviations sit beside this
    # area, not below it, so no foreign key.
    deviation_id = models.PositiveBigIntegerField(_("related deviation report"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # How the child's social worker was told (at once for a serious measure, else
    # in the weekly summary): set once, by the one that claims the measure.
    social_worker_delivery = models.ForeignKey(
        SocialWorkerDelivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "-started_at", "-id"], name="restriction_unit_list"),
            models.Index(fields=["placement", "-started_at"], name="restriction_child"),
            models.Index(
                fields=["started_at"], name="restriction_debrief_due", condition=models.Q(debrief_at__isnull=True)
            ),
            models.Index(
                fields=["started_at"],
                name="restriction_sw_untold",
                condition=models.Q(social_worker_delivery__isnull=True),
            ),
            # A month's measures or the last days' (restrictions.monthly), from the index alone on PostgreSQL.
            models.Index(fields=["started_at"], include=["unit"], name="restriction_started"),
        ]
        verbose_name = _("restrictive measure")
        verbose_name_plural = _("restrictive measures")

    def __str__(self):
        return f"{self.measure} {self.started_at:%Y-%m-%d}"

    @property
    def rule(self) -> law.Measure | None:
        """The law's row for this measure, as in force when it started."""
        return law.measure(self.measure, self.started_at.date())

    @property
    def measure_label(self) -> str:
        row = self.rule
        return str(row.label) if row else self.measure

    @property
    def document_kind(self) -> str | None:
        """The document the unit signs for this measure (law.DECISION or
        law.ACCOUNT), None when the decision was made outside the unit."""
        row = self.rule
        return law.document_kind(row, self.record_kind) if row else None

    @property
    def debrief_pending(self) -> bool:
        return self.debrief_at is None

    @property
    def serious(self) -> bool:
        """Told to the social worker at once (law.SERIOUS), else in the weekly summary."""
        return law.is_serious(self.measure, bool(self.injuries.strip()))


class FrozenError(RuntimeError):
    """A signed document is never changed: a correction is a new version."""


class RestrictionDocument(models.Model):
    """The written decision (an appealable measure) or the written account (a
    restraint) of one measure, as signed: frozen. A correction is a new version
    with its reason; the older versions stay readable. The PDF (fi, sv) is laid
    out from this row, never from the measure's current fields."""

    restriction = models.ForeignKey(Restriction, on_delete=models.PROTECT, related_name="documents")
    version = models.PositiveSmallIntegerField()
    kind = models.CharField(_("document"), max_length=10, choices=RecordKind.choices)
    # The measure's facts as they were signed (what, why, when, who, the child's view).
    content = models.JSONField()
    reasoning = models.TextField(_("reasoning"))
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_by_name = models.CharField(_("signed by"), max_length=150)
    signed_at = models.DateTimeField(_("signed"))

    class Meta:
        ordering = ["restriction", "-version"]
        constraints = [models.UniqueConstraint(fields=["restriction", "version"], name="restriction_document_version")]
        verbose_name = _("decision or account")
        verbose_name_plural = _("decisions and accounts")

    def __str__(self):
        return f"{self.restriction_id} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenError("A signed decision or account is frozen: write a corrected version.")
        super().save(*args, **kwargs)


class DeliveryTo(models.TextChoices):
    CHILD = "child", _("The child")
    GUARDIAN = "guardian", _("The guardian")


class DocumentHandover(models.Model):
    """That a decision was given (served) to the child or the guardian: when and how."""

    document = models.ForeignKey(RestrictionDocument, on_delete=models.PROTECT, related_name="handovers")
    to = models.CharField(_("given to"), max_length=10, choices=DeliveryTo.choices)
    given_on = models.DateField(_("given on"))
    how = models.CharField(_("how"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["given_on", "id"]

    def __str__(self):
        return f"{self.document_id} → {self.to} {self.given_on}"


class ChildFlag(TimeStampedModel):
    """Many, consecutive or long restrictive measures for one child (rules.FLAG_RULES):
    the supervisor is told, the social worker asked for an assessment of the
    service need; shown on the child's page until handled."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="restriction_flags")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(_("rule"), max_length=30)
    raised_at = models.DateTimeField(_("raised"))
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handling = models.TextField(_("how it was handled"), blank=True)
    social_worker_delivery = models.ForeignKey(
        SocialWorkerDelivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            # One open flag per child: a second rule met while one is open adds nothing.
            models.UniqueConstraint(
                fields=["placement"], condition=models.Q(handled_at__isnull=True), name="restriction_flag_one_open"
            )
        ]

    def __str__(self):
        return f"{self.placement_id} {self.rule}"


class ReductionGoal(TimeStampedModel):
    """A unit's goal for fewer restrictive measures: at most `per_month` a month from `starts_on`."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    per_month = models.PositiveIntegerField(_("at most a month"))
    starts_on = models.DateField(_("from"))
    note = models.CharField(_("how we get there"), max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self):
        return f"{self.unit_id} ≤{self.per_month}/kk"


class MonthCount(models.Model):
    """How many measures started in a closed month (Helsinki time), counted
    once when a page first needs the month (restrictions.monthly): the
    organisation's overview reads these instead of a year of measures. Per
    month a row per unit with measures (with the unit's region), a row per
    region (no unit: its active units' measures, and how many active units it
    had) and a row with neither, which says that the month is counted (n: all
    its measures). Recording a measure into a closed month or destroying
    measures forgets their months; a unit created or changed forgets them all
    (its region or its being active may have changed): they are counted again
    when next needed."""

    unit = models.ForeignKey(Unit, null=True, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, null=True, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    n = models.PositiveIntegerField()
    units = models.PositiveIntegerField(default=0)  # a region's row: its active units when counted

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month"], condition=models.Q(unit__isnull=False), name="restriction_month_unit"
            ),
            models.UniqueConstraint(
                fields=["region", "month"],
                condition=models.Q(unit__isnull=True, region__isnull=False),
                name="restriction_month_region",
            ),
            models.UniqueConstraint(
                fields=["month"], condition=models.Q(unit__isnull=True, region__isnull=True), name="restriction_month_done"
            ),
        ]
        indexes = [models.Index(fields=["month", "region"], name="restriction_month_read")]

    def __str__(self):
        return f"{self.unit_id or self.region_id} {self.month:%Y-%m}: {self.n}"
