"""THE access kernel. Every decision about who may see or do what lives here.

* `ROLE_PERMISSIONS` is the one role -> permission table (with the permissions,
  the kind limits and the object rules in `organisation/permissions.py`, data
  only; every name is re-exported here, so callers write `access.P_...`).
* A membership grants its role's permissions over a scope: one unit, the units of
  one region, or every unit (no unit and no region).
* Some roles see only some kinds of record (the safety manager sees threat and
  violence reports, the HR director those and harassment reports, the data
  protection officer data-protection reports):
  `ROLE_KIND_LIMITS`.
* Deny by default: an unknown permission, an inactive user, a unit outside every
  grant: denied.
* Outside the actor's units a record does not exist (404); inside them, a missing
  permission is 403.

Views declare their permission with `@requires(...)` (or `@public_view` in the
`public` app); a test walks every URL and fails on a view without one. Services
call `require(...)` again, so commands and background jobs are covered too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import ExpressionWrapper, F, Q, Subquery, Value
from django.http import Http404

from omavalvonta.core.lib.counts import count_all
from omavalvonta.core.lib.sqlin import InArrayOf
from omavalvonta.organisation.access_region import InUnitIds, UnitIds
from omavalvonta.organisation.models import Unit
from omavalvonta.organisation.permissions import (  # the permission table, re-exported
    API_TOKEN as API_TOKEN,
    AUTHENTICATED as AUTHENTICATED,
    OBJECT_RULES as OBJECT_RULES,
    P_ACCESS_LOG_REVIEW as P_ACCESS_LOG_REVIEW,
    P_ACCESS_LOG_VIEW as P_ACCESS_LOG_VIEW,
    P_ACTION_MANAGE as P_ACTION_MANAGE,
    P_ACTION_VIEW as P_ACTION_VIEW,
    P_CHILDRENS_MEETING_RECORD as P_CHILDRENS_MEETING_RECORD,
    P_CLIENT_COUNT as P_CLIENT_COUNT,
    P_CLIENT_MANAGE as P_CLIENT_MANAGE,
    P_CLIENT_VIEW as P_CLIENT_VIEW,
    P_COMPETENCE_COUNT as P_COMPETENCE_COUNT,
    P_COMPETENCE_RECORD as P_COMPETENCE_RECORD,
    P_COMPETENCE_VIEW as P_COMPETENCE_VIEW,
    P_COMPLAINT_HANDLE as P_COMPLAINT_HANDLE,
    P_COMPLAINT_VIEW as P_COMPLAINT_VIEW,
    P_COUNTY_VIEW as P_COUNTY_VIEW,
    P_DEVIATION_CLOSE_UNCORRECTED as P_DEVIATION_CLOSE_UNCORRECTED,
    P_DEVIATION_DISCLOSE_REPORTER as P_DEVIATION_DISCLOSE_REPORTER,
    P_DEVIATION_EXPORT as P_DEVIATION_EXPORT,
    P_DEVIATION_HANDLE as P_DEVIATION_HANDLE,
    P_DEVIATION_NOTIFY as P_DEVIATION_NOTIFY,
    P_DEVIATION_REPORT as P_DEVIATION_REPORT,
    P_DEVIATION_ROUTING as P_DEVIATION_ROUTING,
    P_DEVIATION_VIEW as P_DEVIATION_VIEW,
    P_DEVIATION_VIEW_REPORTER as P_DEVIATION_VIEW_REPORTER,
    P_DOCUMENT_MANAGE as P_DOCUMENT_MANAGE,
    P_DOCUMENT_VIEW as P_DOCUMENT_VIEW,
    P_FEEDBACK_MANAGE as P_FEEDBACK_MANAGE,
    P_FEEDBACK_VIEW as P_FEEDBACK_VIEW,
    P_GUIDANCE_MANAGE as P_GUIDANCE_MANAGE,
    P_GUIDANCE_REVIEW as P_GUIDANCE_REVIEW,
    P_GUIDANCE_VIEW as P_GUIDANCE_VIEW,
    P_INSTRUCTION_DECIDE as P_INSTRUCTION_DECIDE,
    P_LEARNING_OPEN as P_LEARNING_OPEN,
    P_LEARNING_SHARE as P_LEARNING_SHARE,
    P_LEARNING_VIEW as P_LEARNING_VIEW,
    P_LOG_VIEW as P_LOG_VIEW,
    P_LOG_WRITE as P_LOG_WRITE,
    P_MEETING_MANAGE as P_MEETING_MANAGE,
    P_MEETING_VIEW as P_MEETING_VIEW,
    P_OBLIGATION_COMPLETE as P_OBLIGATION_COMPLETE,
    P_OBLIGATION_TEMPLATE_EDIT as P_OBLIGATION_TEMPLATE_EDIT,
    P_OBLIGATION_VIEW as P_OBLIGATION_VIEW,
    P_ORG_ADMIN as P_ORG_ADMIN,
    P_ORIENTATION_CARDS as P_ORIENTATION_CARDS,
    P_OUTCOME_INSTRUMENT_MANAGE as P_OUTCOME_INSTRUMENT_MANAGE,
    P_PLAN_APPROVE as P_PLAN_APPROVE,
    P_PLAN_EDIT as P_PLAN_EDIT,
    P_PLAN_TEMPLATE as P_PLAN_TEMPLATE,
    P_PLAN_VIEW as P_PLAN_VIEW,
    P_PRIVACY_NOTICE_MANAGE as P_PRIVACY_NOTICE_MANAGE,
    P_PROGRAMME_APPROVE as P_PROGRAMME_APPROVE,
    P_PROGRAMME_MANAGE as P_PROGRAMME_MANAGE,
    P_READINESS_MANAGE as P_READINESS_MANAGE,
    P_RESTRICTION_DECIDE as P_RESTRICTION_DECIDE,
    P_RESTRICTION_RECORD as P_RESTRICTION_RECORD,
    P_RESTRICTION_VIEW as P_RESTRICTION_VIEW,
    P_RETENTION_MANAGE as P_RETENTION_MANAGE,
    P_RISK_MANAGE as P_RISK_MANAGE,
    P_RISK_VIEW as P_RISK_VIEW,
    P_SAFETY_COMMITTEE_VIEW as P_SAFETY_COMMITTEE_VIEW,
    P_SEARCH_USE as P_SEARCH_USE,
    P_SECURITY_PLAN as P_SECURITY_PLAN,
    P_SUBJECT_REQUEST_MANAGE as P_SUBJECT_REQUEST_MANAGE,
    P_SURVEY_EDIT as P_SURVEY_EDIT,
    P_THEMES_VIEW as P_THEMES_VIEW,
    P_UNIT_VIEW as P_UNIT_VIEW,
    PERMISSIONS as PERMISSIONS,
    PRIVILEGED_ROLES as PRIVILEGED_ROLES,
    ROLE_KIND_LIMITS as ROLE_KIND_LIMITS,
    ROLE_PERMISSIONS as ROLE_PERMISSIONS,
    SENSITIVE_PERMISSIONS as SENSITIVE_PERMISSIONS,
    role_reads_sensitive_data as role_reads_sensitive_data,
)

# --- Grants ------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int | None
    region_id: int | None
    permissions: frozenset[str]
    kind_limits: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def is_organisation_wide(self) -> bool:
        return self.unit_id is None and self.region_id is None

    def covers(self, unit_id: int, region_id: int) -> bool:
        return (
            self.is_organisation_wide
            or self.unit_id == unit_id
            or (self.region_id is not None and self.region_id == region_id)
        )

    def allows_kind(self, perm: str, kind: str | None) -> bool:
        limit = self.kind_limits.get(perm.split(".", 1)[0])
        return limit is None or kind is None or kind in limit

    @cached_property
    def region_ids(self) -> UnitIds:
        """The ids of the region's units (organisation/access_region.py), read
        once per grant (grants live for one request)."""
        return UnitIds(Unit.objects.filter(region_id=self.region_id).order_by("pk").values_list("pk", flat=True))

    def region_units(self) -> Subquery:
        """The ids of the region's units as a subquery (`unit_q(compact=True)`)."""
        return Subquery(Unit.objects.filter(region_id=self.region_id).order_by().values("pk"))

    def unit_q(self, unit_field: str, *, walk: bool = False, compact: bool = False) -> Q:
        if self.is_organisation_wide:
            return Q()
        if self.unit_id is not None:
            return Q(**{f"{unit_field}_id": self.unit_id})
        # The region's unit ids (`region_ids`), not a join through unit (a join sorted
        # every row: 2.2 s against 22 ms on 500,000 reports) nor a subquery
        # (inside the OR of the object rules PostgreSQL cannot use an index for
        # a subquery, and counted a region's reports with a full scan).
        # `compact`: the ids read by the database itself, as an array (core.lib.sqlin):
        # a search page's short statements (issue 19); the unit index serves it.
        lhs = F(f"{unit_field}_id")
        if walk:
            # `unit_id + 0` hides the unit index from the planner, so it walks the
            # list's sort index and stops at the page, instead of collecting a
            # region's every row to sort them (SQLite: 220 ms against 1 ms for
            # the first page of 22,800 reports).
            lhs = ExpressionWrapper(lhs + 0, output_field=models.IntegerField())
        if compact:
            return Q(InArrayOf(lhs, self.region_units()))
        if walk:
            return Q(InUnitIds(lhs, self.region_ids))  # one array parameter on PostgreSQL
        return Q(**{f"{unit_field}_id__in_unit_ids": self.region_ids})


def grants(actor) -> list[Grant]:
    """The actor's grants, computed once per actor object (one query)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    cached = getattr(actor, "_access_grants", None)
    if cached is not None:
        return cached
    result = [
        Grant(
            role=role,
            unit_id=unit_id,
            region_id=region_id,
            permissions=ROLE_PERMISSIONS.get(role, frozenset()),
            kind_limits=ROLE_KIND_LIMITS.get(role, {}),
        )
        for role, unit_id, region_id in actor.memberships.values_list("role", "unit_id", "region_id")
    ]
    actor._access_grants = result
    return result


def forget(actor) -> None:
    """Drop the cached grants (after memberships change)."""
    if hasattr(actor, "_access_grants"):
        del actor._access_grants


def _check_perm(perm: str) -> None:
    if perm not in PERMISSIONS:
        raise ValueError(f"Unknown permission {perm!r}")


def has_role(actor, *roles: str) -> bool:
    return any(g.role in roles for g in grants(actor))


def has_perm_anywhere(actor, perm: str) -> bool:
    if perm == AUTHENTICATED:
        return bool(getattr(actor, "is_authenticated", False) and actor.is_active)
    _check_perm(perm)
    return any(perm in g.permissions for g in grants(actor))


def roles_with(perm: str, *, kind: str | None = None) -> list[str]:
    """The roles that give `perm` (with `kind`: leaving out roles limited to other
    kinds of record), in the role table's order."""
    _check_perm(perm)
    area = perm.split(".", 1)[0]
    return [
        role
        for role, permissions in ROLE_PERMISSIONS.items()
        if perm in permissions
        and (kind is None or (limit := ROLE_KIND_LIMITS.get(role, {}).get(area)) is None or kind in limit)
    ]


def has_perm_organisation_wide(actor, perm: str | None = None) -> bool:
    """Does `actor` hold `perm` (without one: any right) over the whole
    organisation, not through a unit or a region? Group-wide records need it."""
    if perm is not None:
        _check_perm(perm)
    return any(g.is_organisation_wide and (perm is None or perm in g.permissions) for g in grants(actor))


def has_perm_above_unit(actor, perm: str) -> bool:
    """Does `actor` hold `perm` over a region or the whole organisation (a
    director), not only in units of their own?"""
    _check_perm(perm)
    return any(g.unit_id is None and perm in g.permissions for g in grants(actor))


def has_role_organisation_wide(actor, *roles: str) -> bool:
    """Does `actor` hold one of `roles` over the whole organisation?"""
    return any(g.role in roles and g.is_organisation_wide for g in grants(actor))


def is_member(actor) -> bool:
    """Does `actor` belong anywhere (any membership, any level)?"""
    return bool(grants(actor))


def own_unit_ids(actor, perm: str | None = None) -> list[int]:
    """The ids of the units `actor` is a member of directly (not through a region
    or the organisation), in membership order; with `perm`, only where the
    membership gives it. A form's default unit is the actor's own."""
    if perm is not None:
        _check_perm(perm)
    return [g.unit_id for g in grants(actor) if g.unit_id and (perm is None or perm in g.permissions)]


def can(actor, perm: str, unit: Unit | None, *, kind: str | None = None) -> bool:
    """May `actor` use `perm` in `unit` (for a record of `kind`)? Unknown: no."""
    if unit is None:
        return False
    _check_perm(perm)
    return any(
        perm in g.permissions and g.covers(unit.pk, unit.region_id) and g.allows_kind(perm, kind)
        for g in grants(actor)
    )


def require(actor, perm: str, unit: Unit | None, *, kind: str | None = None) -> None:
    """Raise PermissionDenied unless `can(...)`. Services call this."""
    if not can(actor, perm, unit, kind=kind):
        raise PermissionDenied(perm)


def sees_unit(actor, unit: Unit) -> bool:
    """Does any of the actor's memberships cover `unit`? (404 versus 403.)"""
    return any(g.covers(unit.pk, unit.region_id) for g in grants(actor))


def scope_q(
    actor,
    perm: str,
    *,
    unit_field: str = "unit",
    kind_field: str | None = None,
    walk: bool = False,
    compact: bool = False,
) -> Q:
    """A filter matching the rows `actor` may use `perm` on. Nothing when no grant.
    Organisation-level rows (no unit) match organisation-wide grants only.
    `walk`: the same rows, written for a page of a long sorted list (see
    `Grant.unit_q`); a count or a short list is faster without it.
    `compact`: the same rows, a region written as a subquery of its units
    instead of the list of their ids (see `Grant.unit_q`): for a search's short
    page of matches, not for counting or walking a region's every row."""
    _check_perm(perm)
    combined = None
    for g in grants(actor):
        if perm not in g.permissions:
            continue
        q = g.unit_q(unit_field, walk=walk, compact=compact)
        limit = g.kind_limits.get(perm.split(".", 1)[0])
        if limit is not None and kind_field:
            q &= Q(**{f"{kind_field}__in": sorted(limit)})
        if not q:  # organisation-wide and unlimited: everything
            return Q()
        combined = q if combined is None else combined | q
    return combined if combined is not None else Q(pk__in=[])


def units_for(actor, perm: str):
    """The active units where `actor` may use `perm`."""
    return Unit.objects.filter(_unit_scope_q(actor, perm), is_active=True)


def _unit_scope_q(actor, perm: str) -> Q:
    _check_perm(perm)
    combined = None
    for g in grants(actor):
        if perm not in g.permissions:
            continue
        if g.is_organisation_wide:
            return Q()
        q = Q(pk=g.unit_id) if g.unit_id is not None else Q(region_id=g.region_id)
        combined = q if combined is None else combined | q
    return combined if combined is not None else Q(pk__in=[])


def _owner_q(model, actor, perm: str) -> Q | None:
    """The object rules of `perm` for `actor` on `model` (their own reports, the
    reports they handle), or None."""
    if not (getattr(actor, "is_authenticated", False) and actor.is_active):
        return None
    field_names = {f.attname for f in model._meta.concrete_fields}
    q = None
    for owner_field in OBJECT_RULES.get(perm, ()):
        if owner_field in field_names:
            rule = Q(**{owner_field: actor.pk})
            q = rule if q is None else q | rule
    return q


def filter_for_actor(queryset, actor, perm: str, *, walk: bool = False, compact: bool = False):
    """Scope a queryset of a unit-scoped model to what `actor` may use `perm` on.
    Object rules (a reporter's own report, the named handler) are added for the permissions they cover.
    `walk`, `compact`: see `scope_q`."""
    model = queryset.model
    q = scope_q(actor, perm, kind_field=getattr(model, "access_kind_field", None), walk=walk, compact=compact)
    if not q:
        # Organisation-wide and unlimited (Q(), tested without comparing: a
        # region's ids are not walked). Q() | Q(x) would collapse to Q(x),
        # silently narrowing "everything" to the object rules.
        return queryset.all()
    owner = _owner_q(model, actor, perm)
    return queryset.filter(q if owner is None else q | owner)


def count_for_actor(queryset, actor, perm: str, *, limit: int | None = None) -> int:
    """`filter_for_actor(queryset, actor, perm).count()`, counted in two parts:
    the rows in the actor's units, then their own rows elsewhere. Each part can
    be counted from an index alone; the OR of both made PostgreSQL visit every
    row of a region (a regional director's 22,800 reports: 120 ms against 5 ms).
    With `limit`, counting stops there (the result is at most `limit`): a list
    of half a million rows says "more than N" instead of counting them all.
    The parts are counted in one statement (core.lib.counts.count_all)."""
    model = queryset.model

    def counted(qs):
        # A constant per row keeps each part an index-only count.
        return qs if limit is None else qs.order_by().annotate(_counted=Value(1)).values("_counted")[:limit]

    q = scope_q(actor, perm, kind_field=getattr(model, "access_kind_field", None))
    if not q:  # everything
        parts = {"all": counted(queryset)}
    else:
        parts = {"units": counted(queryset.filter(q))}
        owner = _owner_q(model, actor, perm)
        if owner is not None:
            parts["own"] = counted(queryset.filter(owner).exclude(q))
    count = sum(count_all(parts, using=queryset.db).values())
    return count if limit is None else min(count, limit)


def access_object(queryset, actor, pk, perm: str):
    """Fetch one record for `actor`: 404 when it lies outside every unit the actor
    belongs to, 403 inside them without `perm`. A record without a unit (an
    organisation-level one) is the organisation-wide members' alone."""
    _check_perm(perm)
    try:
        obj = queryset.select_related("unit", "unit__region").get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if owns(actor, obj, perm):
        return obj
    if obj.unit_id is None:
        # An organisation-level record (no unit): only organisation-wide
        # members know of it; among them, the right decides.
        if not has_perm_organisation_wide(actor):
            raise Http404
        if not has_perm_organisation_wide(actor, perm):
            raise PermissionDenied(perm)
        return obj
    if not sees_unit(actor, obj.unit):
        raise Http404
    kind = getattr(obj, getattr(obj, "access_kind_field", "") or "", None)
    if not can(actor, perm, obj.unit, kind=kind):
        raise PermissionDenied(perm)
    return obj


def owns(actor, obj, perm: str) -> bool:
    """Is `actor` the person one of `perm`'s object rules names on `obj`?"""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return any(getattr(obj, f, None) == actor.pk for f in OBJECT_RULES.get(perm, ()))


def can_on(actor, obj, perm: str) -> bool:
    """`can` for one record, owner rules and kind limits included (for templates).
    A record without a unit needs `perm` organisation-wide."""
    if owns(actor, obj, perm):
        return True
    if obj.unit_id is None:
        return has_perm_organisation_wide(actor, perm)
    kind = getattr(obj, getattr(obj, "access_kind_field", "") or "", None)
    return can(actor, perm, obj.unit, kind=kind)


class UnitScopedQuerySet(models.QuerySet):
    """Queryset for of unit-scoped models: `Model.objects.for_actor(actor, perm)`."""

    def for_actor(self, actor, perm: str, *, walk: bool = False, compact: bool = False):
        return filter_for_actor(self, actor, perm, walk=walk, compact=compact)


# --- View declarations ---------------------------------------------------------------


def requires(perm: str, *alternatives: str):
    """Declare (and check) the permission a view needs somewhere in the actor's units
    (or one of `alternatives`, for a page a narrower right also opens).

    Object-level checks (which unit) are done by the view's selector through
    `access_object`. The URL-walk test reads `view.access_permission`.
    """
    for one in (perm, *alternatives):
        if one != AUTHENTICATED:
            _check_perm(one)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not any(has_perm_anywhere(request.user, one) for one in (perm, *alternatives)):
                raise PermissionDenied(perm)
            return view(request, *args, **kwargs)

        wrapped.access_permission = perm
        return wrapped

    return decorator


def public_view(view):
    """Declare a view reachable without login. Only the `public` app may use it."""
    view = login_not_required(view)
    view.access_public = True
    return view


def require_on(actor, obj, perm: str) -> None:
    """Raise PermissionDenied unless `can_on(actor, obj, perm)`. Services call this
    for writes to an existing record."""
    if not can_on(actor, obj, perm):
        raise PermissionDenied(perm)


def access_unit(actor, pk, perm: str) -> Unit:
    """One unit for a per-unit page: 404 when none of the actor's memberships
    covers it, 403 when one does but without `perm`."""
    _check_perm(perm)
    try:
        unit = Unit.objects.select_related("region").get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not sees_unit(actor, unit):
        raise Http404
    if not can(actor, perm, unit):
        raise PermissionDenied(perm)
    return unit
