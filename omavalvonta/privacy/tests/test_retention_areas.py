"""The complaints and the learning reviews in privacy's table (registry.RETENTION,
SUBJECT_DATA, SUBJECT_ACTIONS): answered complaints and completed reviews fall
due from the answer and the completion, go with their summary, its
acknowledgements and their audit trail; unanswered and open ones never; the
access request's compile finds them, another complainant's name redacted."""

import datetime as dt

import pytest
from django.utils import timezone

from omavalvonta.complaints import services as complaint_services
from omavalvonta.complaints.models import Complaint
from omavalvonta.core import registry
from omavalvonta.core.models import AuditEvent
from omavalvonta.improvement.models import Acknowledgement, Action
from omavalvonta.improvement.services import acknowledgements_request
from omavalvonta.learning import services as learning_services
from omavalvonta.learning.models import LearningReview, LearningSummary
from omavalvonta.learning.tests.conftest import answer_all
from omavalvonta.privacy import services
from omavalvonta.privacy.compile import compile_person
from omavalvonta.privacy.retention_defaults import DEFAULTS
from omavalvonta.privacy.tests.conftest import destroyed_in_one_run
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = pytest.mark.django_db


def _complaint(actor, unit, **overrides):
    kwargs = {
        "received_on": timezone.localdate(), "received_via": "letter", "complainant_kind": "guardian",
        "complainant_name": "Maija Muistuttaja", "complainant_contact": "maija@example.test",
        "subject": "Lapsen puhelin otettiin pois viikoksi.", "handler": actor,
    }
    kwargs.update(overrides)
    return complaint_services.complaint_register(actor=actor, unit=unit, **kwargs)


def _answer(actor, complaint):
    complaint_services.complaint_answer(
        actor=actor, complaint=complaint, answered_on=timezone.localdate(), answer_summary="Pahoittelimme; ohje päivitetty.",
    )
    complaint.refresh_from_db()
    return complaint


def _review(unit, opener, facilitator, participants):
    from omavalvonta.deviations.services import deviation_submit

    deviation = deviation_submit(actor=participants[0], **deviation_kwargs(unit)).deviation
    return learning_services.review_open(
        actor=opener, unit=unit, title="Iltalääkkeet", facilitator=facilitator, participants=participants,
        due_date=timezone.localdate() + dt.timedelta(days=14), deviation_ids=[deviation.pk],
    )


def test_both_have_a_default_with_its_source():
    names = {e.name for e in registry.entries(registry.RETENTION)}
    assert {"complaint", "learning_review", "childrens_meeting"} <= names
    for name in ("complaint", "learning_review", "childrens_meeting"):
        assert DEFAULTS[name].months == 120 and "GDPR art. 5(1)(e)" in str(DEFAULTS[name].source)


def test_answered_complaints_and_completed_reviews_fall_due_and_go_with_their_dependants(
        dpo, unit_a, supervisor_a, regional_director_a, employee_a, quality_director):
    answered = _answer(supervisor_a, _complaint(supervisor_a, unit_a))
    action = complaint_services.complaint_action_create(
        actor=supervisor_a, complaint=answered, title="Päivitetään ohje", owner=employee_a,
        due_date=timezone.localdate() + dt.timedelta(days=10),
    )
    unanswered = _complaint(supervisor_a, unit_a)
    completed = _review(unit_a, regional_director_a, supervisor_a, [employee_a])
    answer_all(completed, supervisor_a)
    summary = learning_services.review_complete(actor=supervisor_a, review=completed, summary="Tarkistuslista vuoronvaihtoon.")
    acknowledgements_request(actor=quality_director, unit=unit_a, target=summary, users=[employee_a])
    still_open = _review(unit_a, regional_director_a, supervisor_a, [employee_a])
    for record_type in ("complaint", "learning_review"):
        services.retention_rule_set(actor=dpo, record_type=record_type, months=12, basis="Testi: lyhyt aika")
    long_ago = timezone.now() - dt.timedelta(days=800)
    Complaint.objects.filter(pk=answered.pk).update(answered_on=long_ago.date(), received_on=long_ago.date())
    LearningReview.objects.filter(pk=completed.pk).update(completed_at=long_ago)

    destroyed_in_one_run(
        dpo, due=[("complaint", answered.pk), ("learning_review", completed.pk)],
        kept=[("complaint", unanswered.pk), ("learning_review", still_open.pk)],
    )

    assert not Complaint.objects.filter(pk=answered.pk).exists() and Complaint.objects.filter(pk=unanswered.pk).exists()
    assert not AuditEvent.objects.filter(verb__startswith="complaint", target_id=answered.pk).exists()
    action.refresh_from_db()
    assert action.source_id is None  # the action stays, no longer pointing at the destroyed complaint
    assert Action.objects.filter(pk=action.pk).exists()
    assert not LearningReview.objects.filter(pk=completed.pk).exists()
    assert LearningReview.objects.filter(pk=still_open.pk).exists()
    assert not LearningSummary.objects.filter(pk=summary.pk).exists()
    assert not Acknowledgement.objects.filter(target_id=summary.pk, user=employee_a).exists()


def test_the_compile_finds_complaints_and_reviews_with_another_complainant_redacted(
        unit_a, supervisor_a, regional_director_a, employee_a):
    _complaint(supervisor_a, unit_a)
    _review(unit_a, regional_director_a, supervisor_a, [employee_a])
    handler_view = compile_person(supervisor_a)
    sections = {s["key"]: s for s in handler_view["sections"]}
    complaint_item = sections["complaints.complaints"]["items"][0]
    fields = dict(complaint_item["fields"])
    assert fields["Complainant"] == "[…]" and "Maija" not in str(handler_view["sections"])
    assert any(r["what"] == "Complainant" for r in handler_view["redactions"])
    assert sections["learning.reviews"]["items"][0]["title"] == "Iltalääkkeet"
    participant_view = {s["key"]: s for s in compile_person(employee_a)["sections"]}
    assert "a participant" in str(participant_view["learning.reviews"]["items"][0]["fields"])
    assert "complaints.complaints" not in participant_view


def test_a_complainant_who_is_a_person_in_the_product_sees_their_own_name(unit_a, supervisor_a, employee_a):
    _complaint(supervisor_a, unit_a, complainant_name=employee_a.full_name)
    sections = {s["key"]: s for s in compile_person(employee_a)["sections"]}
    fields = dict(sections["complaints.complaints"]["items"][0]["fields"])
    assert fields["Complainant"] == employee_a.full_name and fields["How it names you"] == "the complainant"


def test_a_participants_part_in_a_review_may_be_erased(dpo, unit_a, supervisor_a, regional_director_a, employee_a):
    review = _review(unit_a, regional_director_a, supervisor_a, [employee_a])
    entry = registry.get(registry.SUBJECT_ACTIONS, "learning.participation")
    items = entry.func(person=employee_a)
    assert [i.key for i in items] == [str(review.pk)] and items[0].erase
    assert entry.func(person=supervisor_a) == []  # the facilitator is not a participant: kept
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        entry.apply(actor=dpo, person=supervisor_a, key=str(review.pk), action="erase", value="")
    entry.apply(actor=dpo, person=employee_a, key=str(review.pk), action="erase", value="")
    assert not review.participants.filter(pk=employee_a.pk).exists()
    assert AuditEvent.objects.filter(verb="learning.participant_erased", target_id=review.pk).exists()


def test_childrens_meetings_fall_due_from_the_meeting(dpo, unit_a, supervisor_a):
    from omavalvonta.meetings.models import ChildrensMeeting

    old = ChildrensMeeting.objects.create(
        unit=unit_a, held_on=timezone.localdate() - dt.timedelta(days=800), topics="Kotiintuloajat",
        created_by=supervisor_a,
    )
    recent = ChildrensMeeting.objects.create(
        unit=unit_a, held_on=timezone.localdate(), topics="Retki", created_by=supervisor_a,
    )
    services.retention_rule_set(actor=dpo, record_type="childrens_meeting", months=12, basis="Testi: lyhyt aika")
    destroyed_in_one_run(dpo, due=[("childrens_meeting", old.pk)], kept=[("childrens_meeting", recent.pk)])
    assert not ChildrensMeeting.objects.filter(pk=old.pk).exists()
    assert ChildrensMeeting.objects.filter(pk=recent.pk).exists()
