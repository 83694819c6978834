"""The access kernel's reverse questions: who holds a role or a right where.

`access` answers "may this person do P here?"; this module answers the other
way round, for routing, reminders and escalation: "who in this unit may do P?",
"who are the unit's responsible persons?". Only active people count. Areas ask
here instead of querying memberships by role themselves, so the role table
stays the kernel's own business.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from omavalvonta.organisation.access import roles_with
from omavalvonta.organisation.models import Membership, User


def _pk(value):
    return getattr(value, "pk", value)


def _covering_q(units) -> Q:
    """Memberships over any of `units`: the unit itself, its region, the organisation."""
    q = Q(unit__isnull=True, region__isnull=True)
    for unit in units:
        q |= Q(unit_id=unit.pk) | Q(region_id=unit.region_id)
    return q


def memberships_of(
    roles: Iterable[str] | None = None,
    *,
    unit=None,
    units=None,
    region=None,
    organisation_wide: bool = False,
    unit_or_region=None,
    covering=None,
    user=None,
) -> QuerySet[Membership]:
    """Active people's memberships. Each argument narrows:

    - `roles`: held in one of these roles (None: any role; empty: none);
    - `unit` / `units`: held in the unit itself (one of the units);
    - `region`: held over the region; `organisation_wide`: over the organisation;
    - `unit_or_region`: held in the unit itself or over its region;
    - `covering`: a unit or a list of units the membership covers (the unit, its
      region or the whole organisation; an empty list: organisation-wide only);
    - `user`: the person's own.
    """
    qs = Membership.objects.filter(user__is_active=True)
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    if unit is not None:
        qs = qs.filter(unit_id=_pk(unit))
    if units is not None:
        qs = qs.filter(unit__in=units)
    if region is not None:
        qs = qs.filter(region_id=_pk(region))
    if organisation_wide:
        qs = qs.filter(unit__isnull=True, region__isnull=True)
    if unit_or_region is not None:
        qs = qs.filter(Q(unit_id=unit_or_region.pk) | Q(region_id=unit_or_region.region_id))
    if covering is not None:
        qs = qs.filter(_covering_q([covering] if hasattr(covering, "pk") else covering))
    if user is not None:
        qs = qs.filter(user_id=_pk(user))
    return qs


def people_holding(roles: Iterable[str] | None = None, **where) -> QuerySet[User]:
    """The active people with a membership `memberships_of(roles, **where)` finds."""
    return User.objects.filter(is_active=True, pk__in=memberships_of(roles, **where).values("user_id"))


def people_with(perm: str, unit, *, kind: str | None = None) -> QuerySet[User]:
    """The active people who may use `perm` in `unit`: through the unit itself,
    its region or the whole organisation (the reverse of `access.can`, without
    a record's object rules)."""
    return people_holding(roles_with(perm, kind=kind), covering=unit)
