"""Strict parsing of settings from the environment.

A bad value stops start-up with a message naming the variable: a typo in a
production environment must never silently fall back to a default.
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, got {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        parsed = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}.") from None
    if minimum is not None and parsed < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {parsed}.")
    return parsed


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# The table of Django's database cache (created by core's migration 0003 and by
# `manage.py createcachetable`).
DATABASE_CACHE_TABLE = "omavalvonta_cache"


def cache_settings(url: str) -> dict:
    """The CACHES setting from CACHE_URL (or REDIS_URL).

    Rate limits and every other count that must hold across processes live in
    this cache, so it is shared by every web worker: the database by default,
    Redis when an address is given. `locmem://` keeps one cache per process and
    is for a single development process only. The "process" alias is always
    each process's own memory (see below)."""
    url = (url or "").strip()
    if not url or url == "db://":
        backend = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": DATABASE_CACHE_TABLE}
    elif url.startswith(("redis://", "rediss://", "unix://")):
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    elif url == "locmem://":
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "omavalvonta"}
    else:
        raise ImproperlyConfigured(
            f"CACHE_URL must be empty or db:// (the database), redis://..., rediss://... or locmem://, got {url!r}."
        )
    # "process": a small cache in each worker's own memory, for what may be a few
    # seconds stale in the other workers (the public pages' kept HTML): read
    # without a round trip to the shared cache.
    process = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "omavalvonta-process",
               "OPTIONS": {"MAX_ENTRIES": 2000}}
    return {"default": backend, "process": process}


def env_months(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    """Comma-separated months 1–12 ("1,5,10"), at least two, each once."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        months = [int(item) for item in value.split(",") if item.strip()]
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be comma-separated months 1-12, got {value!r}.") from None
    if len(months) < 2 or len(set(months)) != len(months) or not all(1 <= m <= 12 for m in months):
        raise ImproperlyConfigured(f"{name} must be at least two different months 1-12, got {value!r}.")
    return tuple(sorted(months))


def entra_providers(environ=None) -> dict:
    """allauth's SOCIALACCOUNT_PROVIDERS for single sign-on with Microsoft Entra
    ID (OpenID Connect; organisation/sso.py, docs/sso.md), from ENTRA_CLIENT_ID,
    ENTRA_CLIENT_SECRET, ENTRA_TENANT_ID and ENTRA_SERVER_URL (the issuer; by
    default Entra's for the tenant; the tests point it at a stand-in). No app
    while ENTRA_CLIENT_ID is unset: single sign-on is off."""
    environ = os.environ if environ is None else environ

    def get(name):
        return (environ.get(name) or "").strip()

    apps = []
    client_id = get("ENTRA_CLIENT_ID")
    if client_id:
        tenant = get("ENTRA_TENANT_ID")
        server_url = get("ENTRA_SERVER_URL") or (f"https://login.microsoftonline.com/{tenant}/v2.0" if tenant else "")
        if not server_url:
            raise ImproperlyConfigured("ENTRA_CLIENT_ID is set: set ENTRA_TENANT_ID (or ENTRA_SERVER_URL) too.")
        parsed = urlsplit(server_url)
        loopback = parsed.scheme == "http" and parsed.hostname in ("127.0.0.1", "localhost")
        if not (parsed.scheme == "https" and parsed.hostname) and not loopback:
            raise ImproperlyConfigured(f"ENTRA_SERVER_URL must be an https:// address, got {server_url!r}.")
        secret = get("ENTRA_CLIENT_SECRET")
        if not secret:
            raise ImproperlyConfigured("ENTRA_CLIENT_ID is set: set ENTRA_CLIENT_SECRET too.")
        apps.append(
            {
                "provider_id": "entra",
                "name": "Microsoft Entra ID",
                "client_id": client_id,
                "secret": secret,
                "settings": {
                    "server_url": server_url.rstrip("/"),
                    # The id token carries what is needed (the e-mail, its
                    # verification, amr); Entra's userinfo is on Microsoft Graph.
                    "fetch_userinfo": False,
                    "token_auth_method": "client_secret_post",
                },
            }
        )
    return {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": apps}}


def sso_form_action_origins(providers: dict) -> list[str]:
    """The identity providers' origins, for the Content-Security-Policy's
    form-action: the sign-in button's POST is answered with a redirect there,
    and browsers hold a form's redirects to form-action too."""
    origins = []
    for app in providers.get("openid_connect", {}).get("APPS", []):
        parsed = urlsplit(app["settings"]["server_url"])
        origins.append(f"{parsed.scheme}://{parsed.netloc}")
    return origins
