"""Signed-in sessions (`SignInSession`): a person sees theirs and ends the
others; an administrator ends all of someone's at once; deactivating a person
ends them at once. Ending a session deletes it from the session store, so the
browser holding it is signed out on its next request."""

from __future__ import annotations

import re

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.services import audit_event_record
from omavalvonta.organisation import access
from omavalvonta.organisation.models import SignInSession, User


def session_signed_in(*, request, user) -> SignInSession | None:
    """Record the session a sign-in made (called on Django's user_logged_in)."""
    key = getattr(getattr(request, "session", None), "session_key", None)
    if not key:
        return None
    record, _created = SignInSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "signed_in_at": timezone.now(),
            "ip_address": request.META.get("REMOTE_ADDR") or None,
            "user_agent": (request.headers.get("User-Agent") or "")[:300],
        },
    )
    return record


def session_signed_out(*, session_key: str | None) -> None:
    if session_key:
        SignInSession.objects.filter(session_key=session_key).delete()


def sessions_of(*, user) -> list[SignInSession]:
    """The person's sessions still alive in the session store, newest first
    (records of expired or vanished sessions are dropped on the way)."""
    records = list(SignInSession.objects.filter(user=user).order_by("-signed_in_at", "-pk"))
    alive = set(
        Session.objects.filter(session_key__in=[r.session_key for r in records], expire_date__gt=timezone.now())
        .values_list("session_key", flat=True)
    )
    dead = [r.pk for r in records if r.session_key not in alive]
    if dead:
        SignInSession.objects.filter(pk__in=dead).delete()
    return [r for r in records if r.session_key in alive]


def _end(records) -> int:
    keys = [r.session_key for r in records]
    Session.objects.filter(session_key__in=keys).delete()
    SignInSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


@transaction.atomic
def session_end(*, actor, pk: int, current_key: str | None) -> bool:
    """`actor` ends one of their own other sessions, named by its record's number
    (a session key is a secret: never in a page or an address), not the one in
    use (that is signing out). False when there is no such session."""
    records = list(SignInSession.objects.filter(user=actor, pk=pk).exclude(session_key=current_key or ""))
    if not records:
        return False
    _end(records)
    audit_event_record(actor=actor, verb="person.session_ended", target=actor)
    return True


@transaction.atomic
def sessions_end_others(*, actor, current_key: str | None) -> int:
    """`actor` ends all their sessions but the one in use."""
    ended = _end(SignInSession.objects.filter(user=actor).exclude(session_key=current_key or ""))
    if ended:
        audit_event_record(actor=actor, verb="person.sessions_ended", target=actor, count=ended)
    return ended


@transaction.atomic
def sessions_end_all(*, actor, person: User, reason: str = "administrator") -> int:
    """End every session of `person` (an administrator's act, or deactivation)."""
    if not access.has_perm_anywhere(actor, access.P_ORG_ADMIN):
        raise PermissionDenied(access.P_ORG_ADMIN)
    ended = _end(SignInSession.objects.filter(user=person))
    audit_event_record(actor=actor, verb="person.sessions_ended", target=person, count=ended, reason=reason)
    return ended


def failed_sign_ins(*, person: User) -> int:
    """Failed sign-ins against the person's address still counted by the lockout."""
    from axes.models import AccessAttempt

    email = (person.email or "").strip().lower()
    return AccessAttempt.objects.filter(username=email).aggregate(n=Sum("failures_since_start"))["n"] or 0


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def device_label(user_agent: str) -> str:
    """"Chrome, Android" from a browser's User-Agent (a rough, readable label)."""
    ua = user_agent or ""
    browser = next((name for token, name in _BROWSERS if token in ua), "")
    system = next((name for token, name in _SYSTEMS if token in ua), "")
    if "HeadlessChrome" in ua:
        browser = "Chrome"
    label = ", ".join(part for part in (browser, system) if part)
    return label or (re.sub(r"\s+", " ", ua)[:40] if ua else _("Unknown device"))


# --- Retention (privacy's table, registry.RETENTION) -------------------------------------


def sessions_due(*, cutoff, limit: int) -> list:
    """Sign-in records older than `cutoff` (by their sign-in): ids and dates."""
    from omavalvonta.core.registry import RetentionDue

    rows = (
        SignInSession.objects.filter(signed_in_at__date__lt=cutoff).order_by("signed_in_at", "pk")
        .values_list("pk", "signed_in_at")[:limit]
    )
    return [RetentionDue(id=pk, dated=at) for pk, at in rows]


def sessions_destroy(*, ids) -> list[int]:
    """End and forget the sessions `ids` (a session still alive is signed out)."""
    with transaction.atomic():
        records = list(SignInSession.objects.filter(pk__in=list(ids)))
        _end(records)
    return [r.pk for r in records]
