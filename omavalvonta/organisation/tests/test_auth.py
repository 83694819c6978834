"""Signing in: e-mail and password through allauth, no self-service sign-up,
django-axes lockout, and the second factor required of privileged roles."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.cache import cache
from django.urls import reverse

from omavalvonta.organisation.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    # allauth counts failed logins in the cache; one test's failures must not
    # leak into the next.
    cache.clear()
    yield
    cache.clear()


def sign_in(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


# --- E-mail and password ----------------------------------------------------------------------------


def test_the_sign_in_page_is_ours_and_offers_no_sign_up(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html and "css/app.css" in html
    assert 'class="form card auth-card"' in html
    assert reverse("account_signup") not in html


def test_signing_in_with_email_and_password_works(client, employee_a, password):
    response = sign_in(client, employee_a.email, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(employee_a.pk)


def test_the_email_address_is_not_case_sensitive(client, employee_a, password):
    response = sign_in(client, employee_a.email.upper(), password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(employee_a.pk)


def test_a_wrong_password_is_refused_with_a_message(client, employee_a):
    response = sign_in(client, employee_a.email, "väärä-salasana-123")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors()


def test_a_deactivated_person_cannot_sign_in(client, employee_a, password):
    employee_a.is_active = False
    employee_a.save(update_fields=["is_active"])
    sign_in(client, employee_a.email, password)
    assert "_auth_user_id" not in client.session


def test_signing_out_needs_a_post(client, employee_a):
    client.force_login(employee_a)
    client.get(reverse("account_logout"))
    assert client.session.get("_auth_user_id") == str(employee_a.pk)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_sign_up_is_closed(client, organisation):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "account/signup_closed.html" in [t.name for t in response.templates]
    client.post(
        reverse("account_signup"),
        {"email": "tulokas@omavalvonta.example", "password1": "Tulokas-salasana-2026"},
    )
    assert not User.objects.filter(email="tulokas@omavalvonta.example").exists()


def test_pages_need_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- Lockout (django-axes) ------------------------------------------------------------------------------


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    return settings


def test_repeated_failures_lock_the_sign_in(client, axes_on, employee_a, password):
    limit = axes_on.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert sign_in(client, employee_a.email, "väärä-salasana-123").status_code == 200
    locked = sign_in(client, employee_a.email, "väärä-salasana-123")
    assert locked.status_code == 429
    assert "account/lockout.html" in [t.name for t in locked.templates]
    minutes = round(axes_on.AXES_COOLOFF_TIME * 60)
    assert f"{minutes} minutes" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    cache.clear()  # (allauth's own rate limit would answer first otherwise)
    assert sign_in(client, employee_a.email, password).status_code == 429
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_do_not_lock(client, axes_on, employee_a, password):
    for _ in range(axes_on.AXES_FAILURE_LIMIT - 1):
        sign_in(client, employee_a.email, "väärä-salasana-123")
    assert sign_in(client, employee_a.email, password).status_code == 302


def test_a_lock_on_one_address_does_not_lock_colleagues_on_the_same_network(
    client, axes_on, employee_a, colleague_a, password
):
    for _ in range(axes_on.AXES_FAILURE_LIMIT):
        sign_in(client, employee_a.email, "väärä-salasana-123")
    cache.clear()
    assert sign_in(client, colleague_a.email, password).status_code == 302


# --- The second factor for privileged roles -----------------------------------------------------------------


@pytest.fixture
def mfa_required(settings):
    settings.REQUIRE_MFA_FOR_PRIVILEGED = True
    return settings


def test_a_director_without_an_authenticator_is_sent_to_activate_one(client, mfa_required, quality_director):
    client.force_login(quality_director)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_an_administrator_without_an_authenticator_is_sent_to_activate_one(client, mfa_required, administrator):
    client.force_login(administrator)
    response = client.get(reverse("organisation:admin_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_activation_pages_stay_reachable_for_them(client, mfa_required, quality_director):
    client.force_login(quality_director)
    assert client.get(reverse("mfa_index")).status_code == 200


def test_an_employee_is_not_asked_for_a_second_factor(client, mfa_required, employee_a):
    client.force_login(employee_a)
    assert client.get(reverse("home")).status_code == 200


def test_a_director_who_entered_the_code_passes(client, mfa_required, quality_director, password):
    secret = generate_totp_secret()
    TOTP.activate(quality_director, secret)
    assert Authenticator.objects.filter(user=quality_director, type=Authenticator.Type.TOTP).exists()
    sign_in(client, quality_director.email, password)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get(reverse("home")).status_code == 200


def test_nobody_is_redirected_when_the_requirement_is_off(client, settings, quality_director):
    settings.REQUIRE_MFA_FOR_PRIVILEGED = False
    client.force_login(quality_director)
    assert client.get(reverse("home")).status_code == 200


def test_a_person_with_totp_is_asked_for_the_code_after_the_password(client, quality_director, password):
    TOTP.activate(quality_director, generate_totp_secret())
    response = sign_in(client, quality_director.email, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200
    assert 'class="site-header"' in page.content.decode()


def test_users_cannot_add_sign_in_addresses_of_their_own(client, employee_a):
    client.force_login(employee_a)
    assert client.get("/accounts/email/").status_code == 404
    assert client.post("/accounts/email/", {"email": "toinen@example.com", "action_add": ""}).status_code == 404
