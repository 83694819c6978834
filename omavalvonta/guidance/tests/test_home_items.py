"""guidance_home_items: items I prepare, and responses waiting for the quality
director's review."""

import datetime as dt

from omavalvonta.guidance.models import Guidance, GuidanceUnit, Kind, State
from omavalvonta.guidance.selectors import guidance_home_items

TODAY = dt.date(2026, 11, 23)


def _item(authority, unit, registered_by, *, assignee=None, state=State.REGISTERED, deadline=None):
    item = Guidance.objects.create(
        kind=Kind.INFORMATION_REQUEST if deadline else Kind.GUIDANCE,
        state=state,
        authority=authority,
        received_on=TODAY,
        title="Selvityspyyntö",
        content="Pyydämme selvitystä.",
        deadline=deadline,
        unit=unit,
        assignee=assignee,
        registered_by=registered_by,
    )
    GuidanceUnit.objects.create(guidance=item, unit=unit)
    return item


def test_items_i_prepare_nearest_deadline_first_without_deadline_last(authority, responsible_a, unit_a):
    none = _item(authority, unit_a, responsible_a, assignee=responsible_a)
    soon = _item(authority, unit_a, responsible_a, assignee=responsible_a, deadline=TODAY)
    _item(authority, unit_a, responsible_a, assignee=responsible_a, state=State.RESPONDED)
    items = guidance_home_items(actor=responsible_a, today=TODAY)
    assert items["mine"] == [soon, none] and items["reviews"] == []


def test_only_the_quality_director_sees_responses_in_review(authority, responsible_a, quality_director, unit_a, unit_b):
    waiting = _item(authority, unit_b, responsible_a, state=State.RESPONSE_IN_REVIEW, deadline=TODAY)
    assert guidance_home_items(actor=quality_director, today=TODAY)["reviews"] == [waiting]
    assert guidance_home_items(actor=responsible_a, today=TODAY) is None


def test_an_item_of_another_unit_is_not_shown_even_when_assigned(authority, supervisor_a, unit_b):
    _item(authority, unit_b, supervisor_a, assignee=supervisor_a)
    assert guidance_home_items(actor=supervisor_a, today=TODAY) is None
