"""Reads of the proposals to change an instruction (services/decisions.py
writes): the handler's choice of who decides, the list for those who decide
instructions, one proposal, the responsible person's home block and the
quality calendar's duty of an undecided proposal.

How long a proposal may wait: the programme asks that a proposal be tracked to a
decision, like guidance, but sets no deadline. The product's choice, a constant
here: the responsible person is reminded after PROPOSAL_REMIND_AFTER_DAYS
undecided days and the proposal is late (escalated by the quality calendar,
yearclock/duties.py) after PROPOSAL_DECIDE_DAYS, well inside the four months in
which the unit's plan and the group programme are reviewed."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core import registry
from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.core.lib.sqldates import AddMonths
from omavalvonta.deviations.models import Deviation, InstructionProposal, ProposalState
from omavalvonta.organisation import access, access_people

PROPOSAL_REMIND_AFTER_DAYS = 14
PROPOSAL_DECIDE_DAYS = 30
# The quality calendar reminds this many days before the due date.
PROPOSAL_REMIND_DAYS_BEFORE = PROPOSAL_DECIDE_DAYS - PROPOSAL_REMIND_AFTER_DAYS
HOME_ROWS = 6
LIST_ROWS = 50

OPEN, DECIDED = "avoimet", "ratkaistut"


def responsible_candidates(*, unit) -> list:
    """Who may be named responsible for an instruction of `unit`: the active
    people holding instruction.decide over it (the unit's responsible person,
    the region's director, the quality director), by name. One query."""
    return list(access_people.people_with(access.P_INSTRUCTION_DECIDE, unit).order_by("full_name", "pk"))


def proposals_for_deviation(*, deviation: Deviation) -> list[InstructionProposal]:
    """The proposals made from a report (its page, read through the kernel by
    the caller). One query."""
    return list(
        InstructionProposal.objects.filter(deviation=deviation).select_related("responsible").order_by("proposed_at", "id")
    )


def _visible(actor):
    return InstructionProposal.objects.for_actor(actor, access.P_INSTRUCTION_DECIDE)


def proposal_list(*, actor, show: str = OPEN) -> tuple[list[InstructionProposal], int]:
    """(rows, total) of the proposals `actor` may decide (instruction.decide over
    the unit, or sent to them): the open ones oldest first, or the decided ones
    newest decision first; at most LIST_ROWS rows. Two queries."""
    qs = _visible(actor)
    if show == DECIDED:
        qs = qs.exclude(state=ProposalState.PROPOSED).order_by("-decided_at", "-id")
    else:
        qs = qs.filter(state=ProposalState.PROPOSED).order_by("proposed_at", "id")
    rows = list(qs.select_related("unit", "responsible", "deviation")[:LIST_ROWS])
    total = len(rows) if len(rows) < LIST_ROWS else qs.count()
    return rows, total


def proposal_get(*, actor, pk) -> InstructionProposal:
    """One proposal: 404 outside the actor's units, 403 inside without the right
    (the person it was sent to always)."""
    return access.access_object(
        InstructionProposal.objects.select_related("responsible", "proposed_by", "decided_by", "deviation"),
        actor,
        pk,
        access.P_INSTRUCTION_DECIDE,
    )


def due_on(proposal: InstructionProposal) -> dt.date:
    return timezone.localtime(proposal.proposed_at).date() + dt.timedelta(days=PROPOSAL_DECIDE_DAYS)


@counts_first
def proposal_home_items(*, actor, today: dt.date | None = None) -> CountsFirst | None:
    """core.registry HOME_BLOCKS: the open proposals sent to `actor`, oldest
    first, with how many wait. None without any. The count first
    (core/lib/counts.py), one query for the rows when there are some (none for
    those who cannot decide instructions anywhere)."""
    if not access.has_perm_anywhere(actor, access.P_INSTRUCTION_DECIDE):
        return None
    today = today or timezone.localdate()
    waiting = InstructionProposal.objects.filter(responsible=actor, state=ProposalState.PROPOSED)
    return CountsFirst({"total": waiting}, lambda counted: _home_rows(waiting, counted["total"], today))


def _home_rows(waiting, total, today):
    if not total:
        return None
    rows = list(waiting.select_related("unit").order_by("proposed_at", "id")[: HOME_ROWS + 1])
    if not rows:
        return None
    for row in rows:
        row.late = due_on(row) < today
    return {"rows": rows[:HOME_ROWS], "more": len(rows) > HOME_ROWS}


def _undecided(*, today, unit_ids=None):
    """The proposals undecided for PROPOSAL_REMIND_AFTER_DAYS or more in active units."""
    since = today - dt.timedelta(days=PROPOSAL_REMIND_AFTER_DAYS)
    qs = InstructionProposal.objects.filter(
        state=ProposalState.PROPOSED, proposed_at__lt=_day_start(since + dt.timedelta(days=1)), unit__is_active=True
    )
    return qs if unit_ids is None else qs.filter(unit_id__any_of=list(unit_ids))


def proposal_duty_counts(*, today, unit_ids=None):
    """core.registry DUTY_SOURCES `counts`: proposal_duties counted per unit in
    the database (unit_id, due, late, oldest): due PROPOSAL_DECIDE_DAYS after
    the day proposed (the provider's day), late after that."""
    late = Q(proposed_at__lt=_day_start(today - dt.timedelta(days=PROPOSAL_DECIDE_DAYS)))
    proposed_on = TruncDate("proposed_at", tzinfo=timezone.get_current_timezone())
    return (
        _undecided(today=today, unit_ids=unit_ids)
        .values("unit_id")
        .annotate(
            due=Count("pk", filter=~late), late=Count("pk", filter=late),
            oldest=Min(AddMonths(proposed_on, 0, days=PROPOSAL_DECIDE_DAYS)),
        )
        .order_by()
    )


def proposal_duties(*, today, unit_ids=None) -> list[registry.Duty]:
    """core.registry DUTY_SOURCES: the proposals undecided for
    PROPOSAL_REMIND_AFTER_DAYS or more, one duty each, owned by the person
    responsible (reminded), late after PROPOSAL_DECIDE_DAYS (escalated). The
    title names the report's number, never a child. One query."""
    qs = _undecided(today=today, unit_ids=unit_ids)
    duties = []
    for row in qs.values("pk", "unit_id", "responsible_id", "proposed_at", "deviation__number"):
        due = timezone.localtime(row["proposed_at"]).date() + dt.timedelta(days=PROPOSAL_DECIDE_DAYS)
        number = row["deviation__number"] or ""
        duties.append(
            registry.Duty(
                key=f"deviations.proposal:{row['pk']}:{due.isoformat()}",
                unit_id=row["unit_id"],
                title=(
                    _("Decide the proposal to change an instruction (report %(number)s)") % {"number": number}
                    if number
                    else _("Decide the proposal to change an instruction")
                ),
                due_on=due,
                late=due < today,
                link=reverse("deviations:proposal", args=[row["pk"]]),
                owner_id=row["responsible_id"],
            )
        )
    return duties


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
