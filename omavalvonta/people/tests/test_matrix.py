"""A unit's competence at a glance: the matrix (valid / expiring / expired /
missing), the counts against the unit's requirement, the directors' counts per
unit and region (no names, queries that do not grow with data), the home page's
block, the meeting agenda's item and the plan's staffing facts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omavalvonta.organisation.models import Role
from omavalvonta.people import selectors, services
from omavalvonta.people.models import Status
from omavalvonta.testing.factories import UnitFactory, member

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def years_ago(n, days=0):
    t = today()
    if t.month == 2 and t.day == 29:
        t -= dt.timedelta(days=1)
    return t.replace(year=t.year - n) - dt.timedelta(days=days)


@pytest.fixture
def unit_a_staff(record, employee_a, colleague_a, supervisor_a, unit_a):
    """Eeva: first aid valid, medication permit expiring; Kalle: first aid expired;
    Sari (the supervisor): nothing recorded."""
    record(employee_a, "ensiapu", done_on=years_ago(2))
    record(employee_a, "laakelupa", done_on=years_ago(1), valid_until=today() + dt.timedelta(days=10))
    record(colleague_a, "ensiapu", done_on=years_ago(3, days=5))
    services.requirement_save(actor=supervisor_a, unit=unit_a, medication_permits=2, first_aid=2)
    return employee_a, colleague_a, supervisor_a


def statuses(matrix, person, kind):
    [(_p, cells)] = [(p, c) for p, c in matrix["rows"] if p == person]
    [cell] = [c for c in cells if c.qtype.kind == kind]
    return cell.status


def test_the_matrix_shows_valid_expiring_expired_and_missing(unit_a_staff, supervisor_a, unit_a):
    eeva, kalle, sari = unit_a_staff
    m = selectors.unit_matrix(actor=supervisor_a, unit=unit_a)
    assert statuses(m, eeva, "first_aid") == Status.VALID
    assert statuses(m, eeva, "medication_permit") == Status.EXPIRING
    assert statuses(m, kalle, "first_aid") == Status.EXPIRED
    assert statuses(m, sari, "first_aid") == Status.MISSING
    assert statuses(m, sari, "medication_permit") == ""  # not required of everyone
    assert m["coverage"] == {"medication": {"valid": 1, "required": 2}, "first_aid": {"valid": 1, "required": 2}}


def test_the_unit_page_reads_on_a_phone_and_is_logged(client, unit_a_staff, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    response = client.get(reverse("people:unit", args=[unit_a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-figure="medication"' in page and "1 / 2" in page
    assert page.count('data-status="expired"') == 1 and page.count('data-status="expiring"') == 1


def test_directors_count_per_unit_and_region_without_names(client, unit_a_staff, regional_director_a, quality_director, unit_a, unit_b):
    rows = selectors.unit_counts(actor=regional_director_a)
    assert [r["unit"] for r in rows] == [unit_a]
    [row] = rows
    assert (row["staff"], row["medication"], row["first_aid"], row["expired"]) == (3, 1, 1, 1)
    assert row["short"] and not row["can_view"]
    client.force_login(regional_director_a)
    page = client.get(reverse("people:overview")).content.decode()
    assert "Eeva" not in page and "Kalle" not in page
    assert client.get(reverse("people:unit", args=[unit_a.pk])).status_code == 403
    qd_rows = {r["unit"]: r for r in selectors.unit_counts(actor=quality_director)}
    assert set(qd_rows) == {unit_a, unit_b}


def test_directors_with_many_units_see_regions_first(client, unit_a_staff, quality_director, region_a):
    for i in range(selectors.REGIONS_FIRST_ABOVE):
        UnitFactory(region=region_a, name=f"Koti {i}", public_slug=f"koti-{i}")
    client.force_login(quality_director)
    page = client.get(reverse("people:overview")).content.decode()
    assert f'data-region="{region_a.pk}"' in page and "data-unit=" not in page
    page = client.get(reverse("people:overview") + f"?region={region_a.pk}").content.decode()
    assert "data-unit=" in page and "data-region=" not in page
    [region] = [r for r in selectors.region_counts(actor=quality_director) if r["region_id"] == region_a.pk]
    assert (region["staff"], region["medication"], region["first_aid"], region["expired"], region["short_units"]) == (3, 1, 1, 1, 1)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_counts_and_the_matrix_take_queries_that_do_not_grow_with_data(
    client, record, unit_a_staff, quality_director, supervisor_a, unit_a, region_a
):
    client.force_login(quality_director)
    overview = reverse("people:overview") + f"?region={region_a.pk}"
    regions = reverse("people:overview")
    before = (_queries(client, overview), _queries(client, regions))
    client.force_login(supervisor_a)
    before_matrix = _queries(client, reverse("people:unit", args=[unit_a.pk]))
    for i in range(5):
        unit = UnitFactory(region=region_a, name=f"Lisä {i}", public_slug=f"lisa-{i}")
        member(Role.SUPERVISOR, unit=unit)
        for _ in range(3):
            person = member(Role.EMPLOYEE, unit=unit_a)
            record(person, "ensiapu", done_on=years_ago(1))
            record(person, "laakelupa", done_on=years_ago(1), valid_until=today() + dt.timedelta(days=200))
    client.force_login(quality_director)
    assert (_queries(client, overview), _queries(client, regions)) == before
    client.force_login(supervisor_a)
    assert _queries(client, reverse("people:unit", args=[unit_a.pk])) == before_matrix


def test_the_plans_staffing_facts_are_counts_that_match_the_matrix(unit_a_staff, supervisor_a, unit_a):
    from omavalvonta.plans.selectors import version_facts
    from omavalvonta.plans.services import plan_draft_start

    m = selectors.unit_matrix(actor=supervisor_a, unit=unit_a)
    draft = plan_draft_start(actor=supervisor_a, unit=unit_a)
    assert draft.sections.filter(live_fact="staffing").exists()
    facts = version_facts(actor=supervisor_a, version=draft)["staffing"]
    assert facts["staff"] == len(m["rows"])
    assert facts["medication"] == m["coverage"]["medication"]["valid"]
    assert facts["first_aid"] == m["coverage"]["first_aid"]["valid"]
    assert facts["medication_required"] == 2
    by_name = {r["name"]: r["valid"] for r in facts["required"]}
    for t, n in m["totals"]:
        if t.required:
            assert by_name[t.label] == n["valid"] + n["expiring"]
    assert "Eeva" not in str(facts) and "Kalle" not in str(facts)


def test_expired_and_expiring_items_on_the_supervisors_and_the_persons_home_page(client, unit_a_staff, supervisor_a, supervisor_b):
    eeva, kalle, _sari = unit_a_staff
    client.force_login(supervisor_a)
    page = client.get(reverse("home")).content.decode()
    assert 'data-block="competence"' in page and "Kalle Kollega" in page and "Eeva Työntekijä" in page
    assert "1 qualification of your staff has expired." in page
    client.force_login(eeva)
    page = client.get(reverse("home")).content.decode()
    assert 'data-block="competence"' in page and "Kalle" not in page
    client.force_login(supervisor_b)
    assert 'data-block="competence"' not in client.get(reverse("home")).content.decode()


def test_the_units_meeting_agenda_counts_expired_items_without_names(unit_a_staff, supervisor_a, unit_a):
    from omavalvonta.meetings.tests.helpers import team_meeting

    meeting = team_meeting(supervisor_a, unit_a)
    [item] = [i for i in meeting.items.all() if "Staff competence" in i.title]
    assert item.title == "Staff competence: 1 qualification expired"
    assert "First aid (EA 1) 1" in item.note and "1 expiring soon" in item.note
    assert "Kalle" not in item.title + item.note
