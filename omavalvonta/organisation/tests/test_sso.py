"""Single sign-on with Microsoft Entra ID, the whole flow against a stand-in
identity provider served on 127.0.0.1 in the test (testing/oidc_standin.py):
the sign-in button, the authorisation redirect, the code, the token endpoint,
the keys and the id token's claims. Never the internet."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse

from omavalvonta.core.lib.env import entra_providers, sso_form_action_origins
from omavalvonta.organisation.models import Role, User
from omavalvonta.organisation.services import organisation_settings_update
from omavalvonta.testing.factories import PASSWORD, member
from omavalvonta.testing.oidc_standin import CLIENT_ID, CLIENT_SECRET, OidcStandIn

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
SSO_LOGIN = "/accounts/oidc/entra/login/"


@pytest.fixture(autouse=True)
def _mfa_required(settings, client):
    settings.REQUIRE_MFA_FOR_PRIVILEGED = True
    settings.ACCOUNT_RATE_LIMITS = False
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fi"  # Finnish first


@pytest.fixture
def standin(settings):
    with OidcStandIn() as idp:
        settings.SOCIALACCOUNT_PROVIDERS = entra_providers(idp.environ)
        yield idp


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def sso_sign_in(client, idp, claims: dict, *, next_url: str = ""):
    """Press the button, let the stand-in answer (it signs the person in at
    once), and come back to the callback: its response."""
    idp.next_claims = claims
    response = client.post(SSO_LOGIN, {"process": "login", **({"next": next_url} if next_url else {})})
    assert response.status_code == 302, response
    authorize = response["Location"]
    assert authorize.startswith(f"{idp.base}/oauth2/authorize?")
    query = parse_qs(urlsplit(authorize).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"]  # PKCE
    assert "openid" in query["scope"][0].split()
    back = requests.get(authorize, allow_redirects=False, timeout=5)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    assert callback.path == "/accounts/oidc/entra/login/callback/"
    return client.get(f"{callback.path}?{callback.query}")


def code(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def employee(unit_a):
    return member(Role.EMPLOYEE, unit=unit_a, full_name="Eeva Entra", email="eeva.entra@omavalvonta.example")


@pytest.fixture
def director(organisation):
    person = member(Role.QUALITY_DIRECTOR, full_name="Laura Laatu", email="laura.laatu@omavalvonta.example")
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    person.totp_secret = secret
    return person


# --- Linking by a verified work e-mail --------------------------------------------------------------


def test_the_sign_in_page_offers_the_microsoft_account_first_in_finnish(client, standin, organisation):
    page = client.get(LOGIN).content.decode()
    assert f'action="{SSO_LOGIN}"' in page
    assert "Kirjaudu organisaation Microsoft-tilillä" in page
    assert 'name="password"' in page  # passwords still allowed here
    swedish = client.get(LOGIN, headers={"accept-language": "sv"}).content.decode()
    assert "Logga in med organisationens Microsoft-konto" in swedish


def test_no_button_and_no_route_while_single_sign_on_is_not_configured(client, organisation):
    assert 'action="/accounts/oidc/' not in client.get(LOGIN).content.decode()
    assert client.post(SSO_LOGIN, {"process": "login"}).status_code == 404


def test_a_person_is_linked_by_verified_email_and_signed_in(client, standin, employee):
    people = User.objects.count()
    response = sso_sign_in(
        client, standin, {"sub": "entra-eeva", "email": "Eeva.Entra@omavalvonta.example", "email_verified": True}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in(client) and int(client.session["_auth_user_id"]) == employee.pk
    assert client.get("/").status_code == 200
    account = SocialAccount.objects.get(user=employee)
    assert (account.provider, account.uid) == ("entra", "entra-eeva")
    assert User.objects.count() == people
    # The id token's signature was checked against the published keys.
    assert any(path.endswith("/discovery/keys") for path in standin.requests)
    # The next time the link is by the identity (sub), whatever the token's e-mail says.
    client.logout()
    response = sso_sign_in(client, standin, {"sub": "entra-eeva", "email": "other@example.org"})
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == employee.pk
    assert SocialAccount.objects.count() == 1


def test_entra_domain_verified_sign_in_name_links_too(client, standin, employee):
    response = sso_sign_in(
        client, standin, {"sub": "entra-eeva", "preferred_username": employee.email, "xms_edov": True}
    )
    assert response.status_code == 302 and signed_in(client)


def test_the_next_page_is_kept(client, standin, employee):
    response = sso_sign_in(
        client, standin, {"sub": "e", "email": employee.email, "email_verified": True}, next_url="/oma/"
    )
    assert response["Location"] == "/oma/"


def test_an_unknown_email_is_refused_and_nobody_is_created(client, standin, organisation):
    people = User.objects.count()
    response = sso_sign_in(
        client, standin, {"sub": "stranger", "email": "vieras@omavalvonta.example", "email_verified": True}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Osoitteella vieras@omavalvonta.example ei ole tunnusta Omavalvonnassa" in page
    assert not signed_in(client)
    assert User.objects.count() == people
    assert not SocialAccount.objects.exists()


@pytest.mark.parametrize(
    "claims",
    [
        {"email": "eeva.entra@omavalvonta.example", "email_verified": False},
        {"email": "eeva.entra@omavalvonta.example"},
        {"preferred_username": "eeva.entra@omavalvonta.example"},
        {"email": "not-an-address", "email_verified": True},
    ],
    ids=["not-verified", "no-verification-claim", "sign-in-name-unverified", "not-an-address"],
)
def test_an_unverified_email_is_refused(client, standin, employee, claims):
    response = sso_sign_in(client, standin, {"sub": "entra-eeva", **claims})
    assert response.status_code == 403
    assert "ei kertonut vahvistettua työsähköpostiosoitetta" in response.content.decode()
    assert not signed_in(client)
    assert not SocialAccount.objects.exists()


def test_a_deactivated_person_cannot_sign_in_linked_or_not(client, standin, employee):
    claims = {"sub": "entra-eeva", "email": employee.email, "email_verified": True}
    sso_sign_in(client, standin, claims)
    client.logout()
    User.objects.filter(pk=employee.pk).update(is_active=False)
    response = sso_sign_in(client, standin, claims)  # linked
    assert response.status_code == 403 and not signed_in(client)
    assert "Tunnuksesi on poistettu käytöstä" in response.content.decode()
    SocialAccount.objects.all().delete()
    response = sso_sign_in(client, standin, claims)  # by e-mail
    assert response.status_code == 403 and not signed_in(client)
    assert not SocialAccount.objects.exists()


def test_a_token_signed_with_another_key_is_refused(client, standin, employee):
    standin.sign_with = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = sso_sign_in(client, standin, {"sub": "entra-eeva", "email": employee.email, "email_verified": True})
    assert not signed_in(client)
    assert response.status_code in (200, 400, 401, 403)
    assert not SocialAccount.objects.exists()


def test_a_token_for_another_application_is_refused(client, standin, employee):
    response = sso_sign_in(
        client, standin, {"sub": "x", "aud": "someone-else", "email": employee.email, "email_verified": True}
    )
    assert not signed_in(client)
    assert response.status_code in (200, 400, 401, 403)


def test_an_identity_cannot_be_connected_by_hand(client, standin, employee, colleague_a):
    client.force_login(colleague_a)
    standin.next_claims = {"sub": "entra-eeva", "email": employee.email, "email_verified": True}
    response = client.post(SSO_LOGIN, {"process": "connect"})
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    callback = urlsplit(back.headers["Location"])
    response = client.get(f"{callback.path}?{callback.query}")
    assert response.status_code == 403
    assert not SocialAccount.objects.exists()
    assert client.get("/accounts/3rdparty/").status_code == 404


# --- The second factor ------------------------------------------------------------------------------


def test_the_identity_providers_mfa_is_honoured(client, standin, director):
    response = sso_sign_in(
        client, standin, {"sub": "laura", "email": director.email, "email_verified": True, "amr": ["pwd", "mfa"]}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in(client)
    assert client.get("/").status_code == 200
    assert client.get("/omavalvontasuunnitelmat/").status_code == 200


def test_without_the_mfa_claim_a_director_still_enters_the_code(client, standin, director):
    response = sso_sign_in(
        client, standin, {"sub": "laura", "email": director.email, "email_verified": True, "amr": ["pwd"]}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)
    response = client.post(reverse("mfa_authenticate"), {"code": code(director.totp_secret)})
    assert response.status_code == 302 and signed_in(client)
    assert client.get("/").status_code == 200


def test_without_the_mfa_claim_a_director_without_an_authenticator_must_set_one_up(client, standin, organisation):
    person = member(Role.ADMINISTRATOR, full_name="Aki Admin", email="aki.admin@omavalvonta.example")
    sso_sign_in(client, standin, {"sub": "aki", "email": person.email, "email_verified": True})
    assert signed_in(client)
    assert client.get("/").url == reverse("mfa_activate_totp")
    assert not Authenticator.objects.filter(user=person).exists()


def test_with_the_mfa_claim_a_director_without_an_authenticator_gets_in(client, standin, organisation):
    person = member(Role.ADMINISTRATOR, full_name="Aki Admin", email="aki.admin@omavalvonta.example")
    sso_sign_in(client, standin, {"sub": "aki", "email": person.email, "email_verified": True, "amr": ["mfa"]})
    assert client.get("/hallinta/").status_code == 200


# --- Password sign-in turned off --------------------------------------------------------------------


def _passwords_off(organisation, admin):
    organisation_settings_update(actor=admin, organisation=organisation, password_sign_in=False)
    organisation.refresh_from_db()
    assert organisation.password_sign_in is False


def test_password_sign_in_off_refuses_passwords_and_shows_the_button(client, standin, organisation, employee):
    admin = member(Role.ADMINISTRATOR, full_name="Aki Admin", email="aki.admin@omavalvonta.example")
    _passwords_off(organisation, admin)
    page = client.get(LOGIN).content.decode()
    assert f'action="{SSO_LOGIN}"' in page and 'name="password"' not in page
    response = client.post(LOGIN, {"login": employee.email, "password": PASSWORD})
    assert response.status_code == 200 and not signed_in(client)
    assert "Salasanalla kirjautuminen on poistettu käytöstä" in response.content.decode()
    # Single sign-on still works.
    sso_sign_in(client, standin, {"sub": "e", "email": employee.email, "email_verified": True})
    assert signed_in(client)


def test_password_sign_in_cannot_be_turned_off_without_single_sign_on(client, organisation, employee):
    admin = member(Role.ADMINISTRATOR, full_name="Aki Admin", email="aki.admin@omavalvonta.example")
    with pytest.raises(ValidationError) as error:
        organisation_settings_update(actor=admin, organisation=organisation, password_sign_in=False)
    assert "password_sign_in" in error.value.message_dict
    # Turned off while configured, then the configuration removed: passwords work
    # again (the way back when the identity provider is lost).
    organisation.password_sign_in = False
    organisation.save()
    client.post(LOGIN, {"login": employee.email, "password": PASSWORD})
    assert signed_in(client)


def test_the_administrator_turns_password_sign_in_off_on_the_settings_page(client, standin, organisation, settings):
    settings.REQUIRE_MFA_FOR_PRIVILEGED = False
    admin = member(Role.ADMINISTRATOR, full_name="Aki Admin", email="aki.admin@omavalvonta.example")
    client.force_login(admin)
    url = reverse("organisation:settings")
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if name != "risk_matrix"}
    data.update(password_sign_in="off", edit_version=organisation.edit_version)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    organisation.refresh_from_db()
    assert organisation.password_sign_in is False


# --- The configuration ------------------------------------------------------------------------------


def test_the_configuration_comes_from_the_environment():
    assert entra_providers({})["openid_connect"]["APPS"] == []
    [app] = entra_providers(
        {"ENTRA_CLIENT_ID": "c", "ENTRA_CLIENT_SECRET": "s", "ENTRA_TENANT_ID": "t-1"}
    )["openid_connect"]["APPS"]
    assert app["settings"]["server_url"] == "https://login.microsoftonline.com/t-1/v2.0"
    assert (app["provider_id"], app["client_id"], app["secret"]) == ("entra", "c", "s")
    # The button's POST is answered with a redirect to Entra: the CSP's form-action allows it.
    assert sso_form_action_origins({"openid_connect": {"APPS": [app]}}) == ["https://login.microsoftonline.com"]
    assert sso_form_action_origins(entra_providers({})) == []
    for environ in (
        {"ENTRA_CLIENT_ID": "c", "ENTRA_CLIENT_SECRET": "s"},
        {"ENTRA_CLIENT_ID": "c", "ENTRA_TENANT_ID": "t"},
        {"ENTRA_CLIENT_ID": "c", "ENTRA_CLIENT_SECRET": "s", "ENTRA_SERVER_URL": "http://idp.example.org"},
        {"ENTRA_CLIENT_ID": "c", "ENTRA_CLIENT_SECRET": "s", "ENTRA_SERVER_URL": "http://127.0.0.1.example.org/x"},
    ):
        with pytest.raises(ImproperlyConfigured):
            entra_providers(environ)
    assert CLIENT_SECRET  # the stand-in's secret is the test's own
