"""Pages reachable without signing in. Each view is declared with
`access.public_view`; nothing here may reveal more than its page promises."""

from __future__ import annotations

import time

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from omavalvonta.deviations import selectors as deviation_selectors
from omavalvonta.organisation.access import public_view
from omavalvonta.public.ratelimit import RateLimit, wait_message

# Guessing follow-up codes must be slow: a few tries per browser session, and a
# looser limit per address for clients that throw their session cookie away.
FOLLOWUP_WINDOW_SECONDS = 10 * 60
FOLLOWUP_MAX_PER_SESSION = 10
FOLLOWUP_MAX_PER_ADDRESS = 50
FOLLOWUP_LIMIT = RateLimit(
    "followup",
    window_seconds=FOLLOWUP_WINDOW_SECONDS,
    per_session=FOLLOWUP_MAX_PER_SESSION,
    per_address=FOLLOWUP_MAX_PER_ADDRESS,
)


class FollowupForm(forms.Form):
    code = forms.CharField(
        label=_("Follow-up code"),
        max_length=64,
        help_text=_("The code you got when you sent the report."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


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
        wait_seconds = FOLLOWUP_LIMIT.wait_seconds(request, now)
        if wait_seconds:
            status = 429
        elif form.is_valid():
            FOLLOWUP_LIMIT.record(request, now)
            deviation = deviation_selectors.deviation_for_followup_code(code=form.cleaned_data["code"].strip())
            if deviation is None:
                form.add_error("code", _("No report was found with this code. Check the code and try again."))
    else:
        form = FollowupForm()
    return render(
        request,
        "public/followup.html",
        {
            "form": form,
            "deviation": deviation,
            "wait_message": wait_message(wait_seconds),
        },
        status=status,
    )
