"""The home page's block of restrictive measures: what the person may sign, the
debriefs not held and the flagged children, per unit of their own, counted
without a child's name; and the register's badges for unsigned documents."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omavalvonta.organisation.models import Role, User
from omavalvonta.restrictions import services
from omavalvonta.restrictions.home import restriction_home_items
from omavalvonta.restrictions.models import ChildFlag
from omavalvonta.testing.factories import MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def movement_decision():
    started = NOW - dt.timedelta(hours=2)
    return {"measure": "movement", "record_kind": "decision", "started_at": started, "ended_at": started + dt.timedelta(days=3)}


def _row(items, unit):
    return next(r for r in items["rows"] if r["unit"] == unit)


def test_staff_sign_accounts_and_the_decider_also_decisions(employee_a, supervisor_a, child_a, unit_a, record):
    restraint = record(employee_a, child_a)
    decision = record(supervisor_a, child_a, **movement_decision())
    assert _row(restriction_home_items(actor=supervisor_a), unit_a)["to_sign"] == 2
    assert _row(restriction_home_items(actor=employee_a), unit_a)["to_sign"] == 1  # the account only
    services.document_sign(actor=employee_a, restriction=restraint, reasoning="Kuvaus tilanteesta.")
    assert restriction_home_items(actor=employee_a) is None
    services.document_sign(actor=supervisor_a, restriction=decision, reasoning="Karkaamisen vaara.")
    assert restriction_home_items(actor=supervisor_a) is None


def test_a_debrief_not_held_after_two_days_waits_until_recorded(employee_a, child_a, unit_a, record):
    started = NOW - dt.timedelta(days=3)
    measure = record(employee_a, child_a, started_at=started, ended_at=started + dt.timedelta(minutes=3))
    services.document_sign(actor=employee_a, restriction=measure, reasoning="Kuvaus.")
    row = _row(restriction_home_items(actor=employee_a), unit_a)
    assert (row["to_sign"], row["debriefs"], row["flags"]) == (0, 1, 0)
    services.restriction_debrief(actor=employee_a, restriction=measure, held_at=NOW - dt.timedelta(hours=1), notes="Puhuttiin.")
    assert restriction_home_items(actor=employee_a) is None


def test_a_flagged_child_shows_to_the_decider_only(employee_a, supervisor_a, child_a, unit_a, record):
    started = NOW - dt.timedelta(hours=2)
    measure = record(employee_a, child_a, started_at=started, ended_at=started + dt.timedelta(minutes=45))  # long: flagged
    services.document_sign(actor=employee_a, restriction=measure, reasoning="Kuvaus.")
    assert ChildFlag.objects.count() == 1
    assert restriction_home_items(actor=employee_a) is None
    items = restriction_home_items(actor=supervisor_a)
    assert items["flags"] == 1 and _row(items, unit_a)["flags"] == 1


def test_another_units_staff_see_nothing_and_no_name_is_shown(client, employee_a, supervisor_b, child_a, record):
    record(employee_a, child_a)
    assert restriction_home_items(actor=supervisor_b) is None
    client.force_login(employee_a)
    page = client.get(reverse("home")).content.decode()
    block = page.split('data-block="restrictions"', 1)[1].split("</section>", 1)[0]
    assert "1 decision or account to sign" in block and child_a.name not in block


def test_the_block_reads_in_a_fixed_number_of_queries(supervisor_a, make_placement, unit_a, record):
    child = make_placement(unit_a, name="Eka L.")
    record(supervisor_a, child)
    restriction_home_items(actor=supervisor_a)  # the grants, read once per request
    with CaptureQueriesContext(connection) as one:
        restriction_home_items(actor=supervisor_a)
    for n in range(4):
        record(supervisor_a, make_placement(unit_a, name=f"Lapsi {n}."), **movement_decision())
    with CaptureQueriesContext(connection) as many:
        items = restriction_home_items(actor=supervisor_a)
    assert _row(items, unit_a)["to_sign"] == 5
    assert len(many) == len(one)


def test_the_register_marks_measures_without_their_signed_document(client, employee_a, supervisor_a, child_a, unit_a, record):
    restraint = record(employee_a, child_a)
    record(supervisor_a, child_a, **movement_decision())
    client.force_login(supervisor_a)
    page = client.get(reverse("restrictions:unit", args=[unit_a.pk])).content.decode()
    assert "Account not signed" in page and "Decision not signed" in page
    services.document_sign(actor=employee_a, restriction=restraint, reasoning="Kuvaus.")
    page = client.get(reverse("restrictions:unit", args=[unit_a.pk])).content.decode()
    assert "Account not signed" not in page and "Decision not signed" in page


def test_several_units_are_listed_by_name_with_the_flagged_ones(supervisor_a, region_a, unit_a, make_placement, record):
    """The units' names come with their rows (a flagged unit's with its flags);
    several units are ordered by name as the database orders them."""
    first = UnitFactory(region=region_a, name="Aaltola")
    last = UnitFactory(region=region_a, name="Öhman")
    for unit in (first, last):
        MembershipFactory(user=supervisor_a, role=Role.SUPERVISOR, unit=unit)
    actor = User.objects.get(pk=supervisor_a.pk)
    record(actor, make_placement(last, name="Eka L."))
    started = NOW - dt.timedelta(hours=2)
    flagged = record(actor, make_placement(first, name="Toka L."), started_at=started, ended_at=started + dt.timedelta(minutes=45))
    services.document_sign(actor=actor, restriction=flagged, reasoning="Kuvaus.")
    record(actor, make_placement(unit_a, name="Kolmas L."))
    items = restriction_home_items(actor=User.objects.get(pk=supervisor_a.pk))
    assert [(r["unit"], r["unit"].name) for r in items["rows"]] == [
        (first, "Aaltola"), (unit_a, unit_a.name), (last, "Öhman"),
    ]
    assert [(r["to_sign"], r["flags"]) for r in items["rows"]] == [(0, 1), (1, 0), (1, 0)]
    assert items["flags"] == 1 and items["total"] == 3
