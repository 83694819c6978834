from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators in the product; nobody signs up."""

    def is_open_for_signup(self, request):
        return False

    def get_login_stages(self):
        """allauth's stages, with the second factor skipped when the identity
        provider reported one (organisation/sso.py)."""
        return [
            "omavalvonta.organisation.sso.IdpAwareAuthenticateStage"
            if path == "allauth.mfa.stages.AuthenticateStage"
            else path
            for path in super().get_login_stages()
        ]


def axes_username(request, credentials):
    """The e-mail address axes locks on. allauth authenticates with
    {"email": ...}, but the form field is "login"; without this, axes records no
    username and one person's typos lock everyone behind the same IP address."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("login")
    if not value and request is not None:
        value = (getattr(request, "data", None) or request.POST).get("login")
    return (value or "").strip().lower() or None


# --- Secrets of the second factor, encrypted at rest -------------------------------------------

# Every Fernet token starts with these characters (version byte 0x80, base64).
FERNET_PREFIX = "gAAAAA"


def mfa_fernet() -> MultiFernet:
    """The keys of settings.MFA_ENCRYPTION_KEYS: the first encrypts, every one
    decrypts (the old ones stay listed until `manage.py mfa_rotate_keys` has
    re-encrypted every secret with the new one)."""
    try:
        return MultiFernet([Fernet(key) for key in settings.MFA_ENCRYPTION_KEYS])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"MFA_ENCRYPTION_KEY is not a Fernet key: {exc}") from None


def mfa_encrypt(text: str) -> str:
    return mfa_fernet().encrypt(text.encode()).decode()


def mfa_decrypt(token: str) -> str:
    try:
        return mfa_fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # Never fall back to reading the value as plain text: a secret that no
        # key opens is a configuration error (a lost or removed key).
        raise ImproperlyConfigured(
            "An authenticator secret cannot be decrypted with MFA_ENCRYPTION_KEY or MFA_ENCRYPTION_OLD_KEYS."
        ) from None


class MfaAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted (Fernet) with a
    key of their own (MFA_ENCRYPTION_KEY), not with DJANGO_SECRET_KEY: a copy of
    the database, or of the settings alone, opens neither."""

    def encrypt(self, text: str) -> str:
        return mfa_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_decrypt(encrypted_text)


def mfa_secrets_transform(data: dict, transform) -> dict:
    """An authenticator's data with every secret in it passed through
    `transform(value) -> value`: the TOTP secret, the recovery codes' seed and
    codes migrated from an older format."""
    data = dict(data or {})
    for key in ("secret", "seed"):
        if isinstance(data.get(key), str):
            data[key] = transform(data[key])
    if isinstance(data.get("migrated_codes"), list):
        data["migrated_codes"] = [transform(code) for code in data["migrated_codes"]]
    return data


def mfa_encrypt_if_plain(value: str) -> str:
    """Encrypt a secret stored before encryption was introduced; leave a token."""
    return value if value.startswith(FERNET_PREFIX) else mfa_encrypt(value)


def mfa_rotate(value: str) -> str:
    """Re-encrypt a token with the current key (MultiFernet.rotate)."""
    return mfa_fernet().rotate(mfa_encrypt_if_plain(value).encode()).decode()
