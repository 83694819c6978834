"""Learning reviews (oppimiskatselmukset, after-action reviews): for a serious
event, a pattern of similar events, or on a handler's or director's decision,
a facilitator and participants answer five questions (what was expected, what
happened, why it differed, what helped, what we learn), with the deviations
that led to it and the actions it decided (improvement's actions, the review
as their source).

On completion the facilitator writes a short, anonymised learning summary. The
quality director shares it with every unit or with the units of one service
type; their staff acknowledge it like new instructions (improvement's
acknowledgements), and it can be put on a team meeting's agenda.

A review belongs to one unit, or to none (organisation-wide: a theme across
units); the access kernel scopes it by that unit. Its facilitator, its
participants and the person who opened it read it whatever their role."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.models import EditVersioned
from omavalvonta.organisation.access import UnitScopedQuerySet
from omavalvonta.organisation.models import ServiceType


class State(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")


# The five questions, in the order they are answered: field name -> label.
QUESTIONS = (
    ("expected", _("What was expected to happen?")),
    ("happened", _("What actually happened?")),
    ("why_differed", _("Why was there a difference?")),
    ("helped", _("What helped, what went well?")),
    ("learned", _("What do we learn, what do we change?")),
)


class LearningReview(EditVersioned):
    unit = models.ForeignKey(
        "organisation.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("Empty for an organisation-wide review."),
    )
    title = models.CharField(_("title"), max_length=250)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("facilitator")
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("participants")
    )
    # Where it was opened from: "name:id" of a core.registry LEARNING_ORIGINS
    # entry (never client data); empty when opened from scratch.
    origin = models.CharField(_("opened from"), max_length=60, blank=True)
    deviations = models.ManyToManyField(
        "deviations.Deviation", blank=True, related_name="+", verbose_name=_("linked deviations")
    )
    expected = models.TextField(_("what was expected"), blank=True)
    happened = models.TextField(_("what happened"), blank=True)
    why_differed = models.TextField(_("why it differed"), blank=True)
    helped = models.TextField(_("what helped"), blank=True)
    learned = models.TextField(_("what we learn"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    due_date = models.DateField(_("to be completed by"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "state", "due_date"]),
            models.Index(fields=["facilitator", "state"]),
            models.Index(fields=["state", "due_date"]),
        ]
        verbose_name = _("learning review")
        verbose_name_plural = _("learning reviews")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()


class LearningSummary(models.Model):
    """The short, anonymised text the facilitator writes on completion, and its
    sharing: `shared_at` set when the quality director shares it, with every
    unit (`service_type` empty) or with the units of one service type."""

    review = models.OneToOneField(LearningReview, on_delete=models.CASCADE, related_name="summary")
    # The review's unit (None: organisation-wide), for the kernel's scope.
    unit = models.ForeignKey("organisation.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The review's title, copied (the summary is read without the review).
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("learning summary"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service_type = models.CharField(
        _("shared with"), max_length=20, choices=ServiceType.choices, blank=True,
        help_text=_("Empty: every unit."),
    )
    # The acknowledgement requests still to be made: sharing sets it and returns at
    # once; the worker's job (learning.share_requests) claims it (a conditional
    # UPDATE back to None) and asks the units' staff. None: nothing pending.
    requests_pending_since = models.DateTimeField(null=True, blank=True)
    requests_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-shared_at", "-id"]
        indexes = [models.Index(fields=["shared_at"])]
        verbose_name = _("learning summary")
        verbose_name_plural = _("learning summaries")

    def __str__(self):
        return str(_("Learning summary: %(title)s") % {"title": self.title})

    def get_absolute_url(self):
        return reverse("learning:summary", args=[self.pk])

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None

    @property
    def requests_pending(self) -> bool:
        return self.requests_pending_since is not None
