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
    assert services.summary_share(actor=quality_director, summary=summary) == 2  # units reached
    assert not Acknowledgement.objects.filter(target_id=summary.pk).exists()  # the job asks
    asked = services.summary_requests_make()
    asked_people = set(Acknowledgement.objects.filter(target_id=summary.pk).values_list("user_id", flat=True))
    assert {supervisor_b.pk, employee_a.pk, supervisor_a.pk} <= asked_people and asked == len(asked_people)
    # Sharing again asks nobody twice.
    services.summary_share(actor=quality_director, summary=summary)
    assert services.summary_requests_make() == 0


def test_sharing_with_one_service_type_reaches_its_units_only(review_a, supervisor_a, quality_director, unit_a, unit_b, supervisor_b):
    unit_a.service_type, unit_b.service_type = ServiceType.SUBSTITUTE_CARE, ServiceType.OPEN_CARE
    unit_a.save(update_fields=["service_type"])
    unit_b.save(update_fields=["service_type"])
    summary = _completed(review_a, supervisor_a)
    services.summary_share(actor=quality_director, summary=summary, service_type=ServiceType.SUBSTITUTE_CARE)
    services.summary_requests_make()
    assert Acknowledgement.objects.filter(target_id=summary.pk, user=supervisor_a).exists()
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
    assert services.summary_acknowledge(actor=supervisor_b, summary=summary) is False  # not asked yet
    services.summary_requests_make()
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


def test_the_calendar_counts_the_reviews_in_the_database_as_the_duties_say(review_a, unit_a):
    from omavalvonta.yearclock import duties

    due = review_a.due_date
    for day in (due - dt.timedelta(days=60), due - dt.timedelta(days=3), due, due + dt.timedelta(days=1)):
        for unit_ids in (None, [unit_a.pk], [UnitFactory().pk]):
            in_database, from_duties = duties.source_counts_both_ways("learning.review", today=day, unit_ids=unit_ids)
            assert in_database == from_duties, (day, unit_ids)
    in_database, _ = duties.source_counts_both_ways("learning.review", today=due + dt.timedelta(days=1))
    assert in_database == {unit_a.pk: {"due": 0, "late": 1, "oldest": due}}


# --- Sharing: the acknowledgement requests in the background -------------------------------------


def test_sharing_returns_at_once_and_the_job_asks_each_person_once(review_a, supervisor_a, quality_director, supervisor_b):
    from omavalvonta.core import jobs
    from omavalvonta.core.models import AuditEvent

    summary = _completed(review_a, supervisor_a)
    services.summary_share(actor=quality_director, summary=summary)
    summary.refresh_from_db()
    assert summary.requests_pending and summary.requests_by == quality_director
    assert "learning.share_requests" in {job.name for job in jobs.registered()}
    first = services.summary_requests_make()
    summary.refresh_from_db()
    assert first > 0 and not summary.requests_pending
    # Run again (a second worker, a retried pass): nothing more.
    assert services.summary_requests_make() == 0
    assert Acknowledgement.objects.filter(target_id=summary.pk).count() == first
    assert AuditEvent.objects.filter(verb="learning.acknowledgements_requested", target_id=summary.pk).count() == 1


def test_a_claim_another_worker_already_took_is_skipped(review_a, supervisor_a, quality_director, monkeypatch):
    """Two workers read the same pending summary; the one whose conditional
    UPDATE comes second finds the claim gone and asks nobody."""
    from omavalvonta.core.models import AuditEvent

    summary = _completed(review_a, supervisor_a)
    services.summary_share(actor=quality_director, summary=summary)
    real_claim, other = services._claim, []

    def racing(pk, since):
        monkeypatch.setattr(services, "_claim", real_claim)
        other.append(services.summary_requests_make())  # the other worker gets there first
        return real_claim(pk, since)

    monkeypatch.setattr(services, "_claim", racing)
    assert services.summary_requests_make() == 0
    assert other[0] > 0 and Acknowledgement.objects.filter(target_id=summary.pk).count() == other[0]
    assert AuditEvent.objects.filter(verb="learning.acknowledgements_requested", target_id=summary.pk).count() == 1


def test_a_failed_run_leaves_the_requests_pending(review_a, supervisor_a, quality_director, monkeypatch):
    summary = _completed(review_a, supervisor_a)
    services.summary_share(actor=quality_director, summary=summary)

    def broken(**kwargs):
        raise RuntimeError("SMTP down")

    monkeypatch.setattr(services.improvement_services, "acknowledgements_request", broken)
    with pytest.raises(RuntimeError):
        services.summary_requests_make()
    summary.refresh_from_db()
    assert summary.requests_pending  # the claim rolled back with the failure
    monkeypatch.undo()
    assert services.summary_requests_make() > 0


# --- People leave ----------------------------------------------------------------------------------


def test_a_leaving_facilitators_open_reviews_pass_to_the_units_supervisor(
    unit_a, regional_director_a, employee_a, administrator, due
):
    from omavalvonta.core.models import AuditEvent
    from omavalvonta.notifications.models import Notification
    from omavalvonta.organisation.models import Membership
    from omavalvonta.organisation.services import membership_remove

    leader = member(Role.SUPERVISOR, unit=unit_a, full_name="Aaro Ensimmäinen")
    review = services.review_open(
        actor=regional_director_a, unit=unit_a, title="T", facilitator=employee_a, due_date=due
    )
    membership_remove(actor=administrator, membership=Membership.objects.get(user=employee_a, unit=unit_a))
    review.refresh_from_db()
    assert review.facilitator == leader and review.state == State.OPEN
    event = AuditEvent.objects.get(verb="learning.facilitator_passed", target_id=review.pk)
    assert event.data["former"] == employee_a.pk and event.data["facilitator"] == leader.pk
    assert Notification.objects.filter(recipient=leader, kind="learning.facilitator_passed").exists()


def test_without_a_supervisor_the_review_passes_to_its_opener(
    unit_a, supervisor_a, regional_director_a, administrator, due
):
    from omavalvonta.organisation.models import Membership
    from omavalvonta.organisation.services import membership_remove

    review = services.review_open(
        actor=regional_director_a, unit=unit_a, title="T", facilitator=supervisor_a, due_date=due
    )
    # The facilitator is the unit's only supervisor.
    membership_remove(actor=administrator, membership=Membership.objects.get(user=supervisor_a, unit=unit_a))
    review.refresh_from_db()
    assert review.facilitator == regional_director_a


def test_a_facilitator_still_in_the_unit_keeps_the_review_and_completed_ones_stay(
    unit_a, supervisor_a, regional_director_a, employee_a, administrator, due
):
    from omavalvonta.organisation.models import Membership
    from omavalvonta.organisation.services import membership_remove

    review = services.review_open(
        actor=regional_director_a, unit=unit_a, title="T", facilitator=employee_a, due_date=due
    )
    done = services.review_open(actor=regional_director_a, unit=unit_a, title="D", facilitator=employee_a, due_date=due)
    answer_all(done, employee_a)
    services.review_complete(actor=employee_a, review=done, summary="Yhteenveto.")
    extra = Membership.objects.create(user=employee_a, role=Role.RESPONSIBLE_PERSON, unit=unit_a)
    membership_remove(actor=administrator, membership=Membership.objects.get(user=employee_a, role=Role.EMPLOYEE))
    review.refresh_from_db()
    assert review.facilitator == employee_a  # still works in the unit
    membership_remove(actor=administrator, membership=extra)
    review.refresh_from_db()
    done.refresh_from_db()
    assert review.facilitator == supervisor_a
    assert done.facilitator == employee_a  # a completed review keeps its history


def test_a_deactivated_facilitators_organisation_wide_review_passes_to_its_opener(quality_director, administrator, due):
    from omavalvonta.organisation.services import person_update

    facilitator = member(Role.SAFETY_MANAGER)
    review = services.review_open(actor=quality_director, unit=None, title="Koko konserni", facilitator=facilitator,
                                  due_date=due)
    person_update(actor=administrator, person=facilitator, is_active=False)
    review.refresh_from_db()
    assert review.facilitator == quality_director
