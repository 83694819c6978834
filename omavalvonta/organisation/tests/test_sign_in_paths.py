"""Every way in passes the same second factor and the same lockout.

An outside probe signed an administrator in through the Django admin's own
login page with a password alone, and the product let the session in because
an authenticator existed. Now the admin's login only sends to the product's
sign-in, and the middleware asks whether *this session* passed the second
factor. The lockout (django-axes) holds by account and by address on every way
in, and refuses the right password while it lasts."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib import admin
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import PASSWORD, member

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROTECTED = ["/hallinta/", "/hallinta/henkilot/", "/django-admin/", "/"]


@pytest.fixture(autouse=True)
def _mfa_required(settings):
    settings.REQUIRE_MFA_FOR_PRIVILEGED = True
    # allauth's own per-address rate limit would answer some of these requests
    # before the lockout does; the lockout is what is tested here.
    settings.ACCOUNT_RATE_LIMITS = False


@pytest.fixture
def admin_with_totp(organisation):
    person = member(Role.ADMINISTRATOR, full_name="Aki Admin", email="aki@omavalvonta.example")
    person.is_staff = person.is_superuser = True
    person.save(update_fields=["is_staff", "is_superuser"])
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    person.totp_secret = secret
    return person


def code(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def assert_kept_out(client):
    for path in PROTECTED:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(("/accounts/", "/django-admin/login/")), (path, response["Location"])


# --- Which routes are ways in -----------------------------------------------------------------

# Every route under /accounts/ and the Django admin's own account pages, by what
# it can do to a session. A new route fails test_every_way_in_is_classified
# until someone decides (and tests) which kind it is.
SIGNS_IN = {
    "account_login",
    "mfa_authenticate",
    "admin:login",
    # Single sign-on's return (organisation/sso.py; test_sso.py): a verified
    # e-mail of a person who exists, then the same second factor.
    "sso_callback",
    "openid_connect_callback",  # allauth's, at the same address: sso_callback answers
}
NEVER_SIGNS_IN = {
    "sso_login",  # only sends to the identity provider
    "openid_connect_login",
    "socialaccount_signup",  # closed (SocialAccountAdapter)
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_connections",  # switched off (404): identities are linked by verified e-mail only
    "account_signup",  # closed (AccountAdapter)
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",  # ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
    "account_reset_password_from_key_done",
    "account_confirm_email",  # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
    "account_email_verification_sent",
    "account_confirm_login_code",  # ACCOUNT_LOGIN_BY_CODE_ENABLED = False
    "account_inactive",
    "account_logout",
    "admin:logout",
}
NEEDS_A_SIGNED_IN_SESSION = {
    "account_settings",  # the product's own profile page
    "account_email",
    "account_reauthenticate",
    "mfa_reauthenticate",
    "account_change_password",
    "account_set_password",
    "mfa_index",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "admin:password_change",
    "admin:password_change_done",
}


def _routes(patterns=None, namespace=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _routes(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def test_every_way_in_is_classified():
    account_routes = {
        name
        for name, pattern in _routes()
        if name.startswith(("account_", "mfa_", "socialaccount_", "openid_connect_", "sso_"))
        or name in {"admin:login", "admin:logout"}
        or name.startswith("admin:password_change")
    }
    unclassified = account_routes - SIGNS_IN - NEVER_SIGNS_IN - NEEDS_A_SIGNED_IN_SESSION
    assert unclassified == set()
    assert account_routes >= SIGNS_IN


# --- The second factor -----------------------------------------------------------------------------


def test_the_django_admin_login_signs_nobody_in_and_sends_to_the_product_sign_in(client, admin_with_totp):
    page = client.get("/django-admin/login/")
    assert page.status_code == 302
    assert page["Location"].startswith(LOGIN)
    response = client.post(
        "/django-admin/login/?next=/hallinta/", {"username": admin_with_totp.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not signed_in(client)
    assert_kept_out(client)


def test_the_password_alone_does_not_sign_in_a_person_with_an_authenticator(client, admin_with_totp):
    response = client.post(LOGIN, {"login": admin_with_totp.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)
    assert_kept_out(client)
    response = client.post(reverse("mfa_authenticate"), {"code": code(admin_with_totp.totp_secret)})
    assert response.status_code == 302
    assert signed_in(client)
    for path in PROTECTED:
        assert client.get(path).status_code == 200, path


def test_a_session_that_skipped_the_second_factor_is_asked_for_the_code(client, admin_with_totp):
    # force_login stands for any door that skips allauth's steps: an
    # authenticator exists, but this session never entered its code.
    client.force_login(admin_with_totp)
    for path in PROTECTED:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    response = client.post(
        f"{reverse('mfa_reauthenticate')}?next=/hallinta/henkilot/", {"code": code(admin_with_totp.totp_secret)}
    )
    assert response.status_code == 302
    assert client.get("/hallinta/henkilot/").status_code == 200


def test_a_password_reset_link_does_not_sign_in(client, admin_with_totp, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(reverse("account_reset_password"), {"email": admin_with_totp.email})
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new_password = "Uusi-vahva-salasana-2026"
    response = client.post(form.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert not signed_in(client)
    assert_kept_out(client)
    # The new password then works only with the code.
    client.post(LOGIN, {"login": admin_with_totp.email, "password": new_password})
    assert not signed_in(client)


def test_setting_up_the_authenticator_counts_as_the_second_factor(client, organisation):
    person = member(Role.QUALITY_DIRECTOR, full_name="Laura Laatujohtaja", email="laura@omavalvonta.example")
    client.post(LOGIN, {"login": person.email, "password": PASSWORD})
    assert client.get("/").url == reverse("mfa_activate_totp")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": code(secret)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_an_employee_is_not_asked_for_a_code_they_never_set_up(client, unit_a):
    employee = member(Role.EMPLOYEE, unit=unit_a, email="eeva@omavalvonta.example")
    client.post(LOGIN, {"login": employee.email, "password": PASSWORD})
    assert client.get("/").status_code == 200


# --- The lockout -----------------------------------------------------------------------------------


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_ADDRESS_FAILURE_LIMIT = 12
    return settings


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def fail(address, email, times=1):
    for _ in range(times):
        from_address(address).post(LOGIN, {"login": email, "password": "väärä-salasana-123"})


def test_an_account_is_locked_whatever_the_address(axes_on, employee_a):
    for i in range(axes_on.AXES_FAILURE_LIMIT):
        fail(f"198.51.100.{i + 1}", employee_a.email)
    client = from_address("203.0.113.50")
    response = client.post(LOGIN, {"login": employee_a.email, "password": PASSWORD})
    assert response.status_code == 429
    assert not signed_in(client)


def test_an_address_is_locked_whatever_the_account(axes_on, organisation, unit_a):
    people = [member(Role.EMPLOYEE, unit=unit_a, email=f"henkilo{i}@omavalvonta.example") for i in range(13)]
    # One password tried on many accounts: each account stays under its own limit.
    for person in people[:-1]:
        fail("198.51.100.7", person.email)
    spraying = from_address("198.51.100.7")
    response = spraying.post(LOGIN, {"login": people[-1].email, "password": PASSWORD})
    assert response.status_code == 429
    assert not signed_in(spraying)
    # The same person from another address gets in.
    other = from_address("203.0.113.8")
    other.post(LOGIN, {"login": people[-1].email, "password": PASSWORD})
    assert signed_in(other)


def test_a_good_sign_in_does_not_clear_the_address_count(axes_on, organisation, unit_a):
    people = [member(Role.EMPLOYEE, unit=unit_a, email=f"henkilo{i}@omavalvonta.example") for i in range(13)]
    insider = member(Role.EMPLOYEE, unit=unit_a, email="sisapiiri@omavalvonta.example")
    for person in people[:6]:
        fail("198.51.100.9", person.email)
    from_address("198.51.100.9").post(LOGIN, {"login": insider.email, "password": PASSWORD})
    for person in people[6:12]:
        fail("198.51.100.9", person.email)
    response = from_address("198.51.100.9").post(LOGIN, {"login": people[12].email, "password": PASSWORD})
    assert response.status_code == 429


def test_colleagues_behind_one_address_are_not_locked_by_one_persons_typos(axes_on, employee_a, colleague_a):
    fail("192.0.2.10", employee_a.email, times=axes_on.AXES_FAILURE_LIMIT)
    colleague = from_address("192.0.2.10")
    colleague.post(LOGIN, {"login": colleague_a.email, "password": PASSWORD})
    assert signed_in(colleague)


def test_the_lock_holds_on_every_way_in(axes_on, admin_with_totp):
    # A session signed in before the attack began.
    session = from_address("203.0.113.61")
    session.force_login(admin_with_totp)
    for i in range(axes_on.AXES_FAILURE_LIMIT):
        fail(f"198.51.100.{i + 20}", admin_with_totp.email)
    # The Django admin's login page signs nobody in, locked or not.
    client = from_address("203.0.113.60")
    client.post("/django-admin/login/", {"username": admin_with_totp.email, "password": PASSWORD})
    assert not signed_in(client)
    # The product's sign-in refuses the right password.
    assert client.post(LOGIN, {"login": admin_with_totp.email, "password": PASSWORD}).status_code == 429
    assert not signed_in(client)
    # Re-authenticating a session (before a sensitive change) checks the password through the lock too.
    response = session.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 429


# --- The Django admin keeps out of the second factor's secrets ------------------------------------------


def test_authenticators_are_not_in_the_django_admin(client, admin_with_totp):
    assert not admin.site.is_registered(Authenticator)
    client.post(LOGIN, {"login": admin_with_totp.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code(admin_with_totp.totp_secret)})
    assert client.get("/django-admin/").status_code == 200
    assert client.get("/django-admin/mfa/authenticator/").status_code == 404
