"""Feedback rounds: opening one, its dates, single-use links on a printable QR
sheet, kiosk start and stop, and answers recorded on a respondent's behalf."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_info, gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core.forms import add_service_errors, form_step, picked, posted_step
from omavalvonta.feedback import selectors, services
from omavalvonta.feedback.forms import (
    ChannelForm,
    KioskForm,
    LinksForm,
    RoundDatesForm,
    RoundForm,
    SurveyAnswerForm,
)
from omavalvonta.feedback.models import LANGUAGES, Group
from omavalvonta.feedback.qr import qr_svg
from omavalvonta.organisation import access
from omavalvonta.organisation.access import P_FEEDBACK_MANAGE, requires
from omavalvonta.organisation.unit_choice import region_choice_initial

# --- Rounds ---------------------------------------------------------------------------


@requires(P_FEEDBACK_MANAGE)
def rounds(request):
    actor = request.user
    units = access.units_for(actor, P_FEEDBACK_MANAGE).order_by("name")
    today = timezone.localdate()
    if request.method == "POST":
        form = RoundForm(request.POST, units=units)
        fields = ("unit", "year", "quarter", "opens_on", "closes_on")
        done, round_ = form_step(form, lambda data: services.round_create(actor=actor, **picked(data, *fields)))
        if done:
            messages.success(request, _("The round was opened."))
            return redirect("feedback:round", pk=round_.pk)
    else:
        defaults = {"year": today.year, "quarter": str((today.month - 1) // 3 + 1)}
        initial, region_id = region_choice_initial(request.GET, defaults)
        form = RoundForm(units=units, region_id=region_id, initial=initial)
    page = Paginator(selectors.round_list(actor=actor), 20).get_page(request.GET.get("page"))
    return render(request, "feedback/rounds.html", {"form": form, "page": page})


def _round_context(request, round_, **extra):
    return {
        "round": round_,
        "groups": selectors.round_counts(round=round_),
        "links_form": extra.pop("links_form", None) or LinksForm(),
        "kiosk_form": extra.pop("kiosk_form", None) or KioskForm(),
        "dates_form": extra.pop("dates_form", None) or RoundDatesForm(initial={"opens_on": round_.opens_on, "closes_on": round_.closes_on}),
        "is_open": round_.is_open(),
        **extra,
    }


@requires(P_FEEDBACK_MANAGE)
def round_detail(request, pk):
    round_ = selectors.round_get(actor=request.user, pk=pk)
    return render(request, "feedback/round.html", _round_context(request, round_))


@requires(P_FEEDBACK_MANAGE)
@require_POST
def round_dates(request, pk):
    """Move the round's dates; a mistake shows the round page again with what was typed."""
    round_ = selectors.round_get(actor=request.user, pk=pk)
    form = RoundDatesForm(request.POST)
    return posted_step(
        request, form, lambda data: services.round_dates_update(actor=request.user, round=round_, **data),
        success=_("The round's dates were saved."), back=reverse("feedback:round", args=[round_.pk]), record=round_,
        again=lambda: render(request, "feedback/round.html", _round_context(request, round_, dates_form=form), status=400),
    )


@requires(P_FEEDBACK_MANAGE)
def round_links(request, pk):
    """POST: make single-use links and show them once as a printable QR sheet
    (only digests are stored, so the sheet cannot be shown again)."""
    round_ = selectors.round_get(actor=request.user, pk=pk)
    if request.method != "POST":
        return redirect("feedback:round", pk=round_.pk)
    form = LinksForm(request.POST)
    if form.is_valid():
        try:
            tokens = services.links_create(
                actor=request.user, round=round_, group=form.cleaned_data["group"], count=form.cleaned_data["count"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            group_label = Group(form.cleaned_data["group"]).label
            links = []
            for i, token in enumerate(tokens, start=1):
                # The public address (SITE_URL), not the one this request came in by:
                # behind a proxy that may be an internal name a phone cannot reach.
                url = settings.SITE_URL.rstrip("/") + reverse("public:feedback_link", args=[token])
                links.append({"url": url, "qr": qr_svg(url, label=_("QR code %(n)d") % {"n": i})})
            response = render(request, "feedback/qr_sheet.html", {"round": round_, "group_label": group_label, "links": links})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "feedback/round.html", _round_context(request, round_, links_form=form), status=400)


@requires(P_FEEDBACK_MANAGE)
@require_POST
def round_kiosk(request, pk):
    """Start kiosk mode on this device: the staff member is signed out so that
    the tablet can be handed over, and the device opens the kiosk's form."""
    round_ = selectors.round_get(actor=request.user, pk=pk)
    form = KioskForm(request.POST)
    if form.is_valid():
        try:
            token = services.kiosk_start(actor=request.user, round=round_, group=form.cleaned_data["group"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            logout(request)
            return redirect("public:feedback_kiosk", token=token)
    return render(request, "feedback/round.html", _round_context(request, round_, kiosk_form=form), status=400)


@requires(P_FEEDBACK_MANAGE)
@require_POST
def kiosk_stop(request, pk):
    kiosk = selectors.kiosk_get(actor=request.user, pk=pk)
    services.kiosk_stop(actor=request.user, kiosk=kiosk)
    messages.success(request, _("Kiosk mode was stopped. The tablet's address no longer opens the form."))
    return redirect("feedback:round", pk=kiosk.round_id)


@requires(P_FEEDBACK_MANAGE)
def round_record(request, pk, group):
    """Record oral or paper feedback on a respondent's behalf."""
    round_ = selectors.round_get(actor=request.user, pk=pk)
    if group not in Group.values:
        raise Http404
    survey = services.current_survey(group)
    if survey is None:
        raise Http404
    # The questions are shown in the language the respondent answered in
    # (chosen with the links on the page, or the one posted).
    language = request.POST.get("language") if request.method == "POST" else request.GET.get("language")
    language = language if language in LANGUAGES else (get_language() or "fi")[:2]
    if request.method == "POST":
        channel_form = ChannelForm(request.POST)
        form = SurveyAnswerForm(request.POST, survey=survey, language=language)
        if channel_form.is_valid() and form.is_valid():
            try:
                services.response_record_on_behalf(
                    actor=request.user,
                    round=round_,
                    group=group,
                    channel=channel_form.cleaned_data["channel"],
                    answers=form.answers(),
                    language=channel_form.cleaned_data["language"],
                    survey_id=survey.pk,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The feedback was recorded, marked as recorded by staff."))
                return redirect("feedback:round", pk=round_.pk)
    else:
        channel_form = ChannelForm(initial={"language": language})
        form = SurveyAnswerForm(survey=survey, language=language)
    return render(
        request,
        "feedback/record.html",
        {
            "round": round_,
            "group_label": Group(group).label,
            "form": form,
            "channel_form": channel_form,
            "survey": survey,
            "language": language,
            "languages": [(code, get_language_info(code)["name_local"].capitalize()) for code in LANGUAGES],
        },
        status=400 if request.method == "POST" else 200,
    )
