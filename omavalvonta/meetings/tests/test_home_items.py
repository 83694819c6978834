"""meeting_home_items and acknowledgement_home_items: my next meetings and the
acknowledgements I owe, only among what I may read."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from omavalvonta.improvement.models import Acknowledgement
from omavalvonta.meetings.models import Meeting, MeetingState
from omavalvonta.meetings.selectors import acknowledgement_home_items, meeting_home_items


def _meeting(unit, chair, days, participants=(), **fields):
    meeting = Meeting.objects.create(
        unit=unit, title=f"Palaveri {days}", starts_at=timezone.now() + dt.timedelta(days=days), chair=chair, created_by=chair, **fields
    )
    meeting.participants.add(*participants)
    return meeting


def test_next_meetings_are_those_i_chair_or_attend_in_two_weeks(supervisor_a, employee_a, colleague_a, unit_a):
    soon = _meeting(unit_a, supervisor_a, 1, participants=[employee_a])
    later = _meeting(unit_a, supervisor_a, 10)
    _meeting(unit_a, supervisor_a, 16)
    _meeting(unit_a, supervisor_a, 2, state=MeetingState.MINUTES_CLOSED)
    assert meeting_home_items(actor=supervisor_a)["rows"] == [soon, later]
    assert meeting_home_items(actor=employee_a)["rows"] == [soon]
    assert meeting_home_items(actor=colleague_a) is None


def test_a_meeting_in_another_unit_is_never_shown(employee_a, supervisor_b, unit_b):
    _meeting(unit_b, supervisor_b, 1, participants=[employee_a])
    assert meeting_home_items(actor=employee_a) is None


def test_acknowledgements_owed_oldest_first_with_the_minutes_title(supervisor_a, employee_a, colleague_a, unit_a):
    meeting_type = ContentType.objects.get_for_model(Meeting)
    first, second = _meeting(unit_a, supervisor_a, -3), _meeting(unit_a, supervisor_a, -1)
    for m in (second, first):
        Acknowledgement.objects.create(unit=unit_a, target_type=meeting_type, target_id=m.pk, user=employee_a, reason="Uusia ohjeita")
    Acknowledgement.objects.filter(target_id=second.pk).update(requested_at=timezone.now() + dt.timedelta(minutes=1))
    items = acknowledgement_home_items(actor=employee_a)
    assert items["total"] == 2 and [r["title"] for r in items["rows"]] == [first.title, second.title]
    assert acknowledgement_home_items(actor=colleague_a) is None


def test_query_counts_are_fixed(django_assert_num_queries, supervisor_a, employee_a, unit_a):
    meeting_type = ContentType.objects.get_for_model(Meeting)

    def add(n):
        for _ in range(n):
            m = _meeting(unit_a, supervisor_a, 1, participants=[employee_a])
            Acknowledgement.objects.create(unit=unit_a, target_type=meeting_type, target_id=m.pk, user=employee_a)

    add(1)
    meeting_home_items(actor=employee_a)  # the actor's grants, read once per request
    with django_assert_num_queries(5):
        meeting_home_items(actor=employee_a)
        acknowledgement_home_items(actor=employee_a)
    add(6)
    with django_assert_num_queries(5):
        meeting_home_items(actor=employee_a)
        acknowledgement_home_items(actor=employee_a)
