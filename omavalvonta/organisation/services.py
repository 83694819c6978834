"""Writes of the organisation: its settings and risk matrix, supervisory
authorities, units, wellbeing services counties, regions, people and their
memberships (roles).

Every service is keyword-only with the actor first, runs in one transaction,
checks that the actor is an administrator (administration is organisation-wide,
so the check is `has_perm_anywhere`, not a unit check), validates the business
rules (raising `ValidationError` keyed by the form field the message belongs to)
and writes an audit event in the same transaction.
"""

from __future__ import annotations

import re

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from omavalvonta.core.services import audit_event_record
from omavalvonta.deviations import rules
from omavalvonta.deviations.models import Consequence, RiskLevel
from omavalvonta.organisation import access
from omavalvonta.organisation.models import (
    Authority,
    Membership,
    Organisation,
    Region,
    Role,
    ServiceType,
    Unit,
    User,
    WellbeingCounty,
    default_risk_matrix,
)

# Which scope each role may have. Unit-level roles belong to one unit, the regional
# director to one region, the administrator to the whole organisation (the admin
# right is organisation-wide whatever the scope, so a narrower scope would only
# mislead). The other group roles may be organisation-wide or narrower.
UNIT_ROLES = frozenset({Role.EMPLOYEE, Role.SUPERVISOR, Role.RESPONSIBLE_PERSON})
REGION_ROLES = frozenset({Role.REGIONAL_DIRECTOR})
ORGANISATION_ONLY_ROLES = frozenset({Role.ADMINISTRATOR})

UNIT_FIELDS = (
    "name",
    "service_type",
    "region",
    "places",
    "street_address",
    "postal_code",
    "city",
    "email",
    "phone",
    "public_slug",
    "is_active",
)
COUNTY_FIELDS = (
    "name",
    "notification_email",
    "lead_official_name",
    "lead_official_email",
    "lead_official_phone",
)
PERSON_FIELDS = ("email", "full_name", "title", "phone", "is_active")
ORGANISATION_FIELDS = (
    "name",
    "business_id",
    "address",
    "handling_start_working_days",
    "handling_target_days",
    "correction_due_days",
)
AUTHORITY_FIELDS = ("name", "email", "is_default")

# The allowed range of each deadline setting (inclusive); the form uses the same.
SETTING_LIMITS = {
    "handling_start_working_days": (1, 30),
    "handling_target_days": (1, 365),
    "correction_due_days": (1, 90),
}

# Risk levels from the lowest to the highest: the matrix must not go down.
RISK_ORDER = {level: i for i, level in enumerate(RiskLevel.values)}

# Generated passwords avoid look-alike characters (0/O, 1/l/I) so that they can be
# read aloud or copied from a screen without mistakes.
_PASSWORD_CHARS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _require_admin(actor) -> None:
    if not access.has_perm_anywhere(actor, access.P_ORG_ADMIN):
        raise PermissionDenied(access.P_ORG_ADMIN)


def _changed(obj, changes: dict, allowed: tuple[str, ...]) -> list[str]:
    """Apply `changes` to `obj` and return the names of the fields that changed."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    changed = []
    for name, value in changes.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def generate_password() -> str:
    """A random password that is easy to read out: three groups of four characters."""
    return "-".join(get_random_string(4, _PASSWORD_CHARS) for _ in range(3))


# --- The organisation: settings and risk matrix -----------------------------------------------

# A Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit.
_BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
_BUSINESS_ID_FORMAT = re.compile(r"[0-9]{7}-[0-9]")  # not \d: it matches other scripts' digits too


def business_id_is_valid(value: str) -> bool:
    """True for a well-formed Y-tunnus ("1234567-8") whose check digit matches:
    weights 7, 9, 10, 5, 8, 4, 2; remainder 0 gives 0, remainder 1 is never
    issued, otherwise 11 - remainder."""
    if not _BUSINESS_ID_FORMAT.fullmatch(value or ""):
        return False
    remainder = sum(int(d) * w for d, w in zip(value[:7], _BUSINESS_ID_WEIGHTS)) % 11
    if remainder == 1:
        return False
    return int(value[8]) == (0 if remainder == 0 else 11 - remainder)


def validate_business_id(value: str) -> None:
    """Django validator (also used by the settings form) for a non-empty business ID."""
    if not value:
        return
    if not _BUSINESS_ID_FORMAT.fullmatch(value):
        raise ValidationError(
            _("Enter the business ID in the form 1234567-8 (seven digits, a hyphen and a check digit)."),
            code="business_id_format",
        )
    if not business_id_is_valid(value):
        raise ValidationError(
            _("The check digit of the business ID does not match. Check the number."), code="business_id_check"
        )


def _validate_organisation(fields: dict) -> dict:
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    errors: dict[str, list] = {}
    if not fields.get("name"):
        errors["name"] = [_("Enter the organisation's name.")]
    if "business_id" in fields:
        fields["business_id"] = fields["business_id"] or ""
        try:
            validate_business_id(fields["business_id"])
        except ValidationError as exc:
            errors["business_id"] = exc.messages
    for name, (low, high) in SETTING_LIMITS.items():
        value = fields.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[name] = [_("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}]
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def organisation_settings_update(*, actor, organisation: Organisation | None, **changes) -> Organisation:
    """Change the organisation's details and deadlines (any of ORGANISATION_FIELDS).

    With `organisation=None` the deployment's organisation is created from the
    given fields (the first time the settings are saved). Deadlines apply to
    reports submitted and notifications sent from then on."""
    _require_admin(actor)
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    if organisation is None:
        if Organisation.objects.exists():
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("The organisation was set up meanwhile. Open the settings again.")]}
            )
        defaults = {name: Organisation._meta.get_field(name).get_default() for name in ORGANISATION_FIELDS}
        fields = _validate_organisation({**defaults, **changes})
        organisation = Organisation.objects.create(**fields)
        audit_event_record(actor=actor, verb="organisation.created", target=organisation, name=organisation.name)
        return organisation
    organisation.refresh_from_db(from_queryset=Organisation.objects.select_for_update())
    current = {name: getattr(organisation, name) for name in ORGANISATION_FIELDS}
    fields = _validate_organisation({**current, **changes})
    changed = _changed(organisation, fields, ORGANISATION_FIELDS)
    if changed:
        organisation.save(update_fields=[*changed, "updated_at"])
        audit_event_record(
            actor=actor,
            verb="organisation.updated",
            target=organisation,
            changed=changed,
            old={name: current[name] for name in changed},
            new={name: getattr(organisation, name) for name in changed},
        )
    return organisation


def risk_matrix_cell_key(consequence: int, likelihood: int) -> str:
    """The form field (and error key) of one cell of the matrix."""
    return f"cell_{consequence}_{likelihood}"


def risk_matrix_violations(matrix) -> dict[str, list[str]]:
    """Cells whose level is lower than the cell with the next milder consequence
    (above it) or the next smaller likelihood (left of it): {cell key: messages
    naming the cell}. The matrix must already have the right shape."""
    consequences = dict(Consequence.choices)
    levels = dict(RiskLevel.choices)
    found: dict[str, list[str]] = {}
    for c in rules.CONSEQUENCE_RANGE:
        for li in rules.LIKELIHOOD_RANGE:
            level = matrix[c][li - 1]
            cell = {"consequence": consequences[c], "likelihood": li, "level": levels[level]}
            messages = []
            above = matrix[c - 1][li - 1] if c > 0 else None
            if above and RISK_ORDER[level] < RISK_ORDER[above]:
                messages.append(
                    _(
                        "Consequence “%(consequence)s”, likelihood %(likelihood)s: “%(level)s” is lower than "
                        "“%(other)s” for the milder consequence “%(other_consequence)s”."
                    )
                    % {**cell, "other": levels[above], "other_consequence": consequences[c - 1]}
                )
            left = matrix[c][li - 2] if li > 1 else None
            if left and RISK_ORDER[level] < RISK_ORDER[left]:
                messages.append(
                    _(
                        "Consequence “%(consequence)s”, likelihood %(likelihood)s: “%(level)s” is lower than "
                        "“%(other)s” at the smaller likelihood %(other_likelihood)s."
                    )
                    % {**cell, "other": levels[left], "other_likelihood": li - 1}
                )
            if messages:
                found[risk_matrix_cell_key(c, li)] = messages
    return found


@transaction.atomic
def risk_matrix_update(*, actor, organisation: Organisation, matrix) -> Organisation:
    """Replace the risk matrix: 5 rows (consequence none..very serious) of 5
    levels (likelihood 1..5). A level must never decrease when the consequence
    or the likelihood grows; the error names every offending cell (keyed by
    `risk_matrix_cell_key`). Reports classified earlier keep their level."""
    _require_admin(actor)
    if not rules.risk_matrix_is_valid(matrix):
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Choose a risk level for every cell of the matrix.")]}
        )
    violations = risk_matrix_violations(matrix)
    if violations:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "The risk level must never decrease when the consequence or the likelihood grows. "
                        "Check the marked cells:"
                    )
                ],
                **violations,
            }
        )
    organisation.refresh_from_db(from_queryset=Organisation.objects.select_for_update())
    old = organisation.risk_matrix
    new = [list(row) for row in matrix]
    if old != new:
        organisation.risk_matrix = new
        organisation.save(update_fields=["risk_matrix", "updated_at"])
        audit_event_record(
            actor=actor,
            verb="organisation.risk_matrix_updated",
            target=organisation,
            old=old,
            new=new,
            is_default=new == default_risk_matrix(),
        )
    return organisation


# --- Supervisory authorities -------------------------------------------------------------------


def _validate_authority(fields: dict, exclude_pk=None) -> dict:
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    errors = {}
    if not fields.get("name"):
        errors["name"] = _("Enter the authority's name.")
    elif Authority.objects.filter(name__iexact=fields["name"]).exclude(pk=exclude_pk).exists():
        errors["name"] = _("A supervisory authority with this name already exists.")
    fields["email"] = (fields.get("email") or "").lower()
    if not fields["email"]:
        errors["email"] = _("Enter the authority's e-mail address for notifications.")
    if errors:
        raise ValidationError(errors)
    fields["is_default"] = bool(fields.get("is_default"))
    return fields


def _clear_other_defaults(authority: Authority) -> list[int]:
    """Make `authority` the only default; return the ones that stopped being it."""
    others = list(
        Authority.objects.select_for_update().filter(is_default=True).exclude(pk=authority.pk).values_list("pk", flat=True)
    )
    if others:
        Authority.objects.filter(pk__in=others).update(is_default=False)
    return others


@transaction.atomic
def authority_create(*, actor, name: str, email: str, is_default: bool = False) -> Authority:
    """Register a supervisory authority. Exactly one authority is the default
    recipient of escalations: making this one the default clears the others,
    and the first authority becomes the default anyway."""
    _require_admin(actor)
    fields = _validate_authority({"name": name, "email": email, "is_default": is_default})
    # Lock the current default so that two simultaneous saves cannot both keep one.
    has_default = Authority.objects.select_for_update().filter(is_default=True).exists()
    if not has_default:
        fields["is_default"] = True
    authority = Authority.objects.create(**fields)
    cleared = _clear_other_defaults(authority) if authority.is_default else []
    audit_event_record(
        actor=actor,
        verb="authority.created",
        target=authority,
        name=authority.name,
        email=authority.email,
        is_default=authority.is_default,
        cleared_default=cleared,
    )
    return authority


@transaction.atomic
def authority_update(*, actor, authority: Authority, **changes) -> Authority:
    """Change an authority (any of AUTHORITY_FIELDS). Making it the default
    clears the others; the default cannot simply be unticked (escalations
    need a recipient): make another authority the default instead."""
    _require_admin(actor)
    authority.refresh_from_db(from_queryset=Authority.objects.select_for_update())
    current = {name: getattr(authority, name) for name in AUTHORITY_FIELDS}
    fields = _validate_authority({**current, **changes}, exclude_pk=authority.pk)
    if current["is_default"] and not fields["is_default"]:
        raise ValidationError(
            {
                "is_default": _(
                    "Escalations need one default recipient. Make another authority the default instead; "
                    "this one then stops being it."
                )
            }
        )
    changed = _changed(authority, fields, AUTHORITY_FIELDS)
    if not changed:
        return authority
    authority.save(update_fields=[*changed, "updated_at"])
    cleared = _clear_other_defaults(authority) if authority.is_default else []
    audit_event_record(
        actor=actor, verb="authority.updated", target=authority, changed=changed, cleared_default=cleared
    )
    return authority


# --- Regions ---------------------------------------------------------------------------


def _validate_region_name(name: str, organisation, exclude_pk=None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the region's name.")})
    clash = Region.objects.filter(organisation=organisation, name__iexact=name).exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": _("A region with this name already exists.")})
    return name


@transaction.atomic
def region_create(*, actor, name: str, organisation: Organisation | None = None) -> Region:
    """Create a region of the organisation (the deployment's one organisation by default)."""
    _require_admin(actor)
    organisation = organisation or Organisation.objects.order_by("pk").first()
    if organisation is None:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("The organisation has not been set up yet. Save its settings first.")]}
        )
    name = _validate_region_name(name, organisation)
    region = Region.objects.create(organisation=organisation, name=name)
    audit_event_record(actor=actor, verb="region.created", target=region, name=name)
    return region


@transaction.atomic
def region_update(*, actor, region: Region, name: str) -> Region:
    """Rename a region."""
    _require_admin(actor)
    name = _validate_region_name(name, region.organisation_id, exclude_pk=region.pk)
    changed = _changed(region, {"name": name}, ("name",))
    if changed:
        region.save(update_fields=[*changed, "updated_at"])
        audit_event_record(actor=actor, verb="region.updated", target=region, changed=changed)
    return region


# --- Wellbeing services counties ---------------------------------------------------------------


def _validate_county(fields: dict, exclude_pk=None) -> dict:
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    if not fields.get("name"):
        raise ValidationError({"name": _("Enter the county's name.")})
    if WellbeingCounty.objects.filter(name__iexact=fields["name"]).exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": _("A wellbeing services county with this name already exists.")})
    for key in ("notification_email", "lead_official_email"):
        if key in fields:
            fields[key] = (fields[key] or "").lower()
    return fields


@transaction.atomic
def county_create(*, actor, name: str, notification_email: str, lead_official_name: str,
                  lead_official_email: str, lead_official_phone: str = "") -> WellbeingCounty:
    """Register a wellbeing services county that buys the organisation's services."""
    _require_admin(actor)
    fields = _validate_county(
        {
            "name": name,
            "notification_email": notification_email,
            "lead_official_name": lead_official_name,
            "lead_official_email": lead_official_email,
            "lead_official_phone": lead_official_phone,
        }
    )
    county = WellbeingCounty.objects.create(**fields)
    audit_event_record(actor=actor, verb="county.created", target=county, name=county.name)
    return county


@transaction.atomic
def county_update(*, actor, county: WellbeingCounty, **changes) -> WellbeingCounty:
    """Change a county's name or contacts (any of COUNTY_FIELDS)."""
    _require_admin(actor)
    changes = _validate_county({"name": county.name, **changes}, exclude_pk=county.pk)
    changed = _changed(county, changes, COUNTY_FIELDS)
    if changed:
        county.save(update_fields=[*changed, "updated_at"])
        audit_event_record(actor=actor, verb="county.updated", target=county, changed=changed)
    return county


# --- Units -----------------------------------------------------------------------------------------


def unique_unit_slug(text: str, *, exclude_pk=None) -> str:
    """A free public slug made from `text` (a unit's name): `koivu`, `koivu-2`, ..."""
    base = slugify(text)[:70].strip("-") or "yksikko"
    slug, n = base, 2
    taken = set(
        Unit.objects.filter(public_slug__startswith=base).exclude(pk=exclude_pk).values_list("public_slug", flat=True)
    )
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _validate_unit(fields: dict, exclude_pk=None) -> dict:
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    errors = {}
    if not fields.get("name"):
        errors["name"] = _("Enter the unit's name.")
    if fields.get("service_type") not in ServiceType.values:
        errors["service_type"] = _("Choose the service type.")
    if not isinstance(fields.get("region"), Region):
        errors["region"] = _("Choose the region.")
    if errors:
        raise ValidationError(errors)
    slug = fields.get("public_slug") or ""
    if slug:
        slug = slug.lower()
        if slug != slugify(slug):
            raise ValidationError(
                {"public_slug": _("Use only lowercase letters a–z, numbers and hyphens in the public address.")}
            )
        if Unit.objects.filter(public_slug=slug).exclude(pk=exclude_pk).exists():
            raise ValidationError({"public_slug": _("Another unit already uses this public address. Choose another one.")})
    else:
        slug = unique_unit_slug(fields["name"], exclude_pk=exclude_pk)
    fields["public_slug"] = slug
    if fields.get("email"):
        fields["email"] = fields["email"].lower()
    return fields


@transaction.atomic
def unit_create(*, actor, name: str, service_type: str, region: Region, counties=(), places=None,
                street_address: str = "", postal_code: str = "", city: str = "", email: str = "",
                phone: str = "", public_slug: str = "", is_active: bool = True) -> Unit:
    """Create a service unit. A blank public slug is made from the name."""
    _require_admin(actor)
    fields = _validate_unit(
        {
            "name": name,
            "service_type": service_type,
            "region": region,
            "places": places,
            "street_address": street_address,
            "postal_code": postal_code,
            "city": city,
            "email": email,
            "phone": phone,
            "public_slug": public_slug,
            "is_active": is_active,
        }
    )
    unit = Unit.objects.create(**fields)
    unit.counties.set(counties)
    audit_event_record(
        actor=actor,
        verb="unit.created",
        target=unit,
        unit=unit,
        name=unit.name,
        counties=sorted(c.pk for c in counties),
    )
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, counties=None, **changes) -> Unit:
    """Change a unit (any of UNIT_FIELDS; `counties` replaces the purchasing counties)."""
    _require_admin(actor)
    current = {name: getattr(unit, name) for name in UNIT_FIELDS}
    changes = _validate_unit({**current, **changes}, exclude_pk=unit.pk)
    changed = _changed(unit, changes, UNIT_FIELDS)
    if changed:
        unit.save(update_fields=[*changed, "updated_at"])
    if counties is not None:
        before = set(unit.counties.values_list("pk", flat=True))
        after = {c.pk for c in counties}
        if before != after:
            unit.counties.set(counties)
            changed.append("counties")
    if changed:
        audit_event_record(actor=actor, verb="unit.updated", target=unit, unit=unit, changed=changed)
    return unit


# --- People ------------------------------------------------------------------------------------------


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


def _membership_create(*, actor, person, role, unit, region) -> Membership:
    _validate_membership(person=person, role=role, unit=unit, region=region)
    membership = Membership.objects.create(user=person, role=role, unit=unit, region=region)
    audit_event_record(
        actor=actor, verb="membership.added", target=person, unit=unit, **_membership_scope_data(membership)
    )
    access.forget(person)
    if person.pk == actor.pk:
        access.forget(actor)
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
    """
    _require_admin(actor)
    # Lock the person's row so that two simultaneous adds cannot both pass the
    # duplicate check.
    User.objects.select_for_update().filter(pk=person.pk).first()
    return _membership_create(actor=actor, person=person, role=role, unit=unit, region=region)


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """Take a role away. An administrator cannot remove their own last
    administrator role (nobody would be left to give it back)."""
    _require_admin(actor)
    person = membership.user
    if (
        person.pk == actor.pk
        and membership.role == Role.ADMINISTRATOR
        and not Membership.objects.filter(user=person, role=Role.ADMINISTRATOR).exclude(pk=membership.pk).exists()
    ):
        raise ValidationError({NON_FIELD_ERRORS: [_("You cannot remove your own administrator role.")]})
    data = _membership_scope_data(membership)
    unit = membership.unit
    membership.delete()
    audit_event_record(actor=actor, verb="membership.removed", target=person, unit=unit, **data)
    access.forget(person)
    if person.pk == actor.pk:
        access.forget(actor)
