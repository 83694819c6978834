"""The client's formal complaint (muistutus) and its handling.

Sosiaalihuollon asiakaslaki (812/2000) § 23: a client who is dissatisfied with
their treatment has the right to make a complaint (muistutus) to the unit's
responsible person or to the leading official; the legal representative, a
relative or another person close to the client may make it when the client
cannot. "The complaint is to be handled properly and a written, reasoned answer
given within a reasonable time" (§ 23.3). The law fixes no number of days: the
organisation sets its own deadline (ComplaintSettings), and each complaint
keeps the due date of the day it was received.

Personal data kept: the complainant's name and the contact the written answer
goes to, nothing more. They are shown on the complaint's page only (its reads
are logged), never in an e-mail, a URL, a list or a figure."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.models import TimeStampedModel
from omavalvonta.organisation.access import UnitScopedQuerySet
from omavalvonta.organisation.models import Unit

# The default deadline for the written answer, in days from receipt. Sosiaalihuollon
# asiakaslaki 812/2000 § 23.3 says only "within a reasonable time" (kohtuullisessa
# ajassa); a month is a common policy (verify against the supervisor's current
# guidance). The organisation changes it in ComplaintSettings.
DEFAULT_ANSWER_DAYS = 30
ANSWER_DAYS_MIN = 1
ANSWER_DAYS_MAX = 90


class ComplaintSettings(models.Model):
    """The organisation's own rule for complaints: one row (the first is used)."""

    answer_days = models.PositiveSmallIntegerField(
        _("days to answer"),
        default=DEFAULT_ANSWER_DAYS,
        help_text=_("The written answer is due this many days after the complaint was received."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("complaint settings")
        verbose_name_plural = _("complaint settings")

    def __str__(self):
        return f"{self.answer_days}"


class ComplainantKind(models.TextChoices):
    CHILD = "child", _("The child or young person")
    GUARDIAN = "guardian", _("A parent or guardian")
    REPRESENTATIVE = "representative", _("A legal representative")
    OTHER = "other", _("Someone else close to the child")


class ReceivedVia(models.TextChoices):
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")
    PUBLIC_SITE = "public_site", _("The public website")


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_HANDLING = "in_handling", _("In handling")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# The states in which the written answer is still owed.
OPEN_STATES = (State.RECEIVED, State.IN_HANDLING)

# Existing badge styles (app.css) for each state.
STATE_BADGES = {
    State.RECEIVED: "submitted",
    State.IN_HANDLING: "in_handling",
    State.ANSWERED: "actions_decided",
    State.CLOSED: "closed",
}

SUBJECT_MAX = 2000
ANSWER_MAX = 5000
NAME_MAX = 150
CONTACT_MAX = 200


class Complaint(TimeStampedModel):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    received_on = models.DateField(_("received on"))
    received_via = models.CharField(_("received via"), max_length=12, choices=ReceivedVia.choices)
    complainant_kind = models.CharField(_("complainant"), max_length=16, choices=ComplainantKind.choices)
    # Personal data: shown on the complaint's page only (logged reads).
    complainant_name = models.CharField(_("complainant's name"), max_length=NAME_MAX)
    complainant_contact = models.CharField(_("where the answer is sent"), max_length=CONTACT_MAX, blank=True)
    subject = models.TextField(_("what the complaint is about"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.RECEIVED)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("handler"),
    )
    # The due date of the written answer: received_on + the organisation's days as they were then.
    answer_due = models.DateField(_("answer due"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_summary = models.TextField(_("the gist of the written answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # None: sent through the public website.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UnitScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "-received_on", "-id"], name="complaint_unit_list"),
            models.Index(fields=["handler", "state"], name="complaint_handler_open"),
            models.Index(fields=["state", "answer_due"], name="complaint_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state__in=["answered", "closed"]) | models.Q(answered_on__isnull=False),
                name="complaint_answered_has_date",
            ),
        ]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self):
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_late(self) -> bool:
        """The answer is owed and its due date has passed."""
        return self.is_open and self.answer_due < timezone.localdate()

    @property
    def answered_late(self) -> bool:
        return self.answered_on is not None and self.answered_on > self.answer_due

    @property
    def state_badge(self) -> str:
        return STATE_BADGES.get(self.state, "neutral")
