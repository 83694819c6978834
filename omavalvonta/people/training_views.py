"""Pages of training and development (/osaaminen/): recording a person's
training and their development discussion's date, a training certificate's
download, and the unit's recruitment plan (draft, approve, versions). The
unit's leaders record; a person sees their own trainings on their own page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core.forms import form_page, picked
from omavalvonta.organisation import access
from omavalvonta.organisation.access import AUTHENTICATED, P_COMPETENCE_RECORD, requires
from omavalvonta.people import selectors, training_selectors, training_services
from omavalvonta.people.certificates import certificate_response
from omavalvonta.people.forms import DiscussionForm, RecruitmentPlanForm, TrainingForm
from omavalvonta.people.views import person_form_page


def _record_page(request, unit_id, person_id, form_class, service, *, fields, files=False, **page):
    """A form that records something about a person of the unit's staff with
    `service`, given the form's `fields` (and the certificate's `files`)."""
    unit, someone = selectors.staff_person(
        actor=request.user, unit_id=unit_id, person_id=person_id, perm=P_COMPETENCE_RECORD
    )

    def perform(form):
        extra = {"files": request.FILES.getlist("certificate")} if files else {}
        return service(actor=request.user, unit=unit, person=someone, **picked(form.cleaned_data, *fields), **extra)

    return person_form_page(request, form_class, perform, unit=unit, person=someone, **page)


@requires(P_COMPETENCE_RECORD)
def training_new(request, unit_id, person_id):
    return _record_page(
        request, unit_id, person_id, TrainingForm, training_services.training_record,
        fields=("course", "done_on", "hours", "provider"), files=True, template="people/training_form.html",
        initial={"done_on": timezone.localdate()}, success=_("The training was recorded."),
    )


@requires(P_COMPETENCE_RECORD)
def discussion_new(request, unit_id, person_id):
    """The date a development discussion was held; its content stays out."""
    return _record_page(
        request, unit_id, person_id, DiscussionForm, training_services.development_discussion_record,
        fields=("held_on",), template="people/discussion_form.html",
        initial={"held_on": timezone.localdate()}, success=_("The development discussion was recorded."),
    )


@requires(AUTHENTICATED)
def training_certificate(request, pk):
    return certificate_response(training_selectors.training_certificate_get(actor=request.user, pk=pk, request=request))


@requires(P_COMPETENCE_RECORD)
def recruitment(request, unit_id):
    """The unit's recruitment plan: the version in force, the draft (edited
    here) and the earlier versions."""
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_COMPETENCE_RECORD)
    plans = training_selectors.recruitment_plans(unit=unit)
    source = plans["draft"] or plans["current"]
    return form_page(
        request, RecruitmentPlanForm,
        lambda form: training_services.recruitment_plan_draft(actor=actor, unit=unit, text=form.cleaned_data["text"]),
        template="people/recruitment.html", context={"unit": unit, **plans},
        initial={"text": source.text if source else ""}, success=_("The draft of the recruitment plan was saved."),
        back=reverse("people:recruitment", kwargs={"unit_id": unit.pk}),
    )


@require_POST
@requires(P_COMPETENCE_RECORD)
def recruitment_approve(request, unit_id):
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_COMPETENCE_RECORD)
    try:
        plan = training_services.recruitment_plan_approve(actor=actor, unit=unit)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Version %(version)s of the recruitment plan was approved.") % {"version": plan.version})
    return redirect("people:recruitment", unit_id=unit.pk)
