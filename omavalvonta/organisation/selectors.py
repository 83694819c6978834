"""Reads of the organisation for its administrators: its settings, supervisory
authorities, units, counties, regions and people with their roles.

Organisation administration is organisation-wide (an administrator maintains every
unit), so these reads are not unit-scoped; each one checks that the actor holds
`organisation.admin` anywhere, like the services do.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404

from omavalvonta.core.selectors import audit_events_for
from omavalvonta.organisation import access
from omavalvonta.organisation.models import (
    ApiToken,
    Authority,
    CountyAccess,
    Membership,
    Organisation,
    Region,
    Unit,
    User,
    WellbeingCounty,
)

NO_ROLE = "none"  # the role filter's value for people without any membership


def _require_admin(actor) -> None:
    if not access.has_perm_anywhere(actor, access.P_ORG_ADMIN):
        raise PermissionDenied(access.P_ORG_ADMIN)


def organisation_current() -> Organisation | None:
    """The one organisation this deployment serves (the oldest, if several)."""
    return Organisation.objects.order_by("pk").first()


def admin_counts(*, actor) -> dict[str, int]:
    """Figures for the administration home page."""
    _require_admin(actor)
    units = Unit.objects.aggregate(total=Count("pk"), active=Count("pk", filter=Q(is_active=True)))
    people = User.objects.aggregate(total=Count("pk"), active=Count("pk", filter=Q(is_active=True)))
    return {
        "units": units["total"],
        "active_units": units["active"],
        "regions": Region.objects.count(),
        "counties": WellbeingCounty.objects.count(),
        "people": people["total"],
        "active_people": people["active"],
        "people_without_role": User.objects.filter(is_active=True, memberships__isnull=True).count(),
        "authorities": Authority.objects.count(),
    }


# --- The organisation and supervisory authorities ----------------------------------------


def organisation_for_settings(*, actor) -> Organisation | None:
    """The organisation whose settings and risk matrix the administrator edits
    (None before it has been set up)."""
    _require_admin(actor)
    return organisation_current()


def authority_list(*, actor):
    """Supervisory authorities, the default recipient of escalations first."""
    _require_admin(actor)
    return Authority.objects.order_by("-is_default", "name", "pk")


def authority_get(*, actor, pk) -> Authority:
    _require_admin(actor)
    return get_object_or_404(Authority, pk=pk)


def authority_default(*, actor) -> Authority | None:
    """The default recipient of escalations (the services keep it to one)."""
    _require_admin(actor)
    return Authority.objects.filter(is_default=True).order_by("name", "pk").first()


# --- Units ---------------------------------------------------------------------------


def unit_list(*, actor, filters: dict | None = None):
    """Units filtered by region, service type and active state ("yes"/"no"), with
    the number of memberships in each (one query)."""
    _require_admin(actor)
    filters = filters or {}
    qs = Unit.objects.select_related("region").annotate(member_count=Count("memberships")).order_by("name", "pk")
    if filters.get("region"):
        qs = qs.filter(region=filters["region"])
    if filters.get("service_type"):
        qs = qs.filter(service_type=filters["service_type"])
    return _by_active(qs, filters.get("active"))


def _by_active(qs, active):
    """An admin list's "active" filter: "yes" the active ones, "no" the others, else all."""
    if active in ("yes", "no"):
        return qs.filter(is_active=active == "yes")
    return qs


def unit_get(*, actor, pk) -> Unit:
    _require_admin(actor)
    return get_object_or_404(Unit.objects.select_related("region").prefetch_related("counties"), pk=pk)


def unit_choices():
    """Every unit, for select boxes, with its region (no per-row queries)."""
    return Unit.objects.select_related("region").order_by("name", "pk")


def region_choices():
    return Region.objects.order_by("name", "pk")


def county_choices():
    return WellbeingCounty.objects.order_by("name", "pk")


# --- Counties and regions ----------------------------------------------------------------


def county_list(*, actor):
    _require_admin(actor)
    return WellbeingCounty.objects.annotate(unit_count=Count("units")).order_by("name", "pk")


def county_get(*, actor, pk) -> WellbeingCounty:
    _require_admin(actor)
    return get_object_or_404(WellbeingCounty, pk=pk)


def region_list(*, actor):
    _require_admin(actor)
    return Region.objects.annotate(
        unit_count=Count("units", distinct=True),
        active_unit_count=Count("units", filter=Q(units__is_active=True), distinct=True),
    ).order_by("name", "pk")


def region_get(*, actor, pk) -> Region:
    _require_admin(actor)
    return get_object_or_404(Region, pk=pk)


# --- People ----------------------------------------------------------------------------------


def _memberships_prefetch():
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("unit", "region").order_by("role", "pk"),
    )


def person_list(*, actor, filters: dict | None = None):
    """People matching a name/e-mail search, a unit and a role (any of their
    memberships; role NO_ROLE: people without one), and an active state;
    memberships prefetched."""
    _require_admin(actor)
    filters = filters or {}
    qs = User.objects.prefetch_related(_memberships_prefetch()).order_by("full_name", "pk")
    q = (filters.get("q") or "").strip()
    if q:
        for word in q.split():
            qs = qs.filter(Q(full_name__icontains=word) | Q(email__icontains=word))
    role = filters.get("role")
    if role == NO_ROLE:
        qs = qs.filter(~Exists(Membership.objects.filter(user=OuterRef("pk"))))
        role = None
    membership_q = Q()
    if filters.get("unit"):
        membership_q &= Q(unit=filters["unit"])
    if role:
        membership_q &= Q(role=role)
    if membership_q:
        # Exists, not a join: a person with two matching roles is listed once.
        qs = qs.filter(Exists(Membership.objects.filter(membership_q, user=OuterRef("pk"))))
    return _by_active(qs, filters.get("active"))


def person_get(*, actor, pk) -> User:
    _require_admin(actor)
    return get_object_or_404(User.objects.prefetch_related(_memberships_prefetch()), pk=pk)


def person_membership_get(*, actor, person, pk) -> Membership:
    _require_admin(actor)
    return get_object_or_404(Membership.objects.select_related("unit", "region", "user"), pk=pk, user=person)


def person_history(*, actor, person, limit: int = 20):
    """The latest administrative events about a person, newest first."""
    _require_admin(actor)
    return list(audit_events_for(person).order_by("-at", "-id")[:limit])


# --- Escalation -------------------------------------------------------------------------


def unit_managers(*, unit, exclude_user_id: int | None = None) -> list[User]:
    """Who a late duty of `unit` escalates to: the manager of the unit's own
    leaders, i.e. the unit's responsible person (named for the unit or its region)
    and the region's regional director. Active people only, each once, by name;
    `exclude_user_id` (the late person themself) is left out. Shared by the
    deviation and the quality calendar escalations so both reach the same people.
    Not unit-scoped by actor: background jobs call it."""
    managers = (
        Membership.objects.filter(user__is_active=True)
        .filter(
            Q(role="responsible_person", unit_id=unit.pk)
            | Q(role="responsible_person", region_id=unit.region_id)
            | Q(role="regional_director", region_id=unit.region_id)
        )
        .exclude(user_id=exclude_user_id or 0)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    return list({m.user_id: m.user for m in managers}.values())


# --- Counties' people and the API's tokens (organisation.access_county) ---------------------


def county_access_list(*, actor):
    """The county accesses, active first (people's names and counties: the
    administrator's own work; one query)."""
    _require_admin(actor)
    return (
        CountyAccess.objects.select_related("user", "county", "granted_by")
        .order_by(F("revoked_at").desc(nulls_first=True), "county__name", "user__full_name", "pk")
    )


def county_access_get(*, actor, pk) -> CountyAccess:
    _require_admin(actor)
    return get_object_or_404(CountyAccess.objects.select_related("user", "county"), pk=pk)


def county_access_candidates(*, actor):
    """Active people with no role at the provider and no county access: who may be given one."""
    _require_admin(actor)
    return (
        User.objects.filter(is_active=True)
        .exclude(pk__in=Membership.objects.values("user_id"))
        .exclude(pk__in=CountyAccess.objects.filter(revoked_at__isnull=True).values("user_id"))
        .order_by("full_name", "pk")
    )


def api_token_list(*, actor):
    _require_admin(actor)
    return ApiToken.objects.select_related("county", "created_by").order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at", "-pk"
    )


def api_token_get(*, actor, pk) -> ApiToken:
    _require_admin(actor)
    return get_object_or_404(ApiToken.objects.select_related("county"), pk=pk)
