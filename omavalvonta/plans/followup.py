"""The figures of a four-monthly follow-up report, compiled from the product's
own data for a period. Read through the other areas' selectors with the
compiler's rights (the quality director sees the whole group).

The figures are stored with the report (`FollowupReport.figures`) so that an
approved and published report keeps the numbers it was approved with."""

from __future__ import annotations

import datetime as dt
import statistics
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from omavalvonta.plans.facts import contributed
from omavalvonta.plans.models import Plan, PlanVersion, VersionState

HELSINKI = ZoneInfo("Europe/Helsinki")

REVIEW_INTERVAL_MONTHS = 4


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=HELSINKI)


def compile_figures(*, actor, period_start: dt.date, period_end: dt.date, today: dt.date | None = None) -> dict:
    """Every figure of the report. Deviations count by the day they were submitted
    (Helsinki time), statutory notifications by when they were sent, actions
    opened/done by their dates, overdue actions as of the period's end (or today)."""
    # Imported here: plans reads these areas only through their selectors.
    from omavalvonta.deviations.selectors import deviation_list, statutory_clock_figures
    from omavalvonta.improvement.selectors import action_list

    today = today or timezone.localdate()
    begin, end = _start(period_start), _start(period_end + dt.timedelta(days=1))
    deviations = deviation_list(
        actor=actor, filters={"date_from": period_start.isoformat(), "date_to": period_end.isoformat()}
    ).order_by()

    def grouped(field):
        return [
            {"label": row[field] or "", "count": row["n"]}
            for row in deviations.values(field).annotate(n=Count("pk")).order_by("-n", field)
        ]

    total = deviations.count()
    answered = deviations.filter(answered_at__isnull=False).count()
    closed_count, median_days = _median_handling_days(deviations.filter(closed_at__isnull=False))
    notifications = (
        deviation_list(actor=actor)
        .order_by()
        .filter(statutory_notifications__sent_at__gte=begin, statutory_notifications__sent_at__lt=end)
        .values("statutory_notifications__recipient_kind")
        .annotate(n=Count("statutory_notifications"))
    )
    by_recipient = {r["statutory_notifications__recipient_kind"]: r["n"] for r in notifications}

    actions = action_list(actor=actor, filters={"kind": "corrective"}).order_by()
    as_of = min(today, period_end)
    action_counts = actions.aggregate(
        opened=Count("pk", filter=Q(created_at__gte=begin, created_at__lt=end)),
        # Done by the owner counts, also while it waits for its effectiveness check.
        done=Count("pk", filter=Q(state__in=["done", "awaiting_check"], completed_at__gte=begin, completed_at__lt=end)),
        overdue=Count("pk", filter=Q(state="open", due_date__lt=as_of, created_at__lt=end)),
    )

    return {
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "deviations": {
            "total": total,
            "by_kind": grouped("kind"),
            "by_unit": grouped("unit__name"),
            "by_region": grouped("unit__region__name"),
            "by_risk": grouped("risk_level"),
        },
        "notifications": {
            "total": sum(by_recipient.values()),
            "by_recipient": [{"label": k, "count": v} for k, v in sorted(by_recipient.items())],
            # § 28 clocks whose deadline fell in the period: in time, late, still missing.
            "clock": statutory_clock_figures(actor=actor, date_from=period_start, date_to=period_end, today=today),
        },
        "answered": {
            "count": answered,
            "share": round(100 * answered / total) if total else None,
            "median_handling_days": median_days,
            "closed": closed_count,
        },
        "actions": action_counts,
        "plan_reviews": plan_review_figures(period_start=period_start, period_end=period_end, today=today),
        "guidance": guidance_figures(actor=actor, period_start=period_start, period_end=period_end, today=today),
        "feedback": feedback_figures(actor=actor, period_start=period_start, period_end=period_end),
        # Restrictive measures by type and region (restrictions, through the registry).
        "restrictions": contributed("restrictions", actor=actor, period_start=period_start, period_end=period_end),
        # The children's change and measurement coverage (outcomes, through the registry).
        "effectiveness": contributed("effectiveness", actor=actor, period_start=period_start, period_end=period_end),
        # The clients' formal complaints: received, answered in time, late (complaints, through the registry).
        "complaints": contributed("complaints", actor=actor, period_start=period_start, period_end=period_end),
    }


def _median_handling_days(closed) -> tuple[int, float | None]:
    """The number of closed reports in `closed` and the median of their days
    from submission to closing (one decimal), taken in the database: the
    middle one or two rows in duration order, not every row (two queries)."""
    count = closed.count()
    if not count:
        return 0, None
    ordered = closed.annotate(handling=ExpressionWrapper(F("closed_at") - F("submitted_at"), output_field=DurationField()))
    middle = list(
        ordered.order_by("handling", "pk").values_list("handling", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    days = [d.total_seconds() / 86400 for d in middle]
    return count, round(statistics.median(days), 1)


def feedback_figures(*, actor, period_start: dt.date, period_end: dt.date) -> dict:
    """Client feedback answered in the period, through the feedback area's selector
    (per respondent group, NPS and response rate; the small-group rule applied there)."""
    try:
        from omavalvonta.feedback.reports import feedback_period_figures
    except ImportError:  # the feedback area is not installed
        return {}
    return feedback_period_figures(date_from=period_start, date_to=period_end, actor=actor)


def guidance_figures(*, actor, period_start: dt.date, period_end: dt.date, today: dt.date) -> dict:
    """Guidance and requests from authorities and counties received in the period:
    how many by kind, how many with a deadline were answered by it, how many are late now."""
    try:
        from omavalvonta.guidance.selectors import guidance_visible
    except ImportError:  # the guidance area is not installed
        return {}
    received = guidance_visible(actor=actor).order_by().filter(received_on__gte=period_start, received_on__lte=period_end)
    by_kind = received.values("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    with_deadline = received.filter(deadline__isnull=False)
    return {
        "total": received.count(),
        "by_kind": [{"label": r["kind"], "count": r["n"]} for r in by_kind],
        "with_deadline": with_deadline.count(),
        "answered_in_time": with_deadline.filter(response_date__isnull=False, response_date__lte=models.F("deadline")).count(),
        "late_now": with_deadline.filter(
            state__in=["registered", "response_in_preparation", "response_in_review"], deadline__lt=today
        ).count(),
    }


def plan_review_figures(*, period_start: dt.date, period_end: dt.date, today: dt.date) -> dict:
    """Reviews of units' plans approved in the period: on time (by the due date
    four months after the previous approval) or late; and plans overdue now."""
    begin, end = _start(period_start), _start(period_end + dt.timedelta(days=1))
    on_time = late = 0
    approved = (
        PlanVersion.objects.filter(state=VersionState.APPROVED, approved_at__gte=begin, approved_at__lt=end,
                                   based_on__isnull=False)
        .select_related("based_on")
        .only("approved_at", "based_on__approved_at")
    )
    for v in approved:
        due = timezone.localtime(v.based_on.approved_at, HELSINKI).date() + relativedelta(months=REVIEW_INTERVAL_MONTHS)
        if timezone.localtime(v.approved_at, HELSINKI).date() <= due:
            on_time += 1
        else:
            late += 1
    overdue = Plan.objects.filter(next_review_due__lt=min(today, period_end + dt.timedelta(days=1))).count()
    return {"on_time": on_time, "late": late, "overdue": overdue}
