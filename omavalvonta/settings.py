"""Django settings: everything that varies between machines comes from the
environment and is parsed strictly (see core/lib/env.py)."""

from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.lib.env import (
    cache_settings,
    entra_providers,
    env_bool,
    env_int,
    env_list,
    env_months,
    env_str,
    sso_form_action_origins,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-development-key-change-me" if DEBUG else None)
if not DEBUG and SECRET_KEY.startswith("insecure-"):
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a real secret when DJANGO_DEBUG is off.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "csp",
    "omavalvonta.core",
    "omavalvonta.organisation",
    "omavalvonta.notifications",
    "omavalvonta.improvement",
    "omavalvonta.deviations",
    "omavalvonta.guidance",
    "omavalvonta.complaints",
    "omavalvonta.meetings",
    "omavalvonta.plans",
    "omavalvonta.feedback",
    "omavalvonta.yearclock",
    "omavalvonta.risks",
    "omavalvonta.audits",
    "omavalvonta.privacy",
    "omavalvonta.clients",
    "omavalvonta.outcomes",
    "omavalvonta.restrictions",
    "omavalvonta.people",
    "omavalvonta.search",
    "omavalvonta.learning",
    "omavalvonta.public",
    "omavalvonta.dashboards",
    "omavalvonta.demo",
    "omavalvonta.county",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "omavalvonta.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "omavalvonta.organisation.middleware.MfaRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "omavalvonta.urls"
WSGI_APPLICATION = "omavalvonta.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "omavalvonta" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "omavalvonta.dashboards.context_processors.navigation",
            ],
        },
    },
]
# Django's form renderer, with plain inputs and textareas written in Python (core/widgets.py).
FORM_RENDERER = "omavalvonta.core.widgets.QuickFormRenderer"

_DEFAULT_SQLITE = BASE_DIR / "var" / "omavalvonta.sqlite3"
_DEFAULT_DATABASE_URL = f"sqlite:///{_DEFAULT_SQLITE}"
DATABASE_URL = env_str("DATABASE_URL", _DEFAULT_DATABASE_URL)
if DATABASE_URL == _DEFAULT_DATABASE_URL:
    _DEFAULT_SQLITE.parent.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        # A kept connection is checked before each request reuses it: after a
        # database restart the first request gets a new connection instead of
        # failing (and losing what the person sent).
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server write side by side; a busy timeout
    # makes a briefly locked database wait instead of failing the request.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# The kept statements (core/lib/prepared.py) run prepared on PostgreSQL: off for
# a pooler that cannot keep prepared statements (PgBouncer in transaction mode
# before 1.21).
PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every process (rate limits must hold across web workers):
# the database's own table by default, Redis when CACHE_URL (or REDIS_URL) names it.
CACHES = cache_settings(env_str("CACHE_URL", "") or env_str("REDIS_URL", ""))

AUTH_USER_MODEL = "organisation.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# allauth: e-mail + password; accounts are created by administrators only.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "omavalvonta.organisation.adapters.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# The only way in is the sign-in page (password, then the second factor): no
# sign-in by a mailed code or link, none by resetting the password or
# confirming an address (omavalvonta/organisation/tests/test_sign_in_paths.py).
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Omavalvonta")
# TOTP secrets and recovery-code seeds are encrypted at rest (Fernet) with a key
# of their own. Rotation: put the new key in MFA_ENCRYPTION_KEY and the old one in
# MFA_ENCRYPTION_OLD_KEYS, run `manage.py mfa_rotate_keys`, then drop the old one.
MFA_ADAPTER = "omavalvonta.organisation.adapters.MfaAdapter"
_DEVELOPMENT_MFA_KEY = "b21hdmFsdm9udGEtZGV2ZWxvcG1lbnQtb25seS1rZXk="  # DEBUG only; public
MFA_ENCRYPTION_KEYS = [
    env_str("MFA_ENCRYPTION_KEY", _DEVELOPMENT_MFA_KEY if DEBUG else None),
    *env_list("MFA_ENCRYPTION_OLD_KEYS", []),
]
if not DEBUG and MFA_ENCRYPTION_KEYS[0] == _DEVELOPMENT_MFA_KEY:
    raise ImproperlyConfigured("Set MFA_ENCRYPTION_KEY to a key of your own when DJANGO_DEBUG is off.")
if MFA_ENCRYPTION_KEYS[0] == SECRET_KEY:
    raise ImproperlyConfigured("MFA_ENCRYPTION_KEY must not be DJANGO_SECRET_KEY.")
for _key in MFA_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "MFA_ENCRYPTION_KEY and MFA_ENCRYPTION_OLD_KEYS must be Fernet keys (32 bytes, url-safe base64)."
        ) from None
# Directors and administrators must use TOTP. The demo turns this off so that a
# newcomer can click around without an authenticator app.
REQUIRE_MFA_FOR_PRIVILEGED = env_bool("REQUIRE_MFA_FOR_PRIVILEGED", True)
# The open API (/api/v1/, docs/api.md): calls a token may make in a minute (429 beyond).
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 120, minimum=1)

# Single sign-on with the organisation's Microsoft Entra ID (OpenID Connect,
# organisation/sso.py; docs/sso.md). Off while ENTRA_CLIENT_ID is unset. People are
# linked only by a verified work e-mail and never created from the identity
# provider; roles stay in the product. ENTRA_SERVER_URL overrides the issuer (the
# tests point it at a stand-in served on 127.0.0.1).
SOCIALACCOUNT_PROVIDERS = entra_providers()
SOCIALACCOUNT_ADAPTER = "omavalvonta.organisation.sso.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # linking is organisation/sso.py's, by verified e-mail only
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("ENTRA_TIMEOUT_SECONDS", 10, minimum=1)
ACCOUNT_FORMS = {"login": "omavalvonta.organisation.sso.LoginForm"}

# django-axes: lock an account after repeated failures from anywhere, and an
# address after many failures against any accounts (organisation/lockout.py).
AXES_HANDLER = "omavalvonta.organisation.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 30, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "omavalvonta.organisation.adapters.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# The review months of the self-supervision year (core/rhythm.py): the group's
# follow-up report, and the units' four-monthly periods and reviews, follow them.
REVIEW_MONTHS = env_months("REVIEW_MONTHS", (1, 5, 10))

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "omavalvonta" / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    # Uploads have no URL: they leave only through download views that check
    # access and log the read (core/attachments.py). MEDIA_URL is never routed.
    "default": {"BACKEND": "omavalvonta.core.attachments.PrivateFileStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 10, minimum=1) * 1024 * 1024
# Names the service worker's cache (core/offline.py): a new value installs a new
# worker that replaces the old cache. Unset: a digest of the static files.
OMAVALVONTA_RELEASE = env_str("OMAVALVONTA_RELEASE", "-")
OMAVALVONTA_RELEASE = "" if OMAVALVONTA_RELEASE == "-" else OMAVALVONTA_RELEASE
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "-")
EMAIL_HOST_USER = "" if EMAIL_HOST_USER == "-" else EMAIL_HOST_USER
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "-")
EMAIL_HOST_PASSWORD = "" if EMAIL_HOST_PASSWORD == "-" else EMAIL_HOST_PASSWORD
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "omavalvonta@localhost")
# How long a worker's claim on an outbox row protects it (renewed before each
# send): a worker that died mid-send has its rows sent by another after this.
OUTBOX_CLAIM_SECONDS = env_int("OUTBOX_CLAIM_SECONDS", 120, minimum=5)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE_SECONDS", 8 * 3600, minimum=60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# HTTPS only, outside development: plain HTTP is redirected, and browsers are
# told (HSTS) never to use it again. Behind a proxy that terminates TLS, set
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto:https (the header the proxy sets and
# overwrites; never trust one that a client could send through), or turn the
# redirect off there with SECURE_SSL_REDIRECT=false if the proxy redirects.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER", "-")
if _proxy_ssl_header != "-":
    _header, _sep, _value = _proxy_ssl_header.partition(":")
    if not (_header.strip() and _value.strip()):
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER must look like X-Forwarded-Proto:https, got {_proxy_ssl_header!r}."
        )
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _header.strip().upper().replace("-", "_"), _value.strip())

# Content-Security-Policy (django-csp): the site's own scripts, styles and images
# only; no inline script or style attribute anywhere, no third-party origin.
# data: images are the authenticator app's QR code on the MFA set-up page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *sso_form_action_origins(SOCIALACCOUNT_PROVIDERS)],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
