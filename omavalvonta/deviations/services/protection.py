"""The protected reporter (Sote-valvontalaki § 29): the one way a protected
identity is disclosed, to the unit's responsible person, for one report, with a
reason that is recorded. Who may see what is `identity.reporter_display`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from omavalvonta.core.services import audit_event_record
from omavalvonta.deviations import identity
from omavalvonta.deviations.models import Deviation
from omavalvonta.deviations.services._common import _check_max_length, _clean_text
from omavalvonta.organisation import access

DISCLOSURE_REASON_MIN = 20
DISCLOSURE_REASON_MAX = 1000


@transaction.atomic
def deviation_reporter_disclose(*, actor, deviation: Deviation, reason: str) -> None:
    """Disclose a protected reporter's identity to `actor` for this one report.

    Only the unit's responsible person (deviation.disclose_reporter) may, and only
    with a reason (at least DISCLOSURE_REASON_MIN characters): why they need to
    know who reported to act on it. Writes an audit event with the reason (the
    report's timeline says that the identity was disclosed, not to whom it
    belongs); the name is then shown to `actor` on this report, each showing in
    the access log."""
    if not identity.may_disclose_reporter(actor, deviation):
        raise PermissionDenied(access.P_DEVIATION_DISCLOSE_REPORTER)
    reason = _clean_text(reason)
    errors: dict = {}
    if len(reason) < DISCLOSURE_REASON_MIN:
        errors["reason"] = _("Write why you need to know who reported (at least %(count)d characters).") % {
            "count": DISCLOSURE_REASON_MIN
        }
    _check_max_length(errors, "reason", reason, DISCLOSURE_REASON_MAX)
    if errors:
        raise ValidationError(errors)
    audit_event_record(
        actor=actor, verb=identity.DISCLOSED_VERB, target=deviation, unit=deviation.unit, reason=reason
    )
