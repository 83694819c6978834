"""Every list that filters by unit offers the units the way a large group can use
them (organisation.unit_choice.RegionUnitFilter): the regions first, and above a limit
(a group of 2,000 units) the units of the chosen region only, so no page renders
a list of every unit; a unit asked for by a link still filters; and the region
filter narrows the rows of each list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.organisation.unit_choice import RegionUnitFilter

LISTS = [
    "deviations:list",
    "improvement:action_list",
    "improvement:log",
    "meetings:list",
    "risks:list",
    "risks:assessments",
    "guidance:list",
    "yearclock:list",
    "complaints:list",
]


@pytest.fixture
def many_units(monkeypatch):
    """As if the group had more units than one list can offer."""
    monkeypatch.setattr(RegionUnitFilter, "MAX_UNITS_WITHOUT_REGION", 1)


def _unit_options(html: str, unit) -> bool:
    return f'value="{unit.pk}"' in html and f">{unit.name}</option>" in html


@pytest.mark.parametrize("name", LISTS)
def test_a_large_group_chooses_the_region_before_the_unit(client, quality_director, unit_a, unit_b, many_units, name):
    client.force_login(quality_director)
    first = client.get(reverse(name))
    assert first.status_code == 200
    html = first.content.decode()
    assert 'name="region"' in html, "the region is offered"
    assert 'name="unit"' not in html, "no list of every unit before a region is chosen"

    in_region = client.get(reverse(name), {"region": unit_a.region_id}).content.decode()
    assert _unit_options(in_region, unit_a) and not _unit_options(in_region, unit_b)


@pytest.mark.parametrize("name", LISTS)
def test_a_link_to_one_unit_still_filters_by_it(client, quality_director, unit_a, unit_b, many_units, name):
    client.force_login(quality_director)
    response = client.get(reverse(name), {"unit": unit_b.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{unit_b.pk}" selected>' in html, "the unit of the link is chosen"
    assert "errorlist" not in html and 'aria-invalid="true"' not in html


@pytest.mark.parametrize("name", LISTS)
def test_a_few_units_are_offered_at_once(client, quality_director, unit_a, unit_b, name):
    client.force_login(quality_director)
    html = client.get(reverse(name)).content.decode()
    assert _unit_options(html, unit_a) and _unit_options(html, unit_b)


@pytest.mark.parametrize("name", LISTS)
def test_one_region_needs_no_region_choice(client, supervisor_a, name):
    client.force_login(supervisor_a)
    response = client.get(reverse(name))
    if response.status_code == 403:
        pytest.skip("this list is not the supervisor's")
    assert 'name="region"' not in response.content.decode()


def test_the_region_narrows_risks_assessments_and_meetings(quality_director, supervisor_a, unit_a, unit_b):
    from omavalvonta.meetings.models import MeetingKind
    from omavalvonta.meetings.selectors import meeting_list
    from omavalvonta.meetings.services import meeting_create
    from omavalvonta.risks.models import RiskCategory
    from omavalvonta.risks.selectors import risk_list
    from omavalvonta.risks.services import risk_create

    for unit in (unit_a, unit_b):
        risk_create(
            actor=quality_director, unit=unit, category=RiskCategory.values[0], title=f"Riski {unit.name}",
            likelihood=2, consequence=2,
        )
        meeting_create(
            actor=quality_director, kind=MeetingKind.values[0], title=f"Kokous {unit.name}", unit=unit,
            starts_at=timezone.now() + dt.timedelta(days=3),
        )
    region = {"region": unit_a.region_id}
    assert {r.unit_id for r in risk_list(actor=quality_director, filters=region)} == {unit_a.pk}
    assert {m.unit_id for m in meeting_list(actor=quality_director, filters=region)} == {unit_a.pk}
    assert {r.unit_id for r in risk_list(actor=quality_director, filters={})} == {unit_a.pk, unit_b.pk}


def test_the_region_narrows_guidance_to_its_units_and_to_guidance_for_all(quality_director, unit_a, unit_b, county):
    from omavalvonta.guidance.models import Kind
    from omavalvonta.guidance.selectors import guidance_list
    from omavalvonta.guidance.services import guidance_register

    today = timezone.localdate()
    common = {"actor": quality_director, "kind": Kind.values[0], "content": "Ohje", "received_on": today,
              "county": county}
    only_a = guidance_register(title="Vain Koivu", units=[unit_a], **common)
    only_b = guidance_register(title="Vain Mänty", units=[unit_b], **common)
    everyone = guidance_register(title="Kaikille", applies_to_all_units=True, **common)
    listed = {g.pk for g in guidance_list(actor=quality_director, filters={"region": unit_a.region_id})}
    assert only_a.pk in listed and everyone.pk in listed and only_b.pk not in listed


def test_the_year_wheel_offers_the_shown_units_region_and_switches_with_the_region(
    client, quality_director, unit_a, unit_b, many_units, django_assert_max_num_queries
):
    """The wheel always shows one unit: a large group is offered the regions and
    the units of the shown unit's region; choosing another region shows its first unit."""
    client.force_login(quality_director)
    first = client.get(reverse("yearclock:wheel"))
    html = first.content.decode()
    shown = first.context["unit"]
    other = unit_b if shown == unit_a else unit_a
    assert 'name="region"' in html
    assert f'<option value="{shown.pk}" selected>' in html and not _unit_options(html, other)

    switched = client.get(reverse("yearclock:wheel"), {"region": other.region_id, "unit": shown.pk})
    assert switched.status_code == 200 and switched.context["unit"] == other
    html = switched.content.decode()
    assert f'<option value="{other.pk}" selected>' in html and "errorlist" not in html

    chosen = client.get(reverse("yearclock:wheel"), {"unit": other.pk})
    assert chosen.context["unit"] == other


# Forms that create something in one unit (organisation.unit_choice.RegionUnitChoice).
CREATE_FORMS = [
    ("feedback:rounds", {"year": "2027", "quarter": "2", "opens_on": "2027-04-03"}),
    ("meetings:create", {"kind": "team", "title": "Tiimipalaveri 1/2027", "location": "Olohuone"}),
]


@pytest.mark.parametrize(("name", "typed"), CREATE_FORMS)
def test_a_large_group_creates_in_a_unit_of_the_chosen_region(
    client, quality_director, unit_a, unit_b, many_units, name, typed
):
    client.force_login(quality_director)
    html = client.get(reverse(name)).content.decode()
    assert 'name="region"' in html and 'formmethod="get"' in html, "the region comes first, with its button"
    assert 'name="unit"' not in html, "no list of every unit before a region is chosen"

    # The region's button sends the form by GET: that region's units, and
    # what was typed is still in the form.
    shown = client.get(reverse(name), {"region": unit_a.region_id, **typed}).content.decode()
    assert _unit_options(shown, unit_a) and not _unit_options(shown, unit_b)
    for value in typed.values():
        assert f'value="{value}"' in shown or f'<option value="{value}" selected>' in shown, value

    # Sent without a unit: a clear message, the region's units offered, nothing lost.
    refused = client.post(reverse(name), {"region": unit_a.region_id, **typed})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "errorlist" in html and _unit_options(html, unit_a)
    assert all(f'value="{value}"' in html for value in typed.values())


def test_a_feedback_round_is_opened_in_a_unit_chosen_by_region(client, quality_director, unit_a, many_units):
    from omavalvonta.feedback.models import Round

    client.force_login(quality_director)
    today = timezone.localdate()
    response = client.post(
        reverse("feedback:rounds"),
        {"region": unit_a.region_id, "unit": unit_a.pk, "year": today.year, "quarter": (today.month - 1) // 3 + 1},
    )
    assert response.status_code == 302
    assert Round.objects.get().unit == unit_a
