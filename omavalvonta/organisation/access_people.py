"""The access kernel's reverse questions: who holds a role or a right where.

`access` answers "may this person do P here?"; this module answers the other
way round, for routing, reminders and escalation: "who in this unit may do P?",
"who are the unit's responsible persons?". Only active people count. Areas ask
here instead of querying memberships by role themselves, so the role table
stays the kernel's own business.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

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


class PeopleCovering:
    """The active people whose memberships cover `unit` (the unit itself, its
    region, the whole organisation), read in one query when first asked: a page
    offering several choices of people in one unit (who handles a report, who
    owns an action, who answers for an instruction) asks them here instead of a
    query per choice. Each answer is by name (full name, then id)."""

    def __init__(self, unit):
        self.unit = unit

    @cached_property
    def _rows(self) -> list[tuple[str, int | None, User]]:
        rows = memberships_of(covering=self.unit).select_related("user").order_by()
        return [(m.role, m.unit_id, m.user) for m in rows]

    def _people(self, keep) -> list[User]:
        people = {}
        for role, unit_id, user in self._rows:
            if keep(role, unit_id):
                people.setdefault(user.pk, user)
        return sorted(people.values(), key=lambda u: (u.full_name, u.pk))

    def with_perm(self, perm: str, *, kind: str | None = None) -> list[User]:
        """`people_with(perm, unit, kind=kind)`."""
        roles = set(roles_with(perm, kind=kind))
        return self._people(lambda role, unit_id: role in roles)

    def in_unit(self) -> list[User]:
        """`people_holding(unit=unit)`: a membership in the unit itself, any role."""
        return self._people(lambda role, unit_id: unit_id == self.unit.pk)


class Named:
    """A person as a choice of people shows them: id and name (`str()` as
    `User.__str__`). Only to offer; a form that is posted cleans to a `User`."""

    __slots__ = ("pk", "full_name", "email")

    def __init__(self, pk: int, full_name: str, email: str):
        self.pk, self.full_name, self.email = pk, full_name, email

    def __str__(self):
        return self.full_name or self.email


class NamesCovering(PeopleCovering):
    """`PeopleCovering` reading only each person's id and names (no whole User a
    membership): the same people in the same order, as `Named`, for a page that
    only offers them (a form shown, not posted)."""

    @cached_property
    def _rows(self) -> list[tuple[str, int | None, Named]]:
        rows = memberships_of(covering=self.unit).order_by()
        named = {}
        return [
            (role, unit_id, named.get(pk) or named.setdefault(pk, Named(pk, full_name, email)))
            for role, unit_id, pk, full_name, email in rows.values_list(
                "role", "unit_id", "user_id", "user__full_name", "user__email"
            )
        ]
