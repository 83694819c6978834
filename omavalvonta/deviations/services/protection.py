"""The protected reporter (Sote-valvontalaki § 29): the one way a protected
identity is disclosed, to the unit's responsible person, for one report, with a
reason that is recorded. Who may see what is `identity.reporter_display`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from omavalvonta.deviations import identity
from omavalvonta.deviations.models import Deviation
from omavalvonta.deviations.services._common import _check_max_length, _clean_text, _event
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
    _event(actor, deviation, identity.DISCLOSED_VERB, reason=reason)


# --- A data-subject request (privacy, core.registry SUBJECT_ACTIONS) ---------------------
#
# The rule for removing a reporter's identity from a report they made (GDPR
# art. 17), written down:
# - A § 29 notice (a grievance: the staff's duty to report a shortcoming in a
#   client's care, Sote-valvontalaki 741/2023 § 29, formerly Social Welfare Act
#   1301/2014 §§ 48-49) is kept with who made it: the provider must be able to
#   show that the notice was made and handled, and the reporter's protection
#   against negative consequences (§ 29(4)) rests on it. The identity stays
#   protected, never disclosed without the recorded reason (art. 17(3)(b)).
# - A report still being handled keeps its reporter: the handler may still ask
#   them (the handling duty of the provider's self-supervision, 741/2023 § 27).
# - A closed ordinary report may lose its reporter: it becomes anonymous, its
#   content stays (the provider's self-supervision record); the reporter's
#   messages and the submission's audit event lose their author too.
# - A report made through a whistle-blower channel (Act 1171/2022) is not made in
#   this product; its own retention (5 years, § 29 of that Act) would govern.


def reporter_removal_refusal(deviation: Deviation) -> str:
    """Why the reporter's identity must be kept on this report ("" when it may go)."""
    from omavalvonta.deviations.choices import Kind
    from omavalvonta.deviations.models import State

    if deviation.kind == Kind.GRIEVANCE:
        return _(
            "A § 29 notice is kept with who made it: the provider must show that it was made and handled, "
            "and the reporter's protection rests on it (Sote-valvontalaki 741/2023 § 29; GDPR art. 17(3)(b)). "
            "The identity stays protected."
        )
    if deviation.state != State.CLOSED:
        return _("The report is still being handled and the handler may need to ask the reporter (741/2023 § 27).")
    return ""


@transaction.atomic
def deviation_reporter_remove(*, actor, deviation: Deviation, person) -> None:
    """Remove `person`'s identity as the reporter of `deviation` on an erasure
    request decided by the data-protection officer: the report becomes
    anonymous, where the rule above allows."""
    from django.contrib.contenttypes.models import ContentType

    from omavalvonta.core.models import AuditEvent
    from omavalvonta.deviations.models import DeviationMessage, MessageDirection

    if not access.has_perm_organisation_wide(actor, access.P_SUBJECT_REQUEST_MANAGE):
        raise PermissionDenied(access.P_SUBJECT_REQUEST_MANAGE)
    deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
    if deviation.reporter_id != person.pk:
        raise ValidationError(_("The person is not this report's reporter."))
    refusal = reporter_removal_refusal(deviation)
    if refusal:
        raise ValidationError(refusal)
    deviation.reporter, deviation.is_anonymous = None, True
    deviation.save(update_fields=["reporter", "is_anonymous"])
    DeviationMessage.objects.filter(
        deviation=deviation, author=person, direction=MessageDirection.FROM_REPORTER
    ).update(author=None)
    AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Deviation), target_id=deviation.pk, actor=person,
        verb__in=("deviation.submitted", "deviation.message_from_reporter"),
    ).update(actor=None)
    _event(actor, deviation, "deviation.reporter_removed")
