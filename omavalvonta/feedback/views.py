"""Staff pages of the feedback area: results (overview and per unit), rounds with
their single-use links (printable QR sheet), kiosk start and stop, recording an
answer on a respondent's behalf, the question-set editor, and the public
channel's feedback with answers. Answer pages for respondents are public and live
in `omavalvonta/public/views/feedback.py`."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_info, gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core.forms import add_service_errors
from omavalvonta.core.services import access_log_record
from omavalvonta.feedback import charts, goals, reports, selectors, services
from omavalvonta.feedback.forms import (
    AnswerPublicForm,
    ChannelForm,
    GoalAssessForm,
    GoalForm,
    KioskForm,
    LinksForm,
    QuestionFormSet,
    RoundDatesForm,
    RoundForm,
    SurveyAnswerForm,
    SurveyTextsForm,
)
from omavalvonta.feedback.models import LANGUAGES, Group, Survey, SurveyState
from omavalvonta.feedback.qr import qr_svg
from omavalvonta.organisation import access
from omavalvonta.organisation.access import P_FEEDBACK_MANAGE, P_FEEDBACK_VIEW, P_SURVEY_EDIT, requires
from omavalvonta.organisation.forms import region_choice_initial

# --- Results ---------------------------------------------------------------------------


@requires(P_FEEDBACK_VIEW)
def home(request):
    actor = request.user
    return render(
        request,
        "feedback/home.html",
        {
            **selectors.overview(actor=actor, region=request.GET.get("alue")),
            "can_manage": access.has_perm_anywhere(actor, P_FEEDBACK_MANAGE),
            "can_edit_surveys": access.has_perm_anywhere(actor, P_SURVEY_EDIT),
        },
    )


@requires(P_FEEDBACK_VIEW)
def unit_detail(request, pk):
    unit = access.access_unit(request.user, pk, P_FEEDBACK_VIEW)
    results = selectors.unit_results(actor=request.user, unit=unit)
    _with_charts(results["reports"])
    return render(request, "feedback/unit.html", {"unit": unit, **results, "legend": charts.legend_text()})


def _with_charts(reports):
    for report in reports:
        report.trend_svg = charts.nps_trend_svg(
            report.trend, title=_("NPS over the quarters: %(group)s") % {"group": report.label}
        )
        report.items_svg = charts.item_bars_svg(
            report.items, title=_("Averages 1–5 this quarter: %(group)s") % {"group": report.label}
        )
    return reports


@requires(P_FEEDBACK_VIEW)
def scope_detail(request, level, key):
    """A service type's, a region's or the organisation's figures (aggregates
    with the small-group rule, no free text)."""
    results = selectors.scope_results(actor=request.user, level=level, key=key)
    if results is None:
        raise Http404
    _with_charts(results["reports"])
    return render(request, "feedback/scope.html", {**results, "legend": charts.legend_text()})


def _report_month(request) -> tuple[int, int]:
    """?kk=YYYY-MM, default the previous month; a bad value falls back to it."""
    raw = request.GET.get("kk", "")
    try:
        year, month = (int(x) for x in raw.split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return reports.previous_month()


def _report_context(request, unit):
    year, month = _report_month(request)
    report = reports.monthly_report(unit=unit, year=year, month=month, with_texts=True)
    for group in report["groups"]:
        group["items_svg"] = charts.item_bars_svg(
            group["items"], title=_("Averages 1–5: %(group)s") % {"group": group["label"]}
        )
    prev_y, prev_m = (year - 1, 12) if month == 1 else (year, month - 1)
    next_y, next_m = (year + 1, 1) if month == 12 else (year, month + 1)
    if report["free_texts"]:
        access_log_record(
            actor=request.user, target=unit, what="feedback.free_texts", right=P_FEEDBACK_VIEW, unit=unit, request=request
        )
    return {
        "unit": unit,
        "report": report,
        "month_label": f"{month}/{year}",
        "previous": f"{prev_y}-{prev_m:02d}",
        "next": f"{next_y}-{next_m:02d}",
        "current": f"{year}-{month:02d}",
    }


@requires(P_FEEDBACK_VIEW)
def unit_report(request, pk):
    """The unit's monthly feedback report for the team meeting (web and PDF)."""
    unit = access.access_unit(request.user, pk, P_FEEDBACK_VIEW)
    context = _report_context(request, unit)
    if request.GET.get("muoto") == "pdf":
        from omavalvonta.core.pdf import PdfUnavailable, render_pdf

        try:
            pdf = render_pdf("feedback/report_pdf.html", context, request=request)
        except PdfUnavailable:
            messages.error(request, _("The PDF cannot be made on this server. Print the page instead."))
            return redirect(f"{reverse('feedback:unit_report', args=[unit.pk])}?kk={context['current']}")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="palauteraportti-{unit.public_slug}-{context["current"]}.pdf"'
        return response
    return render(request, "feedback/report.html", context)


# --- Team incentive goals ----------------------------------------------------------------


def _half(request) -> tuple[int, int]:
    raw = request.GET.get("puolivuosi", "")
    try:
        year, half = (int(x) for x in raw.split("-", 1))
        if 2000 <= year <= 2100 and half in (1, 2):
            return year, half
    except ValueError:
        pass
    return goals.current_half()


@requires(P_FEEDBACK_VIEW)
def unit_goals(request, pk):
    """The team's incentive goals of a half-year, evaluated from the data."""
    unit = access.access_unit(request.user, pk, P_FEEDBACK_VIEW)
    year, half = _half(request)
    can_manage = access.can(request.user, P_FEEDBACK_MANAGE, unit)
    form, status = None, 200
    if can_manage:
        if request.method == "POST":
            form = GoalForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.goal_create(
                        actor=request.user,
                        unit=unit,
                        year=year,
                        half=half,
                        metric=data["metric"],
                        group=data["group"],
                        target=data["target"],
                        description=data["description"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The goal was added."))
                    return redirect(f"{reverse('feedback:unit_goals', args=[unit.pk])}?puolivuosi={year}-{half}")
            status = 400
        else:
            form = GoalForm()
    previous = f"{year - 1}-2" if half == 1 else f"{year}-1"
    following = f"{year}-2" if half == 1 else f"{year + 1}-1"
    return render(
        request,
        "feedback/goals.html",
        {
            "unit": unit,
            "results": goals.goals_evaluated(actor=request.user, unit=unit, year=year, half=half),
            "form": form,
            "assess_form": GoalAssessForm() if can_manage else None,
            "half_label": f"{half}/{year}",
            "current": f"{year}-{half}",
            "previous": previous,
            "next": following,
        },
        status=status,
    )


@requires(P_FEEDBACK_MANAGE)
@require_POST
def goal_assess(request, pk):
    goal = goals.goal_get(actor=request.user, pk=pk)
    form = GoalAssessForm(request.POST)
    if form.is_valid():
        try:
            services.goal_assess(actor=request.user, goal=goal, met=form.cleaned_data["met"], note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The assessment was saved."))
    else:
        messages.error(request, _("Choose whether the goal was met."))
    return redirect(f"{reverse('feedback:unit_goals', args=[goal.unit_id])}?puolivuosi={goal.year}-{goal.half}")


@requires(P_FEEDBACK_MANAGE)
@require_POST
def goal_delete(request, pk):
    goal = goals.goal_get(actor=request.user, pk=pk)
    unit_id, period = goal.unit_id, f"{goal.year}-{goal.half}"
    services.goal_delete(actor=request.user, goal=goal)
    messages.success(request, _("The goal was removed."))
    return redirect(f"{reverse('feedback:unit_goals', args=[unit_id])}?puolivuosi={period}")


# --- Rounds ---------------------------------------------------------------------------


@requires(P_FEEDBACK_MANAGE)
def rounds(request):
    actor = request.user
    units = access.units_for(actor, P_FEEDBACK_MANAGE).order_by("name")
    today = timezone.localdate()
    if request.method == "POST":
        form = RoundForm(request.POST, units=units)
        if form.is_valid():
            data = form.cleaned_data
            try:
                round_ = services.round_create(
                    actor=actor,
                    unit=data["unit"],
                    year=data["year"],
                    quarter=data["quarter"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
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
        "dates_form": extra.pop("dates_form", None)
        or RoundDatesForm(initial={"opens_on": round_.opens_on, "closes_on": round_.closes_on}),
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
    if form.is_valid():
        try:
            services.round_dates_update(actor=request.user, round=round_, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The round's dates were saved."))
            return redirect("feedback:round", pk=round_.pk)
    round_.refresh_from_db()
    return render(request, "feedback/round.html", _round_context(request, round_, dates_form=form), status=400)


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
            response = render(
                request, "feedback/qr_sheet.html", {"round": round_, "group_label": group_label, "links": links}
            )
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


# --- Question sets ---------------------------------------------------------------------


@requires(P_SURVEY_EDIT)
def surveys(request):
    if request.method == "POST":
        group = request.POST.get("group", "")
        try:
            draft = services.survey_draft_for(actor=request.user, group=group)
        except ValidationError:
            messages.error(request, _("Choose the respondent group."))
            return redirect("feedback:surveys")
        return redirect("feedback:survey_edit", pk=draft.pk)
    return render(request, "feedback/surveys.html", {"groups": selectors.surveys_by_group()})


def _survey_forms(survey, data=None):
    texts = SurveyTextsForm(
        data,
        initial={
            **{f"title_{lang}": survey.title.get(lang, "") for lang in LANGUAGES},
            **{f"intro_{lang}": (survey.intro or {}).get(lang, "") for lang in LANGUAGES},
            "edit_version": survey.edit_version,
        },
    )
    questions = QuestionFormSet(
        data,
        prefix="q",
        initial=[
            {
                "key": q.key,
                "kind": q.kind,
                "required": q.required,
                **{f"text_{lang}": q.text.get(lang, "") for lang in LANGUAGES},
            }
            for q in survey.questions.all()
        ],
    )
    texts.question_forms = questions
    return texts, questions


@requires(P_SURVEY_EDIT)
def survey_edit(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    if survey.state != SurveyState.DRAFT:
        return render(request, "feedback/survey_view.html", {"survey": survey, "questions": survey.questions.all()})
    status = 200
    if request.method == "POST":
        texts, questions = _survey_forms(survey, request.POST)
        if texts.is_valid() and questions.is_valid():
            t = texts.cleaned_data
            try:
                services.survey_draft_save(
                    actor=request.user,
                    survey=survey,
                    title={lang: t[f"title_{lang}"] for lang in LANGUAGES},
                    intro={lang: t[f"intro_{lang}"] for lang in LANGUAGES},
                    questions=[q for q in (f.question() for f in questions.forms) if q],
                    expected_version=t["edit_version"],
                )
            except ValidationError as error:
                add_service_errors(texts, error)
            else:
                if request.POST.get("publish"):
                    try:
                        services.survey_publish(actor=request.user, survey=survey)
                    except ValidationError as error:
                        messages.error(request, " ".join(error.messages))
                        return redirect("feedback:survey_edit", pk=survey.pk)
                    messages.success(request, _("Version %(v)d was published.") % {"v": survey.version})
                    return redirect("feedback:surveys")
                messages.success(request, _("The draft was saved."))
                return redirect("feedback:survey_edit", pk=survey.pk)
        status = 400
    else:
        texts, questions = _survey_forms(survey)
    return render(request, "feedback/survey_edit.html", {"survey": survey, "texts": texts, "questions": questions}, status=status)


@requires(P_SURVEY_EDIT)
@require_POST
def survey_discard(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    try:
        services.survey_draft_discard(actor=request.user, survey=survey)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The draft was discarded."))
    return redirect("feedback:surveys")


# --- The public channel's feedback ---------------------------------------------------------


@requires(P_FEEDBACK_VIEW)
def public_list(request):
    page = Paginator(selectors.public_feedback_list(actor=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "feedback/public_list.html", {"page": page})


@requires(P_FEEDBACK_VIEW)
def public_detail(request, pk):
    feedback = selectors.public_feedback_get(actor=request.user, pk=pk)
    can_answer = selectors.can_answer(request.user, feedback)
    form = None
    status = 200
    if can_answer:
        if request.method == "POST":
            form = AnswerPublicForm(request.POST)
            if form.is_valid():
                try:
                    services.public_feedback_answer(actor=request.user, feedback=feedback, answer=form.cleaned_data["answer"])
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("The answer was saved. The sender reads it with their follow-up code."))
                    return redirect("feedback:public_detail", pk=feedback.pk)
            status = 400
        else:
            form = AnswerPublicForm(initial={"answer": feedback.answer})
    return render(request, "feedback/public_detail.html", {"feedback": feedback, "form": form}, status=status)
