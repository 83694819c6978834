"""Training records, development discussions (a quality-calendar duty, only
the date recorded), the unit's recruitment plan, the leaders' home block and the
plan's staffing facts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from omavalvonta.core.models import AccessLogEntry
from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Membership
from omavalvonta.people import selectors, training_selectors, training_services
from omavalvonta.people.models import DevelopmentDiscussion, RecruitmentPlan, TrainingRecord
from omavalvonta.yearclock import duties
from omavalvonta.yearclock.models import DutyNotice, NoticeKind

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JOINED = dt.date(2025, 3, 1)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 8, tzinfo=dt.UTC)


def pdf(name="todistus.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _finnish(settings):
    settings.LANGUAGE_CODE = "fi"  # the messages are checked in Finnish


@pytest.fixture
def joined(employee_a, supervisor_a, colleague_a):
    """Everyone of unit A's staff joined on JOINED."""
    Membership.objects.update(created_at=at(JOINED))


def whose(duty) -> int:
    """The person of a development-discussion duty (people.development:<unit>:<person>:<due>)."""
    return int(duty.key.split(":")[2])


def train(actor, unit, person, **overrides):
    data = {"course": "Ensiapu EA1", "done_on": dt.date(2026, 2, 1), "hours": Decimal("16"), "provider": "SPR"}
    return training_services.training_record(actor=actor, unit=unit, person=person, **{**data, **overrides})


# --- Training ---------------------------------------------------------------------------------------


def test_a_training_with_its_certificate_is_listed_on_the_persons_pages(client, supervisor_a, employee_a, unit_a):
    t = train(supervisor_a, unit_a, employee_a, files=[pdf()], done_on=dt.date.today())
    assert t.certificate and t.certificate_name == "todistus.pdf" and "todistus" not in t.certificate.name
    client.force_login(supervisor_a)
    page = client.get(reverse("people:person", args=[unit_a.pk, employee_a.pk])).content.decode()
    assert "Ensiapu EA1" in page and f'data-training="{t.pk}"' in page
    assert reverse("people:training_certificate", args=[t.pk]) in page
    client.force_login(employee_a)
    assert "Ensiapu EA1" in client.get(reverse("people:index")).content.decode()
    response = client.get(reverse("people:training_certificate", args=[t.pk]))
    assert response.status_code == 200
    assert AccessLogEntry.objects.filter(what="competence.training_certificate", actor=employee_a).count() == 1


def test_the_training_form_saves_and_returns_to_the_person(client, supervisor_a, employee_a, unit_a):
    client.force_login(supervisor_a)
    url = reverse("people:training_new", args=[unit_a.pk, employee_a.pk])
    response = client.post(url, {"course": "MAPA", "done_on": "2026-02-01", "hours": "7,5", "provider": "X",
                                 "certificate": pdf()})
    assert response.status_code == 302
    record = TrainingRecord.objects.get()
    assert (record.hours, record.recorded_by, record.unit) == (Decimal("7.5"), supervisor_a, unit_a)


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"course": "", "done_on": "2026-02-01", "hours": "3"}, "course", "Anna kurssin nimi."),
        ({"course": "MAPA", "done_on": "2026-02-01", "hours": "abc"}, "hours", "Anna tunnit lukuna 0,1–999,9."),
        ({"course": "MAPA", "done_on": "2026-02-01", "hours": "0"}, "hours", "Anna tunnit lukuna 0,1–999,9."),
        ({"course": "MAPA", "done_on": "2999-01-01", "hours": "3"}, "done_on", "Päivämäärä ei voi olla tulevaisuudessa."),
        ({"course": "MAPA", "done_on": "", "hours": "3"}, "done_on", "Anna päivämäärä."),
    ],
)
def test_bad_training_input_gets_a_finnish_message_and_keeps_what_was_typed(client, supervisor_a, employee_a, unit_a,
                                                                              post, field, message):
    client.force_login(supervisor_a)
    response = client.post(reverse("people:training_new", args=[unit_a.pk, employee_a.pk]), post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert post["course"] in response.content.decode()
    assert not TrainingRecord.objects.exists()


def test_a_certificate_of_a_forbidden_kind_is_refused(client, supervisor_a, employee_a, unit_a):
    client.force_login(supervisor_a)
    exe = SimpleUploadedFile("kurssi.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(
        reverse("people:training_new", args=[unit_a.pk, employee_a.pk]),
        {"course": "MAPA", "done_on": "2026-02-01", "hours": "3", "certificate": exe},
    )
    assert response.status_code == 200 and not TrainingRecord.objects.exists()
    with pytest.raises(ValidationError) as error:
        train(supervisor_a, unit_a, employee_a, files=[pdf("a.pdf"), pdf("b.pdf")])
    assert "certificate" in error.value.message_dict


def test_only_the_units_leaders_record_and_only_their_staff(supervisor_a, supervisor_b, employee_a, unit_a, unit_b):
    with pytest.raises(PermissionDenied):
        train(supervisor_b, unit_a, employee_a)
    with pytest.raises(PermissionDenied):
        train(supervisor_b, unit_b, employee_a)  # not on unit B's staff
    with pytest.raises(PermissionDenied):
        train(employee_a, unit_a, employee_a)


def test_hours_are_summed_per_unit_and_year(supervisor_a, employee_a, colleague_a, unit_a):
    train(supervisor_a, unit_a, employee_a, hours=Decimal("16"), done_on=dt.date(2026, 2, 1))
    train(supervisor_a, unit_a, colleague_a, hours=Decimal("4.5"), done_on=dt.date(2026, 3, 1))
    train(supervisor_a, unit_a, colleague_a, hours=Decimal("8"), done_on=dt.date(2025, 12, 31))
    figures = training_selectors.unit_training_hours(unit=unit_a, year=2026)
    assert (figures["hours"], figures["people"], figures["staff"]) == (Decimal("20.5"), 2, 3)
    assert figures["per_person"] == Decimal("6.8")
    assert training_selectors.training_hours_by_unit(unit_ids=[unit_a.pk], year=2025)[unit_a.pk]["hours"] == Decimal("8")


def test_the_directors_overview_shows_training_as_counts(client, regional_director_a, supervisor_a, employee_a, unit_a):
    train(supervisor_a, unit_a, employee_a, done_on=dt.date.today(), hours=Decimal("12"))
    client.force_login(regional_director_a)
    page = client.get(reverse("people:overview")).content.decode()
    assert 'data-figure="training"' in page and "12 h" in page and employee_a.full_name not in page


def test_the_person_page_does_not_grow_in_queries(client, supervisor_a, employee_a, unit_a, django_assert_max_num_queries):
    train(supervisor_a, unit_a, employee_a)
    client.force_login(supervisor_a)
    url = reverse("people:person", args=[unit_a.pk, employee_a.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(12):
        train(supervisor_a, unit_a, employee_a, course=f"Kurssi {n}", files=[pdf()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# --- Development discussions --------------------------------------------------------------------


def test_a_discussion_is_due_a_year_after_joining_and_then_after_the_last(joined, supervisor_a, employee_a, unit_a):
    today = dt.date(2026, 2, 20)
    due = {d.key: d for d in training_selectors.development_duties(today=today, unit_ids=[unit_a.pk])}
    mine = [d for d in due.values() if whose(d) == employee_a.pk]
    assert [(d.due_on, d.late, d.owner_id) for d in mine] == [(dt.date(2026, 3, 1), False, None)]
    assert training_selectors.development_duties(today=dt.date(2026, 1, 1), unit_ids=[unit_a.pk]) == []
    training_services.development_discussion_record(
        actor=supervisor_a, unit=unit_a, person=employee_a, held_on=dt.date(2026, 2, 10)
    )
    after = training_selectors.development_duties(today=dt.date(2026, 3, 5), unit_ids=[unit_a.pk])
    assert all(whose(d) != employee_a.pk for d in after)
    [late] = [d for d in training_selectors.development_duties(today=dt.date(2027, 3, 1), unit_ids=[unit_a.pk])
              if whose(d) == employee_a.pk]
    assert late.due_on == dt.date(2027, 2, 10) and late.late


def test_only_the_date_is_recorded_and_bad_dates_get_finnish_messages(client, supervisor_a, employee_a, unit_a):
    assert {f.name for f in DevelopmentDiscussion._meta.get_fields()} == {
        "id", "person", "unit", "held_on", "recorded_by", "recorded_at"
    }
    client.force_login(supervisor_a)
    url = reverse("people:discussion_new", args=[unit_a.pk, employee_a.pk])
    for value, message in (("", "Anna päivämäärä."), ("2999-01-01", "Päivämäärä ei voi olla tulevaisuudessa."),
                           ("31.2.2026", "")):
        response = client.post(url, {"held_on": value})
        assert response.status_code == 200 and message in response.content.decode()
    assert client.post(url, {"held_on": "2026-02-10"}).status_code == 302
    response = client.post(url, {"held_on": "2026-02-10"})
    assert response.status_code == 200 and "Tälle päivälle on jo kirjattu kehityskeskustelu." in response.content.decode()
    assert DevelopmentDiscussion.objects.count() == 1


def test_late_discussions_are_reminded_to_the_leaders_once(joined, time_machine, supervisor_a, employee_a, unit_a):
    day = dt.date(2026, 3, 2)
    time_machine.move_to(at(day), tick=False)
    Notification.objects.all().delete()
    duties.duties_remind_and_escalate(now=at(day))
    keys = set(DutyNotice.objects.filter(key__startswith="people.development:").values_list("key", "kind"))
    assert (f"people.development:{unit_a.pk}:{employee_a.pk}:2026-03-01", NoticeKind.ESCALATION) in keys
    assert supervisor_a.pk in set(Notification.objects.values_list("recipient_id", flat=True))
    before = Notification.objects.count()
    duties.duties_remind_and_escalate(now=at(day + dt.timedelta(days=1)))
    assert Notification.objects.count() == before


def test_two_workers_claim_each_discussion_reminder_once(joined, time_machine, employee_a, unit_a):
    day = dt.date(2026, 2, 20)
    time_machine.move_to(at(day), tick=False)
    [duty] = [d for d in training_selectors.development_duties(today=day) if whose(d) == employee_a.pk]
    people = duties._People([duty])
    unit = people.units[duty.unit_id]
    first = duties._send(duty, NoticeKind.REMINDER, people.reminded(duty), unit, at(day))
    second = duties._send(duty, NoticeKind.REMINDER, people.reminded(duty), unit, at(day))
    assert first >= 1 and second == 0
    assert DutyNotice.objects.filter(key=duty.key).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL only")
def test_two_workers_side_by_side_send_each_discussion_notice_once(joined, time_machine):
    from omavalvonta.testing.concurrency import run_side_by_side

    time_machine.move_to(at(dt.date(2026, 3, 2)), tick=False)
    results = run_side_by_side(duties.duties_remind_and_escalate)
    assert sum(results) == duties.duties_remind_and_escalate() + sum(results)
    assert DutyNotice.objects.filter(key__startswith="people.development:").count() == 6  # 3 people × 2 kinds


def test_the_supervisors_home_shows_late_orientations_and_discussions(joined, client, supervisor_a, employee_a, unit_a):
    client.force_login(supervisor_a)
    page = client.get(reverse("home")).content.decode()
    assert 'data-block="people-leading"' in page
    assert "3 kehityskeskustelua myöhässä" in page
    assert reverse("people:unit", args=[unit_a.pk]) in page
    client.force_login(employee_a)
    assert 'data-block="people-leading"' not in client.get(reverse("home")).content.decode()


def test_the_home_block_counts_first_and_finds_every_late_discussion_on_its_first_late_day(
    joined, supervisor_a, employee_a, unit_a
):
    # The count (a day span the months can never be shorter than) lets no late discussion through: on
    # each day around the due days, after joining and after a discussion on a month's last day (a
    # shorter month a year on), the block shows what the duties call late, and nothing before.
    training_services.development_discussion_record(
        actor=supervisor_a, unit=unit_a, person=employee_a, held_on=dt.date(2026, 2, 28)
    )

    def late_by_block(day):
        block = training_selectors.leader_home_items(actor=supervisor_a, today=day)
        return block["discussions"] if block else 0

    for first in (JOINED + dt.timedelta(days=360), dt.date(2027, 2, 20)):
        for day in (first + dt.timedelta(days=n) for n in range(14)):
            late = [d for d in training_selectors.development_duties(today=day, unit_ids=[unit_a.pk]) if d.late]
            assert late_by_block(day) == len(late), day
    assert late_by_block(JOINED + dt.timedelta(days=300)) == 0


# --- The recruitment plan -----------------------------------------------------------------------


def test_the_recruitment_plan_is_drafted_approved_and_versioned(client, supervisor_a, responsible_a, unit_a):
    client.force_login(supervisor_a)
    url = reverse("people:recruitment", args=[unit_a.pk])
    assert client.post(url, {"text": "Traumatietoinen työote."}).status_code == 302
    assert client.post(url, {"text": "Traumatietoinen työote ja päihdetyö."}).status_code == 302
    assert RecruitmentPlan.objects.count() == 1
    client.post(reverse("people:recruitment_approve", args=[unit_a.pk]))
    training_services.recruitment_plan_draft(actor=responsible_a, unit=unit_a, text="Myös lääkehoito.")
    second = training_services.recruitment_plan_approve(actor=responsible_a, unit=unit_a)
    assert second.version == 2 and second.approved_by == responsible_a
    plans = training_selectors.recruitment_plans(unit=unit_a)
    assert plans["current"] == second and [p.version for p in plans["history"]] == [1] and plans["draft"] is None
    page = client.get(reverse("people:unit", args=[unit_a.pk])).content.decode()
    assert "Myös lääkehoito." in page


def test_recruitment_plan_failures_get_finnish_messages(client, supervisor_a, employee_a, supervisor_b, unit_a):
    client.force_login(supervisor_a)
    url = reverse("people:recruitment", args=[unit_a.pk])
    response = client.post(url, {"text": "  "})
    assert response.status_code == 200 and "Kirjoita, mitä osaamista yksikön lapset tarvitsevat." in response.content.decode()
    response = client.post(reverse("people:recruitment_approve", args=[unit_a.pk]), follow=True)
    assert "Hyväksyttävää luonnosta ei ole." in response.content.decode()
    with pytest.raises(PermissionDenied):
        training_services.recruitment_plan_draft(actor=employee_a, unit=unit_a, text="x")
    client.force_login(supervisor_b)
    assert client.get(url).status_code == 404


# --- The plan's staffing facts --------------------------------------------------------------------


def test_the_plans_fact_counts_match_the_matrix(record, supervisor_a, employee_a, colleague_a, unit_a):
    today = dt.date.today()
    record(employee_a, "ensiapu", done_on=today - dt.timedelta(days=10))
    record(colleague_a, "laakelupa", done_on=today - dt.timedelta(days=10), valid_until=today + dt.timedelta(days=200))
    train(supervisor_a, unit_a, employee_a, hours=Decimal("16"), done_on=today - dt.timedelta(days=20))
    train(supervisor_a, unit_a, colleague_a, hours=Decimal("3.5"), done_on=today - dt.timedelta(days=400))
    training_services.development_discussion_record(
        actor=supervisor_a, unit=unit_a, person=employee_a, held_on=today - dt.timedelta(days=30)
    )
    facts = selectors.staffing_facts(unit=unit_a)
    matrix = selectors.unit_matrix(actor=supervisor_a, unit=unit_a)
    assert facts["staff"] == len(matrix["rows"])
    assert facts["medication"] == matrix["coverage"]["medication"]["valid"] == 1
    assert facts["first_aid"] == matrix["coverage"]["first_aid"]["valid"] == 1
    assert (facts["training_hours"], facts["development_discussions"]) == (16.0, 1)
