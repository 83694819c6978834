"""The dialogue between the handler and the reporter while a report is open: the
handler asks, the reporter answers or adds information, in the product when
named and with the follow-up code when anonymous.

E-mails carry no case content (no message text, no description): only that a
message waits, and a link into the product, where reads are logged."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from omavalvonta.deviations import rules
from omavalvonta.deviations.models import Deviation, DeviationMessage, MessageDirection
from omavalvonta.deviations.services._common import (
    _check_max_length,
    _clean_text,
    _event,
    _require_open,
    _save,
    _start_handling,
    _tell,
)
from omavalvonta.organisation import access

MESSAGE_MAX = 4000
# A second identical message this soon is a resent form (a reload), not a new one.
DUPLICATE_WINDOW = dt.timedelta(minutes=10)


def _check_body(body: str) -> str:
    body = _clean_text(body)
    errors: dict = {}
    if not body:
        errors["body"] = _("Write the message.")
    else:
        _check_max_length(errors, "body", body, MESSAGE_MAX)
    if errors:
        raise ValidationError(errors)
    return body


def _refuse_duplicate(deviation: Deviation, direction: str, body: str, now) -> None:
    if DeviationMessage.objects.filter(
        deviation=deviation, direction=direction, body=body, created_at__gte=now - DUPLICATE_WINDOW
    ).exists():
        raise ValidationError({"body": _("This message has already been sent.")})


def _record(deviation: Deviation, *, direction: str, author, body: str, now, actor, **data) -> DeviationMessage:
    """Store one message and tell the timeline (the audit trail)."""
    message = DeviationMessage.objects.create(
        deviation=deviation, unit=deviation.unit, direction=direction, author=author, body=body, created_at=now
    )
    verb = "deviation.message_to_reporter" if direction == MessageDirection.TO_REPORTER else "deviation.message_from_reporter"
    _event(actor, deviation, verb, message_id=message.pk, **data)
    return message


# How the other side is told of a new message, by its direction: the kind, the
# subject and the body of the notification (no content, only the link).
_TOLD = {
    MessageDirection.TO_REPORTER: (
        "deviation.question",
        gettext_lazy("The handler has a question about your report %(number)s"),
        gettext_lazy("Read the question and answer it in the product."),
    ),
    MessageDirection.FROM_REPORTER: (
        "deviation.reporter_message",
        gettext_lazy("The reporter has sent a message about report %(number)s"),
        gettext_lazy("Read the message in the product."),
    ),
}


def _tell_of_message(person, deviation: Deviation, direction: str) -> None:
    kind, subject, body = _TOLD[direction]
    _tell([person], deviation, kind=kind, subject=str(subject) % {"number": deviation.number}, body=str(body))


def _reachable_named_reporter(deviation: Deviation):
    reporter = deviation.reporter if deviation.reporter_id and not deviation.is_anonymous else None
    return reporter if reporter is not None and reporter.is_active else None


@transaction.atomic
def deviation_message_to_reporter(*, actor, deviation: Deviation, body: str) -> DeviationMessage:
    """The handler asks the reporter something (requires deviation.handle; the
    report must be open). A named reporter is told in the product and by e-mail
    (no content, a link); an anonymous one sees it on the follow-up page."""
    access.require_on(actor, deviation, access.P_DEVIATION_HANDLE)
    _require_open(deviation)
    body = _check_body(body)
    reporter = _reachable_named_reporter(deviation)
    if reporter is None and not deviation.followup_code_digest:
        raise ValidationError(
            _("The reporter cannot be reached: the report has no reporter account and no follow-up code.")
        )
    now = timezone.now()
    _refuse_duplicate(deviation, MessageDirection.TO_REPORTER, body, now)
    message = _record(deviation, direction=MessageDirection.TO_REPORTER, author=actor, body=body, now=now, actor=actor)
    fields: list[str] = []
    _start_handling(deviation, now, fields)
    _save(deviation, fields)
    if reporter is not None:
        _tell_of_message(reporter, deviation, MessageDirection.TO_REPORTER)
    return message


def _tell_handler(deviation: Deviation) -> None:
    handler = deviation.handler if deviation.handler_id else None
    if handler is not None and handler.is_active:
        _tell_of_message(handler, deviation, MessageDirection.FROM_REPORTER)


@transaction.atomic
def deviation_message_from_reporter(*, actor, deviation: Deviation, body: str) -> DeviationMessage:
    """The named reporter answers or adds information to their own open report.
    The handler is told."""
    if (
        not getattr(actor, "is_authenticated", False)
        or not actor.is_active
        or deviation.is_anonymous
        or deviation.reporter_id != actor.pk
    ):
        raise PermissionDenied(access.P_DEVIATION_VIEW)
    _require_open(deviation)
    body = _check_body(body)
    now = timezone.now()
    _refuse_duplicate(deviation, MessageDirection.FROM_REPORTER, body, now)
    message = _record(deviation, direction=MessageDirection.FROM_REPORTER, author=actor, body=body, now=now, actor=actor)
    _tell_handler(deviation)
    return message


@transaction.atomic
def deviation_message_from_followup(*, code: str, body: str) -> DeviationMessage:
    """The reporter answers (or adds information) with the follow-up code, on the
    public follow-up page, without signing in: nothing links the message to a
    person. The handler is told."""
    from omavalvonta.deviations.selectors import deviation_for_followup_code

    deviation = deviation_for_followup_code(code=code)
    if deviation is None or not rules.followup_code_is_well_formed(rules.followup_code_normalise(code)):
        raise ValidationError({"code": _("No report was found with this code. Check the code and try again.")})
    deviation = Deviation.objects.select_for_update(of=("self",)).select_related("unit", "handler").get(pk=deviation.pk)
    if not deviation.is_open:
        raise ValidationError({"body": _("The report is closed: messages can no longer be sent.")})
    body = _check_body(body)
    now = timezone.now()
    _refuse_duplicate(deviation, MessageDirection.FROM_REPORTER, body, now)
    # No actor and no author: nothing ties the message to a person.
    message = _record(
        deviation, direction=MessageDirection.FROM_REPORTER, author=None, body=body, now=now, actor=None, channel="followup"
    )
    _tell_handler(deviation)
    return message
