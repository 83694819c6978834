"""People and their memberships (roles)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.core import registry
from omavalvonta.core.services import audit_event_record
from omavalvonta.organisation import access
from omavalvonta.organisation.models import (
    CountyAccess,
    Membership,
    Region,
    Role,
    Unit,
    User,
)
from omavalvonta.organisation.services._common import (
    ORGANISATION_ONLY_ROLES,
    PERSON_FIELDS,
    REGION_ROLES,
    UNIT_ROLES,
    _changed,
    _require_admin,
    generate_password,
)


def _normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _validate_person(fields: dict, exclude_pk=None) -> dict:
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    fields["email"] = _normalise_email(fields.get("email"))
    errors = {}
    if not fields["email"]:
        errors["email"] = _("Enter the person's e-mail address.")
    elif User.objects.filter(email__iexact=fields["email"]).exclude(pk=exclude_pk).exists():
        errors["email"] = _("A person with this e-mail address already exists.")
    if not fields.get("full_name"):
        errors["full_name"] = _("Enter the person's name.")
    if errors:
        raise ValidationError(errors)
    return fields


def _validate_membership(*, person, role: str, unit: Unit | None, region: Region | None) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if unit is not None and region is not None:
        raise ValidationError({NON_FIELD_ERRORS: [_("Choose either a unit or a region, not both.")]})
    if role in UNIT_ROLES and unit is None:
        raise ValidationError(
            {"unit": _("An employee, supervisor or responsible person works in one unit: choose the unit.")}
        )
    if role in REGION_ROLES and region is None:
        raise ValidationError({"region": _("A regional director leads one region: choose the region.")})
    if role in ORGANISATION_ONLY_ROLES and (unit is not None or region is not None):
        raise ValidationError(
            {"role": _("An administrator maintains the whole organisation: choose “Whole organisation”.")}
        )
    if person is not None and Membership.objects.filter(user=person, role=role, unit=unit, region=region).exists():
        raise ValidationError({NON_FIELD_ERRORS: [_("This person already has this role here.")]})


def _sync_sign_in_address(person: User) -> None:
    """Keep allauth's address book equal to the person's one address. The
    administrator vouches for it (verified); an old address stops working."""
    EmailAddress.objects.filter(user=person).exclude(email__iexact=person.email).delete()
    EmailAddress.objects.update_or_create(
        user=person, email=person.email, defaults={"verified": True, "primary": True}
    )


def _membership_scope_data(membership: Membership) -> dict:
    return {
        "membership": membership.pk,
        "role": membership.role,
        "unit_id": membership.unit_id,
        "region_id": membership.region_id,
        "scope": str(membership.scope_label),
    }


def _refuse_own_roles(*, actor, person) -> None:
    """Nobody changes their own rights: another administrator does it, and the
    change is theirs to answer for (one step must not raise one's own access)."""
    if person.pk == actor.pk:
        raise ValidationError({NON_FIELD_ERRORS: [_("You cannot change your own roles. Ask another administrator.")]})


def _notify_sensitive_grant(*, actor, membership: Membership) -> None:
    """Tell the other administrators and the data protection officers that a role
    reading protected or child data was granted (in the product and by e-mail;
    the message names the role and its scope, no data)."""
    watchers = (
        User.objects.filter(
            is_active=True, memberships__role__in=[Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER]
        )
        .exclude(pk=actor.pk)
        .distinct()
        .order_by("pk")
    )
    person = membership.user
    subject = _("Access to protected data granted: %(person)s") % {"person": person.full_name}
    body = "\n".join(
        [
            _("%(actor)s granted a role that reads protected or child data.") % {"actor": actor.full_name},
            "",
            _("Person: %(person)s") % {"person": person.full_name},
            _("Role: %(role)s – %(scope)s") % {"role": membership.get_role_display(), "scope": membership.scope_label},
            "",
            _("If this was not agreed, remove the role and find out why it was granted."),
        ]
    )
    # The outbox belongs to notifications, a floor above: it plugs itself in (core.registry).
    notification_enqueue = registry.one(registry.OUTBOX)
    for watcher in watchers:
        notification_enqueue(
            recipient=watcher,
            kind="organisation.sensitive_role_granted",
            subject=subject,
            body=body,
            link=reverse("organisation:person_detail", args=[person.pk]),
        )


def _membership_ended(*, actor, person: User, unit: Unit | None) -> None:
    """Tell the areas that keep duties of people (core.registry MEMBERSHIP_ENDED)
    that `person` left `unit` (None: deactivated, every unit). Inside this
    transaction: the duties pass on with the removal or not at all."""
    for entry in registry.entries(registry.MEMBERSHIP_ENDED):
        entry.func(actor=actor, person=person, unit=unit)


def _membership_create(*, actor, person, role, unit, region) -> Membership:
    _validate_membership(person=person, role=role, unit=unit, region=region)
    membership = Membership.objects.create(user=person, role=role, unit=unit, region=region)
    audit_event_record(
        actor=actor, verb="membership.added", target=person, unit=unit, **_membership_scope_data(membership)
    )
    access.forget(person)
    if access.role_reads_sensitive_data(role):
        _notify_sensitive_grant(actor=actor, membership=membership)
    return membership


@transaction.atomic
def person_create(*, actor, email: str, full_name: str, title: str = "", phone: str = "",
                  password: str | None = None, role: str | None = None, unit: Unit | None = None,
                  region: Region | None = None) -> tuple[User, str | None]:
    """Create a person who can sign in, optionally with a first membership.

    Without `password` a readable one is generated. Returns the person and the
    generated password (None when the administrator chose it), to be shown once.
    """
    _require_admin(actor)
    # Check everything before writing anything, and report every problem at
    # once so that the clerk can fix the whole form in one go.
    errors: dict[str, list] = {}
    fields = {"email": email, "full_name": full_name, "title": title, "phone": phone}
    try:
        fields = _validate_person(fields)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        fields["email"] = _normalise_email(email)
    generated = None
    if not password:
        password = generated = generate_password()
    user = User(**fields)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if role:
        try:
            _validate_membership(person=None, role=role, unit=unit, region=region)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    _sync_sign_in_address(user)
    audit_event_record(actor=actor, verb="person.created", target=user, email=user.email)
    if role:
        _membership_create(actor=actor, person=user, role=role, unit=unit, region=region)
    return user, generated


@transaction.atomic
def person_update(*, actor, person: User, **changes) -> User:
    """Change a person's details (any of PERSON_FIELDS). `is_active=False`
    deactivates: the person can no longer sign in and loses every right."""
    _require_admin(actor)
    current = {name: getattr(person, name) for name in PERSON_FIELDS}
    changes = _validate_person({**current, **changes}, exclude_pk=person.pk)
    if person.pk == actor.pk and changes.get("is_active") is False:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    changed = _changed(person, changes, PERSON_FIELDS)
    if not changed:
        return person
    person.save(update_fields=changed)
    if "email" in changed:
        _sync_sign_in_address(person)
    if "is_active" in changed:
        verb = "person.reactivated" if person.is_active else "person.deactivated"
        audit_event_record(actor=actor, verb=verb, target=person)
        access.forget(person)
        if not person.is_active:  # signed out everywhere at once
            from omavalvonta.organisation.sessions import sessions_end_all

            sessions_end_all(actor=actor, person=person, reason="deactivated")
            _membership_ended(actor=actor, person=person, unit=None)
    other = [name for name in changed if name != "is_active"]
    if other:
        audit_event_record(actor=actor, verb="person.updated", target=person, changed=other)
    return person


@transaction.atomic
def person_password_set(*, actor, person: User, password: str | None = None) -> str | None:
    """Set a new password for a person who has forgotten theirs. Without `password`
    one is generated and returned, to be shown once; the password is never audited."""
    _require_admin(actor)
    generated = None
    if not password:
        password = generated = generate_password()
    try:
        validate_password(password, user=person)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    person.set_password(password)
    person.save(update_fields=["password"])
    audit_event_record(actor=actor, verb="person.password_set", target=person, generated=generated is not None)
    return generated


# --- Memberships -------------------------------------------------------------------------------------


@transaction.atomic
def membership_add(*, actor, person: User, role: str, unit: Unit | None = None,
                   region: Region | None = None) -> Membership:
    """Give `person` a role over one unit, one region or (neither) the whole organisation.

    Unit-level roles need a unit, the regional director a region; the administrator
    is organisation-wide; a person cannot hold the same role twice in one scope.
    Nobody changes their own roles. A role that reads protected or child data
    (access.role_reads_sensitive_data) is told to the other administrators and the
    data protection officers; the view asks the administrator to re-authenticate
    before it.
    """
    _require_admin(actor)
    _refuse_own_roles(actor=actor, person=person)
    # Lock the person's row so that two simultaneous adds cannot both pass the
    # duplicate check.
    User.objects.select_for_update().filter(pk=person.pk).first()
    if CountyAccess.objects.filter(user=person, revoked_at__isnull=True).exists():
        # A county's person sees the county's view only; the provider's roles are for its own staff.
        raise ValidationError({"role": _("This person signs in for a wellbeing services county. Revoke the county access first.")})
    return _membership_create(actor=actor, person=person, role=role, unit=unit, region=region)


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """Take a role away. Nobody changes their own roles (so an administrator
    cannot remove their own administrator role either: another one does)."""
    _require_admin(actor)
    person = membership.user
    _refuse_own_roles(actor=actor, person=person)
    data = _membership_scope_data(membership)
    unit = membership.unit
    membership.delete()
    audit_event_record(actor=actor, verb="membership.removed", target=person, unit=unit, **data)
    access.forget(person)
    if unit is not None:
        _membership_ended(actor=actor, person=person, unit=unit)


# --- A data-subject request (privacy, core.registry SUBJECT_ACTIONS) ---------------------

SUBJECT_FIELDS = ("full_name", "phone", "email", "title")
# The fields a person may have erased: the rest identify them in records the
# provider must keep and are only rectified.
SUBJECT_ERASABLE = ("phone", "title")


@transaction.atomic
def person_subject_apply(*, actor, person: User, field: str, action: str, value: str = "") -> User:
    """Rectify (GDPR art. 16) or erase (art. 17) one of a person's details on a
    data-subject request decided by the data-protection officer
    (subject_request.manage, organisation-wide); audited as its own event."""
    if not access.has_perm_organisation_wide(actor, access.P_SUBJECT_REQUEST_MANAGE):
        raise PermissionDenied(access.P_SUBJECT_REQUEST_MANAGE)
    if field not in SUBJECT_FIELDS or action not in ("erase", "rectify"):
        raise ValidationError(_("This detail cannot be changed on a request."))
    if action == "erase" and field not in SUBJECT_ERASABLE:
        raise ValidationError(_("This detail cannot be erased: it identifies the person in records that must be kept."))
    new = "" if action == "erase" else (value or "").strip()
    current = {name: getattr(person, name) for name in PERSON_FIELDS}
    try:
        changes = _validate_person({**current, field: new}, exclude_pk=person.pk)
    except ValidationError as error:
        raise ValidationError({"value": error.message_dict.get(field, error.messages)}) from None
    limit = User._meta.get_field(field).max_length
    if limit and len(changes[field]) > limit:
        raise ValidationError({"value": _("Write at most %(n)s characters.") % {"n": limit}})
    if getattr(person, field) == changes[field]:
        raise ValidationError({"value": _("The value is already this.")})
    setattr(person, field, changes[field])
    person.save(update_fields=[field])
    if field == "email":
        _sync_sign_in_address(person)
    audit_event_record(actor=actor, verb=f"person.subject_{action}", target=person, field=field)
    return person
