"""Framework-level records shared by every area: the audit trail and the
personal-data access log. Area apps never write these rows directly; they call
`core.services`."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class EditVersioned(models.Model):
    """A shared record edited through forms: `edit_version` counts its saves, so a
    form opened at an older version cannot overwrite a newer one unseen (see
    core/concurrency.py)."""

    edit_version = models.PositiveIntegerField(_("edit version"), default=1, editable=False)

    class Meta:
        abstract = True


class Authored(models.Model):
    """A record someone wrote: who created it and when. The author is kept
    (PROTECT): a person who wrote records is deactivated, never deleted."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class SourceLinked(models.Model):
    """A record that came from another area's record (a deviation, a meeting's
    decision...), named by content type and id so that neither area imports the
    other. Both are None when nothing is linked, or once the source is destroyed
    (retention: `core.services.references_forget` for registry RECORD_DESTROYED).
    Each model keeps its own index on the pair in its Meta."""

    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        abstract = True


class TargetLinked(models.Model):
    """A row about one record of any area (the record a write changed, a decision
    to acknowledge, a report that names a child), named by content type and id so
    that the row's owner imports nothing of the record's area."""

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()

    class Meta:
        abstract = True


class LabelledByNumber(models.Model):
    """A record without a title of its own, shown as its kind and number
    ("informed party #12"): never a child's, a reporter's or a reader's name."""

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self._meta.verbose_name} #{self.pk}"


class AuditEvent(TargetLinked):
    """One write that mattered: who did what to which record, and when.

    Timelines on object pages are read from these rows, so every service that
    changes an important object writes one in the same transaction.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=64)
    unit = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.target_type_id}:{self.target_id}"


class AccessLogEntry(LabelledByNumber):
    """A read of personal data: who saw which record, with which right, from where.

    A list or an export read is one row without a target: `what` names the list
    and `detail` its filter (the query string), not one row per record listed.
    A reader without an account (a social worker's download with a one-time
    code) has no actor: `reader` names them."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The signed-in reader; None when the reader has no account here (`reader` names them).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A reader without an account: a child's social worker who downloaded a
    # document with a one-time code ("name <e-mail>").
    reader = models.CharField(max_length=200, blank=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    unit = models.ForeignKey("organisation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=64)
    right = models.CharField(max_length=64)
    detail = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"]),
            # One person's reads in time (the access-log review's "many reads in a short time").
            models.Index(fields=["actor", "at"], name="accesslog_actor_at"),
        ]
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")

    @property
    def reader_name(self) -> str:
        """Who read: the signed-in person, or the outside reader named in the row."""
        if self.actor_id is None:
            return self.reader
        return self.actor.full_name or self.actor.email
