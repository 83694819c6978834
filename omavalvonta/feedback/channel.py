"""Writes of the public feedback channel: feedback and notices sent from the
public site (a notice becomes a client-rights deviation through the deviations'
service), their follow-up codes, and the staff's answers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.services import audit_event_record
from omavalvonta.deviations import rules as code_rules
from omavalvonta.feedback.models import (
    PublicFeedback,
)
from omavalvonta.organisation import access

MAX_PUBLIC_MESSAGE = 5000
MAX_ANSWER = 5000


def _clean_public(message: str, name: str, contact: str) -> tuple[str, str, str]:
    message, name, contact = (message or "").strip(), " ".join((name or "").split()), " ".join((contact or "").split())
    errors = {}
    if not message:
        errors["message"] = _("Write your message.")
    elif len(message) > MAX_PUBLIC_MESSAGE:
        errors["message"] = _("Write at most %(max)d characters.") % {"max": MAX_PUBLIC_MESSAGE}
    if len(name) > 150:
        errors["sender_name"] = _("Write at most %(max)d characters.") % {"max": 150}
    if len(contact) > 200:
        errors["sender_contact"] = _("Write at most %(max)d characters.") % {"max": 200}
    if errors:
        raise ValidationError(errors)
    return message, name, contact


@transaction.atomic
def public_feedback_submit(*, unit, message: str, sender_name: str = "", sender_contact: str = "", language: str = "fi"):
    """Feedback from the public channel to `unit` (None: the organisation). No
    actor: anyone may send. Returns (feedback, follow-up code); only the code's
    digest is stored. The unit's feedback managers are told."""
    if unit is not None and not unit.is_active:
        raise ValidationError({"unit": _("Choose a unit.")})
    message, sender_name, sender_contact = _clean_public(message, sender_name, sender_contact)
    code = code_rules.followup_code_generate()
    feedback = PublicFeedback.objects.create(
        unit=unit,
        message=message,
        sender_name=sender_name,
        sender_contact=sender_contact,
        language=(language or "fi")[:2],
        followup_code_digest=code_rules.followup_code_digest(code),
    )
    audit_event_record(actor=None, verb="feedback.public_received", target=feedback, unit=unit)
    _notify_public_feedback(feedback)
    return feedback, code


def _notify_public_feedback(feedback: PublicFeedback) -> None:
    from django.urls import reverse

    from omavalvonta.notifications.services import notification_enqueue
    from omavalvonta.organisation import access_people
    from omavalvonta.organisation.models import Role

    roles = set(access.roles_with(access.P_FEEDBACK_MANAGE))
    if feedback.unit is None:
        where = {"roles": roles & {Role.QUALITY_DIRECTOR}, "organisation_wide": True}
    else:
        where = {"roles": roles & {Role.SUPERVISOR, Role.RESPONSIBLE_PERSON}, "unit": feedback.unit}
    memberships = access_people.memberships_of(**where).select_related("user")
    seen = set()
    for m in memberships:
        if m.user_id in seen:
            continue
        seen.add(m.user_id)
        notification_enqueue(
            recipient=m.user,
            kind="feedback.public_received",
            subject=_("New feedback: %(target)s") % {"target": feedback.unit.name if feedback.unit else _("the organisation")},
            body=_("Feedback has arrived through the public feedback channel. Read and answer it in Omavalvonta."),
            link=reverse("feedback:public_detail", args=[feedback.pk]),
        )


def public_feedback_for_code(code: str) -> PublicFeedback | None:
    import hmac

    normalised = code_rules.followup_code_normalise(code)
    if not code_rules.followup_code_is_well_formed(normalised):
        return None
    digest = code_rules.followup_code_digest(normalised)
    feedback = PublicFeedback.objects.select_related("unit").filter(followup_code_digest=digest).first()
    if feedback is None or not hmac.compare_digest(feedback.followup_code_digest, digest):
        return None
    return feedback


def _require_on_feedback(actor, feedback: PublicFeedback, perm: str) -> None:
    if feedback.unit is None:
        if not access.has_perm_organisation_wide(actor, perm):
            raise PermissionDenied(perm)
    else:
        access.require(actor, perm, feedback.unit)


@transaction.atomic
def public_feedback_answer(*, actor, feedback: PublicFeedback, answer: str) -> PublicFeedback:
    """Answer feedback (requires feedback.manage over its unit; organisation-wide
    for feedback to the organisation). The sender reads it with their code."""
    _require_on_feedback(actor, feedback, access.P_FEEDBACK_MANAGE)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    if len(answer) > MAX_ANSWER:
        raise ValidationError({"answer": _("Write at most %(max)d characters.") % {"max": MAX_ANSWER}})
    feedback.answer, feedback.answered_at, feedback.answered_by = answer, timezone.now(), actor
    feedback.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
    audit_event_record(actor=actor, verb="feedback.public_answered", target=feedback, unit=feedback.unit)
    return feedback


def notice_submit(*, unit, message: str, sender_name: str = "", sender_contact: str = ""):
    """A written notice about a child's rights or self-determination from the
    public channel: filed as a client-rights deviation in `unit` through the
    deviations' own service (routed to the unit's handler, follow-up code issued).
    Returns the deviations' SubmitResult."""
    from omavalvonta.deviations.services import deviation_submit_public

    if unit is None or not unit.is_active:
        raise ValidationError({"unit": _("Choose the unit the notice concerns.")})
    message, sender_name, sender_contact = _clean_public(message, sender_name, sender_contact)
    return deviation_submit_public(unit=unit, description=message, sender_name=sender_name, sender_contact=sender_contact)
