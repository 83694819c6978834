"""The unit's risk register (riskienhallinta): risks scored on the organisation's
one risk matrix (the same as deviation classification), assessment sessions that
review them and decide actions, and links between risks and deviation reports.

Every write goes through `services`, every read through `selectors`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.models import Authored, EditVersioned, LabelledByNumber
from omavalvonta.organisation.access import UnitScopedQuerySet
from omavalvonta.organisation.risk import Consequence, Likelihood, RiskLevel


class RiskCategory(models.TextChoices):
    CLIENT_SAFETY = "client_safety", _("Client safety")
    STAFF_SAFETY = "staff_safety", _("Staff safety")
    PREMISES = "premises", _("Premises")
    INFORMATION_SYSTEMS = "information_systems", _("Data and information systems")
    CONTINUITY = "continuity", _("Continuity")
    OTHER = "other", _("Other")


class Risk(EditVersioned, Authored):
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    category = models.CharField(_("category"), max_length=24, choices=RiskCategory.choices)
    title = models.CharField(_("risk"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), choices=Likelihood.choices)
    consequence = models.PositiveSmallIntegerField(_("consequence"), choices=Consequence.choices)
    level = models.CharField(_("risk level"), max_length=12, choices=RiskLevel.choices)
    controls = models.TextField(_("existing controls"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("owner"),
    )
    next_review = models.DateField(_("next review"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "-is_active", "title", "id"]
        indexes = [models.Index(fields=["unit", "is_active"])]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self):
        return self.title


class RiskAssessment(Authored):
    """One risk assessment session of a unit (riskienarviointi)."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    held_on = models.DateField(_("date"))
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("participants")
    )
    other_participants = models.CharField(_("other participants"), max_length=300, blank=True)
    risks = models.ManyToManyField(Risk, blank=True, related_name="assessments", verbose_name=_("risks reviewed"))
    summary = models.TextField(_("summary"), blank=True)

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")

    def __str__(self):
        return f"{self.unit} {self.held_on:%d.%m.%Y}"


class RiskDeviationLink(Authored, LabelledByNumber):
    """A deviation report tied to a known risk (kept here: the risks app owns the
    link; the deviation page reads it through `selectors`). `unit` is the
    deviation's and the risk's unit (they must match)."""

    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="deviation_links")
    deviation = models.ForeignKey("deviations.Deviation", on_delete=models.CASCADE, related_name="+")

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["risk", "deviation"], name="risk_deviation_link_once")]


class RiskReviewReminder(LabelledByNumber):
    """The claim of one risk's review reminder for one review date: unique, and
    inserted in the same transaction as the outbox rows (sent once)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="+")
    review_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["risk", "review_date"], name="risk_review_reminder_once")]
