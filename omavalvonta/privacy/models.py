"""The review of the access log.

The access log itself (`core.AccessLogEntry`) is append-only: nothing in the
application updates or deletes a row. A review is a row of its own beside the
entry: who looked at a flagged read, when, and what they concluded."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LogReview(models.Model):
    entry = models.OneToOneField("core.AccessLogEntry", on_delete=models.CASCADE, related_name="review")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("access log review")
        verbose_name_plural = _("access log reviews")

    def __str__(self):
        return f"{self._meta.verbose_name} #{self.pk}"
