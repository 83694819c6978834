"""The organisation itself: its settings, the risk matrix and the supervisory authorities."""

from __future__ import annotations

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.services import audit_event_record
from omavalvonta.organisation import risk
from omavalvonta.organisation.models import (
    Authority,
    Organisation,
    default_risk_matrix,
)
from omavalvonta.organisation.risk import Consequence, RiskLevel
from omavalvonta.organisation.services._common import (
    AUTHORITY_FIELDS,
    ORGANISATION_FIELDS,
    RISK_ORDER,
    SETTING_LIMITS,
    _changed,
    _require_admin,
)

# A Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit.
_BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
_BUSINESS_ID_FORMAT = re.compile(r"[0-9]{7}-[0-9]")  # not \d: it matches other scripts' digits too


def business_id_is_valid(value: str) -> bool:
    """True for a well-formed Y-tunnus ("1234567-8") whose check digit matches:
    weights 7, 9, 10, 5, 8, 4, 2; remainder 0 gives 0, remainder 1 is never
    issued, otherwise 11 - remainder."""
    if not _BUSINESS_ID_FORMAT.fullmatch(value or ""):
        return False
    remainder = sum(int(d) * w for d, w in zip(value[:7], _BUSINESS_ID_WEIGHTS, strict=True)) % 11
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
def organisation_settings_update(
    *, actor, organisation: Organisation | None, expected_version: int | None = None, **changes
) -> Organisation:
    """Change the organisation's details and deadlines (any of ORGANISATION_FIELDS).

    With `organisation=None` the deployment's organisation is created from the
    given fields (the first time the settings are saved). Deadlines apply to
    reports submitted and notifications sent from then on. `expected_version`:
    the edit version the form was opened at; a newer save refuses this one."""
    _require_admin(actor)
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    if changes.get("password_sign_in") is None:
        changes.pop("password_sign_in", None)  # not on the form: unchanged
    elif changes["password_sign_in"] is False and (organisation is None or organisation.password_sign_in):
        from omavalvonta.organisation.sso import sso_enabled

        if not sso_enabled():
            raise ValidationError(
                {
                    "password_sign_in": [
                        _(
                            "Password sign-in cannot be turned off: single sign-on with Microsoft Entra ID is "
                            "not configured, so nobody could sign in."
                        )
                    ]
                }
            )
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
    edit_version_claim(organisation, expected=expected_version)
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
    for c in risk.CONSEQUENCE_RANGE:
        for li in risk.LIKELIHOOD_RANGE:
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
    if not risk.risk_matrix_is_valid(matrix):
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
def authority_update(*, actor, authority: Authority, expected_version: int | None = None, **changes) -> Authority:
    """Change an authority (any of AUTHORITY_FIELDS). Making it the default
    clears the others; the default cannot simply be unticked (escalations
    need a recipient): make another authority the default instead.
    `expected_version` as in organisation_settings_update."""
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
    edit_version_claim(authority, expected=expected_version)
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
