"""The register of restrictive measures: what the law allows (restrictions.law),
decision rights per role, the access rules and the access log."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omavalvonta.core.models import AccessLogEntry, AuditEvent
from omavalvonta.restrictions import law
from omavalvonta.restrictions.models import Restriction

pytestmark = pytest.mark.django_db


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_every_measure_cites_its_section_and_source():
    keys = [m.key for m in law.MEASURES]
    assert len(keys) == len(set(keys))
    for m in law.MEASURES:
        assert m.section.endswith("§") and "417/2007" in m.source and "HE 237/2018" in m.source
        assert m.deciders and m.placement_types
        assert "open_care" not in m.placement_types and "aftercare" not in m.placement_types
    assert law.measure("contact").allowed_for(law.FAMILY_CARE)
    assert not law.measure("restraint").allowed_for(law.FAMILY_CARE)


def test_a_later_row_replaces_the_law_from_its_date(monkeypatch):
    reform = dt.date(2027, 1, 1)
    changed = law.Measure(**{**law.measure("isolation").__dict__, "max_duration": dt.timedelta(hours=12), "in_force_from": reform})
    monkeypatch.setattr(law, "MEASURES", (*law.MEASURES, changed))
    assert law.measure("isolation", reform - dt.timedelta(days=1)).max_duration == dt.timedelta(hours=24)
    assert law.measure("isolation", reform).max_duration == dt.timedelta(hours=12)


def test_an_instructor_records_a_restraint_as_an_account(employee_a, child_a, record):
    restriction = record(employee_a, child_a)
    assert (restriction.unit_id, restriction.measure, restriction.record_kind) == (child_a.unit_id, "restraint", "account")
    assert restriction.child_view.startswith("Minua") and restriction.debrief_pending
    assert AuditEvent.objects.filter(verb="restriction.recorded", target_id=restriction.pk).exists()


@pytest.mark.parametrize("measure", [m.key for m in law.MEASURES])
def test_every_measure_is_refused_for_an_open_care_placement(measure, make_placement, unit_a, supervisor_a, record):
    child = make_placement(unit_a, placement_type="open_care")
    with pytest.raises(ValidationError) as excinfo:
        record(supervisor_a, child, measure=measure, decided_by_name="Sanna Sosiaalityöntekijä")
    assert "cannot be used for a child placed as open-care support" in _errors(excinfo)["measure"][0]
    assert not Restriction.objects.exists()


def test_a_restraint_takes_no_decision(supervisor_a, child_a, record):
    with pytest.raises(ValidationError) as excinfo:
        record(supervisor_a, child_a, record_kind="decision")
    assert _errors(excinfo)["record_kind"] == ["Physical restraint takes a written account, not a decision."]


def test_only_the_director_decides_on_isolation(employee_a, supervisor_a, responsible_a, child_a, record):
    isolation = {"measure": "isolation", "record_kind": "decision"}
    with pytest.raises(ValidationError) as excinfo:
        record(employee_a, child_a, **isolation)
    assert "Only the director of the institution may decide on Isolation" in _errors(excinfo)["record_kind"][0]
    # The instructor records an account of the director's decision instead.
    assert record(employee_a, child_a, measure="isolation", decided_by_name="Paula Pitäjä, johtaja").decided_by is None
    for director in (supervisor_a, responsible_a):
        decided = record(director, child_a, **isolation)
        assert decided.decided_by == director and decided.record_kind == "decision"


def test_special_care_is_decided_outside_the_unit(supervisor_a, child_a, record):
    with pytest.raises(ValidationError) as excinfo:
        record(supervisor_a, child_a, measure="special_care", record_kind="decision")
    assert "the child's responsible social worker" in _errors(excinfo)["record_kind"][0]
    with pytest.raises(ValidationError) as excinfo:
        record(supervisor_a, child_a, measure="special_care")
    assert _errors(excinfo)["decided_by_name"] == ["Write who decided on the measure."]


def test_a_duration_past_the_law_is_refused(supervisor_a, child_a, record):
    started = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as excinfo:
        record(supervisor_a, child_a, measure="isolation", record_kind="decision",
               started_at=started, ended_at=started + dt.timedelta(hours=25))
    assert _errors(excinfo)["ended_at"] == ["The law allows Isolation for at most 24 hours."]
    assert record(supervisor_a, child_a, measure="isolation", record_kind="decision",
                  started_at=started, ended_at=started + dt.timedelta(hours=24))


def test_a_time_limited_decision_needs_its_end(supervisor_a, child_a, record):
    with pytest.raises(ValidationError) as excinfo:
        record(supervisor_a, child_a, measure="movement", record_kind="decision", ended_at=None)
    assert _errors(excinfo)["ended_at"] == [
        "A decision on Restricting freedom of movement is made for a fixed term: give the time it ends."
    ]


def test_the_directors_contact_restriction_is_short(supervisor_a, child_a, record):
    started = dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as excinfo:
        record(supervisor_a, child_a, measure="contact", record_kind="decision",
               started_at=started, ended_at=started + dt.timedelta(days=31))
    assert _errors(excinfo)["ended_at"] == [
        "On the director's decision the law allows Restricting contact for at most 30 days."
    ]
    # The social worker's decision, recorded as an account, may be longer.
    assert record(supervisor_a, child_a, measure="contact", decided_by_name="Sanna S.",
                  started_at=started, ended_at=started + dt.timedelta(days=31))


def test_an_end_before_the_start_and_missing_answers_are_named(employee_a, child_a, record):
    with pytest.raises(ValidationError) as excinfo:
        record(employee_a, child_a, ended_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), reason="", child_heard=False,
               conditions_confirmed=False)
    errors = _errors(excinfo)
    assert errors["ended_at"] == ["The end cannot be before the start."]
    assert errors["reason"] == ["Write why the measure was necessary."]
    assert errors["child_not_heard_reason"] == ["Write why the child could not be heard."]
    assert "never as a punishment" in errors["conditions_confirmed"][0]


def test_staff_of_another_unit_and_directors_cannot_record(supervisor_b, quality_director, child_a, record):
    for outsider in (supervisor_b, quality_director):
        with pytest.raises(PermissionDenied):
            record(outsider, child_a)


def test_another_units_restriction_is_404_and_a_read_is_logged(client, employee_a, supervisor_b, child_a, record):
    restriction = record(employee_a, child_a)
    client.force_login(supervisor_b)
    assert client.get(reverse("restrictions:detail", args=[restriction.pk])).status_code == 404
    assert not AccessLogEntry.objects.filter(what="restriction.detail").exists()
    client.force_login(employee_a)
    page = client.get(reverse("restrictions:detail", args=[restriction.pk]))
    assert page.status_code == 200 and "Minua suututti" in page.content.decode()
    entry = AccessLogEntry.objects.get(what="restriction.detail")
    assert (entry.actor_id, entry.target_id, entry.unit_id) == (employee_a.pk, restriction.pk, child_a.unit_id)


def test_the_childs_page_shows_the_panel_in_one_logged_read(client, employee_a, child_a, record):
    record(employee_a, child_a)
    client.force_login(employee_a)
    page = client.get(reverse("clients:detail", args=[child_a.pk])).content.decode()
    assert "Physical restraint" in page and reverse("restrictions:new", args=[child_a.pk]) in page
    [row] = AccessLogEntry.objects.all()
    assert (row.what, row.actor_id, row.target_id) == ("placement.detail", employee_a.pk, child_a.pk)


def test_the_unit_register_is_paged_in_a_fixed_number_of_queries(
    client, employee_a, child_a, make_placement, unit_a, record, django_assert_max_num_queries
):
    other = make_placement(unit_a, name="Eero L.")
    for i in range(25):
        record(employee_a, child_a if i % 2 else other)
    client.force_login(employee_a)
    url = reverse("restrictions:unit", args=[unit_a.pk])
    client.get(url)  # warm the session and the grants
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        page1 = client.get(url)
    with CaptureQueriesContext(connection) as second:
        page2 = client.get(url + "?page=2")
    assert page1.status_code == page2.status_code == 200
    assert len(page1.context["page"].object_list) == 20 and len(page2.context["page"].object_list) == 5
    assert len(first) == len(second)
    assert AccessLogEntry.objects.filter(what="restriction.list").count() == 3


def test_bad_input_keeps_what_was_typed_and_never_500s(client, employee_a, child_a):
    client.force_login(employee_a)
    url = reverse("restrictions:new", args=[child_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "measure": "restraint", "record_kind": "decision", "started_at": "2026-12-05T10:00",
        "ended_at": "kello kaksi", "details": "Pidettiin kiinni.", "reason": "Löi toista.",
        "milder_means": "Puhuttiin.", "child_heard": "yes", "child_view": "En halunnut.",
        "deviation_id": "99999999999999999999999",
    })
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pidettiin kiinni." in body and "En halunnut." in body
    assert not Restriction.objects.exists()
    # Nonsense choices are form errors, not crashes.
    response = client.post(url, {"measure": "torture", "record_kind": "x", "started_at": "9999-99-99T99:99"})
    assert response.status_code == 200 and not Restriction.objects.exists()


def test_a_refusal_from_the_law_is_shown_on_the_form(client, employee_a, make_placement, unit_a):
    child = make_placement(unit_a, placement_type="open_care")
    client.force_login(employee_a)
    # The child's page says why no measure is offered, and the form says it too.
    page = client.get(reverse("clients:detail", args=[child.pk])).content.decode()
    assert "The law allows no restrictive measure" in page and reverse("restrictions:new", args=[child.pk]) not in page
    assert "The law allows no restrictive measure" in client.get(reverse("restrictions:new", args=[child.pk])).content.decode()
    response = client.post(reverse("restrictions:new", args=[child.pk]), {
        "measure": "restraint", "record_kind": "account", "started_at": "2026-12-01T10:00",
        "ended_at": "2026-12-01T10:05", "details": "Pidettiin kiinni.", "reason": "Löi toista.",
        "milder_means": "Puhuttiin.", "conditions_confirmed": "on", "carried_out_by": "Olli",
        "child_heard": "yes", "child_view": "En halunnut.",
    })
    assert response.status_code == 200
    assert "cannot be used for a child placed as open-care support" in response.content.decode()


def test_the_debrief_is_recorded_later(client, employee_a, child_a, record):
    restriction = record(employee_a, child_a)
    client.force_login(employee_a)
    url = reverse("restrictions:debrief", args=[restriction.pk])
    assert client.post(url, {"debrief_at": "", "debrief_notes": "Juteltiin."}).status_code == 200
    held = (restriction.started_at + dt.timedelta(minutes=30)).astimezone().strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"debrief_at": held, "debrief_notes": "Juteltiin illalla."})
    assert response.status_code == 302
    restriction.refresh_from_db()
    assert restriction.debrief_notes == "Juteltiin illalla." and not restriction.debrief_pending
    assert client.get(url).status_code == 302


def test_directors_see_counts_without_names(client, quality_director, regional_director_a, employee_a, child_a, record):
    restriction = record(employee_a, child_a)
    for director in (quality_director, regional_director_a):
        client.force_login(director)
        assert client.get(reverse("restrictions:detail", args=[restriction.pk])).status_code == 403
        page = client.get(reverse("restrictions:overview")).content.decode()
        assert child_a.unit.name in page and "fewer than 5 measures" in page and "Aino" not in page
    for _ in range(4):
        record(employee_a, child_a)
    page = client.get(reverse("restrictions:overview")).content.decode()
    assert "5 measures" in page and "fewer than" not in page


def test_a_missing_debrief_is_reminded_of_until_recorded(employee_a, child_a, record):
    from omavalvonta.notifications.models import Notification
    from omavalvonta.restrictions import services

    restriction = record(employee_a, child_a)
    start = restriction.started_at
    assert services.debriefs_remind(now=start + dt.timedelta(days=1)) == 0
    assert services.debriefs_remind(now=start + dt.timedelta(days=2, hours=1)) == 1
    # Not again the same day; again after a few days.
    assert services.debriefs_remind(now=start + dt.timedelta(days=3)) == 0
    assert services.debriefs_remind(now=start + dt.timedelta(days=5, hours=2)) == 1
    notice = Notification.objects.filter(kind="restriction.debrief_reminder").first()
    assert notice.recipient == employee_a and "Aino" not in notice.subject + notice.body
    assert notice.link == reverse("restrictions:debrief", args=[restriction.pk])
    services.restriction_debrief(
        actor=employee_a, restriction=restriction, held_at=start + dt.timedelta(minutes=30), notes="Juteltiin."
    )
    assert services.debriefs_remind(now=start + dt.timedelta(days=30)) == 0


def test_the_reminder_job_is_registered():
    from omavalvonta.core import jobs

    assert "restrictions.debrief_reminders" in {job.name for job in jobs.registered()}
