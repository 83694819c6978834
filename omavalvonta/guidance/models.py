"""Guidance, decisions, inspection findings and requests for explanation
(selvityspyynnöt) from the supervisory authority and the wellbeing services
counties, with their handling: the response, its review, the instructions given
to staff and the actions decided.

Why a Guidance is not a single-unit model
----------------------------------------
Every other record of the product belongs to exactly one unit. An authority's
letter does not: it may name one unit, several, or the whole group, and a
letter to one unit may be marked as affecting all units. So a Guidance lists
its units in a through table (`GuidanceUnit`) and carries a flag
`applies_to_all_units`; `unit` is a convenience copy of the single unit when
there is exactly one (it is empty for group-wide and multi-unit items).

The access rule (applied in `selectors.guidance_visible`): a person sees an item
when they hold guidance.view in any of its units, or when it applies to all
units and they hold guidance.view anywhere. Writes need guidance.manage in every
affected unit, or an organisation-wide guidance.manage grant for group-wide
items; the review needs guidance.review the same way.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.attachments import random_name
from omavalvonta.core.models import EditVersioned, LabelledByNumber


class Kind(models.TextChoices):
    GUIDANCE = "guidance", _("Guidance")
    DECISION = "decision", _("Decision")
    INSPECTION_FINDING = "inspection_finding", _("Inspection finding")
    INFORMATION_REQUEST = "information_request", _("Request for explanation")


# Kinds that are answered: a response is prepared, reviewed and sent.
RESPONSE_KINDS = frozenset({Kind.INSPECTION_FINDING, Kind.INFORMATION_REQUEST})


class State(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    RESPONSE_IN_PREPARATION = "response_in_preparation", _("Response in preparation")
    RESPONSE_IN_REVIEW = "response_in_review", _("Response in review")
    RESPONDED = "responded", _("Responded")
    INSTRUCTIONS_ISSUED = "instructions_issued", _("Instructions issued")
    CLOSED = "closed", _("Closed")


# Existing badge styles (app.css) for each state: no new CSS per state.
STATE_BADGES = {
    State.REGISTERED: "submitted",
    State.RESPONSE_IN_PREPARATION: "in_handling",
    State.RESPONSE_IN_REVIEW: "actions_decided",
    State.RESPONDED: "closed",
    State.INSTRUCTIONS_ISSUED: "closed",
    State.CLOSED: "neutral",
}

# The states in which a deadline still has to be met.
PENDING_STATES = (State.REGISTERED, State.RESPONSE_IN_PREPARATION, State.RESPONSE_IN_REVIEW)


class GuidanceQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state__in=PENDING_STATES)


def _sender(model: str, verbose_name) -> models.ForeignKey:
    """One of the two kinds of sender of a guidance item (an authority, a county)."""
    return models.ForeignKey(
        model, null=True, blank=True, on_delete=models.PROTECT, related_name="guidance", verbose_name=verbose_name
    )


class Guidance(EditVersioned):
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.REGISTERED)

    # Sender: exactly one of the two (check constraint).
    authority = _sender("organisation.Authority", _("supervisory authority"))
    county = _sender("organisation.WellbeingCounty", _("wellbeing services county"))
    sender_reference = models.CharField(_("sender's reference or diary number"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"))
    title = models.CharField(_("title"), max_length=250)
    content = models.TextField(_("content"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    # Scope (see the module docstring).
    applies_to_all_units = models.BooleanField(_("affects all units"), default=False)
    units = models.ManyToManyField(
        "organisation.Unit", through="GuidanceUnit", related_name="guidance", verbose_name=_("units")
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("The single unit concerned; empty for group-wide and multi-unit items."),
    )

    # Handling
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_guidance",
        verbose_name=_("responsible for the response"),
    )
    response = models.TextField(_("response"), blank=True)
    response_submitted_at = models.DateTimeField(null=True, blank=True)
    response_date = models.DateField(_("response date"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    instructions = models.TextField(_("instructions to staff"), blank=True)
    instructions_issued_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    # Deadline job claims: each is set once, by a conditional UPDATE.
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GuidanceQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(authority__isnull=False) & Q(county__isnull=True))
                | (Q(authority__isnull=True) & Q(county__isnull=False)),
                name="guidance_exactly_one_sender",
            ),
            models.CheckConstraint(
                condition=~Q(kind="information_request") | Q(deadline__isnull=False),
                name="guidance_information_request_has_deadline",
            ),
            models.CheckConstraint(
                condition=Q(applies_to_all_units=False) | Q(unit__isnull=True),
                name="guidance_group_wide_has_no_single_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "deadline"]),
            models.Index(fields=["-received_on", "-id"]),
            models.Index(fields=["applies_to_all_units"]),
        ]
        verbose_name = _("guidance item")
        verbose_name_plural = _("guidance from authorities")

    def __str__(self):
        return self.title

    @property
    def sender(self):
        return self.authority or self.county

    @property
    def requires_response(self) -> bool:
        return self.kind in RESPONSE_KINDS

    @property
    def is_pending(self) -> bool:
        return self.state in PENDING_STATES

    @property
    def state_badge(self) -> str:
        return STATE_BADGES.get(self.state, "neutral")

    @property
    def is_overdue(self) -> bool:
        return self.is_pending and self.deadline is not None and self.deadline < timezone.localdate()


class GuidanceUnit(LabelledByNumber):
    """One unit an item concerns (the access kernel filters through this table)."""

    guidance = models.ForeignKey(Guidance, on_delete=models.CASCADE, related_name="unit_links")
    unit = models.ForeignKey("organisation.Unit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["guidance", "unit"], name="guidance_unit_once")]
        indexes = [models.Index(fields=["unit", "guidance"])]


def attachment_path(instance, filename):
    # A random name: never the original file name.
    return random_name("guidance", filename)


class GuidanceAttachment(LabelledByNumber):
    """A file of an item (the letter, the decision). Read through the item's access check."""

    guidance = models.ForeignKey(Guidance, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
