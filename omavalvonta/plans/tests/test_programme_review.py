"""The group programme's four-monthly review (issue 21 item 9): recorded even
when nothing changes, reminded to the quality director before it is due,
escalated to the management group once late, and marked on the directors' home
pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Role
from omavalvonta.plans import programme, selectors
from omavalvonta.plans.models import ProgrammeVersion, VersionState
from omavalvonta.testing.factories import member
from omavalvonta.yearclock import duties

pytestmark = pytest.mark.django_db

TEXT = "Omavalvontaohjelma: riskit arvioidaan, poikkeamat käsitellään ja niistä opitaan."


@pytest.fixture
def approved(quality_director):
    programme.programme_draft_save(actor=quality_director, text=TEXT, change_summary="Ensimmäinen versio")
    draft = ProgrammeVersion.objects.get(state=VersionState.DRAFT)
    return programme.programme_approve(actor=quality_director, version=draft)


def _age(version, days):
    ProgrammeVersion.objects.filter(pk=version.pk).update(approved_at=timezone.now() - dt.timedelta(days=days))
    version.refresh_from_db()
    return version


def test_the_review_is_due_four_months_after_the_approval(approved):
    approved_on = timezone.localdate(approved.approved_at)
    due = selectors.programme_review_due(approved)
    assert due.day == approved_on.day or due.month != approved_on.month  # same day four months on (or month's end)
    assert (due - approved_on).days in range(119, 124)
    assert selectors.programme_review_due(None) is None


def test_a_review_without_changes_is_a_new_approved_version_with_the_same_text(approved, quality_director):
    version = programme.programme_review_record(actor=quality_director, note="Käyty läpi johtoryhmässä 3.12.")
    assert (version.number, version.state, version.text, version.is_review_only) == (
        2, VersionState.APPROVED, TEXT, True)
    assert version.change_summary == "Käyty läpi johtoryhmässä 3.12."
    assert selectors.programme_latest_approved() == version
    # The public site shows the same text, now from the reviewed version.
    from omavalvonta.plans.public import programme_current

    assert programme_current().pk == version.pk


def test_the_review_needs_a_note_an_approved_programme_and_no_open_draft(quality_director):
    with pytest.raises(ValidationError) as e:
        programme.programme_review_record(actor=quality_director, note="   ")
    assert "note" in e.value.message_dict
    with pytest.raises(ValidationError):  # nothing approved yet
        programme.programme_review_record(actor=quality_director, note="Katselmoitu")
    programme.programme_draft_save(actor=quality_director, text=TEXT, change_summary="Uusi")
    programme.programme_approve(actor=quality_director, version=ProgrammeVersion.objects.get(state=VersionState.DRAFT))
    programme.programme_draft_save(actor=quality_director, text=TEXT + " Lisäys.", change_summary="Kesken")
    with pytest.raises(ValidationError):  # a draft is open: its approval records the review
        programme.programme_review_record(actor=quality_director, note="Katselmoitu")
    assert ProgrammeVersion.objects.count() == 2


def test_only_who_approves_the_programme_records_its_review(approved, supervisor_a, client):
    with pytest.raises(PermissionDenied):
        programme.programme_review_record(actor=supervisor_a, note="Katselmoitu")
    client.force_login(supervisor_a)
    assert client.post(reverse("plans:programme_review"), {"note": "x"}).status_code in (403, 404)
    assert ProgrammeVersion.objects.count() == 1


def test_the_page_keeps_what_was_typed_when_the_review_is_refused(approved, quality_director, client):
    programme.programme_draft_save(actor=quality_director, text=TEXT + " Lisäys.", change_summary="Kesken")
    client.force_login(quality_director)
    response = client.post(reverse("plans:programme_review"), {"note": "Kävimme läpi"},
                           headers={"accept-language": "fi"})
    # The form is hidden while a draft is open; a stale form posted still gets a clear answer.
    assert response.status_code == 400
    assert "luonnos" in response.content.decode().lower()
    ProgrammeVersion.objects.filter(state=VersionState.DRAFT).delete()
    response = client.post(reverse("plans:programme_review"), {"note": ""}, headers={"accept-language": "fi"})
    assert response.status_code == 400
    assert "Kirjoita, mitä tarkistettiin ja kenen kanssa." in response.content.decode()
    response = client.post(reverse("plans:programme_review"), {"note": "Johtoryhmä 3.12."})
    assert response.status_code == 302
    page = client.get(reverse("plans:programme"), headers={"accept-language": "fi"}).content.decode()
    assert "tarkistettu ilman muutoksia" in page and "Johtoryhmä 3.12." in page


def test_scenario_reminded_once_escalated_once_and_marked_on_the_home_pages(approved, quality_director, client):
    board = member(Role.MANAGEMENT_GROUP, full_name="Johto Ryhmä", email="johto@omavalvonta.example")
    client.force_login(quality_director)
    assert 'data-mark="programme-review"' not in client.get("/").content.decode()  # four months ahead
    _age(approved, 110)  # due in about ten days
    assert duties.duties_remind_and_escalate() == 1
    assert duties.duties_remind_and_escalate() == 0  # a second worker sends nothing
    assert Notification.objects.get(kind="duty.reminder").recipient == quality_director
    home = client.get("/", headers={"accept-language": "fi"}).content.decode()
    assert 'data-mark="programme-review"' in home and "neljän kuukauden tarkistus" in home

    later = timezone.now() + dt.timedelta(days=20)  # ten days late
    assert duties.duties_remind_and_escalate(now=later) == 2
    assert duties.duties_remind_and_escalate(now=later) == 0
    assert {n.recipient for n in Notification.objects.filter(kind="duty.late")} == {board, quality_director}
    block = selectors.followup_home_items(actor=board, today=timezone.localdate(later))
    assert block["programme_review"]["late"] and block["late"] == 1
    assert duties.organisation_duties(actor=board, today=timezone.localdate(later))[0]["late"]
    _age(approved, 130)  # the quality calendar's month page lists it among the organisation-wide duties
    due_page = client.get(reverse("yearclock:due"), headers={"accept-language": "fi"}).content.decode()
    assert 'data-list="organisation-duties"' in due_page and reverse("plans:programme") in due_page
    assert "badge--overdue" in due_page.split('data-list="organisation-duties"')[1]

    # Recording the review moves the next one four months on: nothing late any more.
    programme.programme_review_record(actor=quality_director, note="Ei muutostarpeita.")
    assert selectors.followup_home_items(actor=board, today=timezone.localdate(later)) is None
    assert duties.organisation_duties(actor=quality_director, today=timezone.localdate(later)) == []


@pytest.mark.browser
def test_the_quality_director_records_a_late_review_on_a_phone(phone_page, live_server, approved, quality_director, password):
    from omavalvonta.testing.browser import login, snap

    _age(approved, 130)
    login(phone_page, live_server, quality_director.email, password)
    phone_page.goto(live_server.url + reverse("plans:programme"))
    review = phone_page.locator("[data-section='programme-review']")
    assert "badge--overdue" in review.inner_html()
    review.locator("button[type=submit]").click()  # without a note: refused, nothing lost
    phone_page.wait_for_load_state()
    assert phone_page.locator(".error-summary, [role=alert]").count() >= 1
    phone_page.locator("[data-section='programme-review'] textarea, [data-section='programme-review'] input[name=note]").first.fill(
        "Käyty läpi johtoryhmässä, ei muutoksia.")
    with phone_page.expect_navigation():
        phone_page.locator("[data-section='programme-review'] button[type=submit]").click()
    assert phone_page.locator(".badge", has_text="ilman muutoksia").count() == 1
    assert "badge--overdue" not in phone_page.locator("[data-section='programme-review']").inner_html()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(phone_page, "plans-programme-review-phone")
