"""Background job of the improvement area: action reminders (run by the `worker`).

Each reminder is claimed with a conditional UPDATE (`... WHERE reminded_at IS
NULL`) in its own transaction together with its outbox row: a second run, or a
second worker running side by side, finds the row claimed and sends nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.services import audit_event_record
from omavalvonta.improvement.models import Action, ActionState
from omavalvonta.improvement.services._common import action_link, fi_date
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Role

# The owner is reminded this many days before the due date.
REMINDER_DAYS_BEFORE = 3
BATCH = 500


def _claim(action: Action, field: str, now, **state) -> bool:
    return bool(Action.objects.filter(pk=action.pk, **{f"{field}__isnull": True}, **state).update(**{field: now}))


def _checkers(action: Action) -> list:
    """Who is asked to check an action's effectiveness: whoever decided it (if they
    still manage actions there) and the unit's supervisors and responsible persons."""
    people = {}
    if action.created_by.is_active and access.can(action.created_by, access.P_ACTION_MANAGE, action.unit):
        people[action.created_by_id] = action.created_by
    for m in (
        access_people.memberships_of([Role.SUPERVISOR, Role.RESPONSIBLE_PERSON], unit=action.unit_id)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    ):
        people.setdefault(m.user_id, m.user)
    return list(people.values())


def actions_send_reminders(*, now: dt.datetime | None = None) -> int:
    """Background job: remind owners REMINDER_DAYS_BEFORE the due date, tell them
    once an action is overdue, and ask for the effectiveness check once it falls
    due. Each kind at most once per action (until the due date moves or the action
    is reopened). Returns how many notifications were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    related = ("owner", "unit", "created_by")

    soon = (
        Action.objects.filter(
            state=ActionState.OPEN,
            reminded_at__isnull=True,
            due_date__gte=today,
            due_date__lte=today + dt.timedelta(days=REMINDER_DAYS_BEFORE),
        )
        .select_related(*related)
        .order_by("due_date", "id")[:BATCH]
    )
    for action in soon:
        with transaction.atomic():
            if not _claim(action, "reminded_at", now, state=ActionState.OPEN):
                continue
            if action.owner.is_active:
                notification_enqueue(
                    recipient=action.owner,
                    kind="action.due_soon",
                    digestible=True,
                    subject=_("Action due %(due)s: %(title)s") % {"due": fi_date(action.due_date), "title": action.title[:120]},
                    body=_("Your action in %(unit)s is due %(due)s:\n\n%(title)s")
                    % {"unit": action.unit.name, "due": fi_date(action.due_date), "title": action.title},
                    link=action_link(action),
                )
                sent += 1

    overdue = (
        Action.objects.filter(state=ActionState.OPEN, overdue_notified_at__isnull=True, due_date__lt=today)
        .select_related(*related)
        .order_by("due_date", "id")[:BATCH]
    )
    for action in overdue:
        with transaction.atomic():
            if not _claim(action, "overdue_notified_at", now, state=ActionState.OPEN):
                continue
            # An overdue action needs no "due soon" reminder any more.
            Action.objects.filter(pk=action.pk, reminded_at__isnull=True).update(reminded_at=now)
            if action.owner.is_active:
                notification_enqueue(
                    recipient=action.owner,
                    kind="action.overdue",
                    digestible=True,
                    subject=_("Overdue action: %(title)s") % {"title": action.title[:120]},
                    body=_("Your action in %(unit)s was due %(due)s and is not done yet:\n\n%(title)s")
                    % {"unit": action.unit.name, "due": fi_date(action.due_date), "title": action.title},
                    link=action_link(action),
                )
                sent += 1
            audit_event_record(actor=None, verb="action.overdue", target=action, unit=action.unit)

    checks = (
        Action.objects.filter(
            Q(effectiveness_due__lte=today),
            state=ActionState.AWAITING_CHECK,
            effectiveness_reminded_at__isnull=True,
        )
        .select_related(*related)
        .order_by("effectiveness_due", "id")[:BATCH]
    )
    for action in checks:
        with transaction.atomic():
            if not _claim(action, "effectiveness_reminded_at", now, state=ActionState.AWAITING_CHECK):
                continue
            for person in _checkers(action):
                notification_enqueue(
                    recipient=person,
                    kind="action.check_due",
                    subject=_("Check whether an action worked: %(title)s") % {"title": action.title[:120]},
                    body=_(
                        "The action in %(unit)s was completed on %(done)s. It fixed a serious risk, so it is "
                        "closed only when someone records whether it worked:\n\n%(title)s"
                    )
                    % {
                        "unit": action.unit.name,
                        "done": fi_date(timezone.localdate(action.completed_at)) if action.completed_at else "",
                        "title": action.title,
                    },
                    link=action_link(action),
                )
                sent += 1
    return sent
