"""Regions, wellbeing services counties and units."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.services import audit_event_record
from omavalvonta.organisation import hooks
from omavalvonta.organisation.models import (
    Organisation,
    Region,
    ServiceType,
    Unit,
    WellbeingCounty,
)
from omavalvonta.organisation.services._common import (
    COUNTY_FIELDS,
    UNIT_FIELDS,
    _changed,
    _require_admin,
)


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
def region_update(*, actor, region: Region, name: str, expected_version: int | None = None) -> Region:
    """Rename a region. `expected_version`: the edit version the form was opened
    at; a newer save refuses this one (EditConflict)."""
    _require_admin(actor)
    name = _validate_region_name(name, region.organisation_id, exclude_pk=region.pk)
    edit_version_claim(region, expected=expected_version)
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
def county_update(
    *, actor, county: WellbeingCounty, expected_version: int | None = None, **changes
) -> WellbeingCounty:
    """Change a county's name or contacts (any of COUNTY_FIELDS). `expected_version`
    as in region_update."""
    _require_admin(actor)
    changes = _validate_county({"name": county.name, **changes}, exclude_pk=county.pk)
    edit_version_claim(county, expected=expected_version)
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
    hooks.unit_saved(unit=unit, created=True)
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, counties=None, expected_version: int | None = None, **changes) -> Unit:
    """Change a unit (any of UNIT_FIELDS; `counties` replaces the purchasing
    counties). `expected_version` as in region_update."""
    _require_admin(actor)
    current = {name: getattr(unit, name) for name in UNIT_FIELDS}
    changes = _validate_unit({**current, **changes}, exclude_pk=unit.pk)
    edit_version_claim(unit, expected=expected_version)
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
        hooks.unit_saved(unit=unit, created=False)
    return unit


# --- People ------------------------------------------------------------------------------------------
