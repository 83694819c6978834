"""Reads of the data-protection area: the access log as the data-protection
officer reviews it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from omavalvonta.core.models import AccessLogEntry
from omavalvonta.organisation import access
from omavalvonta.privacy import rules


def require_review(actor) -> None:
    """access_log.review is an organisation-level right (the data-protection
    officer's and the administrators'): the log covers every unit."""
    from django.core.exceptions import PermissionDenied

    if not access.has_perm_organisation_wide(actor, access.P_ACCESS_LOG_REVIEW):
        raise PermissionDenied(access.P_ACCESS_LOG_REVIEW)


LOG_RELATED = ("actor", "unit", "target_type", "review", "review__reviewed_by")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def access_log_review(*, actor, filters: dict | None = None):
    """The access log, newest first, each entry with its flags (`rules`),
    filtered by `filters`: reader (name or e-mail contains), unit (name
    contains), what was read, a period of days, a flag ("any", a rule's name or
    "unreviewed": flagged and not yet reviewed). Needs access_log.review."""
    require_review(actor)
    filters = filters or {}
    qs = rules.with_flags(AccessLogEntry.objects.all())
    if filters.get("reader"):
        text = filters["reader"]
        qs = qs.filter(Q(actor__full_name__icontains=text) | Q(actor__email__icontains=text))
    if filters.get("unit"):
        qs = qs.filter(unit__name__icontains=filters["unit"])
    if filters.get("what"):
        qs = qs.filter(what=filters["what"])
    if filters.get("date_from"):
        qs = qs.filter(at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(at__lt=_day_start(filters["date_to"] + dt.timedelta(days=1)))
    flag = filters.get("flag")
    if flag == "unreviewed":
        qs = qs.filter(rules.flag_q("any"), review__isnull=True)
    elif flag:
        qs = qs.filter(rules.flag_q(flag))
    return qs.order_by("-at", "-id")


def access_log_entry(*, actor, pk) -> AccessLogEntry:
    """One entry for its review (404 when there is none)."""
    from django.shortcuts import get_object_or_404

    require_review(actor)
    return get_object_or_404(rules.with_flags(AccessLogEntry.objects.all()), pk=pk)
