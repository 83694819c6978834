"""Writes of the organisation's readiness (audits/readiness.py): the readiness
group's members, its yearly exercise and the crisis-communication plan's
versions. Keyword-only, `actor` first, atomic, audited; readiness.manage is
checked again here and counts organisation-wide only."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.audits.models import (
    CrisisPlanVersion,
    Drill,
    DrillKind,
    ReadinessMember,
    ReadinessRole,
)
from omavalvonta.audits.readiness import CRISIS_SECTION_KEYS, CRISIS_SECTION_TEXT_MAX
from omavalvonta.audits.services import _past_date, _text, versioned_plan_services
from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.services import audit_event_record
from omavalvonta.organisation import access, access_people


def _require_readiness(actor) -> None:
    """readiness.manage counts organisation-wide only (the quality director, the
    management group, administrators)."""
    if not access.has_perm_organisation_wide(actor, access.P_READINESS_MANAGE):
        raise PermissionDenied(access.P_READINESS_MANAGE)


def _chair_taken(group_role: str, *, other_than: ReadinessMember | None = None) -> bool:
    if group_role != ReadinessRole.CHAIR:
        return False
    chairs = ReadinessMember.objects.filter(group_role=ReadinessRole.CHAIR, ended_at__isnull=True)
    if other_than is not None:
        chairs = chairs.exclude(pk=other_than.pk)
    return chairs.exists()


@transaction.atomic
def readiness_member_add(*, actor, user, group_role: str, duties: str = "") -> ReadinessMember:
    """Add a person of the organisation to the readiness group with their role
    (one chair at a time)."""
    _require_readiness(actor)
    errors = {}
    if user is None or not access_people.people_holding().filter(pk=user.pk).exists():
        errors["user"] = _("Choose a person of the organisation.")
    elif ReadinessMember.objects.filter(user=user, ended_at__isnull=True).exists():
        errors["user"] = _("%(name)s is already in the readiness group.") % {"name": user.full_name}
    if group_role not in ReadinessRole.values:
        errors["group_role"] = _("Choose the role in the group.")
    elif _chair_taken(group_role):
        errors["group_role"] = _("The group already has a chair. Change the chair's role first.")
    duties = _text(errors, "duties", duties, limit=300)
    if errors:
        raise ValidationError(errors)
    member = ReadinessMember.objects.create(user=user, group_role=group_role, duties=duties, added_by=actor)
    audit_event_record(actor=actor, verb="readiness.member_added", target=member, person=user.pk, group_role=group_role)
    return member


@transaction.atomic
def readiness_member_change(*, actor, member: ReadinessMember, group_role: str, duties: str = "",
                            expected_version: int | None = None) -> ReadinessMember:
    """Change a member's role or responsibilities. `expected_version`: the edit
    version the form was opened at; a newer save refuses this one."""
    _require_readiness(actor)
    member.refresh_from_db(from_queryset=ReadinessMember.objects.select_for_update())
    errors = {}
    if member.ended_at is not None:
        errors[NON_FIELD_ERRORS] = [_("This person is no longer in the group.")]
    if group_role not in ReadinessRole.values:
        errors["group_role"] = _("Choose the role in the group.")
    elif _chair_taken(group_role, other_than=member):
        errors["group_role"] = _("The group already has a chair. Change the chair's role first.")
    duties = _text(errors, "duties", duties, limit=300)
    if errors:
        raise ValidationError(errors)
    edit_version_claim(member, expected=expected_version)
    before = member.group_role
    member.group_role, member.duties = group_role, duties
    member.save(update_fields=["group_role", "duties"])
    audit_event_record(actor=actor, verb="readiness.member_changed", target=member, person=member.user_id,
                       group_role_before=before, group_role=group_role)
    return member


@transaction.atomic
def readiness_member_remove(*, actor, member: ReadinessMember) -> ReadinessMember:
    """Take a person out of the group: the row is ended, kept for the history."""
    _require_readiness(actor)
    member.refresh_from_db(from_queryset=ReadinessMember.objects.select_for_update())
    if member.ended_at is not None:
        return member
    member.ended_at, member.ended_by = timezone.now(), actor
    member.save(update_fields=["ended_at", "ended_by"])
    audit_event_record(actor=actor, verb="readiness.member_removed", target=member, person=member.user_id,
                       group_role=member.group_role)
    return member


def readiness_person_left(*, actor, person, unit) -> None:
    """core.registry MEMBERSHIP_ENDED: a deactivated person (unit None) leaves the
    readiness group, kept as a former member (leaving one unit changes nothing:
    the group is the organisation's). Runs in organisation's transaction."""
    if unit is not None:
        return
    for member in ReadinessMember.objects.select_for_update().filter(user=person, ended_at__isnull=True):
        member.ended_at, member.ended_by = timezone.now(), actor
        member.save(update_fields=["ended_at", "ended_by"])
        audit_event_record(actor=actor, verb="readiness.member_removed", target=member, person=person.pk,
                           group_role=member.group_role, reason="deactivated")


@transaction.atomic
def readiness_exercise_record(*, actor, held_on: dt.date, scenario: str, participants=(), went_well: str = "",
                              to_improve: str = "") -> Drill:
    """The readiness group's yearly exercise: a drill of the whole organisation
    (no unit). Recording it moves the next exercise's due date a year on."""
    _require_readiness(actor)
    errors = {}
    _past_date(errors, "held_on", held_on)
    scenario = _text(errors, "scenario", scenario, required=True, limit=300, message=_("Describe the scenario."))
    went_well = _text(errors, "went_well", went_well)
    to_improve = _text(errors, "to_improve", to_improve)
    if not participants:
        errors["participants"] = _("Choose who took part.")
    if errors:
        raise ValidationError(errors)
    drill = Drill.objects.create(
        kind=DrillKind.READINESS_EXERCISE, unit=None, held_on=held_on, scenario=scenario, went_well=went_well,
        to_improve=to_improve, created_by=actor,
    )
    drill.participants.set(participants)
    audit_event_record(actor=actor, verb="readiness.exercise_recorded", target=drill,
                       held_on=held_on.isoformat(), participants=len(participants))
    return drill


crisis_plan_draft_start, crisis_plan_draft_save, crisis_plan_approve = versioned_plan_services(
    CrisisPlanVersion, verb="crisis_plan", keys=CRISIS_SECTION_KEYS, limit=CRISIS_SECTION_TEXT_MAX, require=_require_readiness
)
