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
        qs = qs.filter(Q(actor__full_name__icontains=text) | Q(actor__email__icontains=text) | Q(reader__icontains=text))
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


# --- Data-subject requests ---------------------------------------------------------------


def require_subject_requests(actor) -> None:
    """The register of data-subject requests is organisation-level: the
    data-protection officer's and the administrators' (subject_request.manage)."""
    from django.core.exceptions import PermissionDenied

    if not access.has_perm_organisation_wide(actor, access.P_SUBJECT_REQUEST_MANAGE):
        raise PermissionDenied(access.P_SUBJECT_REQUEST_MANAGE)


def subject_requests(*, actor, show: str = "open"):
    """The register, the nearest due first among the open ones ("open"), or
    every request, newest first ("all")."""
    from omavalvonta.privacy.models import OPEN_STATUSES, SubjectRequest

    require_subject_requests(actor)
    qs = SubjectRequest.objects.select_related("person", "compilation")
    if show == "open":
        return qs.filter(status__in=OPEN_STATUSES).order_by("due_on", "id")
    return qs.order_by("-received_on", "-id")


def subject_request_get(*, actor, pk):
    """One request (404 when there is none)."""
    from django.shortcuts import get_object_or_404

    from omavalvonta.privacy.models import SubjectRequest

    require_subject_requests(actor)
    return get_object_or_404(SubjectRequest.objects.select_related("person", "registered_by"), pk=pk)


def subject_compilation(*, request):
    """The request's compile, or None."""
    from omavalvonta.privacy.models import SubjectCompilation

    return SubjectCompilation.objects.select_related("reviewed_by", "compiled_by").filter(request=request).first()


# --- Retention ---------------------------------------------------------------------------


def require_retention(actor) -> None:
    """The retention table, legal holds and destruction runs are organisation-level:
    the data-protection officer's and the administrators' (retention.manage)."""
    from django.core.exceptions import PermissionDenied

    if not access.has_perm_organisation_wide(actor, access.P_RETENTION_MANAGE):
        raise PermissionDenied(access.P_RETENTION_MANAGE)


def legal_holds(*, actor, show: str = "active"):
    from omavalvonta.privacy.models import LegalHold

    require_retention(actor)
    qs = LegalHold.objects.all()
    if show == "active":
        qs = qs.filter(lifted_at__isnull=True)
    return qs.order_by("-set_at", "-id")


HOLD_RELATED = ("set_by", "lifted_by")


def legal_hold_get(*, actor, pk):
    from django.shortcuts import get_object_or_404

    from omavalvonta.privacy.models import LegalHold

    require_retention(actor)
    return get_object_or_404(LegalHold.objects.select_related(*HOLD_RELATED), pk=pk)


def destruction_runs(*, actor):
    from omavalvonta.privacy.models import DestructionRun

    require_retention(actor)
    return DestructionRun.objects.order_by("-month", "-id")


def destruction_run_counts(run_ids) -> dict[int, int]:
    """The number of records in each of the runs `run_ids` (one query)."""
    from django.db.models import Count

    from omavalvonta.privacy.models import DestructionItem

    rows = DestructionItem.objects.filter(run_id__in=run_ids).order_by().values("run_id").annotate(n=Count("id"))
    return {row["run_id"]: row["n"] for row in rows}


def destruction_run_get(*, actor, pk):
    from django.shortcuts import get_object_or_404

    from omavalvonta.privacy.models import DestructionRun

    require_retention(actor)
    return get_object_or_404(DestructionRun.objects.select_related("decided_by"), pk=pk)


def destruction_run_summary(run) -> list[dict]:
    """The run's items counted by record type and state (one query)."""
    from django.db.models import Count, Max, Min

    rows = (
        run.items.order_by().values("record_type", "state")
        .annotate(n=Count("id"), first=Min("dated"), last=Max("dated"))
    )
    return list(rows)


def destruction_records(*, actor, record_type: str = ""):
    from omavalvonta.privacy.models import DestructionRecord

    require_retention(actor)
    qs = DestructionRecord.objects.all()
    if record_type:
        qs = qs.filter(record_type=record_type)
    return qs.order_by("-destroyed_at", "-id")
