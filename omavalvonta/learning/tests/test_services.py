"""The rules of learning reviews: who may open, facilitate, share and
acknowledge; completing needs the summary; an origin the actor may not use is
refused."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from omavalvonta.core import registry
from omavalvonta.improvement.models import Acknowledgement, Action
from omavalvonta.learning import selectors, services
from omavalvonta.learning.models import State
from omavalvonta.learning.tests.conftest import answer_all
from omavalvonta.organisation.models import Role, ServiceType
from omavalvonta.testing.factories import UnitFactory, member

pytestmark = pytest.mark.django_db


def test_a_regional_director_opens_a_review_in_their_region(review_a, unit_a, supervisor_a, employee_a, deviation_a):
    assert review_a.state == State.OPEN and review_a.unit == unit_a
    assert review_a.facilitator == supervisor_a
    assert list(review_a.participants.all()) == [employee_a]
    assert list(review_a.deviations.values_list("pk", flat=True)) == [deviation_a.pk]


def test_a_supervisor_may_not_open_one_from_scratch(unit_a, supervisor_a, due):
    with pytest.raises(PermissionDenied):
        services.review_open(actor=supervisor_a, unit=unit_a, title="T", facilitator=supervisor_a, due_date=due)


def test_only_organisation_wide_openers_open_a_review_without_a_unit(quality_director, regional_director_a, due):
    review = services.review_open(actor=quality_director, unit=None, title="Koko konserni", facilitator=quality_director, due_date=due)
    assert review.unit is None
    with pytest.raises(PermissionDenied):
        services.review_open(actor=regional_director_a, unit=None, title="T", facilitator=regional_director_a, due_date=due)


def test_the_deviations_handler_opens_one_from_the_report(unit_a, supervisor_a, deviation_a, due):
    review = services.review_open(
        actor=supervisor_a, unit=unit_a, title="T", facilitator=supervisor_a, due_date=due,
        deviation_ids=[deviation_a.pk], origin=f"deviation:{deviation_a.pk}",
    )
    assert review.origin == f"deviation:{deviation_a.pk}"


def test_an_origin_the_actor_may_not_use_is_refused(unit_a, unit_b, supervisor_b, employee_a, deviation_a, due):
    for actor, origin in ((supervisor_b, f"deviation:{deviation_a.pk}"), (employee_a, f"deviation:{deviation_a.pk}"),
                          (supervisor_b, "nosuch:1"), (supervisor_b, "deviation:999999"), (supervisor_b, "deviation:x")):
        with pytest.raises(ValidationError) as error:
            services.review_open(actor=actor, unit=unit_a, title="T", facilitator=actor, due_date=due, origin=origin)
        assert "origin" in error.value.message_dict


def test_the_origin_provider_suggests_title_deviations_and_unit(supervisor_a, deviation_a, unit_a):
    data = selectors.origin_resolve(f"deviation:{deviation_a.pk}", actor=supervisor_a)
    assert data["deviation_ids"] == [deviation_a.pk] and data["units"] == [unit_a]
    assert deviation_a.number in data["title"]


def test_any_registered_origin_works(quality_director, unit_a, deviation_a, due):
    before = registry.snapshot(registry.LEARNING_ORIGINS)
    registry.register(
        registry.LEARNING_ORIGINS, "theme",
        lambda *, actor, ref: {"title": f"Teema {ref}", "deviation_ids": [deviation_a.pk], "units": [unit_a]} if ref == 7 else None,
    )
    try:
        data = selectors.origin_resolve("theme:7", actor=quality_director)
        assert data["title"] == "Teema 7"
        review = services.review_open(
            actor=quality_director, unit=None, title=data["title"], facilitator=quality_director, due_date=due,
            deviation_ids=data["deviation_ids"], origin="theme:7",
        )
        assert review.origin == "theme:7"
        assert selectors.origin_resolve("theme:8", actor=quality_director) is None
    finally:
        registry.restore(registry.LEARNING_ORIGINS, before)


def test_deviations_the_actor_may_not_see_are_refused(unit_a, unit_b, regional_director_a, supervisor_a, due):
    from omavalvonta.deviations.services import deviation_submit
    from omavalvonta.testing.factories import deviation_kwargs

    other = deviation_submit(actor=member(Role.EMPLOYEE, unit=unit_b), **deviation_kwargs(unit_b)).deviation
    with pytest.raises(ValidationError) as error:
        services.review_open(
            actor=regional_director_a, unit=unit_a, title="T", facilitator=supervisor_a, due_date=due,
            deviation_ids=[other.pk],
        )
    assert "deviations" in error.value.message_dict


def test_people_must_work_in_the_unit_and_the_date_not_be_past(unit_a, regional_director_a, supervisor_b):
    with pytest.raises(ValidationError) as error:
        services.review_open(
            actor=regional_director_a, unit=unit_a, title="", facilitator=supervisor_b, participants=[supervisor_b],
            due_date=dt.date(2020, 1, 1),
        )
    assert set(error.value.message_dict) == {"title", "facilitator", "participants", "due_date"}


def test_only_the_facilitator_writes_the_answers(review_a, supervisor_a, regional_director_a):
    with pytest.raises(PermissionDenied):
        answer_all(review_a, regional_director_a)
    answer_all(review_a, supervisor_a)
    review_a.refresh_from_db()
    assert review_a.learned == "Tarkistuslista vuoronvaihtoon."


def test_completing_needs_the_summary_and_what_we_learn(review_a, supervisor_a, employee_a):
    with pytest.raises(ValidationError) as error:
        services.review_complete(actor=supervisor_a, review=review_a, summary="  ")
    assert "summary" in error.value.message_dict and "__all__" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.review_complete(actor=employee_a, review=review_a, summary="Yhteenveto")
    answer_all(review_a, supervisor_a)
    summary = services.review_complete(actor=supervisor_a, review=review_a, summary="Vuoronvaihtoon tarkistuslista.")
    review_a.refresh_from_db()
    assert review_a.state == State.COMPLETED and summary.title == review_a.title
    with pytest.raises(ValidationError):
        services.review_complete(actor=supervisor_a, review=review_a, summary="Taas")


def test_actions_go_through_improvement_with_the_review_as_source(review_a, supervisor_a, employee_a, unit_a, unit_b, due):
    action = services.review_action_add(
        actor=supervisor_a, review=review_a, unit=unit_a, title="Tarkistuslista", owner=employee_a, due_date=due
    )
    assert Action.objects.get(pk=action.pk).source_id == review_a.pk
    assert selectors.review_actions(actor=supervisor_a, review=review_a) == [action]
    with pytest.raises(ValidationError):
        services.review_action_add(actor=supervisor_a, review=review_a, unit=unit_b, title="X", owner=employee_a, due_date=due)
    with pytest.raises(PermissionDenied):
        services.review_action_add(actor=employee_a, review=review_a, unit=unit_a, title="X", owner=employee_a, due_date=due)


def _completed(review, facilitator):
    answer_all(review, facilitator)
    return services.review_complete(actor=facilitator, review=review, summary="Tarkistuslista vuoronvaihtoon.")


def test_only_the_quality_director_shares_and_the_units_staff_are_asked(
    review_a, supervisor_a, regional_director_a, quality_director, unit_a, unit_b, supervisor_b, employee_a
):
    summary = _completed(review_a, supervisor_a)
    with pytest.raises(PermissionDenied):
        services.summary_share(actor=regional_director_a, summary=summary)
    asked = services.summary_share(actor=quality_director, summary=summary)
    asked_people = set(Acknowledgement.objects.filter(target_id=summary.pk).values_list("user_id", flat=True))
    assert {supervisor_b.pk, employee_a.pk, supervisor_a.pk} <= asked_people and asked == len(asked_people)
    # Sharing again asks nobody twice.
    assert services.summary_share(actor=quality_director, summary=summary) == 0


def test_sharing_with_one_service_type_reaches_its_units_only(review_a, supervisor_a, quality_director, unit_a, unit_b, supervisor_b):
    unit_a.service_type, unit_b.service_type = ServiceType.SUBSTITUTE_CARE, ServiceType.OPEN_CARE
    unit_a.save(update_fields=["service_type"])
    unit_b.save(update_fields=["service_type"])
    summary = _completed(review_a, supervisor_a)
    services.summary_share(actor=quality_director, summary=summary, service_type=ServiceType.SUBSTITUTE_CARE)
    assert not Acknowledgement.objects.filter(target_id=summary.pk, user=supervisor_b).exists()
    with pytest.raises(Http404):
        selectors.summary_get(actor=supervisor_b, pk=summary.pk)
    with pytest.raises(ValidationError):
        services.summary_share(actor=quality_director, summary=summary, service_type="nonsense")


def test_a_supervisor_of_another_unit_reads_and_acknowledges_the_shared_summary(
    review_a, supervisor_a, quality_director, supervisor_b
):
    summary = _completed(review_a, supervisor_a)
    with pytest.raises(Http404):
        selectors.summary_get(actor=supervisor_b, pk=summary.pk)  # not shared yet
    services.summary_share(actor=quality_director, summary=summary)
    assert selectors.summary_get(actor=supervisor_b, pk=summary.pk) == summary
    assert services.summary_acknowledge(actor=supervisor_b, summary=summary) is True
    assert services.summary_acknowledge(actor=supervisor_b, summary=summary) is False
    ack = Acknowledgement.objects.get(target_id=summary.pk, user=supervisor_b)
    assert ack.acknowledged_at is not None
    # The review itself stays in its unit.
    assert not selectors.reviews_visible(actor=supervisor_b).filter(pk=review_a.pk).exists()


def test_who_reads_a_review(review_a, employee_a, supervisor_b, quality_director, unit_a):
    visible = lambda actor: selectors.reviews_visible(actor=actor).filter(pk=review_a.pk).exists()  # noqa: E731
    assert visible(employee_a)  # a participant
    assert visible(quality_director)
    assert not visible(supervisor_b)
    assert not visible(member(Role.EMPLOYEE, unit=unit_a))


def test_duties_remind_of_open_reviews_past_due(review_a, supervisor_a, unit_a):
    from omavalvonta.learning.plugs import review_duties

    late_day = review_a.due_date + dt.timedelta(days=1)
    duties = review_duties(today=late_day)
    assert [(d.unit_id, d.owner_id, d.late) for d in duties] == [(unit_a.pk, supervisor_a.pk, True)]
    assert review_duties(today=review_a.due_date - dt.timedelta(days=10)) == []
    assert review_duties(today=late_day, unit_ids=[UnitFactory().pk]) == []
