"""Reads of training and development: a person's training records, a unit's
hours per person in a year, the directors' counts, the development discussions
due (quality-calendar duties, owned by the unit's leaders), the late ones for
the supervisor's home page, and the unit's recruitment plan. Each in a fixed
number of queries."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core import registry
from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.core.lib.dates import add_months, day_start
from omavalvonta.core.lib.sqldates import AddMonths
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Unit
from omavalvonta.people.certificates import certificate_record_get
from omavalvonta.people.models import DevelopmentDiscussion, RecruitmentPlan, TrainingRecord
from omavalvonta.people.orientation_selectors import STAFF_ROLES

# A development discussion is held yearly: due a year after the last one, or
# after the start of the membership when none is recorded.
DISCUSSION_MONTHS = 12
DISCUSSION_REMIND_DAYS = 30
HOME_ROWS = 12


def _today(today=None) -> dt.date:
    return today or timezone.localdate()


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def person_trainings(*, person, today=None) -> dict:
    """The person's training records, newest first, and their hours this year."""
    today = _today(today)
    rows = list(TrainingRecord.objects.filter(person=person).select_related("unit").order_by("-done_on", "-id")[:200])
    year_hours = sum((r.hours for r in rows if r.done_on.year == today.year), Decimal(0))
    return {"rows": rows, "year": today.year, "year_hours": year_hours}


def unit_training_hours(*, unit, year: int) -> dict:
    """A unit's training in `year`: total hours, how many of the staff trained,
    and hours per person of the staff (counts, no names). One query each."""
    start, end = year_bounds(year)
    staff = access_people.memberships_of(STAFF_ROLES, unit=unit).values("user_id")
    staff_count = access_people.memberships_of(STAFF_ROLES, unit=unit).values("user_id").distinct().count()
    totals = TrainingRecord.objects.filter(unit=unit, person_id__in=staff, done_on__range=(start, end)).aggregate(
        hours=Sum("hours"), people=Count("person_id", distinct=True)
    )
    hours = totals["hours"] or Decimal(0)
    return {
        "year": year, "hours": hours, "people": totals["people"], "staff": staff_count,
        "per_person": (hours / staff_count).quantize(Decimal("0.1")) if staff_count else Decimal(0),
    }


def training_hours_by_unit(*, unit_ids, year: int, key: str = "unit_id") -> dict:
    """Hours and trained people per unit (or per `key`, e.g. unit__region_id) in
    `year`, for the directors' counts. One query."""
    start, end = year_bounds(year)
    return {
        row[key]: {"hours": row["hours"] or Decimal(0), "people": row["people"]}
        for row in TrainingRecord.objects.filter(unit_id__in=unit_ids, done_on__range=(start, end))
        .values(key).annotate(hours=Sum("hours"), people=Count("person_id", distinct=True))
    }


# --- Development discussions ---------------------------------------------------------------------


def _based_by(base_by: dt.date) -> Q:
    """The memberships whose base date is on or before `base_by`: the last
    discussion in the unit, else the membership's start (a moment: before the
    next day begins in the provider's time). Written without the last
    discussion's date: none held after `base_by`, and the membership began by
    then or one was held (then on or before it). PostgreSQL anti-joins the
    memberships to the discussions instead of finding every membership's last
    one (1.9 ms of the calendar's month of a region, 0.7 ms so, issue 13)."""
    discussions = DevelopmentDiscussion.objects.filter(person_id=OuterRef("user_id"), unit_id=OuterRef("unit_id"))
    started = Q(created_at__lt=day_start(base_by + dt.timedelta(days=1)))
    return ~Exists(discussions.filter(held_on__gt=base_by)) & (started | Exists(discussions))


def _staff_memberships(*, unit_ids=None, base_by: dt.date | None = None):
    last = (
        DevelopmentDiscussion.objects.filter(person_id=OuterRef("user_id"), unit_id=OuterRef("unit_id"))
        .order_by().values("person_id").annotate(m=Max("held_on")).values("m")
    )
    memberships = access_people.memberships_of(STAFF_ROLES)
    if isinstance(unit_ids, list | tuple):
        # The active units among those asked for, as a subquery PostgreSQL reads
        # by their ids (joining the units read every unit to find the active ones).
        units = Unit.objects.filter(is_active=True, pk__any_of=list(unit_ids))
        memberships = memberships.filter(unit_id__in=units.values("pk"))
    else:  # every active unit, or a subquery of ids (the leaders' home block)
        memberships = memberships.filter(unit__is_active=True)
        if unit_ids is not None:
            memberships = memberships.filter(unit_id__in=unit_ids)
    memberships = memberships.annotate(last=Subquery(last[:1]))
    if base_by is not None:
        # Filtered before grouping: a person's earliest membership in the unit
        # passes whenever any of theirs does, so the start read is the same.
        memberships = memberships.filter(_based_by(base_by))
    return memberships


def _discussion_rows(*, unit_ids=None, base_by: dt.date | None = None):
    """(unit_id, user_id, full name, the base date) of every staff member of the
    active units: the last discussion held in the unit, or the start of the
    membership (with `base_by`: only those whose base date is on or before it).
    One query."""
    memberships = _staff_memberships(unit_ids=unit_ids, base_by=base_by)
    rows = memberships.values("unit_id", "unit__name", "user_id", "user__full_name", "last").annotate(
        started=Min("created_at")
    )
    return rows.order_by("unit_id", "user__full_name", "user_id")


def _latest_base(due_by: dt.date) -> dt.date:
    """The latest base date whose discussion is due on or before `due_by`
    (add_months only moves forward with its day: counting back a month may land
    on a shorter month's last day, so the days after it are tried too)."""
    base = add_months(due_by, -DISCUSSION_MONTHS)
    while add_months(base + dt.timedelta(days=1), DISCUSSION_MONTHS) <= due_by:
        base += dt.timedelta(days=1)
    return base


def _due(row) -> tuple[dt.date, dt.date | None]:
    base = row["last"] or timezone.localdate(row["started"])
    return add_months(base, DISCUSSION_MONTHS), row["last"]


def development_duty_counts(*, today, unit_ids=None):
    """core.registry DUTY_SOURCES `counts`: development_duties counted per unit
    in the database (unit_id, due, late, oldest): the staff members whose
    discussion is due by the reminder days' horizon, late when due before
    today; the oldest due date from the earliest base date."""
    horizon = today + dt.timedelta(days=DISCUSSION_REMIND_DAYS)
    late = _based_by(_latest_base(today - dt.timedelta(days=1)))
    base = Coalesce("last", TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
    counted = _staff_memberships(unit_ids=unit_ids, base_by=_latest_base(horizon)).values("unit_id").annotate(
        every=Count("user_id", distinct=True),
        late=Count("user_id", distinct=True, filter=late),
        oldest=AddMonths(Min(base), DISCUSSION_MONTHS),
    )
    return counted.annotate(due=F("every") - F("late")).values("unit_id", "due", "late", "oldest").order_by()


def development_duties(*, today, unit_ids=None) -> list[registry.Duty]:
    """core.registry DUTY_SOURCES: the development discussions due within the
    reminder days or late, one duty per person, unit and due date, owned by the
    unit's leaders. The title names the member of staff, never a child."""
    horizon = today + dt.timedelta(days=DISCUSSION_REMIND_DAYS)
    duties = []
    # Only the discussions due by the horizon come from the database (a director's
    # thousands of staff are not read to find the few due).
    for row in _discussion_rows(unit_ids=unit_ids, base_by=_latest_base(horizon)):
        due_on, _last = _due(row)
        if due_on > horizon:
            continue
        duties.append(registry.Duty(
            key=f"people.development:{row['unit_id']}:{row['user_id']}:{due_on.isoformat()}",
            unit_id=row["unit_id"],
            title=_("Development discussion with %(name)s") % {"name": row["user__full_name"]},
            due_on=due_on,
            late=due_on < today,
            link=reverse("people:person", args=[row["unit_id"], row["user_id"]]),
            owner_id=None,
        ))
    return duties


def unit_discussions(*, unit, today=None) -> dict:
    """Per staff member of `unit`: the last discussion and the next one due,
    for the unit's competence page."""
    today = _today(today)
    rows = []
    for row in _discussion_rows(unit_ids=[unit.pk]):
        due_on, last = _due(row)
        rows.append({"user_id": row["user_id"], "last": last, "due_on": due_on, "late": due_on < today})
    return {r["user_id"]: r for r in rows}


def person_discussions(*, unit, person) -> list[DevelopmentDiscussion]:
    return list(DevelopmentDiscussion.objects.filter(unit=unit, person=person).order_by("-held_on")[:20])


def last_year_counts(*, unit, today=None) -> dict:
    """For the self-supervision plan's staffing facts (counts only): the current
    staff's training hours and the development discussions held with them in
    the last year (the year up to and including `today`). Two queries."""
    today = _today(today)
    since = add_months(today, -12)
    staff = access_people.memberships_of(STAFF_ROLES, unit=unit).values("user_id")
    hours = TrainingRecord.objects.filter(
        unit=unit, person_id__in=staff, done_on__gt=since, done_on__lte=today
    ).aggregate(h=Sum("hours"))["h"] or Decimal(0)
    held = DevelopmentDiscussion.objects.filter(
        unit=unit, person_id__in=staff, held_on__gt=since, held_on__lte=today
    ).count()
    return {"training_hours": float(hours.quantize(Decimal("0.1"))), "development_discussions": held}


def late_discussions_by_unit(*, unit_ids, today=None) -> dict[int, int]:
    today = _today(today)
    counts: dict[int, int] = {}
    for duty in development_duties(today=today, unit_ids=unit_ids):
        if duty.late:
            counts[duty.unit_id] = counts.get(duty.unit_id, 0) + 1
    return counts


# --- The recruitment plan -------------------------------------------------------------------------


def recruitment_plans(*, unit) -> dict:
    """The unit's plan in force (the newest approved), its open draft and the
    earlier versions."""
    versions = list(RecruitmentPlan.objects.filter(unit=unit).select_related("approved_by").order_by("-version")[:30])
    approved = [p for p in versions if not p.is_draft]
    return {
        "current": approved[0] if approved else None,
        "draft": next((p for p in versions if p.is_draft), None),
        "history": approved[1:],
    }


def may_record(actor, unit) -> bool:
    return access.can(actor, access.P_COMPETENCE_RECORD, unit)


def training_certificate_get(*, actor, pk, request=None) -> TrainingRecord:
    """A training record whose certificate `actor` may download: their own, or
    one of a person on the staff of a unit where they read competence. 404
    otherwise."""
    return certificate_record_get(
        TrainingRecord.objects.all(), actor=actor, pk=pk, what="competence.training_certificate", request=request
    )


# --- The unit leaders' home block ---------------------------------------------------------------------


@functools.cache
def _discussion_span_days(months: int) -> int:
    """The fewest days `months` calendar months can span: a base day moved
    `months` ahead (core.lib.dates.add_months) is at least this many days later
    (found over a leap-year cycle)."""
    first = dt.date(2024, 1, 1)
    return min(
        (add_months(first + dt.timedelta(days=i), months) - (first + dt.timedelta(days=i))).days for i in range(1461)
    )


def _late_discussion_candidates(*, unit_ids, today):
    """The staff memberships whose development discussion may be late: a late
    one's base day (the last discussion held in the unit, or the membership's
    start) is before the cutoff, so none was held since. Their count is 0
    whenever no discussion is late; the rows (_discussion_rows) decide which are."""
    cutoff = today - dt.timedelta(days=_discussion_span_days(DISCUSSION_MONTHS))
    held = DevelopmentDiscussion.objects.filter(person_id=OuterRef("user_id"), unit_id=OuterRef("unit_id"))
    # A day's start anywhere is before the next day's start in UTC (the margin of the local date).
    started_before = dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    return (
        access_people.memberships_of(STAFF_ROLES).filter(unit__is_active=True, unit_id__in=unit_ids)
        .filter(~Exists(held.filter(held_on__gte=cutoff)))
        .filter(Q(Exists(held)) | Q(created_at__lt=started_before))
    )


@counts_first
def leader_home_items(*, actor, today=None) -> CountsFirst | None:
    """core.registry HOME_BLOCKS: per unit the actor leads (records competence
    in), how many orientations have late items and how many development
    discussions are late. Counts and links, no names. Counted first
    (core/lib/counts.py; the units are a subquery): the rows are read only
    where there may be some."""
    from omavalvonta.people.orientation_selectors import late_orientation_items, late_orientations_by_unit

    if not access.has_perm_anywhere(actor, access.P_COMPETENCE_RECORD):
        return None
    today = _today(today)
    units = access.units_for(actor, access.P_COMPETENCE_RECORD).filter(is_active=True).values("pk")
    counts = {
        "orientations": late_orientation_items(unit_ids=units, today=today),
        "discussions": _late_discussion_candidates(unit_ids=units, today=today),
    }

    def then(counted):
        names: dict[int, str] = {}
        orientations = (
            late_orientations_by_unit(unit_ids=units, today=today, names=names) if counted["orientations"] else {}
        )
        discussions: dict[int, int] = {}
        for row in _discussion_rows(unit_ids=units) if counted["discussions"] else ():
            due_on, _last = _due(row)
            if due_on < today:
                discussions[row["unit_id"]] = discussions.get(row["unit_id"], 0) + 1
                names[row["unit_id"]] = row["unit__name"]
        rows = sorted(
            (
                {"unit_id": pk, "unit": name, "orientations": orientations.get(pk, 0), "discussions": discussions.get(pk, 0)}
                for pk, name in names.items()
            ),
            key=lambda r: r["unit"],
        )
        if not rows:
            return None
        return {
            "rows": rows[:HOME_ROWS],
            "orientations": sum(r["orientations"] for r in rows),
            "discussions": sum(r["discussions"] for r in rows),
        }

    return CountsFirst(counts, then)
