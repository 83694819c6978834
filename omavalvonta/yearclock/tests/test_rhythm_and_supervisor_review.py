"""One rhythm for the year (core.rhythm): the configured review months cut the
units' periods, place the default reviews and the group's follow-up, so a unit's
period always closes before the group report that reads it. And the supervisor's
review twice a month: a default duty, fulfilled by a supervisor's-review meeting."""

import datetime as dt

import pytest
from django.utils import timezone

from omavalvonta.core import rhythm
from omavalvonta.meetings import services as meeting_services
from omavalvonta.meetings.models import MeetingKind
from omavalvonta.plans import programme
from omavalvonta.yearclock import services
from omavalvonta.yearclock.models import ObligationKind, Occurrence, OccurrenceState, Recurrence


def _days(year):
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize("months", [(1, 5, 10), (3, 7, 11), (2, 6, 9, 12)])
def test_a_unit_period_always_closes_before_the_group_report_that_reads_it(settings, months):
    settings.REVIEW_MONTHS = months
    periods = rhythm.periods()
    # The units' periods cover the year without gaps or overlaps.
    assert periods[0].first_month == 1 and periods[-1].last_month == 12
    assert all(a.last_month + 1 == b.first_month for a, b in zip(periods, periods[1:], strict=False))
    for today in _days(2026):
        start, end = rhythm.group_period(today)
        assert end < today
        # The report reads whole unit periods, the last of which has closed.
        assert rhythm.period_of(start).bounds(start.year)[0] == start
        assert rhythm.period_of(end).bounds(end.year)[1] == end


def test_the_default_review_months_give_the_periods_of_the_domain():
    assert [(p.first_month, p.last_month) for p in rhythm.periods()] == [(1, 4), (5, 9), (10, 12)]
    assert rhythm.period_end_months() == [4, 9, 12]


@pytest.fixture
def defaults(frozen, quality_director, unit_a, supervisor_a):
    services.obligation_templates_install_defaults(actor=quality_director)


def test_default_plan_reviews_fall_in_the_last_month_of_each_period(defaults, unit_a):
    for kind in (ObligationKind.PLAN_REVIEW, ObligationKind.ACTION_PLAN_FOLLOW_UP):
        months = sorted({o.due_date.month for o in Occurrence.objects.filter(unit=unit_a, template__kind=kind)})
        assert months == [4, 9, 12], kind
    # Every review month of the group comes right after a unit's review.
    assert {(m % 12) + 1 for m in rhythm.period_end_months()} == set(rhythm.review_months())


def test_the_defaults_follow_configured_review_months(settings, frozen, quality_director, unit_a, supervisor_a):
    settings.REVIEW_MONTHS = (3, 7, 11)
    services.obligation_templates_install_defaults(actor=quality_director)
    months = {o.due_date.month for o in Occurrence.objects.filter(unit=unit_a, template__kind=ObligationKind.PLAN_REVIEW)}
    assert months == {2, 6, 10, 12}


def test_compile_a_new_report_proposes_the_period_after_the_latest_report(db, quality_director):
    today = dt.date(2026, 6, 3)
    assert programme.suggested_period(today) == (dt.date(2026, 1, 1), dt.date(2026, 4, 30))
    report = programme.followup_report_create(
        actor=quality_director, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 4, 30)
    )
    programme.followup_report_findings_save(actor=quality_director, report=report, findings="F", measures="M")
    programme.followup_report_approve(actor=quality_director, report=report)
    programme.followup_report_publish(actor=quality_director, report=report)

    assert programme.suggested_period(today) == (dt.date(2026, 5, 1), dt.date(2026, 9, 30))


# --- The supervisor's review twice a month -------------------------------------------------------


def test_the_supervisor_review_is_a_default_duty_twice_a_month(defaults, unit_a, supervisor_a):
    duties = Occurrence.objects.filter(unit=unit_a, template__kind=ObligationKind.SUPERVISOR_REVIEW)
    assert duties.get(due_date=dt.date(2026, 3, 15)).owner_id == supervisor_a.pk
    assert duties.filter(due_date=dt.date(2026, 3, 31)).exists()
    assert duties.filter(due_date__month=4, due_date__year=2026).count() == 2
    assert duties.first().template.recurrence == Recurrence.TWICE_A_MONTH


def _review(supervisor, unit, day, kind=MeetingKind.SUPERVISOR_REVIEW):
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    meeting = meeting_services.meeting_create(actor=supervisor, unit=unit, kind=kind, title="", starts_at=starts)
    meeting_services.meeting_attendance_set(actor=supervisor, meeting=meeting, participants=[supervisor], absentees=[])
    meeting_services.meeting_close(actor=supervisor, meeting=meeting)
    return meeting


def test_a_supervisor_review_meeting_fulfils_the_duty_of_its_half_of_the_month(defaults, unit_a, supervisor_a):
    meeting = _review(supervisor_a, unit_a, dt.date(2026, 3, 4))

    duty = Occurrence.objects.get(unit=unit_a, template__kind=ObligationKind.SUPERVISOR_REVIEW, due_date=dt.date(2026, 3, 15))
    assert duty.state == OccurrenceState.DONE and duty.completed_by_id == supervisor_a.pk
    assert (duty.evidence_id, duty.evidence_url) == (meeting.pk, meeting.get_absolute_url())
    second = Occurrence.objects.get(unit=unit_a, template__kind=ObligationKind.SUPERVISOR_REVIEW, due_date=dt.date(2026, 3, 31))
    assert second.state == OccurrenceState.OPEN


def test_a_team_meeting_does_not_fulfil_the_supervisor_review(defaults, unit_a, supervisor_a):
    _review(supervisor_a, unit_a, dt.date(2026, 3, 4), kind=MeetingKind.TEAM)

    assert not Occurrence.objects.filter(
        unit=unit_a, template__kind=ObligationKind.SUPERVISOR_REVIEW, state=OccurrenceState.DONE
    ).exists()
