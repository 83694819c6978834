"""Pages reachable without signing in. Each view is declared with
`access.public_view`; nothing here may reveal more than its page promises."""

from __future__ import annotations

import time

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import add_service_errors
from omavalvonta.deviations import identity as deviation_identity, selectors as deviation_selectors, services as deviation_services
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


class FollowupReplyForm(FollowupForm):
    """The reporter's answer on the follow-up page: the code goes with it again,
    hidden, so nothing but the code ties the message to the report."""

    body = forms.CharField(label=_("Your message to the handler"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget = forms.HiddenInput()


def _report_context(deviation) -> dict:
    messages = deviation_identity.followup_messages(deviation=deviation)
    return {
        "deviation": deviation,
        "thread": messages,
        "question_waits": deviation_identity.question_waits(messages),
    }


@public_view
def followup(request):
    """Read the state and the handler's answer of one's own report with its
    follow-up code, and the messages with the handler: answer a question or add
    information while the report is open. Shows the number, type, state,
    submission and answer dates, the answer and the messages: nothing about the
    unit's people and not the description."""
    deviation = None
    wait_seconds = 0
    status = 200
    context = {}
    reply_form = None
    sent = False
    if request.method == "POST":
        replying = "body" in request.POST
        form = FollowupReplyForm(request.POST) if replying else FollowupForm(request.POST)
        now = time.time()
        wait_seconds = FOLLOWUP_LIMIT.wait_seconds(request, now)
        if wait_seconds:
            status = 429
            form = FollowupForm(initial={"code": request.POST.get("code", "")})
        elif FollowupForm(request.POST).is_valid():
            code = request.POST["code"].strip()
            FOLLOWUP_LIMIT.record(request, now)
            deviation = deviation_selectors.deviation_for_followup_code(code=code)
            if deviation is None:
                form = FollowupForm(request.POST)
                form.is_valid()
                form.add_error("code", _("No report was found with this code. Check the code and try again."))
            elif replying:
                reply_form = form
                if form.is_valid():
                    try:
                        deviation_services.deviation_message_from_followup(code=code, body=form.cleaned_data["body"])
                    except ValidationError as error:
                        add_service_errors(form, error)
                    else:
                        sent = True
                        deviation.refresh_from_db()
                        reply_form = None
        else:
            form = FollowupForm(request.POST)
    else:
        form = FollowupForm()
    if deviation is not None:
        context = _report_context(deviation)
        if deviation.is_open and reply_form is None:
            reply_form = FollowupReplyForm(initial={"code": request.POST.get("code", "").strip()})
        context["reply_form"] = reply_form if deviation.is_open else None
    return render(
        request,
        "public/followup.html",
        {
            "form": form,
            "deviation": deviation,
            "sent": sent,
            "wait_message": wait_message(wait_seconds),
            **context,
        },
        status=status,
    )
