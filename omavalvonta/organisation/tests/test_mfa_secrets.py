"""The second factor's secrets are encrypted at rest with a key of their own
(MFA_ENCRYPTION_KEY, Fernet), can be moved to a new key, and secrets stored in
plain text before are encrypted by a migration."""

import importlib
import io
import time
from types import SimpleNamespace

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from omavalvonta.organisation.adapters import FERNET_PREFIX
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import PASSWORD, member

pytestmark = pytest.mark.django_db

migration = importlib.import_module("omavalvonta.organisation.migrations.0002_encrypt_mfa_secrets")


@pytest.fixture
def director(organisation):
    return member(Role.QUALITY_DIRECTOR, full_name="Laura Laatujohtaja", email="laura@omavalvonta.example")


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def signs_in_with_code(client, person, secret) -> bool:
    client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    return client.session.get("_auth_user_id") == str(person.pk)


def test_the_totp_secret_is_stored_encrypted(client, director, settings):
    secret = generate_totp_secret()
    TOTP.activate(director, secret)
    stored = Authenticator.objects.get(user=director, type=Authenticator.Type.TOTP).data["secret"]
    assert secret not in stored
    assert stored.startswith(FERNET_PREFIX)
    assert Fernet(settings.MFA_ENCRYPTION_KEYS[0]).decrypt(stored.encode()).decode() == secret
    assert signs_in_with_code(client, director, secret)


def test_recovery_codes_are_stored_encrypted(director):
    TOTP.activate(director, generate_totp_secret())
    codes = RecoveryCodes.activate(director)
    seed = codes.instance.data["seed"]
    assert seed.startswith(FERNET_PREFIX)
    assert len(codes.get_unused_codes()) == 10


def test_the_key_is_not_the_secret_key(settings):
    assert settings.MFA_ENCRYPTION_KEYS[0] != settings.SECRET_KEY


def test_a_secret_no_key_opens_is_an_error_not_plain_text(client, director, settings):
    TOTP.activate(director, generate_totp_secret())
    settings.MFA_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        TOTP(Authenticator.objects.get(user=director, type=Authenticator.Type.TOTP)).validate_code("123456")


def test_keys_are_rotated_with_the_old_key_still_listed(client, director, settings):
    secret = generate_totp_secret()
    old_key = settings.MFA_ENCRYPTION_KEYS[0]
    TOTP.activate(director, secret)
    RecoveryCodes.activate(director)
    new_key = Fernet.generate_key().decode()
    # The new key first, the old one still listed: old secrets still open.
    settings.MFA_ENCRYPTION_KEYS = [new_key, old_key]
    assert signs_in_with_code(client, director, secret)
    call_command("mfa_rotate_keys", stdout=io.StringIO())
    # After the rotation the old key can go.
    settings.MFA_ENCRYPTION_KEYS = [new_key]
    for authenticator in Authenticator.objects.filter(user=director):
        token = authenticator.data.get("secret") or authenticator.data["seed"]
        Fernet(new_key).decrypt(token.encode())
    client.logout()
    # (A code works once: the next one is half a minute later.)
    with time_machine.travel(time.time() + 60):
        assert signs_in_with_code(client, director, secret)


def test_secrets_stored_in_plain_text_are_encrypted_by_the_migration(client, director):
    from django.apps import apps
    from django.db import connection

    secret = generate_totp_secret()
    # As stored before the adapter encrypted anything.
    Authenticator.objects.create(user=director, type=Authenticator.Type.TOTP, data={"secret": secret})
    Authenticator.objects.create(
        user=director, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "ab" * 20, "used_mask": 0}
    )
    editor = SimpleNamespace(connection=connection)
    migration.encrypt_plain_secrets(apps, editor)
    stored = {a.type: a.data for a in Authenticator.objects.filter(user=director)}
    assert stored[Authenticator.Type.TOTP]["secret"].startswith(FERNET_PREFIX)
    assert stored[Authenticator.Type.RECOVERY_CODES]["seed"].startswith(FERNET_PREFIX)
    # Running it again changes nothing.
    migration.encrypt_plain_secrets(apps, editor)
    assert {a.type: a.data for a in Authenticator.objects.filter(user=director)} == stored
    assert signs_in_with_code(client, director, secret)


def test_production_refuses_to_start_without_a_key_of_its_own(monkeypatch):
    import omavalvonta.settings as project_settings

    monkeypatch.setenv("DJANGO_DEBUG", "0")
    monkeypatch.delenv("MFA_ENCRYPTION_KEY", raising=False)
    try:
        with pytest.raises(ImproperlyConfigured, match="MFA_ENCRYPTION_KEY"):
            importlib.reload(project_settings)
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


def test_a_malformed_key_stops_start_up(monkeypatch):
    import omavalvonta.settings as project_settings

    monkeypatch.setenv("MFA_ENCRYPTION_KEY", "not-a-fernet-key")
    try:
        with pytest.raises(ImproperlyConfigured, match="Fernet keys"):
            importlib.reload(project_settings)
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)
