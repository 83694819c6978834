"""Signed-in sessions: a person sees theirs and ends the others; an
administrator signs a person out everywhere; deactivation ends every session."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from omavalvonta.core.models import AuditEvent
from omavalvonta.organisation import services, sessions
from omavalvonta.organisation.models import SignInSession

pytestmark = pytest.mark.django_db

PHONE_UA = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
DESKTOP_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


def signed_in(user, password, ua):
    """A browser that signed in through the real sign-in page."""
    browser = Client(HTTP_USER_AGENT=ua)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = browser.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return browser


def test_a_sign_in_is_recorded_and_a_sign_out_forgets_it(employee_a, password):
    phone = signed_in(employee_a, password, PHONE_UA)
    record = SignInSession.objects.get(user=employee_a)
    assert sessions.device_label(record.user_agent) == "Chrome, Android"
    assert Session.objects.filter(session_key=record.session_key).exists()
    phone.post(reverse("account_logout"))
    assert not SignInSession.objects.filter(user=employee_a).exists()


def test_a_person_sees_their_sessions_and_ends_the_other(employee_a, password):
    phone = signed_in(employee_a, password, PHONE_UA)
    desktop = signed_in(employee_a, password, DESKTOP_UA)
    page = desktop.get(reverse("my_sessions")).content.decode()
    assert "Chrome, Android" in page and "Firefox, Windows" in page and "This device" in page
    phone_record = SignInSession.objects.get(user_agent=PHONE_UA)
    assert phone_record.session_key not in page  # the key is a secret: never in a page
    desktop.post(reverse("my_session_end", args=[phone_record.pk]))
    assert not SignInSession.objects.filter(pk=phone_record.pk).exists()
    # The phone is signed out on its next request; the desktop stays signed in.
    assert phone.get(reverse("my_sessions")).status_code == 302
    assert desktop.get(reverse("my_sessions")).status_code == 200
    assert AuditEvent.objects.filter(verb="person.session_ended", actor=employee_a).exists()


def test_the_session_in_use_and_others_sessions_cannot_be_ended_from_here(employee_a, colleague_a, password):
    own = signed_in(employee_a, password, DESKTOP_UA)
    signed_in(colleague_a, password, PHONE_UA)
    theirs = SignInSession.objects.get(user=colleague_a)
    mine = SignInSession.objects.get(user=employee_a)
    response = own.post(reverse("my_session_end", args=[theirs.pk]), follow=True)
    assert "already ended" in response.content.decode() and SignInSession.objects.filter(pk=theirs.pk).exists()
    own.post(reverse("my_session_end", args=[mine.pk]))
    assert own.get(reverse("my_sessions")).status_code == 200  # still signed in


def test_end_all_other_sessions(employee_a, password):
    first = signed_in(employee_a, password, PHONE_UA)
    signed_in(employee_a, password, PHONE_UA)
    keep = signed_in(employee_a, password, DESKTOP_UA)
    response = keep.post(reverse("my_sessions_end_others"), follow=True)
    assert "2 other sessions were ended." in response.content.decode()
    assert SignInSession.objects.filter(user=employee_a).count() == 1
    assert first.get(reverse("my_sessions")).status_code == 302


def test_an_administrator_signs_a_person_out_everywhere_and_sees_failed_sign_ins(client, administrator, employee_a, password):
    phone = signed_in(employee_a, password, PHONE_UA)
    stranger = Client()
    stranger.post(reverse("account_login"), {"login": employee_a.email, "password": "wrong-password-1"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(administrator)
    page = client.get(reverse("organisation:person_detail", args=[employee_a.pk])).content.decode()
    assert "1 session" in page and "Sign out everywhere" in page
    response = client.post(reverse("organisation:person_sessions_end", args=[employee_a.pk]), follow=True)
    assert "1 session of" in response.content.decode()
    assert phone.get(reverse("my_sessions")).status_code == 302
    assert AuditEvent.objects.filter(verb="person.sessions_ended", actor=administrator).exists()


def test_failed_sign_ins_are_counted(settings, employee_a):
    settings.AXES_ENABLED = True
    for _ in range(2):
        Client().post(reverse("account_login"), {"login": employee_a.email, "password": "wrong-password-1"})
    assert sessions.failed_sign_ins(person=employee_a) == 2


def test_deactivating_a_person_ends_their_sessions_at_once(administrator, employee_a, password):
    phone = signed_in(employee_a, password, PHONE_UA)
    services.person_update(actor=administrator, person=employee_a, is_active=False)
    assert not SignInSession.objects.filter(user=employee_a).exists()
    assert phone.get(reverse("my_sessions")).status_code == 302


def test_only_administrators_end_someone_elses_sessions(client, supervisor_a, employee_a, password):
    signed_in(employee_a, password, PHONE_UA)
    client.force_login(supervisor_a)
    assert client.post(reverse("organisation:person_sessions_end", args=[employee_a.pk])).status_code == 403
    assert SignInSession.objects.filter(user=employee_a).exists()
