"""Who of a purchasing county may sign in (CountyAccess) and the open API's
tokens (ApiToken): granted and revoked by an administrator, audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.services import audit_event_record
from omavalvonta.organisation import access_county
from omavalvonta.organisation.models import ApiToken, CountyAccess, Membership, User, WellbeingCounty
from omavalvonta.organisation.services._common import _require_admin


@transaction.atomic
def county_access_grant(*, actor, person: User, county: WellbeingCounty) -> CountyAccess:
    """Let `person` sign in to `county`'s own view. The person must have no role
    at the provider (a county's person is not staff) and no other county's
    access; they must sign in with a second factor (MfaRequiredMiddleware)."""
    _require_admin(actor)
    if person is None or county is None:
        raise ValidationError(_("Choose a person and a county."))
    User.objects.select_for_update().filter(pk=person.pk).first()
    if not person.is_active:
        raise ValidationError({"person": _("The person is deactivated.")})
    if Membership.objects.filter(user=person).exists():
        raise ValidationError({"person": _("The person has roles at the provider. A county's person has none.")})
    if CountyAccess.objects.filter(user=person, revoked_at__isnull=True).exists():
        raise ValidationError({"person": _("The person already has a county's access. Revoke it first.")})
    grant = CountyAccess.objects.create(user=person, county=county, granted_by=actor)
    audit_event_record(actor=actor, verb="county_access.granted", target=person, county_id=county.pk, county=county.name)
    access_county.forget_county(person)
    return grant


@transaction.atomic
def county_access_revoke(*, actor, grant: CountyAccess) -> CountyAccess:
    _require_admin(actor)
    if grant.revoked_at is not None:
        return grant
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    grant.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    audit_event_record(
        actor=actor, verb="county_access.revoked", target=grant.user, county_id=grant.county_id, county=grant.county.name
    )
    access_county.forget_county(grant.user)
    return grant


@transaction.atomic
def api_token_create(*, actor, name: str, county: WellbeingCounty | None = None) -> tuple[ApiToken, str]:
    """A new API token for `county` (None: a public integration). Returns the
    row and the token itself, which is shown once and never stored."""
    _require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the token (who uses it and for what).")})
    if len(name) > 100:
        raise ValidationError({"name": _("At most 100 characters.")})
    raw = access_county.token_new()
    token = ApiToken.objects.create(
        name=name, county=county, digest=access_county.token_digest(raw), prefix=raw[:10], created_by=actor
    )
    audit_event_record(
        actor=actor, verb="api_token.created", target=token, county_id=county.pk if county else None, name=name
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    _require_admin(actor)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        audit_event_record(actor=actor, verb="api_token.revoked", target=token, name=token.name)
    return token
