"""§ 28: a serious event starts the notification clock when it is submitted, the
responsible person hears at once, the deadline shows on the report and the home
page, the county and the supervisory authority are notified (recipients chosen
by the handler, the choice recorded), and a late notification is recorded and
shown to the directors and in the follow-up report."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from omavalvonta.core.models import AuditEvent
from omavalvonta.deviations import home, law, selectors, services
from omavalvonta.deviations.models import (
    Deviation,
    NotificationPurpose,
    NotificationRecipient,
    StatutoryNotification,
)
from omavalvonta.notifications.models import DeliveryState, DigestFrequency, DigestPreference, Notification
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import WellbeingCountyFactory, deviation_kwargs, handling_questions_answered, member

HELSINKI = ZoneInfo("Europe/Helsinki")
MORNING = dt.datetime(2026, 3, 10, 9, 30, tzinfo=HELSINKI)


pytestmark = pytest.mark.usefixtures("english_pages", "english_texts")


def submit(actor, unit, **overrides):
    return services.deviation_submit(actor=actor, **deviation_kwargs(unit, **overrides)).deviation


def verbs(deviation):
    return list(AuditEvent.objects.filter(target_id=deviation.pk, verb__startswith="deviation.").values_list("verb", flat=True))


def violence_with_injury(actor, unit):
    return submit(actor, unit, kind="threat_or_violence", violence_target="child", injury=True)


# --- What is serious is data with its source ------------------------------------------------------


def test_every_serious_event_criterion_and_the_deadline_carry_the_section_of_the_law():
    assert {c.key for c in law.SERIOUS_EVENT_CRITERIA} == {
        "violence_injury",
        "child_missing",
        "medication_harm",
        "reported_serious",
    }
    assert all(c.source == law.SECTION_28 for c in law.SERIOUS_EVENT_CRITERIA)
    assert law.SERIOUS_EVENT_DUTY.source == law.SECTION_28
    assert law.SERIOUS_EVENT_DUTY.includes_authority and not law.GRIEVANCE_DUTY.includes_authority
    # "Immediately": by the end of the day the clock started, in Helsinki.
    late_evening = dt.datetime(2026, 3, 10, 22, 10, tzinfo=dt.UTC)  # 00:10 on 11.3. in Helsinki
    assert law.SERIOUS_EVENT_DUTY.deadline(late_evening) == dt.datetime(2026, 3, 11, 23, 59, 59, tzinfo=HELSINKI)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"kind": "threat_or_violence", "violence_target": "child", "injury": True}, "violence_injury"),
        ({"kind": "quality", "child_missing": True}, "child_missing"),
        ({"kind": "medication", "medication_stage": "giving", "medication_harm": True}, "medication_harm"),
        ({"kind": "near_miss", "reported_serious": True}, "reported_serious"),
    ],
)
def test_a_serious_event_starts_the_clock_at_submission(employee_a, supervisor_a, unit_a, overrides, reason):
    with time_machine.travel(MORNING, tick=False):
        d = submit(employee_a, unit_a, **overrides)

    assert d.serious_reasons == [reason]
    assert d.notification_due_at == dt.datetime(2026, 3, 10, 23, 59, 59, tzinfo=HELSINKI)
    assert d.requires_statutory_notification and d.statutory_duty is law.SERIOUS_EVENT_DUTY
    assert verbs(d)[-2:] == ["deviation.clock_started", "deviation.serious_alerted"]
    started = AuditEvent.objects.get(target_id=d.pk, verb="deviation.clock_started")
    assert started.data["reasons"] == [reason] and started.data["source"] == law.SECTION_28


def test_an_ordinary_report_starts_no_clock(employee_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a, kind="threat_or_violence", violence_target="property", injury=False)
    # An injury ticked on another type is dropped with the rest of its section.
    other = submit(employee_a, unit_a, kind="quality", injury=True, medication_harm=True)

    for report in (d, other):
        assert report.serious_reasons == [] and report.notification_due_at is None
        assert not report.requires_statutory_notification


def test_the_responsible_person_is_alerted_at_once_even_when_they_read_a_daily_digest(
    employee_a, supervisor_a, responsible_a, unit_a
):
    DigestPreference.objects.create(user=responsible_a, frequency=DigestFrequency.DAILY)

    d = violence_with_injury(employee_a, unit_a)

    alerts = Notification.objects.filter(kind="deviation.serious")
    assert {n.recipient_id for n in alerts} == {responsible_a.pk, supervisor_a.pk}
    alert = alerts.get(recipient=responsible_a)
    assert alert.state == DeliveryState.PENDING  # not held for the digest
    assert "Serious event" in alert.subject and d.number in alert.subject
    assert law.SECTION_28 in alert.body
    # No free text leaves the product, and the reporter is not named.
    assert d.description not in alert.body and employee_a.full_name not in alert.body


def test_a_critical_classification_starts_the_clock_when_it_is_made(employee_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a)
    assert d.notification_due_at is None
    with time_machine.travel(MORNING, tick=False):
        services.deviation_classify(actor=supervisor_a, deviation=d, consequence=3, likelihood=2)

    d.refresh_from_db()
    assert d.notification_due_at == dt.datetime(2026, 3, 10, 23, 59, 59, tzinfo=HELSINKI)
    assert AuditEvent.objects.get(target_id=d.pk, verb="deviation.clock_started").data["reasons"] == ["critical"]


# --- The deadline on the report and on the home page ---------------------------------------------


def test_the_report_and_the_home_page_show_the_same_day_deadline(client, employee_a, supervisor_a, unit_a, authority):
    with time_machine.travel(MORNING, tick=False):
        d = violence_with_injury(employee_a, unit_a)
        client.force_login(supervisor_a)
        page = client.get(reverse("deviations:detail", args=[d.pk])).content.decode()
        home = client.get(reverse("home")).content.decode()

    assert "Serious event: notify today" in page
    assert "Notify by 10.3.2026 23.59." in page
    assert "Violence or a threat in which someone was injured" in page
    assert "The purchasing county, its lead social-care official and the supervisory authority must be notified" in page
    assert law.SECTION_28 in page
    block = home.split('data-block="statutory"', 1)[1].split("</section>", 1)[0]
    assert d.number in block and "by 10.3.2026 23.59" in block


# --- Recipients: the handler chooses, the choice is recorded -------------------------------------


@pytest.fixture
def second_county(unit_a):
    other = WellbeingCountyFactory(name="Kanta-Hämeen hyvinvointialue")
    unit_a.counties.add(other)
    return other


def test_with_several_counties_none_is_chosen_for_the_handler(client, employee_a, supervisor_a, unit_a, county, second_county, authority):
    d = submit(employee_a, unit_a, kind="grievance")
    client.force_login(supervisor_a)
    page = client.get(reverse("deviations:notify", args=[d.pk])).content.decode()

    boxes = [part.split(">", 1)[0] for part in page.split('name="counties"')[1:]]
    assert len(boxes) == 2
    assert not any("checked" in box for box in boxes)
    # A § 29 grievance goes to the authority only by an escalation.
    assert 'name="notify_authority"' not in page

    response = client.post(reverse("deviations:notify", args=[d.pk]), {"subject": "Epäkohta", "body": "Teksti."})
    assert response.status_code == 200
    assert "Choose at least one recipient." in response.content.decode()
    assert not StatutoryNotification.objects.exists()


def test_the_only_county_of_the_unit_is_chosen_in_advance(client, employee_a, supervisor_a, unit_a, county):
    d = submit(employee_a, unit_a, kind="grievance")
    client.force_login(supervisor_a)
    page = client.get(reverse("deviations:notify", args=[d.pk])).content.decode()

    box = page.split('name="counties"', 1)[1].split(">", 1)[0]
    assert f'value="{county.pk}"' in box and "checked" in box


def test_only_the_chosen_county_is_notified_and_the_choice_is_recorded(
    employee_a, supervisor_a, unit_a, county, second_county
):
    d = submit(employee_a, unit_a, kind="grievance")

    sent = services.deviation_notify_county(
        actor=supervisor_a, deviation=d, counties=[second_county], subject="Epäkohta", body="Teksti."
    )

    assert {n.recipient_email for n in sent} == {second_county.notification_email, second_county.lead_official_email}
    assert all(n.legal_basis == law.SECTION_29 for n in sent)
    event = AuditEvent.objects.get(target_id=d.pk, verb="deviation.county_notified")
    assert event.data["counties"] == [second_county.name]
    assert event.data["not_chosen"] == [county.pk]


def test_a_county_of_another_unit_cannot_be_chosen(employee_a, supervisor_a, unit_a):
    stranger = WellbeingCountyFactory(name="Lapin hyvinvointialue")
    d = submit(employee_a, unit_a, kind="grievance")

    with pytest.raises(ValidationError) as exc:
        services.deviation_notify_county(actor=supervisor_a, deviation=d, counties=[stranger], subject="S", body="B")

    assert exc.value.message_dict == {"counties": ["Choose among the unit's purchasing counties."]}


def test_a_serious_event_is_notified_to_the_county_and_the_authority_in_time(
    client, employee_a, supervisor_a, unit_a, county, authority
):
    with time_machine.travel(MORNING, tick=False):
        d = violence_with_injury(employee_a, unit_a)
        client.force_login(supervisor_a)
        page = client.get(reverse("deviations:notify", args=[d.pk])).content.decode()
        # The authority is offered and ticked: the law names it for a serious event.
        box = page.split('name="notify_authority"', 1)[1].split(">", 1)[0]
        assert "checked" in box
        assert authority.email in page and "Legal basis: Sote-valvontalaki (741/2023) 28 §" in page
    with time_machine.travel(MORNING + dt.timedelta(hours=3), tick=False):
        response = client.post(
            reverse("deviations:notify", args=[d.pk]),
            {"counties": [str(county.pk)], "notify_authority": "on", "subject": "Vakava tilanne", "body": "Teksti."},
        )
    assert response.status_code == 302

    d.refresh_from_db()
    assert d.notification_done_at == MORNING + dt.timedelta(hours=3) and not d.notification_is_late
    sent = StatutoryNotification.objects.filter(deviation=d)
    assert {(n.recipient_kind, n.purpose, n.legal_basis) for n in sent} == {
        (NotificationRecipient.COUNTY, NotificationPurpose.NOTIFICATION, law.SECTION_28),
        (NotificationRecipient.LEAD_OFFICIAL, NotificationPurpose.NOTIFICATION, law.SECTION_28),
        (NotificationRecipient.AUTHORITY, NotificationPurpose.NOTIFICATION, law.SECTION_28),
    }
    completed = AuditEvent.objects.get(target_id=d.pk, verb="deviation.notification_completed")
    assert completed.data["late"] is False
    labels = [e.label for e in selectors.deviation_timeline(actor=supervisor_a, deviation=d)]
    assert "Supervisory authority notified" in labels and "Statutory notifications completed in time" in labels
    # A § 28 notification to the authority is not an escalation: one can still follow.
    assert services.authority_escalation_refusal(d) != "This report has already been escalated to the supervisory authority."


def test_the_county_alone_leaves_the_clock_running_and_the_report_open(employee_a, supervisor_a, unit_a, county, authority):
    d = violence_with_injury(employee_a, unit_a)
    services.deviation_notify_county(actor=supervisor_a, deviation=d, counties=[county], subject="S", body="B")
    services.deviation_answer(actor=supervisor_a, deviation=d, answer="Vastaus.")

    d.refresh_from_db()
    assert d.notification_done_at is None
    assert services.statutory_missing(d) == [NotificationRecipient.AUTHORITY]
    with pytest.raises(ValidationError) as exc:
        handling_questions_answered(supervisor_a, d)
        services.deviation_close(actor=supervisor_a, deviation=d)
    assert exc.value.messages == ["Notify the supervisory authority: the law requires it (Sote-valvontalaki (741/2023) 28 §)."]


def test_a_grievance_cannot_be_sent_to_the_authority_as_a_notification(employee_a, supervisor_a, unit_a, county, authority):
    d = submit(employee_a, unit_a, kind="grievance")

    with pytest.raises(ValidationError) as exc:
        services.deviation_notify_county(
            actor=supervisor_a, deviation=d, counties=[county], notify_authority=True, subject="S", body="B"
        )

    assert "notify_authority" in exc.value.message_dict


# --- Late: recorded once, alerted, on the directors' pages and in the follow-up report ---------------


def test_a_missed_deadline_is_recorded_once_and_alerted_to_the_directors(
    client, employee_a, supervisor_a, responsible_a, regional_director_a, quality_director, unit_a
):
    with time_machine.travel(MORNING, tick=False):
        d = violence_with_injury(employee_a, unit_a)
        assert services.deviations_statutory_clock_check() == 0  # not late yet
    next_morning = MORNING + dt.timedelta(days=1)
    with time_machine.travel(next_morning, tick=False):
        assert services.deviations_statutory_clock_check() == 1
        assert services.deviations_statutory_clock_check() == 0  # once

    d.refresh_from_db()
    assert d.notification_late_at == next_morning and d.notification_is_late
    late = Notification.objects.filter(kind="deviation.notification_late")
    assert {n.recipient_id for n in late} == {supervisor_a.pk, responsible_a.pk, regional_director_a.pk, quality_director.pk}
    assert AuditEvent.objects.filter(target_id=d.pk, verb="deviation.notification_late").count() == 1

    with time_machine.travel(next_morning, tick=False):
        client.force_login(quality_director)
        home = client.get(reverse("home")).content.decode()
    block = home.split('data-block="statutory"', 1)[1].split("</section>", 1)[0]
    assert "Late in the units you oversee" in block and d.number in block


def test_the_follow_up_report_counts_notifications_in_time_late_and_missing(
    employee_a, supervisor_a, quality_director, unit_a, county, authority
):
    from omavalvonta.plans.followup import compile_figures

    def notify(d):
        services.deviation_notify_county(
            actor=supervisor_a, deviation=d, counties=[county], notify_authority=True, subject="S", body="B"
        )

    with time_machine.travel(MORNING, tick=False):
        in_time = violence_with_injury(employee_a, unit_a)
        notify(in_time)
        late = violence_with_injury(employee_a, unit_a)
        violence_with_injury(employee_a, unit_a)  # never notified
    with time_machine.travel(MORNING + dt.timedelta(days=2), tick=False):
        notify(late)
        figures = compile_figures(
            actor=quality_director, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 4, 30)
        )

    assert figures["notifications"]["clock"] == {"total": 3, "in_time": 1, "late": 1, "missing": 1}
    assert AuditEvent.objects.get(target_id=late.pk, verb="deviation.notification_completed").data["late"] is True


def test_a_region_s_director_sees_no_late_notification_of_another_region(employee_a, supervisor_a, unit_b, supervisor_b):
    director_b = member(Role.REGIONAL_DIRECTOR, region=unit_b.region, full_name="Bertta B", email="bertta@example.fi")
    with time_machine.travel(MORNING, tick=False):
        violence_with_injury(employee_a, supervisor_a.memberships.first().unit)
    with time_machine.travel(MORNING + dt.timedelta(days=1), tick=False):
        assert home.statutory_clock_home_items(actor=director_b) is None
        assert Deviation.objects.count() == 1
