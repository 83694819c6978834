"""The register of restrictive measures: one row per measure used on a placed
child, with what the law asks to be written about it (restrictions.law)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from omavalvonta.clients.models import Placement
from omavalvonta.core.models import TimeStampedModel
from omavalvonta.organisation.access import UnitScopedQuerySet
from omavalvonta.organisation.models import Unit
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

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "-started_at", "-id"], name="restriction_unit_list"),
            models.Index(fields=["placement", "-started_at"], name="restriction_child"),
            models.Index(
                fields=["started_at"], name="restriction_debrief_due", condition=models.Q(debrief_at__isnull=True)
            ),
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
    def debrief_pending(self) -> bool:
        return self.debrief_at is None
