"""The client's voice without signing in: answering a survey through a
single-use link (QR code) or on the unit's tablet (kiosk mode), and the public
feedback and notice channel with the follow-up of feedback answers.

Anonymity and privacy: nothing here stores who answered (no user, no address);
the limiter keeps attempt times per session and, briefly, per address in the
cache only. Answer pages are never cached (`never_cache`: no-store) and their
inputs do not autocomplete, so a tablet never shows an earlier answer."""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext as _
from django.views.decorators.cache import never_cache

from omavalvonta.complaints import services as complaint_services
from omavalvonta.core.forms import add_service_errors
from omavalvonta.core.lib import bounds
from omavalvonta.feedback import channel as feedback_channel, selectors as feedback_selectors, services as feedback_services
from omavalvonta.feedback.forms import CodeForm, SurveyAnswerForm
from omavalvonta.feedback.models import MessageKind
from omavalvonta.organisation.access import public_view
from omavalvonta.public.forms import COMPLAINT, PublicChannelForm
from omavalvonta.public.ratelimit import RateLimit, wait_message

MESSAGE_LIMIT = RateLimit("feedback_message", window_seconds=60 * 60, per_session=5, per_address=30)
# A tablet is one session: a handful of answers a minute is a queue of children,
# more is someone tapping "send" over and over.
KIOSK_LIMIT = RateLimit("feedback_kiosk", window_seconds=60, per_session=8, per_address=60)
ANSWER_FOLLOWUP_LIMIT = RateLimit("feedback_followup", window_seconds=10 * 60, per_session=10, per_address=50)


def _language() -> str:
    return (get_language() or "fi")[:2]


def _unavailable(request, reason, status):
    return render(request, "public/feedback/unavailable.html", {"reason": reason}, status=status)


def _answer_page(request, token, *, survey, unit, kind, submit, gone, done, limit=None):
    """The survey's answer page of a single-use link or a kiosk (`kind`): the empty form,
    or on POST (within `limit`, when given: else 429) the answers to the service `submit`,
    then a redirect to `done`; a link or kiosk gone meanwhile is the unavailable page with
    `gone` (its reason and status); the form with its errors again is a 400."""

    def page(form, status=200):
        context = {"survey": survey, "form": form, "unit": unit, "kiosk": kind == "kiosk", "action_kind": kind}
        return render(request, "public/feedback/answer.html", context, status=status)

    if request.method != "POST":
        return page(SurveyAnswerForm(survey=survey, language=_language()))
    form = SurveyAnswerForm(request.POST, survey=survey, language=_language())
    seconds = limit.wait_seconds(request) if limit else 0
    if seconds:
        form.add_error(None, wait_message(seconds))
        return page(form, status=429)
    if form.is_valid():
        if limit:
            limit.record(request)
        try:
            submit(token=token, answers=form.answers(), language=_language(), survey_id=survey.pk)
        except feedback_services.LinkUnavailable:
            return _unavailable(request, *gone)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(done)
    return page(form, status=400)


@public_view
@never_cache
def feedback_link(request, token):
    """A single-use answer link. Once used (or when its round is not open), the
    page says so and shows no form."""
    link = feedback_services.link_for_token(token)
    if link is None or link.used or not link.round.is_open():
        reason = "used" if link is not None and link.used else "closed" if link is not None else "unknown"
        return _unavailable(request, reason, 410 if link else 404)
    survey = feedback_services.current_survey(link.group)
    if survey is None:
        return _unavailable(request, "closed", 404)
    return _answer_page(
        request, token, survey=survey, unit=link.round.unit, kind="link",
        submit=feedback_services.response_submit_with_link, gone=("used", 410), done=reverse("public:feedback_thanks"),
    )


@public_view
@never_cache
def feedback_kiosk(request, token):
    """Kiosk mode: a fresh, empty form every time; after an answer the tablet
    goes to the thank-you page, which leads back to a new empty form (post/redirect/get:
    going back never re-shows the filled form)."""
    kiosk = feedback_services.kiosk_for_token(token)
    survey = feedback_services.current_survey(kiosk.group) if kiosk else None
    if survey is None:
        return _unavailable(request, "kiosk", 404)
    return _answer_page(
        request, token, survey=survey, unit=kiosk.round.unit, kind="kiosk", limit=KIOSK_LIMIT,
        submit=feedback_services.response_submit_kiosk, gone=("kiosk", 404),
        done=reverse("public:feedback_kiosk_thanks", args=[token]),
    )


@public_view
@never_cache
def feedback_kiosk_thanks(request, token):
    if feedback_services.kiosk_for_token(token) is None:
        return _unavailable(request, "kiosk", 404)
    return render(request, "public/feedback/thanks.html", {"kiosk_token": token})


@public_view
@never_cache
def feedback_thanks(request):
    return render(request, "public/feedback/thanks.html", {})


# Above this many active units the form chooses a region first, then one of its
# units, instead of one select of every unit.
SEND_FORM_UNIT_LIMIT = 60
# The regions and their unit counts, and the units a form offers, are read at
# most this often per process (kept in the process's own memory: an unchanged
# form is served with no query at all). A sent form is checked against the
# database itself.
REGIONS_CACHE_SECONDS = 60


def _regions() -> list[dict]:
    memo = caches["process"]
    regions = memo.get("public.feedback.regions")
    if regions is None:
        regions = feedback_selectors.public_regions()
        memo.set("public.feedback.regions", regions, REGIONS_CACHE_SECONDS)
    return regions


def _offered_units(request, region_id: int | None = None) -> list:
    """The units the form offers (all, or one region's): from the process's memory
    for a form being shown, from the database for a form being sent."""
    if request.method == "POST":
        return list(feedback_selectors.public_units(region_id=region_id))
    memo = caches["process"]
    key = f"public.feedback.units.{region_id}"
    units = memo.get(key)
    if units is None:
        units = list(feedback_selectors.public_units(region_id=region_id))
        memo.set(key, units, REGIONS_CACHE_SECONDS)
    return units


def _send_units(request, regions) -> tuple[list, dict | None, str]:
    """The units the form offers, the region they are of (None: all units, or
    none chosen yet) and the preselected unit's pk. A unit chosen in the form
    or through its public address (?yksikko=slug) brings its region's units;
    ?alue= chooses a region."""
    if sum(r["units"] for r in regions) <= SEND_FORM_UNIT_LIMIT:
        units = _offered_units(request)
        slug = request.GET.get("yksikko", "")
        return units, None, next((str(u.pk) for u in units if slug and u.public_slug == slug), "")
    by_pk = {r["pk"]: r for r in regions}
    chosen, region_id = "", None
    if request.method == "POST":
        pk = bounds.parse_int(request.POST.get("unit"))
        unit = feedback_selectors.public_units().filter(pk=pk).values("pk", "region_id").first() if pk else None
    elif request.GET.get("yksikko"):
        unit = feedback_selectors.public_units().filter(public_slug=request.GET["yksikko"]).values("pk", "region_id").first()
    else:
        unit = None
    if unit is not None:
        chosen, region_id = str(unit["pk"]), unit["region_id"]
    else:
        region_id = bounds.parse_int(request.POST.get("alue") or request.GET.get("alue"))
    region = by_pk.get(region_id)
    if region is None:
        return [], None, ""
    return _offered_units(request, region["pk"]), region, chosen


# The whole unbound page is kept per address (with its query) and language for
# as long as the regions and units it offers: a cookie-less visitor's request is
# then answered from the process's memory with no view code, no form and no
# template at all (issue 13: the form as fast as the front page). The CSRF token
# is never kept: the kept page holds a marker where the token was, and each
# request gets its own masked token (and cookie) as before.
SEND_PAGE_KEEP_SECONDS = REGIONS_CACHE_SECONDS
_TOKEN_MARK = "\x00csrf\x00"
SEND_PAGE_PARAMETERS = frozenset({"alue", "yksikko"})


def _kept_send_page(view):
    """Serve a cookie-less GET of the send form from this process's memory. A
    visitor with a session (signed in, rate-limited, a message waiting) or a
    message cookie always gets the page rendered for them; so does every POST.
    A saved unit or region clears the process's memory (public.apps), so a new
    name shows at once in this worker and within SEND_PAGE_KEEP_SECONDS in the others."""

    def keepable(request) -> bool:
        return (
            request.method == "GET"
            # Only the form's own parameters: random ones would push other kept pages out.
            and set(request.GET) <= SEND_PAGE_PARAMETERS
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
        )

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not keepable(request):
            return view(request, *args, **kwargs)
        memo = caches["process"]
        key = "public.feedback.page." + hashlib.sha256(f"{_language()}|{request.get_full_path()}".encode()).hexdigest()[:32]
        kept = memo.get(key)
        if kept is not None:
            return HttpResponse(kept.replace(_TOKEN_MARK, get_token(request)))
        response = view(request, *args, **kwargs)
        token = request.META.get("CSRF_COOKIE")
        if response.status_code == 200 and token and not response.streaming:
            content = response.content.decode(response.charset)
            # Every token on the page is the same masked value (the template's
            # csrf_token is computed once a render); keep the page without it.
            masked = _token_in_page(content)
            if masked:
                memo.set(key, content.replace(masked, _TOKEN_MARK), SEND_PAGE_KEEP_SECONDS)
        return response

    return wrapper


def _token_in_page(content: str) -> str:
    """The masked CSRF token of the rendered form ("" when the page has none)."""
    marker = 'name="csrfmiddlewaretoken" value="'
    start = content.find(marker)
    if start < 0:
        return ""
    start += len(marker)
    end = content.find('"', start)
    return content[start:end] if end > start else ""


def _fragment_key(regions, units, region, chosen) -> str:
    """The key of the rendered unbound form: the language and everything it shows."""
    shown = [sorted(r.items()) for r in regions], [(u.pk, u.name) for u in units], region and region["pk"], chosen
    return hashlib.sha256(repr((_language(), *shown)).encode()).hexdigest()[:32]


@public_view
@never_cache
@_kept_send_page
def feedback_send(request):
    """The public feedback and notice channel. Feedback goes to a unit or the
    organisation; a notice about a child's rights becomes a client-rights
    deviation in the unit. Both give the sender a follow-up code. A complaint
    (muistutus) becomes a complaint of the unit, answered in writing. With many
    units the sender chooses a region first (a plain GET form, no script)."""
    regions = _regions()
    units, region, chosen = _send_units(request, regions)
    regions_first = sum(r["units"] for r in regions) > SEND_FORM_UNIT_LIMIT
    status = 200
    wait = ""
    if request.method == "POST":
        form = PublicChannelForm(request.POST, units=units)
        seconds = MESSAGE_LIMIT.wait_seconds(request)
        if seconds:
            wait, status = wait_message(seconds), 429
        elif form.is_bot:
            # The honeypot was filled in: answer as if sent, keep nothing.
            MESSAGE_LIMIT.record(request)
            return render(request, "public/feedback/sent.html", {"code": None, "kind": MessageKind.FEEDBACK})
        elif form.is_valid():
            MESSAGE_LIMIT.record(request)
            data = form.cleaned_data
            try:
                if data["kind"] == COMPLAINT:
                    # The client's formal complaint: a complaint of the unit, answered in
                    # writing to the name and contact given (nothing of it in the address).
                    complaint = complaint_services.complaint_public_submit(
                        unit=form.unit_obj(),
                        complainant_kind=data["complainant_kind"],
                        complainant_name=data["sender_name"],
                        complainant_contact=data["sender_contact"],
                        subject=data["message"],
                    )
                    return render(request, "public/feedback/complaint_sent.html", {"complaint": complaint})
                if data["kind"] == MessageKind.NOTICE:
                    code = feedback_channel.notice_submit(
                        unit=form.unit_obj(),
                        message=data["message"],
                        sender_name=data["sender_name"],
                        sender_contact=data["sender_contact"],
                    ).followup_code
                else:
                    _feedback, code = feedback_channel.public_feedback_submit(
                        unit=form.unit_obj(),
                        message=data["message"],
                        sender_name=data["sender_name"],
                        sender_contact=data["sender_contact"],
                        language=_language(),
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return render(request, "public/feedback/sent.html", {"code": code, "kind": data["kind"]})
        if status == 200:
            status = 400
    else:
        form = PublicChannelForm(units=units, initial={"unit": chosen})
    context = {
        "form": form,
        "wait_message": wait,
        "regions_first": regions_first,
        "regions": regions,
        "region": region,
        # An unbound form is kept rendered: the same for everyone who sees these
        # regions and units in this language (the CSRF token stays outside).
        "fragment_key": "" if form.is_bound else _fragment_key(regions, units, region, chosen),
    }
    return render(request, "public/feedback/send.html", context, status=status)


@public_view
@never_cache
def feedback_answer(request):
    """Read the answer to one's feedback with its follow-up code. (A notice's
    answer is read on the report follow-up page.)"""
    feedback = None
    status = 200
    wait = ""
    if request.method == "POST":
        form = CodeForm(request.POST)
        seconds = ANSWER_FOLLOWUP_LIMIT.wait_seconds(request)
        if seconds:
            wait, status = wait_message(seconds), 429
        elif form.is_valid():
            ANSWER_FOLLOWUP_LIMIT.record(request)
            feedback = feedback_channel.public_feedback_for_code(form.cleaned_data["code"])
            if feedback is None:
                form.add_error(
                    "code",
                    _("No feedback was found with this code. If you sent a notice, read its answer on the report follow-up page."),
                )
    else:
        form = CodeForm()
    return render(
        request, "public/feedback/answer_followup.html", {"form": form, "feedback": feedback, "wait_message": wait}, status=status
    )
