"""The meeting rhythms the provider's programme fixes, as data with their source,
and the quality-calendar duties they give (core.registry DUTY_SOURCES).

A rhythm says how many meetings of a kind each unit holds in a calendar month.
The month is the period: its duty is due on the month's last day, reminded to
the unit's leaders (its supervisor, else its responsible person) within
`remind_days_before`, and late once the month has passed without enough held
meetings, escalated once by the quality calendar (yearclock/duties.py). A held
meeting is a team meeting whose minutes were closed (held in the month), or a
children's meeting recorded for a day of the month.

The supervisor's review with their own manager twice a month (the programme:
"Työryhmän lähiesihenkilö käy toimintaan liittyviä poikkeamia läpi oman
esihenkilönsä kanssa kaksi kertaa kuukaudessa") is the quality calendar's own
default duty (yearclock.services.DEFAULT_TEMPLATES, due on the 15th and on the
month's last day), fulfilled when a supervisor's-review meeting's minutes are
closed (core.registry MINUTES_CLOSED): it is not repeated here.

A missed month stays late through the following month (LATE_MONTHS_SHOWN); a
meeting held later does not make up for it, so older months are history (the
escalation went out once). A unit created during a month has no duty for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, DateField, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from omavalvonta.core import registry
from omavalvonta.meetings.models import ChildrensMeeting, ChildrensMeetingKind, Meeting, MeetingKind, MeetingState
from omavalvonta.organisation.models import ServiceType, Unit

# Kept for a missed month: shown late (and escalated once) through the next month.
LATE_MONTHS_SHOWN = 1
CHILDRENS = "childrens_meeting"


@dataclass(frozen=True)
class Rhythm:
    key: str
    # A MeetingKind value, or CHILDRENS for the children's own meetings.
    meeting_kind: str
    per_month: int
    label: object  # lazy text: the kind of duty in the calendar's lists
    source: str  # where the rule comes from (the programme, quoted)
    remind_days_before: int = 10
    # The units it applies to (their service types); empty: every unit.
    service_types: tuple = ()
    # For CHILDRENS: the kinds of children's meeting that count.
    childrens_kinds: tuple = ()


RHYTHMS = (
    Rhythm(
        key="team_meeting",
        meeting_kind=MeetingKind.TEAM,
        per_month=1,
        label=gettext_lazy("Monthly team meeting on deviations"),
        source=(
            "The provider's self-supervision programme: \"Henkilöstön havaitsemat poikkeamat käsitellään joka "
            "kuukausi henkilöstön kanssa yhdessä työryhmäkokouksissa.\""
        ),
    ),
    Rhythm(
        key="childrens_meeting",
        meeting_kind=CHILDRENS,
        per_month=1,
        label=gettext_lazy("Children's monthly meeting"),
        source=(
            "The provider's self-supervision programme: the good-treatment practices are talked over "
            "\"lasten viikko- ja kuukausikokouksissa\" in every substitute-care unit. The weekly meetings are "
            "recorded too; the calendar asks for the monthly one."
        ),
        service_types=(ServiceType.SUBSTITUTE_CARE,),
        childrens_kinds=(ChildrensMeetingKind.MONTHLY,),
    ),
)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def previous_month(day: dt.date) -> dt.date:
    return month_start(month_start(day) - dt.timedelta(days=1))


def _months(today: dt.date) -> list[dt.date]:
    """The months a rhythm's duties are read for: this one and the late ones."""
    months = [month_start(today)]
    for _step in range(LATE_MONTHS_SHOWN):
        months.append(previous_month(months[-1]))
    return months


def _units(rhythm: Rhythm, unit_ids) -> list[tuple[int, dt.date]]:
    qs = Unit.objects.filter(is_active=True)
    if rhythm.service_types:
        qs = qs.filter(service_type__in=rhythm.service_types)
    if unit_ids is not None:
        qs = qs.filter(pk__in=list(unit_ids))
    return [(pk, timezone.localdate(created)) for pk, created in qs.order_by("pk").values_list("pk", "created_at")]


def held_counts(rhythm: Rhythm, *, unit_ids: list[int], first: dt.date, last: dt.date) -> dict[tuple[int, dt.date], int]:
    """Held meetings of the rhythm's kind per (unit, month start) between two
    days. One query."""
    if rhythm.meeting_kind == CHILDRENS:
        qs = ChildrensMeeting.objects.filter(unit_id__in=unit_ids, held_on__gte=first, held_on__lte=last)
        if rhythm.childrens_kinds:
            qs = qs.filter(kind__in=rhythm.childrens_kinds)
        rows = qs.annotate(month=TruncMonth("held_on")).values("unit_id", "month").annotate(n=Count("pk"))
    else:
        begin = timezone.make_aware(dt.datetime.combine(first, dt.time()))
        end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
        rows = (
            Meeting.objects.filter(
                unit_id__in=unit_ids, kind=rhythm.meeting_kind, state=MeetingState.MINUTES_CLOSED,
                starts_at__gte=begin, starts_at__lt=end,
            )
            .annotate(month=TruncMonth("starts_at", tzinfo=timezone.get_current_timezone()))
            .values("unit_id", "month")
            .annotate(n=Count("pk"))
        )
    counts: dict[tuple[int, dt.date], int] = {}
    for row in rows.order_by():
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        key = (row["unit_id"], month_start(month))
        counts[key] = counts.get(key, 0) + row["n"]
    return counts


def _title(rhythm: Rhythm, month: dt.date, held: int) -> str:
    values = {"label": rhythm.label, "month": month.month, "year": month.year, "held": held, "needed": rhythm.per_month}
    if rhythm.per_month > 1:
        return _("%(label)s %(month)s/%(year)s (%(held)s of %(needed)s held)") % values
    return _("%(label)s %(month)s/%(year)s") % values


def _link(rhythm: Rhythm, unit_id: int) -> str:
    if rhythm.meeting_kind == CHILDRENS:
        return reverse("meetings:childrens", args=[unit_id])
    return f"{reverse('meetings:list')}?unit={unit_id}&kind={rhythm.meeting_kind}"


def rhythm_duties(rhythm: Rhythm, *, today: dt.date, unit_ids=None) -> list[registry.Duty]:
    """The rhythm's open duties: this month's while fewer meetings than it asks
    for are held, the last month's (late) when it passed short. Two queries."""
    units = _units(rhythm, unit_ids)
    if not units:
        return []
    months = _months(today)
    counts = held_counts(rhythm, unit_ids=[pk for pk, _c in units], first=months[-1], last=month_end(months[0]))
    duties = []
    for unit_id, created in units:
        for month in months:
            if created > month:
                continue  # the unit did not exist when the month began
            held = counts.get((unit_id, month), 0)
            if held >= rhythm.per_month:
                continue
            due = month_end(month)
            duties.append(
                registry.Duty(
                    key=f"meetings.{rhythm.key}:{unit_id}:{month:%Y-%m}",
                    unit_id=unit_id,
                    title=_title(rhythm, month, held),
                    due_on=due,
                    late=due < today,
                    link=_link(rhythm, unit_id),
                )
            )
    return duties


def _held_in(rhythm: Rhythm, month: dt.date):
    """The unit's (OuterRef("pk")) meetings of the rhythm's kind held in
    `month`, as a count subquery (0 when none)."""
    if rhythm.meeting_kind == CHILDRENS:
        qs = ChildrensMeeting.objects.filter(unit_id=OuterRef("pk"), held_on__gte=month, held_on__lte=month_end(month))
        if rhythm.childrens_kinds:
            qs = qs.filter(kind__in=rhythm.childrens_kinds)
    else:
        qs = Meeting.objects.filter(
            unit_id=OuterRef("pk"), kind=rhythm.meeting_kind, state=MeetingState.MINUTES_CLOSED,
            starts_at__gte=timezone.make_aware(dt.datetime.combine(month, dt.time())),
            starts_at__lt=timezone.make_aware(dt.datetime.combine(month_end(month) + dt.timedelta(days=1), dt.time())),
        )
    held = qs.order_by().values("unit_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(held, output_field=IntegerField()), Value(0))


def rhythm_duty_counts(rhythm: Rhythm, *, today: dt.date, unit_ids=None):
    """core.registry DUTY_SOURCES `counts`: rhythm_duties counted per unit in
    the database (unit_id, due, late, oldest): per month shown, a duty when the
    unit existed when the month began and fewer meetings were held than asked."""
    qs = Unit.objects.filter(is_active=True)
    if rhythm.service_types:
        qs = qs.filter(service_type__in=rhythm.service_types)
    if unit_ids is not None:
        qs = qs.filter(pk__any_of=list(unit_ids))
    owed = {}
    for index, month in enumerate(_months(today)):
        qs = qs.annotate(**{f"held_{index}": _held_in(rhythm, month)})
        existed = Q(created_at__lt=timezone.make_aware(dt.datetime.combine(month + dt.timedelta(days=1), dt.time())))
        owed[month] = existed & Q(**{f"held_{index}__lt": rhythm.per_month})

    def number(months):
        return sum((Case(When(owed[m], then=Value(1)), default=Value(0)) for m in months), Value(0))

    return qs.annotate(
        unit_id=F("pk"),
        due=number([m for m in owed if month_end(m) >= today]),
        late=number([m for m in owed if month_end(m) < today]),
        # The months are the newest first: the earliest owed month's end.
        oldest=Case(*(When(owed[m], then=Value(month_end(m))) for m in reversed(owed)), default=None,
                    output_field=DateField()),
    ).values("unit_id", "due", "late", "oldest").order_by()


def rhythm(key: str) -> Rhythm:
    return next(r for r in RHYTHMS if r.key == key)


def register() -> None:
    """One DUTY_SOURCES entry per rhythm (meetings' AppConfig.ready())."""
    for item in RHYTHMS:

        def source(*, today, unit_ids=None, _rhythm=item):
            return rhythm_duties(_rhythm, today=today, unit_ids=unit_ids)

        registry.register(
            registry.DUTY_SOURCES, f"meetings.{item.key}", source, order=60,
            label=item.label, remind_days_before=item.remind_days_before,
            unit_link=(lambda unit_id, _rhythm=item: _link(_rhythm, unit_id)),
            counts=(lambda *, today, unit_ids=None, _rhythm=item: rhythm_duty_counts(_rhythm, today=today, unit_ids=unit_ids)),
        )
