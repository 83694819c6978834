"""Pages of the competence area (/osaaminen/): one's own checks and
qualifications, a unit's matrix (phone-first), a person's records and the
record form (the unit's leaders), the unit's requirement, and the directors'
counts per region and unit (no names).

Pages declare their permission; a unit or a person is fetched through the
kernel (404 outside the actor's units or off the unit's staff, 403 inside them
without the right). Every page that shows a person's records writes an
access-log row."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.forms import form_page
from omavalvonta.core.lib import bounds
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    AUTHENTICATED,
    P_COMPETENCE_COUNT,
    P_COMPETENCE_RECORD,
    P_COMPETENCE_VIEW,
    requires,
)
from omavalvonta.people import orientation_selectors, selectors, services, training_selectors
from omavalvonta.people.certificates import certificate_response
from omavalvonta.people.forms import RecordForm, RequirementForm
from omavalvonta.people.models import QualificationType


@logs_read("competence.own")
@requires(AUTHENTICATED)
def index(request):
    """My own checks and qualifications, and the units whose staff I follow."""
    actor = request.user
    return render(
        request,
        "people/index.html",
        {
            "mine": selectors.person_records(person=actor),
            "trainings": training_selectors.person_trainings(person=actor),
            "units": selectors.units_to_view(actor=actor),
            "can_count": access.has_perm_anywhere(actor, P_COMPETENCE_COUNT),
            "today": timezone.localdate(),
        },
    )


@requires(P_COMPETENCE_COUNT)
def overview(request):
    """Counts per region (first, when the actor sees many units) and per unit."""
    actor = request.user
    region_id = bounds.parse_int(request.GET.get("region") or "")
    if region_id is None and selectors.many_units(actor):
        return render(request, "people/overview.html", {"regions": selectors.region_counts(actor=actor)})
    rows = selectors.unit_counts(actor=actor, region_id=region_id)
    return render(request, "people/overview.html", {"rows": rows, "region_filtered": region_id is not None})


@logs_read("competence.matrix")
@requires(P_COMPETENCE_VIEW)
def unit_matrix(request, unit_id):
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_COMPETENCE_VIEW)
    return render(
        request,
        "people/unit.html",
        {
            "unit": unit,
            "m": selectors.unit_matrix(actor=actor, unit=unit),
            "orientations": orientation_selectors.unit_orientations(actor=actor, unit=unit, recent_only=True),
            "training": training_selectors.unit_training_hours(unit=unit, year=timezone.localdate().year),
            "late_discussions": training_selectors.late_discussions_by_unit(unit_ids=[unit.pk]).get(unit.pk, 0),
            "recruitment": training_selectors.recruitment_plans(unit=unit)["current"],
            "can_record": access.can(actor, P_COMPETENCE_RECORD, unit),
        },
    )


@requires(P_COMPETENCE_RECORD)
def requirement(request, unit_id):
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_COMPETENCE_RECORD)
    current = selectors.unit_requirement(unit)
    return form_page(
        request, RequirementForm,
        lambda form: services.requirement_save(actor=actor, unit=unit, **form.cleaned_data),
        template="people/requirement.html", context={"unit": unit},
        initial={"medication_permits": current.medication_permits, "first_aid": current.first_aid},
        success=_("The unit's requirement was saved."), back=reverse("people:unit", kwargs={"unit_id": unit.pk}),
    )


@requires(P_COMPETENCE_VIEW)
def person(request, unit_id, person_id):
    actor = request.user
    unit, someone = selectors.staff_person(actor=actor, unit_id=unit_id, person_id=person_id, request=request)
    return render(
        request,
        "people/person.html",
        {
            "unit": unit,
            "person": someone,
            "records": selectors.person_records(person=someone),
            "trainings": training_selectors.person_trainings(person=someone),
            "discussion": training_selectors.unit_discussions(unit=unit).get(someone.pk),
            "can_record": access.can(actor, P_COMPETENCE_RECORD, unit),
        },
    )


def _active_type(type_id) -> QualificationType:
    qtype = QualificationType.objects.filter(pk=type_id, is_active=True).first()
    if qtype is None:
        raise Http404
    return qtype


def person_form_page(request, form_class, perform, *, unit, person, context=None, **kwargs):
    """A form that records something about `person` of `unit`'s staff (a
    qualification, a training, a development discussion), back to their page."""
    return form_page(
        request, form_class, perform, context={"unit": unit, "person": person, **(context or {})},
        back=reverse("people:person", kwargs={"unit_id": unit.pk, "person_id": person.pk}), **kwargs,
    )


@requires(P_COMPETENCE_RECORD)
def record_new(request, unit_id, person_id, type_id):
    actor = request.user
    unit, someone = selectors.staff_person(actor=actor, unit_id=unit_id, person_id=person_id, perm=P_COMPETENCE_RECORD)
    qtype = _active_type(type_id)
    # A file posted for a type that takes none (the criminal-record check) is
    # handed to the service, which refuses it: nothing is stored.
    return person_form_page(
        request, RecordForm,
        lambda form: services.qualification_record(
            actor=actor, unit=unit, person=someone, qtype=qtype, files=request.FILES.getlist("certificate"),
            **form.service_kwargs(),
        ),
        unit=unit, person=someone, template="people/record_form.html", context={"qtype": qtype},
        form_kwargs={"qtype": qtype}, initial={"done_on": timezone.localdate()},
        success=_("Recorded: %(type)s.") % {"type": qtype.label},
    )


@requires(AUTHENTICATED)
def certificate(request, pk):
    return certificate_response(selectors.certificate_get(actor=request.user, pk=pk, request=request))
