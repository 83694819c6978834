"""Pages reachable without signing in. Each view is declared with
`access.public_view`; nothing here may reveal more than its page promises."""

from __future__ import annotations

import time

from django import forms
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _, ngettext

from omavalvonta.deviations import selectors as deviation_selectors
from omavalvonta.organisation.access import public_view

# Guessing follow-up codes must be slow: a few tries per browser session, and a
# looser limit per address for clients that throw their session cookie away.
FOLLOWUP_WINDOW_SECONDS = 10 * 60
FOLLOWUP_MAX_PER_SESSION = 10
FOLLOWUP_MAX_PER_ADDRESS = 50
FOLLOWUP_SESSION_KEY = "public.followup_attempts"


class FollowupForm(forms.Form):
    code = forms.CharField(
        label=_("Follow-up code"),
        max_length=64,
        help_text=_("The code you got when you sent the report."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _recent(attempts, now):
    return [t for t in attempts if now - t < FOLLOWUP_WINDOW_SECONDS]


def _limited(request, now) -> int:
    """Seconds to wait before the next attempt, or 0 when one is allowed."""
    session_attempts = _recent(request.session.get(FOLLOWUP_SESSION_KEY, []), now)
    address_attempts = _recent(cache.get(_address_key(request), []), now)
    waits = []
    if len(session_attempts) >= FOLLOWUP_MAX_PER_SESSION:
        waits.append(FOLLOWUP_WINDOW_SECONDS - (now - session_attempts[0]))
    if len(address_attempts) >= FOLLOWUP_MAX_PER_ADDRESS:
        waits.append(FOLLOWUP_WINDOW_SECONDS - (now - address_attempts[0]))
    return int(max(waits)) + 1 if waits else 0


def _address_key(request) -> str:
    return f"public.followup.{_client_address(request)}"


def _record_attempt(request, now) -> None:
    request.session[FOLLOWUP_SESSION_KEY] = [*_recent(request.session.get(FOLLOWUP_SESSION_KEY, []), now), now]
    key = _address_key(request)
    cache.set(key, [*_recent(cache.get(key, []), now), now], FOLLOWUP_WINDOW_SECONDS)


@public_view
def followup(request):
    """Read the state and the handler's answer of one's own report with its
    follow-up code. Shows the number, type, state, submission date and answer:
    nothing about the unit's people and not the description."""
    deviation = None
    wait_seconds = 0
    status = 200
    if request.method == "POST":
        form = FollowupForm(request.POST)
        now = time.time()
        wait_seconds = _limited(request, now)
        if wait_seconds:
            status = 429
        elif form.is_valid():
            _record_attempt(request, now)
            deviation = deviation_selectors.deviation_for_followup_code(code=form.cleaned_data["code"].strip())
            if deviation is None:
                form.add_error("code", _("No report was found with this code. Check the code and try again."))
    else:
        form = FollowupForm()
    wait_minutes = (wait_seconds + 59) // 60
    return render(
        request,
        "public/followup.html",
        {
            "form": form,
            "deviation": deviation,
            "wait_message": ngettext(
                "Too many attempts. Try again in %(minutes)d minute.",
                "Too many attempts. Try again in %(minutes)d minutes.",
                wait_minutes,
            )
            % {"minutes": wait_minutes}
            if wait_seconds
            else "",
        },
        status=status,
    )
