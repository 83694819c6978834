"""Orientation (perehdytys): a supervisor starts a newcomer's orientation from
the role's card with a main mentor; the mentor ticks, the newcomer acknowledges;
late items are reminded to the mentor and escalated to the unit's leaders once
each (two workers); a leaver's orientation ends and their mentor duties pass to
the supervisor; the card is versioned; the evaluation closes it and a finding
becomes an improvement action. Bad input gives a Finnish message, never a 500."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core.models import AccessLogEntry
from omavalvonta.improvement.models import Action
from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Membership, Role
from omavalvonta.organisation.services import membership_remove, person_update
from omavalvonta.people import orientation_selectors as oselectors, services
from omavalvonta.people.models import (
    CardItem,
    Orientation,
    OrientationCard,
    OrientationItem,
    OrientationState,
)
from omavalvonta.people.orientation_defaults import ensure_default_cards
from omavalvonta.testing.factories import member
from omavalvonta.yearclock import duties
from omavalvonta.yearclock.models import DutyNotice, NoticeKind

pytestmark = pytest.mark.django_db

START = dt.date(2026, 3, 2)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _cards(db, settings):
    ensure_default_cards()
    settings.LANGUAGE_CODE = "fi"  # the messages are checked in Finnish


@pytest.fixture
def newcomer(unit_a):
    return member(Role.EMPLOYEE, unit=unit_a, full_name="Nea Uusi", email="nea@omavalvonta.example")


@pytest.fixture
def started(time_machine, supervisor_a, unit_a, newcomer, colleague_a):
    time_machine.move_to(at(START), tick=False)
    return services.orientation_start(
        actor=supervisor_a, unit=unit_a, newcomer=newcomer, role="hourly", mentor=colleague_a, started_on=START
    )


def items(orientation):
    return list(orientation.items.select_related("card_item", "orientation__unit"))


def test_starting_makes_the_checklist_from_the_roles_card(started, colleague_a, newcomer):
    card = OrientationCard.objects.get(for_role="hourly", version=1)
    assert started.card == card and started.mentor == colleague_a
    rows = items(started)
    assert len(rows) == card.items.count() > 10
    assert {r.due_on for r in rows} == {START, START + dt.timedelta(days=7), START + dt.timedelta(days=30)}
    assert any(r.card_item.text == "Yksikön omavalvontasuunnitelma luettu" and r.card_item.needs_ack for r in rows)
    # Both hear of it; no child is named.
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {colleague_a.pk, newcomer.pk}


def test_the_mentor_ticks_and_the_newcomer_acknowledges(started, colleague_a, newcomer, supervisor_a, unit_a):
    plan = next(i for i in items(started) if i.card_item.text.startswith("Yksikön omavalvontasuunnitelma"))
    services.item_tick(actor=colleague_a, item=plan)
    assert not OrientationItem.objects.get(pk=plan.pk).done  # waits for the acknowledgement
    services.item_acknowledge(actor=newcomer, item=plan)
    assert OrientationItem.objects.get(pk=plan.pk).done
    [row] = oselectors.unit_orientations(actor=supervisor_a, unit=unit_a)
    assert (row.n_done, row.n_items) == (1, len(items(started)))


def test_the_newcomer_sees_their_own_and_the_mentor_theirs_on_the_home_page(started, newcomer, colleague_a, client):
    client.force_login(newcomer)
    page = client.get(reverse("home")).content.decode()
    assert 'data-block="orientation"' in page and "Oma perehdytykseni" in page
    client.force_login(colleague_a)
    page = client.get(reverse("home")).content.decode()
    assert "Perehdytän: Nea Uusi" in page


# --- Failure paths: Finnish messages, never a 500 ---------------------------------------------------


def _start(client, unit, **data):
    return client.post(reverse("people:orientation_new", args=[unit.pk]), data)


def test_bad_dates_and_people_are_refused_in_finnish(started, client, supervisor_a, unit_a, colleague_a, employee_a, supervisor_b):
    client.force_login(supervisor_a)
    base = {"newcomer": employee_a.pk, "role": "hourly", "mentor": colleague_a.pk, "started_on": "2026-03-02"}
    page = _start(client, unit_a, **{**base, "started_on": "2026-13-45"})
    assert page.status_code == 200 and "päivämäärä" in page.content.decode().lower()
    page = _start(client, unit_a, **{**base, "started_on": "2027-03-02"})
    assert "Aloituspäivä voi olla enintään kolmen kuukauden päässä." in page.content.decode()
    page = _start(client, unit_a, **{**base, "mentor": supervisor_b.pk})
    assert "Perehdyttäjän on oltava yksikön henkilöstöä." in page.content.decode()
    page = _start(client, unit_a, **{**base, "mentor": employee_a.pk})
    assert "Perehdytettävä ei voi olla oma perehdyttäjänsä." in page.content.decode()
    # What was typed stays.
    assert 'value="2026-03-02"' in page.content.decode()
    assert Orientation.objects.count() == 1


def test_the_service_refuses_a_mentor_outside_the_unit(started, supervisor_a, unit_a, employee_a, supervisor_b):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.orientation_start(actor=supervisor_a, unit=unit_a, newcomer=employee_a, role="hourly",
                                   mentor=supervisor_b, started_on=START)
    assert "mentor" in refused.value.message_dict


def test_ticking_someone_elses_orientation_is_refused(started, client, newcomer, employee_a, supervisor_b):
    item = items(started)[0]
    url = reverse("people:orientation", args=[started.pk])
    # Another member of the unit, not involved: the orientation is unknown to them.
    client.force_login(employee_a)
    assert client.post(url, {"item": item.pk, "step": "tick"}).status_code == 404
    client.force_login(supervisor_b)
    assert client.post(url, {"item": item.pk, "step": "tick"}).status_code == 404
    # The newcomer ticks nothing: a message in Finnish.
    client.force_login(newcomer)
    page = client.post(url, {"item": item.pk, "step": "tick"}, follow=True)
    assert page.status_code == 200
    assert "Perehdyttäjäsi kuittaa kohdat" in page.content.decode()
    # An item of another orientation, or nonsense: a message, no 500.
    page = client.post(url, {"item": "x", "step": "ack"}, follow=True)
    assert page.status_code == 200 and "Kohtaa ei löytynyt" in page.content.decode()
    assert not OrientationItem.objects.filter(ticked_at__isnull=False).exists()


def test_a_person_sees_their_own_orientation_and_reading_it_is_logged(started, client, newcomer, supervisor_a):
    url = reverse("people:orientation", args=[started.pk])
    for who in (newcomer, supervisor_a):
        client.force_login(who)
        assert client.get(url).status_code == 200
    logged = AccessLogEntry.objects.filter(what="competence.orientation").values_list("actor_id", flat=True)
    assert set(logged) == {newcomer.pk, supervisor_a.pk}


# --- Late items: reminded and escalated once each ----------------------------------------------------


def test_late_items_are_reminded_to_the_mentor_and_escalated_once(started, time_machine, colleague_a, supervisor_a):
    time_machine.move_to(at(START), tick=False)
    Notification.objects.all().delete()
    sent = duties.duties_remind_and_escalate(now=at(START))
    first_shift = [n for n in Notification.objects.filter(kind="duty.reminder")]
    assert sent == 1 and [n.recipient_id for n in first_shift] == [colleague_a.pk]
    assert "Nea Uusi" in first_shift[0].subject
    time_machine.move_to(at(START + dt.timedelta(days=1)), tick=False)
    duties.duties_remind_and_escalate(now=at(START + dt.timedelta(days=1)))
    assert list(Notification.objects.filter(kind="duty.late").values_list("recipient_id", flat=True)) == [supervisor_a.pk]
    # Again: nothing new.
    before = Notification.objects.count()
    assert duties.duties_remind_and_escalate(now=at(START + dt.timedelta(days=2))) == 0
    assert Notification.objects.count() == before


def test_two_workers_claim_each_orientation_reminder_once(started, time_machine):
    time_machine.move_to(at(START), tick=False)
    [duty] = oselectors.orientation_duties(today=START)
    people = duties._People([duty])
    unit = people.units[duty.unit_id]
    first = duties._send(duty, NoticeKind.REMINDER, people.reminded(duty), unit, at(START))
    second = duties._send(duty, NoticeKind.REMINDER, people.reminded(duty), unit, at(START))
    assert first == 1 and second == 0
    assert DutyNotice.objects.filter(key=duty.key).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL only")
def test_two_workers_side_by_side_send_each_orientation_notice_once(started, time_machine):
    from omavalvonta.testing.concurrency import run_side_by_side

    time_machine.move_to(at(START + dt.timedelta(days=1)), tick=False)
    Notification.objects.all().delete()
    results = run_side_by_side(duties.duties_remind_and_escalate)
    assert sum(results) == 2  # the mentor's reminder and the supervisor's escalation
    assert DutyNotice.objects.count() == 2


def test_ticked_items_are_not_reminded(started, time_machine, colleague_a):
    for item in items(started):
        if item.due_on == START:
            services.item_tick(actor=colleague_a, item=item)
    assert oselectors.orientation_duties(today=START) == []


# --- People leave ----------------------------------------------------------------------------------


def test_ending_the_mentors_membership_passes_the_duties_to_the_supervisor(started, administrator, colleague_a, supervisor_a):
    [membership] = Membership.objects.filter(user=colleague_a)
    membership_remove(actor=administrator, membership=membership)
    started.refresh_from_db()
    assert started.mentor == supervisor_a and started.state == OrientationState.OPEN
    assert [d.owner_id for d in oselectors.orientation_duties(today=START)] == [supervisor_a.pk]


def test_a_leaving_newcomers_orientation_ends_and_is_kept(started, administrator, newcomer):
    [membership] = Membership.objects.filter(user=newcomer)
    membership_remove(actor=administrator, membership=membership)
    started.refresh_from_db()
    assert started.state == OrientationState.ENDED and started.ended_on is not None
    assert started.items.count() > 0  # records stay
    assert oselectors.orientation_duties(today=START + dt.timedelta(days=40)) == []


def test_a_deactivated_mentor_hands_over_too(started, administrator, colleague_a, supervisor_a):
    person_update(actor=administrator, person=colleague_a, is_active=False)
    started.refresh_from_db()
    assert started.mentor == supervisor_a


# --- The card, the evaluation ----------------------------------------------------------------------


def test_the_quality_director_publishes_a_new_version_and_used_orientations_keep_theirs(started, quality_director, client):
    client.force_login(quality_director)
    client.post(reverse("people:cards"), {"role": "hourly"})
    draft = OrientationCard.objects.get(for_role="hourly", version=2)
    assert draft.is_draft and draft.items.count() == started.card.items.count()
    url = reverse("people:card", args=[draft.pk])
    page = client.post(url, {"step": "add", "theme": "systems", "text": "", "target_day": "400"})
    assert "Kirjoita kohta suomeksi." in page.content.decode()
    client.post(url, {"step": "add", "theme": "systems", "text": "Vuorolistajärjestelmä", "target_day": "7"})
    client.post(url, {"step": "publish"})
    draft.refresh_from_db()
    assert not draft.is_draft and oselectors.card_current("hourly") == draft
    started.refresh_from_db()
    assert started.card.version == 1
    assert not CardItem.objects.filter(card=started.card, text="Vuorolistajärjestelmä").exists()


def test_only_the_quality_director_edits_cards(client, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get(reverse("people:cards")).status_code == 200
    assert client.post(reverse("people:cards"), {"role": "hourly"}).status_code == 403


def test_the_evaluation_closes_it_and_a_finding_becomes_an_action(started, client, newcomer, colleague_a, supervisor_a):
    for item in items(started):
        services.item_tick(actor=colleague_a, item=item)
        if item.card_item.needs_ack:
            services.item_acknowledge(actor=newcomer, item=item)
    url = reverse("people:orientation_evaluate", args=[started.pk])
    client.force_login(newcomer)
    page = client.post(url, {"score": "9", "text": ""})
    assert page.status_code == 200 and "Anna arvosana 1–5." in page.content.decode()
    for who, text in ((newcomer, "Hyvä"), (colleague_a, "Sujui"), (supervisor_a, "Lääkehoito-osuus liian lyhyt")):
        client.force_login(who)
        assert client.post(url, {"score": "4", "text": text}).status_code == 302
    started.refresh_from_db()
    assert started.state == OrientationState.DONE
    evaluation = started.evaluations.get(by_role="supervisor")
    page = client.post(
        reverse("people:evaluation_action", args=[started.pk, evaluation.pk]),
        {"title": "Pidennetään lääkehoidon perehdytystä", "owner": supervisor_a.pk,
         "due_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat()},
    )
    assert page.status_code == 302
    action = Action.objects.get()
    evaluation.refresh_from_db()
    assert evaluation.action_id == action.pk and action.unit_id == started.unit_id


def test_evaluating_before_every_item_is_done_is_refused(started, client, newcomer):
    client.force_login(newcomer)
    page = client.post(reverse("people:orientation_evaluate", args=[started.pk]), {"score": "4", "text": "x"})
    assert page.status_code == 200 and "kun kaikki kohdat on käyty" in page.content.decode()


# --- The unit's pages and the directors' counts -------------------------------------------------------


def test_the_units_list_does_not_grow_in_queries(started, client, supervisor_a, unit_a, django_assert_max_num_queries):
    client.force_login(supervisor_a)
    url = reverse("people:orientations", args=[unit_a.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    for _n in range(4):
        someone = member(Role.EMPLOYEE, unit=unit_a)
        services.orientation_start(actor=supervisor_a, unit=unit_a, newcomer=someone, role="student",
                                   mentor=supervisor_a, started_on=START)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("data-orientation=") == 5


def test_the_competence_page_and_the_directors_counts_show_orientations(
    started, client, supervisor_a, unit_a, regional_director_a, time_machine
):
    time_machine.move_to(at(START + dt.timedelta(days=10)), tick=False)
    client.force_login(supervisor_a)
    page = client.get(reverse("people:unit", args=[unit_a.pk])).content.decode()
    assert f'data-orientation="{started.pk}"' in page and "Nea Uusi" in page
    client.force_login(regional_director_a)
    page = client.get(reverse("people:overview")).content.decode()
    assert "Nea Uusi" not in page and "data-orientations" in page and "1 perehdytys myöhässä" in page


def test_a_findings_action_with_a_past_due_date_is_refused_in_finnish(started, client, newcomer, colleague_a, supervisor_a):
    for item in items(started):
        services.item_tick(actor=colleague_a, item=item)
        if item.card_item.needs_ack:
            services.item_acknowledge(actor=newcomer, item=item)
    evaluation = services.evaluation_save(actor=supervisor_a, orientation=started, score=2, text="Liian kiireinen")
    client.force_login(supervisor_a)
    url = reverse("people:evaluation_action", args=[started.pk, evaluation.pk])
    page = client.post(url, {"title": "Lisää aikaa perehdytykseen", "owner": supervisor_a.pk, "due_date": "2020-01-01"})
    assert page.status_code == 200 and "Lisää aikaa perehdytykseen" in page.content.decode()
    assert "menneisyydessä" in page.content.decode() or "mennyt" in page.content.decode()
    assert not Action.objects.exists()
    # An evaluation given twice: a message, not a second row.
    client.force_login(supervisor_a)
    page = client.post(reverse("people:orientation_evaluate", args=[started.pk]), {"score": "3", "text": "Uudestaan"})
    assert page.status_code == 200 and "Arviosi on jo kirjattu." in page.content.decode()


def test_a_leaving_mentor_with_nobody_to_take_over_is_not_reminded(time_machine, unit_a, administrator):
    time_machine.move_to(at(START), tick=False)
    leader = member(Role.RESPONSIBLE_PERSON, unit=unit_a)
    mentor, newcomer = member(Role.EMPLOYEE, unit=unit_a), member(Role.EMPLOYEE, unit=unit_a)
    orientation = services.orientation_start(
        actor=leader, unit=unit_a, newcomer=newcomer, role="agency", mentor=leader, started_on=START
    )
    orientation.mentor = mentor
    orientation.save(update_fields=["mentor"])
    [leadership] = Membership.objects.filter(user=leader)
    membership_remove(actor=administrator, membership=leadership)  # nobody leads the unit now
    [membership] = Membership.objects.filter(user=mentor)
    membership_remove(actor=administrator, membership=membership)
    orientation.refresh_from_db()
    assert orientation.mentor == mentor  # nobody to pass it to: kept, but the mentor is no longer reminded
    assert [d.owner_id for d in oselectors.orientation_duties(today=START)] == [None]


def test_removing_a_card_item_that_is_not_there_is_a_message(quality_director, client):
    client.force_login(quality_director)
    client.post(reverse("people:cards"), {"role": "student"})
    draft = OrientationCard.objects.get(for_role="student", version=2)
    for junk in ("x", "999999", "-1"):
        page = client.post(reverse("people:card", args=[draft.pk]), {"step": "remove", "item": junk}, follow=True)
        assert page.status_code == 200 and "Kohta ei ole enää kortilla." in page.content.decode()


def test_a_draft_cards_item_is_edited_in_place_and_reordered_within_its_theme(quality_director, client):
    client.force_login(quality_director)
    client.post(reverse("people:cards"), {"role": "student"})
    draft = OrientationCard.objects.get(for_role="student", version=2)
    url = reverse("people:card", args=[draft.pk])
    theme = draft.items.values_list("theme", flat=True).first()
    first, second = list(draft.items.filter(theme=theme).order_by("order", "id"))[:2]
    page = client.get(url, {"muokkaa": first.pk}).content.decode()
    assert f'name="item" value="{first.pk}"' in page and first.text in page
    data = {"step": "edit", "item": first.pk, "theme": theme, "text": "Muutettu kohta", "text_sv": "Ändrad punkt",
            "target_day": "3", "needs_ack": "on"}
    assert client.post(url, data).status_code == 302
    first.refresh_from_db()
    assert (first.text, first.text_sv, first.target_day, first.needs_ack) == ("Muutettu kohta", "Ändrad punkt", 3, True)
    page = client.post(url, {**data, "text": "", "target_day": "999"})
    assert page.status_code == 200 and "Kirjoita kohta suomeksi." in page.content.decode()
    client.post(url, {"step": "down", "item": first.pk})
    ordered = list(draft.items.filter(theme=theme).order_by("order", "id").values_list("pk", flat=True))
    assert ordered[:2] == [second.pk, first.pk]
    client.post(url, {"step": "up", "item": first.pk})
    client.post(url, {"step": "up", "item": first.pk})  # at the top already: nothing moves
    ordered = list(draft.items.filter(theme=theme).order_by("order", "id").values_list("pk", flat=True))
    assert ordered[:2] == [first.pk, second.pk]
    page = client.post(url, {"step": "up", "item": "999999"}, follow=True)
    assert "Kohta ei ole enää kortilla." in page.content.decode()


def test_a_published_cards_items_are_not_edited(started, quality_director):
    item = started.card.items.first()
    with pytest.raises(ValidationError):
        services.card_item_edit(actor=quality_director, card=started.card, item_id=item.pk, theme=item.theme,
                                text="x", target_day=1)
    with pytest.raises(ValidationError):
        services.card_item_move(actor=quality_director, card=started.card, item_id=item.pk, up=False)
