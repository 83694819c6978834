"""The management group's agenda sources: group-level summaries (no unit) of the
last four months, counted anew each time the agenda is built or refreshed.
Each runs with the chair as `actor` and unit None, and sees only what the chair
may see. Titles carry numbers and counts only: no description may name a child."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from omavalvonta.deviations.models import ViolenceTarget
from omavalvonta.deviations.selectors import deviation_list
from omavalvonta.meetings.models import AgendaItemKind
from omavalvonta.organisation import access

GROUP_DEVIATIONS_NEWEST = 5


def group_period_start(today: dt.date | None = None) -> dt.date:
    """The first day of the last four months (the same day four months back)."""
    today = today or timezone.localdate()
    month = today.month - 4
    year = today.year
    if month < 1:
        month += 12
        year -= 1
    day = min(today.day, 28)
    return dt.date(year, month, day)


def _per_region(qs, *, kind: str, title: str):
    """One line of the group's agenda: `title` (a count of `qs`), and the count of
    each region in its note."""
    from omavalvonta.meetings.agenda import AgendaProposal

    field = "unit__region__name"
    rows = qs.order_by().values(field).annotate(n=Count("pk")).order_by("-n", field)
    return AgendaProposal(kind=kind, title=title, note=", ".join(f"{row[field]} {row['n']}" for row in rows)[:300])


def _newest(qs):
    """The newest deviations of `qs` one by one, with their unit and risk level."""
    from omavalvonta.meetings.agenda import AgendaProposal

    return [
        AgendaProposal(
            kind=AgendaItemKind.DEVIATION,
            title=str(d),
            source=d,
            note=_("%(unit)s, risk %(risk)s") % {"unit": d.unit.name, "risk": str(d.get_risk_level_display() or "-").lower()},
        )
        for d in qs.order_by("-submitted_at", "-id")[:GROUP_DEVIATIONS_NEWEST]
    ]


def group_serious_deviations_for_agenda(*, actor, unit=None):
    """High and very high risk deviations of the last four months the chair may
    see: a count per region, then the five newest."""

    since = group_period_start()
    qs = deviation_list(actor=actor, filters={"date_from": since.isoformat()}).filter(
        risk_level__in=["high", "very_high"]
    )
    total = qs.count()
    if not total:
        return []
    proposals = [
        _per_region(
            qs,
            kind=AgendaItemKind.DEVIATION,
            title=ngettext(
                "%(count)d high or very high risk deviation in the last four months",
                "%(count)d high or very high risk deviations in the last four months",
                total,
            )
            % {"count": total},
        )
    ]
    return proposals + _newest(qs)


def group_statutory_notifications_for_agenda(*, actor, unit=None):
    """Statutory notifications sent in the last four months (a count)."""
    from omavalvonta.deviations.models import StatutoryNotification
    from omavalvonta.meetings.agenda import AgendaProposal

    since = group_period_start()
    count = (
        StatutoryNotification.objects.for_actor(actor, access.P_DEVIATION_VIEW)
        .filter(sent_at__date__gte=since)
        .count()
    )
    if not count:
        return []
    return [
        AgendaProposal(
            kind=AgendaItemKind.DEVIATION,
            title=ngettext(
                "%(count)d statutory notification sent in the last four months",
                "%(count)d statutory notifications sent in the last four months",
                count,
            )
            % {"count": count},
        )
    ]


def group_overdue_actions_for_agenda(*, actor, unit=None):
    """Overdue actions across the organisation the chair may see, per region."""
    from omavalvonta.improvement.selectors import action_list

    qs = action_list(actor=actor, filters={"overdue": True})
    count = qs.count()
    if not count:
        return []
    return [
        _per_region(
            qs,
            kind=AgendaItemKind.ACTION_DUE,
            title=ngettext("%(count)d overdue action", "%(count)d overdue actions", count) % {"count": count},
        )
    ]


def group_guidance_for_agenda(*, actor, unit=None):
    """Guidance and requests awaiting a response or its review (counts)."""
    from omavalvonta.guidance.models import State
    from omavalvonta.guidance.selectors import guidance_list
    from omavalvonta.meetings.agenda import AgendaProposal

    if not access.has_perm_anywhere(actor, access.P_GUIDANCE_VIEW):
        return []
    awaiting_response = guidance_list(actor=actor, filters={"state": State.REGISTERED}).count() + guidance_list(
        actor=actor, filters={"state": State.RESPONSE_IN_PREPARATION}
    ).count()
    in_review = guidance_list(actor=actor, filters={"state": State.RESPONSE_IN_REVIEW}).count()
    overdue = guidance_list(actor=actor, filters={"overdue": True}).count()
    if not (awaiting_response or in_review):
        return []
    note = _("awaiting a response %(response)d, in review %(review)d") % {
        "response": awaiting_response,
        "review": in_review,
    }
    if overdue:
        note += ", " + _("past the deadline %(count)d") % {"count": overdue}
    total = awaiting_response + in_review
    return [
        AgendaProposal(
            kind=AgendaItemKind.GUIDANCE,
            title=ngettext(
                "%(count)d item of guidance awaiting a response or review",
                "%(count)d items of guidance awaiting a response or review",
                total,
            )
            % {"count": total},
            note=note,
        )
    ]


# --- The occupational safety committee (työsuojelutoimikunta) ---------------------------------

# The kinds of report the committee goes through: the programme's "uhka- ja
# vaaratilanteet" (threats, danger and violence).
SAFETY_DEVIATION_KINDS = ("threat_or_violence",)


def safety_deviations_for_agenda(*, actor, unit=None):
    """The safety committee's agenda: the threat, danger and violence reports of
    the last four months across the units the chair may see (through the
    deviations' selector, so the access kernel scopes them): a count per region
    and by whom the threat or violence was directed at, then the newest five by
    number and type only (the descriptions may name a child)."""
    from omavalvonta.meetings.agenda import AgendaProposal

    since = group_period_start()
    qs = deviation_list(actor=actor, filters={"date_from": since.isoformat()}).filter(kind__in=SAFETY_DEVIATION_KINDS)
    total = qs.count()
    if not total:
        return []
    targets = dict(
        qs.order_by().values_list("violence_target").annotate(n=Count("pk")).values_list("violence_target", "n")
    )
    by_target = ", ".join(
        f"{str(label).lower()} {targets[value]}" for value, label in ViolenceTarget.choices if targets.get(value)
    )
    proposals = [
        _per_region(
            qs,
            kind=AgendaItemKind.DEVIATION,
            title=ngettext(
                "%(count)d threat, danger or violence report in the last four months",
                "%(count)d threat, danger or violence reports in the last four months",
                total,
            )
            % {"count": total},
        )
    ]
    if by_target:
        proposals.append(
            AgendaProposal(
                kind=AgendaItemKind.DEVIATION,
                title=_("Threats and violence by whom they were directed at"),
                note=by_target[:300],
            )
        )
    proposals += _newest(qs)
    return proposals
