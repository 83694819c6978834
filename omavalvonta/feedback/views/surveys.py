"""The question-set editor and the public channel's feedback with its answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core.forms import add_service_errors, posted_step
from omavalvonta.core.service_calls import call_service
from omavalvonta.feedback import channel, selectors, services
from omavalvonta.feedback.forms import (
    AnswerPublicForm,
    QuestionFormSet,
    SurveyTextsForm,
)
from omavalvonta.feedback.models import LANGUAGES, Survey, SurveyState
from omavalvonta.organisation import access
from omavalvonta.organisation.access import P_FEEDBACK_VIEW, P_SURVEY_EDIT, requires

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
                    if call_service(
                        request, lambda: services.survey_publish(actor=request.user, survey=survey),
                        success=lambda _result: _("Version %(v)d was published.") % {"v": survey.version},
                    ):
                        return redirect("feedback:surveys")
                    return redirect("feedback:survey_edit", pk=survey.pk)
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
    call_service(
        request, lambda: services.survey_draft_discard(actor=request.user, survey=survey),
        success=_("The draft was discarded."),
    )
    return redirect("feedback:surveys")


# --- The public channel's feedback ---------------------------------------------------------


@requires(P_FEEDBACK_VIEW)
def public_list(request):
    page = Paginator(selectors.public_feedback_list(actor=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "feedback/public_list.html", {"page": page})


@requires(P_FEEDBACK_VIEW)
def public_detail(request, pk):
    feedback = selectors.public_feedback_get(actor=request.user, pk=pk, request=request)
    can_answer = selectors.can_answer(request.user, feedback)

    def page(form, status=200):
        # Feedback to a unit steers its action plan (improvement's page).
        can_steer_plan = feedback.unit is not None and access.can(request.user, access.P_ACTION_MANAGE, feedback.unit)
        context = {"feedback": feedback, "form": form, "can_steer_plan": can_steer_plan}
        return render(request, "feedback/public_detail.html", context, status=status)

    if not can_answer:
        return page(None)
    if request.method != "POST":
        return page(AnswerPublicForm(initial={"answer": feedback.answer}))
    form = AnswerPublicForm(request.POST)
    return posted_step(
        request, form,
        lambda data: channel.public_feedback_answer(actor=request.user, feedback=feedback, answer=data["answer"]),
        success=_("The answer was saved. The sender reads it with their follow-up code."),
        back=reverse("feedback:public_detail", args=[feedback.pk]), again=lambda: page(form, status=400),
    )
