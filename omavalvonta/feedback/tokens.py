"""Answer-link and kiosk tokens: random, shown once, stored only as an HMAC digest."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

TOKEN_BYTES = 18  # 24 URL-safe characters


def token_generate() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """HMAC-SHA256 keyed with SECRET_KEY: a copied database alone opens no link."""
    return hmac.new(settings.SECRET_KEY.encode(), f"feedback:{token or ''}".encode(), hashlib.sha256).hexdigest()


def token_is_well_formed(token: str) -> bool:
    return bool(token) and len(token) <= 64 and all(c.isalnum() or c in "-_" for c in token)
