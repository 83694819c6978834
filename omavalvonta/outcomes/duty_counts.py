"""The measurements due or late counted per unit in the database: the quality
calendar's `counts` of outcomes.measurements (core.registry DUTY_SOURCES),
schedule.current_due's rule written in SQL (selectors.measurement_duties makes
the same duties one by one)."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear

from omavalvonta.clients.models import Placement
from omavalvonta.core.lib.sqldates import AddMonths
from omavalvonta.organisation.models import Unit
from omavalvonta.outcomes import schedule
from omavalvonta.outcomes.models import Measurement


def measurement_duty_counts(*, today, unit_ids=None):
    """core.registry DUTY_SOURCES `counts`: measurement_duties counted per unit
    in the database (unit_id, due, late, oldest), schedule.current_due's rule in
    SQL. The due date waiting now is the latest of the placement's due dates
    (its start and every three months on) that has opened (WINDOW_BEFORE days
    ahead): months whole months after the start, the months cut to a multiple of
    INTERVAL_MONTHS. It is open when the last measurement is before its window,
    late once GRACE days have passed."""
    opened_by = today + dt.timedelta(days=schedule.WINDOW_BEFORE)
    # add_months(start, m) <= opened_by for the m of whole months between them,
    # unless the start's day is later in the month (and opened_by is not its last day).
    month_end = (opened_by + dt.timedelta(days=1)).day == 1
    months = Value(opened_by.year * 12 + opened_by.month) - ExtractYear("starts_on") * 12 - ExtractMonth("starts_on")
    if not month_end:
        months = months - Case(When(starts_on__day__gt=opened_by.day, then=Value(1)), default=Value(0))
    months = Cast(months, IntegerField())  # PostgreSQL extracts numerics: divided as integers
    step = ExpressionWrapper(months / schedule.INTERVAL_MONTHS * schedule.INTERVAL_MONTHS, output_field=IntegerField())
    last = Measurement.objects.filter(placement_id=OuterRef("pk"), measured_on__lte=today).order_by("-measured_on")
    # The active units among those asked for, as a subquery PostgreSQL reads by
    # their ids (joining the units read every unit to find the active ones).
    units = Unit.objects.filter(is_active=True)
    if unit_ids is not None:
        units = units.filter(pk__any_of=list(unit_ids))
    placements = Placement.objects.filter(unit_id__in=units.values("pk"))
    # Never measured reads as measured on the first day there is: the latest
    # measurement is read once per placement (`IS NULL OR <` read it twice).
    last_measured_on = Coalesce(Subquery(last.values("measured_on")[:1]), Value(dt.date.min), output_field=DateField())
    waiting = (
        placements.current(today)
        .annotate(months=months, last_measured_on=last_measured_on,
                  due_on=AddMonths("starts_on", step), opens_on=AddMonths("starts_on", step, days=-schedule.WINDOW_BEFORE))
        .filter(last_measured_on__lt=F("opens_on"), months__gte=0)
    )
    late = Q(due_on__lt=today - dt.timedelta(days=schedule.GRACE))
    return (
        waiting.values("unit_id")
        .annotate(due=Count("pk", filter=~late), late=Count("pk", filter=late), oldest=Min("due_on"))
        .order_by()
    )
