"""The guidance services: registering, the response loop, actions, instructions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from omavalvonta.core.selectors import audit_events_for
from omavalvonta.guidance import selectors, services
from omavalvonta.guidance.models import Guidance, GuidanceAttachment, Kind, State
from omavalvonta.guidance.tests.conftest import PDF
from omavalvonta.improvement.models import Acknowledgement, Action
from omavalvonta.improvement.selectors import acknowledgement_progress
from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import member

pytestmark = pytest.mark.django_db


# --- Registering ------------------------------------------------------------------------


def test_quality_director_registers_a_request_for_explanation_with_an_attachment(register, quality_director, unit_a, responsible_a):
    pdf = SimpleUploadedFile("kirje.pdf", PDF, content_type="application/pdf")
    g = register(quality_director, units=[unit_a], assignee=responsible_a, attachments=[pdf])
    assert g.state == State.REGISTERED
    assert g.unit == unit_a
    assert list(g.units.all()) == [unit_a]
    assert GuidanceAttachment.objects.get(guidance=g).original_name == "kirje.pdf"
    assert Notification.objects.filter(recipient=responsible_a, kind="guidance.assigned").count() == 1
    assert [e.verb for e in audit_events_for(g)] == ["guidance.registered", "guidance.assigned"]


def test_a_request_for_explanation_needs_a_deadline(register, quality_director, unit_a):
    with pytest.raises(ValidationError) as error:
        register(quality_director, units=[unit_a], deadline=None)
    assert "deadline" in error.value.message_dict


def test_guidance_without_a_deadline_is_fine(register, quality_director, unit_a):
    g = register(quality_director, units=[unit_a], kind=Kind.GUIDANCE, deadline=None)
    assert g.deadline is None


@pytest.mark.parametrize("both", [True, False])
def test_the_sender_is_exactly_one_of_authority_and_county(both, quality_director, unit_a, authority, county):
    from omavalvonta.guidance.tests.conftest import register_kwargs

    kwargs = register_kwargs(units=[unit_a], authority=authority if both else None, county=county if both else None)
    with pytest.raises(ValidationError) as error:
        services.guidance_register(actor=quality_director, **kwargs)
    assert "sender" in error.value.message_dict


def test_the_database_refuses_two_senders(quality_director, authority, county):
    with pytest.raises(IntegrityError), transaction.atomic():
        Guidance.objects.create(
            kind=Kind.GUIDANCE, authority=authority, county=county, received_on=timezone.localdate(),
            title="x", content="x", registered_by=quality_director, applies_to_all_units=True,
        )


def test_a_county_can_be_the_sender(register, quality_director, unit_a, county):
    g = register(quality_director, units=[unit_a], county=county)
    assert g.sender == county and g.authority is None


def test_units_or_all_units_must_be_chosen(register, quality_director):
    with pytest.raises(ValidationError) as error:
        register(quality_director, units=[])
    assert "units" in error.value.message_dict


def test_a_renamed_file_is_refused(register, quality_director, unit_a):
    fake = SimpleUploadedFile("kirje.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        register(quality_director, units=[unit_a], attachments=[fake])
    assert "attachments" in error.value.message_dict


def test_responsible_person_registers_for_own_unit_only(register, responsible_a, unit_a, unit_b):
    assert register(responsible_a, units=[unit_a]).pk
    with pytest.raises(PermissionDenied):
        register(responsible_a, units=[unit_a, unit_b])


def test_group_wide_items_need_an_organisation_wide_grant(register, responsible_a, quality_director, unit_a):
    with pytest.raises(PermissionDenied):
        register(responsible_a, units=[unit_a], applies_to_all_units=True)
    g = register(quality_director, units=[unit_a], applies_to_all_units=True)
    assert g.applies_to_all_units and g.unit is None


def test_supervisor_cannot_register(register, supervisor_a, unit_a):
    with pytest.raises(PermissionDenied):
        register(supervisor_a, units=[unit_a])


# --- Visibility -------------------------------------------------------------------------


def test_unit_item_is_visible_in_its_unit_only(register, quality_director, unit_a, supervisor_a, supervisor_b):
    g = register(quality_director, units=[unit_a])
    assert list(selectors.guidance_visible(actor=supervisor_a)) == [g]
    assert list(selectors.guidance_visible(actor=supervisor_b)) == []


def test_all_units_item_is_visible_to_both_units(register, quality_director, unit_a, supervisor_a, supervisor_b):
    g = register(quality_director, units=[unit_a], applies_to_all_units=True)
    assert list(selectors.guidance_visible(actor=supervisor_a)) == [g]
    assert list(selectors.guidance_visible(actor=supervisor_b)) == [g]


def test_employees_do_not_see_the_register(register, quality_director, unit_a, employee_a):
    register(quality_director, units=[unit_a], applies_to_all_units=True)
    assert list(selectors.guidance_visible(actor=employee_a)) == []


def test_a_multi_unit_item_is_listed_once(register, quality_director, unit_a, unit_b):
    g = register(quality_director, units=[unit_a, unit_b])
    assert g.unit is None
    assert list(selectors.guidance_list(actor=quality_director)) == [g]


# --- The response loop ------------------------------------------------------------------


def test_response_is_prepared_reviewed_returned_and_approved(register, quality_director, responsible_a, unit_a, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    g = register(quality_director, units=[unit_a], assignee=responsible_a)

    services.guidance_response_save(actor=responsible_a, guidance=g, response="Luonnos")
    assert g.state == State.RESPONSE_IN_PREPARATION and g.response == "Luonnos"

    time_machine.move_to(dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False)
    services.guidance_response_submit(actor=responsible_a, guidance=g, response="Vastaus v1")
    g.refresh_from_db()
    assert g.state == State.RESPONSE_IN_REVIEW
    assert g.response_submitted_at == dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC)
    assert Notification.objects.filter(recipient=quality_director, kind="guidance.review_requested").exists()
    with pytest.raises(ValidationError):
        services.guidance_response_save(actor=responsible_a, guidance=g, response="kesken arvion")

    services.guidance_review(actor=quality_director, guidance=g, approve=False, comment="Lisää vuorolistat.")
    g.refresh_from_db()
    assert g.state == State.RESPONSE_IN_PREPARATION
    assert g.review_comment == "Lisää vuorolistat."
    assert g.reviewed_by == quality_director and g.reviewed_at is not None
    assert g.response_date is None
    assert Notification.objects.filter(recipient=responsible_a, kind="guidance.response_returned").exists()

    time_machine.move_to(dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC), tick=False)
    services.guidance_response_submit(actor=responsible_a, guidance=g, response="Vastaus v2 ja vuorolistat")
    services.guidance_review(actor=quality_director, guidance=g, approve=True)
    g.refresh_from_db()
    assert g.state == State.RESPONDED
    assert g.response_date == dt.date(2026, 3, 5)
    assert g.reviewed_at == dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)
    assert [e.verb for e in audit_events_for(g)][-2:] == ["guidance.response_submitted", "guidance.response_approved"]

    services.guidance_close(actor=quality_director, guidance=g)
    assert g.state == State.CLOSED


def test_returning_needs_a_comment(register, quality_director, responsible_a, unit_a):
    g = register(quality_director, units=[unit_a], assignee=responsible_a)
    services.guidance_response_submit(actor=responsible_a, guidance=g, response="Vastaus")
    with pytest.raises(ValidationError):
        services.guidance_review(actor=quality_director, guidance=g, approve=False, comment="")


def test_an_empty_response_cannot_be_submitted(register, quality_director, responsible_a, unit_a):
    g = register(quality_director, units=[unit_a], assignee=responsible_a)
    with pytest.raises(ValidationError):
        services.guidance_response_submit(actor=responsible_a, guidance=g, response="  ")


@pytest.mark.parametrize("who", ["responsible_a", "supervisor_a", "regional_director_a"])
def test_only_the_quality_director_reviews(who, request, register, quality_director, responsible_a, unit_a):
    g = register(quality_director, units=[unit_a], assignee=responsible_a)
    services.guidance_response_submit(actor=responsible_a, guidance=g, response="Vastaus")
    with pytest.raises(PermissionDenied):
        services.guidance_review(actor=request.getfixturevalue(who), guidance=g, approve=True)


def test_supervisor_cannot_prepare_the_response(register, quality_director, supervisor_a, unit_a):
    g = register(quality_director, units=[unit_a])
    with pytest.raises(PermissionDenied):
        services.guidance_response_save(actor=supervisor_a, guidance=g, response="x")


def test_an_unanswered_request_cannot_be_closed(register, quality_director, unit_a):
    g = register(quality_director, units=[unit_a])
    with pytest.raises(ValidationError):
        services.guidance_close(actor=quality_director, guidance=g)


def test_assignee_must_manage_one_of_the_units(register, quality_director, unit_a, unit_b, supervisor_a):
    responsible_b = member(Role.RESPONSIBLE_PERSON, unit=unit_b)
    g = register(quality_director, units=[unit_a])
    for person in (supervisor_a, responsible_b):
        with pytest.raises(ValidationError):
            services.guidance_assign(actor=quality_director, guidance=g, assignee=person)


# --- Actions and instructions ------------------------------------------------------------


def test_an_action_links_back_to_the_item(register, quality_director, responsible_a, supervisor_a, unit_a):
    g = register(quality_director, units=[unit_a])
    due = timezone.localdate() + dt.timedelta(days=14)
    action = services.guidance_action_add(
        actor=responsible_a, guidance=g, unit=unit_a, title="Yövuoron mitoitus kahteen", owner=supervisor_a, due_date=due
    )
    assert action.unit == unit_a and action.source_id == g.pk
    assert Action.objects.filter(source_id=g.pk, owner=supervisor_a).count() == 1


def test_an_action_must_be_in_one_of_the_items_units(register, quality_director, supervisor_b, unit_a, unit_b):
    g = register(quality_director, units=[unit_a])
    with pytest.raises(ValidationError):
        services.guidance_action_add(
            actor=quality_director, guidance=g, unit=unit_b, title="x", owner=supervisor_b,
            due_date=timezone.localdate() + dt.timedelta(days=3),
        )


def test_issuing_instructions_asks_the_staff_of_each_affected_unit(
    register, quality_director, unit_a, unit_b, employee_a, colleague_a, supervisor_a, supervisor_b
):
    g = register(quality_director, units=[unit_a], kind=Kind.GUIDANCE, deadline=None)
    asked = services.guidance_instructions_issue(actor=quality_director, guidance=g, instructions="Uusi ohje.")
    assert asked == 3
    people = set(Acknowledgement.objects.filter(target_id=g.pk).values_list("user_id", "unit_id"))
    assert people == {(employee_a.pk, unit_a.pk), (colleague_a.pk, unit_a.pk), (supervisor_a.pk, unit_a.pk)}
    assert g.state == State.INSTRUCTIONS_ISSUED
    assert acknowledgement_progress(target=g) == (0, 3)
    # Issuing again asks nobody twice.
    assert services.guidance_instructions_issue(actor=quality_director, guidance=g, instructions="Tarkennettu.") == 0


def test_group_wide_instructions_reach_every_unit(register, quality_director, unit_a, unit_b, employee_a, supervisor_b):
    g = register(quality_director, units=[unit_a], kind=Kind.DECISION, deadline=None, applies_to_all_units=True)
    services.guidance_instructions_issue(actor=quality_director, guidance=g, instructions="Koko konsernia koskeva ohje.")
    asked = dict(Acknowledgement.objects.filter(target_id=g.pk).values_list("user_id", "unit_id"))
    assert asked == {employee_a.pk: unit_a.pk, supervisor_b.pk: unit_b.pk}


def test_supervisor_cannot_issue_instructions(register, quality_director, supervisor_a, unit_a):
    g = register(quality_director, units=[unit_a], kind=Kind.GUIDANCE, deadline=None)
    with pytest.raises(PermissionDenied):
        services.guidance_instructions_issue(actor=supervisor_a, guidance=g, instructions="x")


# --- Agenda hook ------------------------------------------------------------------------


def test_agenda_lists_recent_items_of_the_unit_and_group_wide_ones(
    register, quality_director, supervisor_a, unit_a, unit_b, time_machine
):
    time_machine.move_to(dt.datetime(2025, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False)
    old = register(quality_director, units=[unit_a], kind=Kind.GUIDANCE, deadline=None)
    time_machine.move_to(dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC), tick=False)
    mine = register(quality_director, units=[unit_a], kind=Kind.GUIDANCE, deadline=None)
    group = register(quality_director, units=[unit_b], kind=Kind.DECISION, deadline=None, applies_to_all_units=True)
    register(quality_director, units=[unit_b], kind=Kind.GUIDANCE, deadline=None)
    assert {g.pk for g in selectors.guidance_for_agenda(actor=supervisor_a, unit=unit_a)} == {mine.pk, group.pk}
    # Instructions issued recently bring an older item back.
    services.guidance_instructions_issue(actor=quality_director, guidance=old, instructions="Ohje")
    assert old.pk in {g.pk for g in selectors.guidance_for_agenda(actor=supervisor_a, unit=unit_a)}


def test_agenda_is_empty_for_a_unit_outside_the_actors_rights(register, quality_director, supervisor_b, unit_a):
    register(quality_director, units=[unit_a], kind=Kind.GUIDANCE, deadline=None)
    assert selectors.guidance_for_agenda(actor=supervisor_b, unit=unit_a) == []


def test_the_models_and_migrations_agree():
    from io import StringIO

    from django.core.management import call_command

    call_command("makemigrations", "guidance", "--check", "--dry-run", stdout=StringIO())
