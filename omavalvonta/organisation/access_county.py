"""The access kernel's answers for a purchasing wellbeing services county: its
supervisor's view (/hyvinvointialue/) and its API tokens ask the same questions.

* Who is a county's person? `county_of(actor)`: the county of the actor's active
  CountyAccess, or None. A county person has no unit membership and no role:
  `P_COUNTY_VIEW` is given by the access alone (`requires_county`).
* Which units concern the county? `county_units(county)`: the active units it
  purchases from (Unit.counties) and those where it has children placed now
  (registry.COUNTY_PLACEMENTS, from clients), in one query.
* Which statutory notifications went to it? `notifications_for(queryset, county)`:
  the rows whose `county` is this county (the areas' providers apply it; the
  kernel knows no area's model). Another county's row is not found: 404.
* Which API token is this? `token_authenticate(raw)`: an active ApiToken by the
  HMAC digest of the presented token, or None (401).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from omavalvonta.core import registry
from omavalvonta.organisation.access import P_COUNTY_VIEW, grants
from omavalvonta.organisation.models import ApiToken, CountyAccess, Unit, WellbeingCounty

# A token's last use is written at most this often (a busy integration would
# otherwise write a row per request).
LAST_USED_EVERY = dt.timedelta(minutes=1)
TOKEN_PREFIX = "ovk_"


def county_of(actor) -> WellbeingCounty | None:
    """The county whose view `actor` may see, or None. A member of the
    provider's staff (any membership) is never a county's person. One query per
    actor object, and none for a member (their grants are read anyway)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return None
    if hasattr(actor, "_county_access"):
        return actor._county_access
    county = None
    if not grants(actor):
        access = (
            CountyAccess.objects.filter(user=actor, revoked_at__isnull=True).select_related("county").first()
        )
        county = access.county if access is not None else None
    actor._county_access = county
    return county


def is_county_person(actor) -> bool:
    return county_of(actor) is not None


def forget_county(actor) -> None:
    if hasattr(actor, "_county_access"):
        del actor._county_access


def county_unit_q(county, *, today: dt.date | None = None, unit_field: str = "") -> Q:
    """The filter of the units that concern `county`: purchased from, or with
    its children placed there now (active units only)."""
    today = today or timezone.localdate()
    prefix = f"{unit_field}__" if unit_field else ""
    q = Q(**{f"{prefix}counties": county.pk})
    for entry in registry.entries(registry.COUNTY_PLACEMENTS):
        q |= Q(**{f"{prefix}pk__in": entry.func(county_id=county.pk, today=today)})
    return q & Q(**{f"{prefix}is_active": True})


def county_units(county, *, today: dt.date | None = None):
    """The units that concern `county`, by name (a queryset: one query)."""
    return Unit.objects.filter(pk__in=Unit.objects.filter(county_unit_q(county, today=today)).values("pk")).order_by(
        "name", "pk"
    )


def county_unit(county, pk, *, today: dt.date | None = None) -> Unit:
    """One unit of `county`'s: 404 for any other."""
    from django.http import Http404

    unit = county_units(county, today=today).filter(pk=pk).select_related("region").first()
    if unit is None:
        raise Http404
    return unit


def notifications_for(queryset, county, *, field: str = "county"):
    """The rows of `queryset` sent to `county` (a statutory notification's county)."""
    return queryset.filter(**{f"{field}_id": county.pk})


def requires_county(view):
    """Declare (and check) the county's own view: a signed-in person with an
    active county access. The view gets `request.county`. A member of staff,
    whatever their role, is refused (403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        county = county_of(request.user)
        if county is None:
            raise PermissionDenied(P_COUNTY_VIEW)
        request.county = county
        return view(request, *args, **kwargs)

    wrapped.access_permission = P_COUNTY_VIEW
    return wrapped


# --- API tokens ----------------------------------------------------------------------


def token_digest(raw: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"api-token:{raw or ''}".encode(), hashlib.sha256).hexdigest()


def token_new() -> str:
    """A new token (shown once; only its digest is kept)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_authenticate(raw: str | None) -> ApiToken | None:
    """The active token presented, or None. Records its last use (at most once
    a minute). One query, two when the last use is written."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.filter(digest=token_digest(raw), revoked_at__isnull=True).select_related("county").first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
