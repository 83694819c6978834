"""A child's placement in a unit, and the records (deviation reports) that name
the child.

Minimal by design: the client information system stays the record of care.
Here is only what quality work needs: the name the unit uses (or initials), the
birth year, the placing county and its responsible social worker, the dates of
the placement and of the two plans. No personal identity code, no health data."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.models import EditVersioned, TargetLinked, TimeStampedModel
from omavalvonta.organisation.access import UnitScopedQuerySet
from omavalvonta.organisation.models import Unit, WellbeingCounty


class PlacementType(models.TextChoices):
    SUBSTITUTE_CARE = "substitute_care", _("Substitute care")
    OPEN_CARE = "open_care", _("Open-care support")
    AFTERCARE = "aftercare", _("Aftercare")


class PlacementQuerySet(UnitScopedQuerySet):
    def current(self, today):
        """Placements not ended by `today` (an end date is the day the child left)."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))

    def ended(self, today):
        return self.filter(ends_on__lte=today)


class Placement(EditVersioned, TimeStampedModel):
    """A child's stay in a unit. Ending it keeps the record (history) and takes
    the child off the unit's daily lists."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="placements", verbose_name=_("unit"))
    name = models.CharField(
        _("name used in the unit"),
        max_length=60,
        help_text=_("The name the unit uses for the child, or initials. No identity code."),
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    placement_type = models.CharField(_("type"), max_length=20, choices=PlacementType.choices)
    county = models.ForeignKey(
        WellbeingCounty,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("placing wellbeing services county"),
    )
    social_worker_name = models.CharField(_("responsible social worker"), max_length=150)
    social_worker_email = models.EmailField(_("social worker's work e-mail"))
    social_worker_phone = models.CharField(_("social worker's phone"), max_length=40, blank=True)
    starts_on = models.DateField(_("placement start"))
    ends_on = models.DateField(_("placement end"), null=True, blank=True)
    client_plan_on = models.DateField(_("client plan dated"), null=True, blank=True)
    care_plan_on = models.DateField(_("care-and-upbringing plan dated"), null=True, blank=True)
    # The child's named worker in the unit (omaohjaaja), optional: the one
    # reminded of the child's measurements.
    personal_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("personal worker"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["unit", "ends_on", "name"], name="placement_unit_list")]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self):
        return self.name


class PlacementMention(TargetLinked):
    """A record that concerns a placed child: a deviation report naming the child.
    The record is named by content type and id, so the clients area needs nothing
    of the area that owns it."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="mentions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    # Who named the child is not kept here: a § 29 reporter's identity is
    # protected, and the record itself says who may see its reporter.
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id", "placement"], name="placement_mention_unique")
        ]
        verbose_name = _("child named in a record")
        verbose_name_plural = _("children named in records")

    def __str__(self):
        return f"{self.target_type_id}:{self.target_id} – {self.placement_id}"


class SocialWorkerDelivery(TimeStampedModel):
    """A document for a placed child's responsible social worker, delivered
    without child data in any e-mail: one message carries a link to a download
    page, another a one-time code; the page asks for the code, the link expires,
    and every attempt is logged (SocialWorkerDownload).

    The document itself is produced when it is downloaded, by the generator the
    owning area registered in core.registry SOCIAL_WORKER_DOCUMENTS under
    `generator`, from `params` (record ids, a period: never names). The row is
    the record of what was sent, to whom and when."""

    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, related_name="social_worker_deliveries", verbose_name=_("child")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    generator = models.CharField(_("document"), max_length=60)
    params = models.JSONField(default=dict, blank=True)
    recipient_name = models.CharField(_("recipient"), max_length=150)
    email = models.EmailField(_("sent to"))
    # The link's token and the code are kept only as keyed hashes.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    expires_at = models.DateTimeField(_("link valid until"))
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    link_notification_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    code_notification_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["placement", "-created_at"], name="sw_delivery_child")]
        verbose_name = _("document for the social worker")
        verbose_name_plural = _("documents for the social worker")

    def __str__(self):
        return f"{self.generator} → {self.email}"


class SocialWorkerDownload(models.Model):
    """One attempt to open a delivery's document: who (the address), when, and
    whether the code was right. The access log of a reader outside the product."""

    delivery = models.ForeignKey(SocialWorkerDelivery, on_delete=models.CASCADE, related_name="downloads")
    at = models.DateTimeField(default=timezone.now)
    address = models.CharField(max_length=64, blank=True)
    succeeded = models.BooleanField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.delivery_id} {self.at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'refused'}"
