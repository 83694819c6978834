"""Themes across units: what the deviations of a period and a scope have in
common, computed by a job (`themes.themes_compute`), never at a page's load.

A `ThemeRun` is one computation for one scope (a region, or the whole
organisation) and period; its `Theme` rows are the groups it found: a kind of
report and the terms its texts share, with counts, the units affected and the
trend against the period before. Counts, unit ids and terms only: no names,
no texts."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Trend(models.TextChoices):
    NEW = "new", _("New")
    UP = "up", _("Growing")
    SAME = "same", _("Unchanged")
    DOWN = "down", _("Declining")


class ThemeRun(models.Model):
    # None: the whole organisation.
    region = models.ForeignKey(
        "organisation.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    deviations = models.PositiveIntegerField(_("reports read"), default=0)
    previous_deviations = models.PositiveIntegerField(_("reports in the previous period"), default=0)

    class Meta:
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["region", "-computed_at", "-id"])]
        verbose_name = _("theme computation")
        verbose_name_plural = _("theme computations")

    def __str__(self):
        return f"{self.period_start}–{self.period_end}"


class Theme(models.Model):
    run = models.ForeignKey(ThemeRun, on_delete=models.CASCADE, related_name="themes")
    # A deviations Kind value (the kind's label is the deviations area's).
    kind = models.CharField(_("type"), max_length=24)
    # [[term, display word, weight], ...], strongest first: what explains the theme.
    terms = models.JSONField(_("terms"), default=list)
    count = models.PositiveIntegerField(_("reports"))
    units_affected = models.PositiveIntegerField(_("units affected"))
    previous_count = models.PositiveIntegerField(_("reports in the previous period"), default=0)
    trend = models.CharField(_("trend"), max_length=8, choices=Trend.choices)
    # The reports and units of the theme (a learning review starts from them;
    # the page names the units).
    deviation_ids = models.JSONField(default=list)
    unit_ids = models.JSONField(default=list)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run", "order", "id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return ", ".join(t[1] for t in self.terms[:3])

    @property
    def top_words(self) -> list[str]:
        return [t[1] for t in self.terms]
