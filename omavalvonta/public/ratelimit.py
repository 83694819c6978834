"""A small limiter for the public pages, without third-party services: a few
attempts per browser session in a window, and a looser limit per client address
(kept in the cache) for clients that throw their session cookie away.

    LIMIT = RateLimit("followup", window_seconds=600, per_session=10, per_address=50)
    wait = LIMIT.wait_seconds(request)   # 0 when one more is allowed
    LIMIT.record(request)
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import ngettext


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


@dataclass(frozen=True)
class RateLimit:
    name: str
    window_seconds: int
    per_session: int
    per_address: int

    @property
    def session_key(self) -> str:
        return f"public.{self.name}_attempts"

    def _address_key(self, request) -> str:
        return f"public.{self.name}.{client_address(request)}"

    def _recent(self, attempts, now):
        return [t for t in attempts if now - t < self.window_seconds]

    def wait_seconds(self, request, now: float | None = None) -> int:
        """Seconds to wait before the next attempt, or 0 when one is allowed."""
        now = time.time() if now is None else now
        session_attempts = self._recent(request.session.get(self.session_key, []), now)
        address_attempts = self._recent(cache.get(self._address_key(request), []), now)
        waits = []
        if len(session_attempts) >= self.per_session:
            waits.append(self.window_seconds - (now - session_attempts[0]))
        if len(address_attempts) >= self.per_address:
            waits.append(self.window_seconds - (now - address_attempts[0]))
        return int(max(waits)) + 1 if waits else 0

    def record(self, request, now: float | None = None) -> None:
        now = time.time() if now is None else now
        request.session[self.session_key] = [*self._recent(request.session.get(self.session_key, []), now), now]
        key = self._address_key(request)
        cache.set(key, [*self._recent(cache.get(key, []), now), now], self.window_seconds)


def wait_message(wait_seconds: int) -> str:
    """"Too many attempts" in the request's language, or "" when none."""
    if not wait_seconds:
        return ""
    minutes = (wait_seconds + 59) // 60
    return ngettext(
        "Too many attempts. Try again in %(minutes)d minute.",
        "Too many attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
