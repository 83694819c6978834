"""Set-up shared by the meeting tests: data made through the areas' own services."""

import datetime as dt

from django.utils import timezone

from omavalvonta.deviations import services as deviations
from omavalvonta.improvement import services as improvement
from omavalvonta.meetings import services
from omavalvonta.meetings.models import MeetingKind
from omavalvonta.testing.factories import deviation_kwargs


def marked_deviation(reporter, handler, unit, *, for_team_meeting=True, **overrides):
    """A report in `unit`, classified by `handler` (marked for the team meeting)."""
    deviation = deviations.deviation_submit(actor=reporter, **deviation_kwargs(unit, **overrides)).deviation
    deviations.deviation_classify(
        actor=handler, deviation=deviation, consequence=1, likelihood=2, for_team_meeting=for_team_meeting
    )
    deviation.refresh_from_db()
    return deviation


def action(actor, unit, *, days, owner=None, title="Perehdytyskansio päivitetään"):
    return improvement.action_create(
        actor=actor,
        unit=unit,
        title=title,
        owner=owner or actor,
        due_date=timezone.localdate() + dt.timedelta(days=days),
    )


def team_meeting(chair, unit, **overrides):
    data = {
        "actor": chair,
        "unit": unit,
        "kind": MeetingKind.TEAM,
        "title": "",
        "starts_at": timezone.now() + dt.timedelta(hours=1),
        "location": "Kahvihuone",
    }
    data.update(overrides)
    return services.meeting_create(**data)


def closed_meeting(chair, unit, *, participants, absentees=(), new_instructions=False):
    meeting = team_meeting(chair, unit)
    services.meeting_attendance_set(actor=chair, meeting=meeting, participants=participants, absentees=absentees)
    services.meeting_close(actor=chair, meeting=meeting, contains_new_instructions=new_instructions)
    meeting.refresh_from_db()
    return meeting
