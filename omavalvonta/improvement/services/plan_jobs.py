"""Background job: remind the units' supervisors to record the four-monthly
follow-ups of their action plan's goals.

In the last PLAN_REMINDER_DAYS days of a period of the year (core.rhythm: T1
January–April, T2 May–September, T3 October–December by default), each plan of the year whose goals still lack a
follow-up for the period gets one reminder. The claim is a PlanFollowUpReminder
row (unique per plan and period) inserted in the same transaction as the outbox
rows: a second run, or a second worker side by side, fails to insert it and
sends nothing."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core import rhythm
from omavalvonta.core.services import audit_event_record
from omavalvonta.improvement.models import ActionPlan, GoalFollowUp, PlanFollowUpReminder, PlanGoal
from omavalvonta.improvement.services._common import fi_date
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access_people
from omavalvonta.organisation.models import Role

PLAN_REMINDER_DAYS = 14


def period_bounds(year: int, period: int) -> tuple[dt.date, dt.date]:
    """First and last day of a period of the year (core.rhythm)."""
    return rhythm.period(period).bounds(year)


def _supervisors(plan: ActionPlan) -> list:
    """The unit's supervisors; the responsible persons when it has none."""
    for roles in ((Role.SUPERVISOR,), (Role.RESPONSIBLE_PERSON,)):
        people = [
            m.user
            for m in access_people.memberships_of(roles, unit=plan.unit_id)
            .select_related("user")
            .order_by("user__full_name", "user_id")
        ]
        if people:
            return list({p.pk: p for p in people}.values())
    return []


def claim_reminder(*, plan: ActionPlan, period: int, now) -> bool:
    """Claim the reminder of `plan` for `period`: True for the one caller whose
    insert succeeds (a savepoint keeps a lost race from breaking the caller's
    transaction)."""
    try:
        with transaction.atomic():
            PlanFollowUpReminder.objects.create(plan=plan, period=period, sent_at=now)
    except IntegrityError:
        return False
    return True


def plan_follow_up_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Send the period's follow-up reminders that are due. Returns how many
    notifications were queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    current = rhythm.period_of(today)
    period = current.index
    last = current.bounds(today.year)[1]
    if (last - today).days >= PLAN_REMINDER_DAYS:
        return 0
    missing = PlanGoal.objects.filter(plan=OuterRef("pk")).exclude(
        Exists(GoalFollowUp.objects.filter(goal=OuterRef("pk"), period=period))
    )
    plans = (
        ActionPlan.objects.filter(year=today.year, unit__is_active=True)
        .filter(Exists(missing))
        .exclude(Exists(PlanFollowUpReminder.objects.filter(plan=OuterRef("pk"), period=period)))
        .select_related("unit")
        .order_by("id")
    )
    sent = 0
    for plan in plans:
        with transaction.atomic():
            # Claim and outbox rows commit together: the reminder is sent exactly once.
            if not claim_reminder(plan=plan, period=period, now=now):
                # Another worker claimed this plan's reminder first.
                continue
            open_goals = PlanGoal.objects.filter(plan=plan).exclude(follow_ups__period=period).count()
            link = reverse("improvement:plan_detail", args=[plan.pk])
            for person in _supervisors(plan):
                notification_enqueue(
                    recipient=person,
                    kind="action_plan.follow_up_due",
                    digestible=True,
                    subject=_("Action plan follow-up due by %(date)s: %(unit)s")
                    % {"date": fi_date(last), "unit": plan.unit.name},
                    body=_(
                        "The four-month period %(period)s ends on %(date)s. Record the follow-ups of the "
                        "action plan %(year)s of %(unit)s (goals without a follow-up: %(count)s)."
                    )
                    % {
                        "period": current.label,
                        "date": fi_date(last),
                        "count": open_goals,
                        "year": plan.year,
                        "unit": plan.unit.name,
                    },
                    link=link,
                )
                sent += 1
            audit_event_record(
                actor=None, verb="action_plan.follow_up_reminded", target=plan, unit=plan.unit, period=period
            )
    return sent
