"""Pure rules of deviation handling: no database, no request. Small enough to
test exhaustively and to reuse from forms, services and the demo loader."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings

HELSINKI = ZoneInfo("Europe/Helsinki")

# --- Risk --------------------------------------------------------------------------

CRITICAL_CONSEQUENCE = 3  # serious or very serious: the county must hear of it


def is_critical_consequence(consequence: int) -> bool:
    return consequence >= CRITICAL_CONSEQUENCE


# --- Numbers -----------------------------------------------------------------------


def deviation_number(submitted_at: dt.datetime, pk: int) -> str:
    """"P2026-000123": the year (Helsinki time) and the primary key, so it is unique
    without a counter table that every submit would have to lock."""
    return f"P{submitted_at.astimezone(HELSINKI).year}-{pk:06d}"


# --- Follow-up codes -----------------------------------------------------------------

# No 0/O, 1/I/L: a code read aloud or copied from paper must not be mistyped.
FOLLOWUP_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
FOLLOWUP_LENGTH = 12
FOLLOWUP_GROUP = 4
_SEPARATORS = re.compile(r"[\s\-–—]+")


def followup_code_generate() -> str:
    """A fresh random code grouped for reading, e.g. "K7QP-M3XD-9RTA"."""
    raw = "".join(secrets.choice(FOLLOWUP_ALPHABET) for _ in range(FOLLOWUP_LENGTH))
    return "-".join(raw[i : i + FOLLOWUP_GROUP] for i in range(0, FOLLOWUP_LENGTH, FOLLOWUP_GROUP))


def followup_code_from_submission(key: str) -> str:
    """The follow-up code of a report sent with an idempotency key (the offline
    queue): derived from the key with SECRET_KEY, so that a second send of the same
    report (its first answer lost on the way) shows the same code again. The key is
    random, never stored, and known only to the device that queued the report."""
    seed = hmac.new(settings.SECRET_KEY.encode(), b"followup:" + key.encode(), hashlib.sha256).digest()
    # 12 characters of a 31-letter alphabet from 32 bytes: the bias of the modulo is negligible.
    raw = "".join(FOLLOWUP_ALPHABET[b % len(FOLLOWUP_ALPHABET)] for b in seed[:FOLLOWUP_LENGTH])
    return "-".join(raw[i : i + FOLLOWUP_GROUP] for i in range(0, FOLLOWUP_LENGTH, FOLLOWUP_GROUP))


# --- Idempotency keys of submissions -------------------------------------------------

# What a browser may send as the key: a UUID or a similar random token.
SUBMISSION_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def submission_key_is_well_formed(key: str) -> bool:
    return bool(SUBMISSION_KEY_RE.match(key or ""))


def submission_digest(key: str) -> str:
    """HMAC-SHA256 (keyed with SECRET_KEY) of an idempotency key, hex: what is stored."""
    return hmac.new(settings.SECRET_KEY.encode(), b"submission:" + key.encode(), hashlib.sha256).hexdigest()


def followup_code_normalise(code: str) -> str:
    """Upper case without dashes or spaces: what the person typed, as stored."""
    return _SEPARATORS.sub("", (code or "")).upper()


def followup_code_is_well_formed(normalised: str) -> bool:
    return len(normalised) == FOLLOWUP_LENGTH and all(c in FOLLOWUP_ALPHABET for c in normalised)


def followup_code_digest(code: str) -> str:
    """HMAC-SHA256 (keyed with SECRET_KEY) of the normalised code, hex. Only this is
    stored: a copied database alone does not reveal which code opens which report."""
    return hmac.new(
        settings.SECRET_KEY.encode(), followup_code_normalise(code).encode(), hashlib.sha256
    ).hexdigest()
