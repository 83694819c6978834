"""The register of data-subject requests: registering, the deadline and its
extension, statuses, reminders and escalation, only for the DPO and the
administrators; bad input keeps what was typed."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from omavalvonta.core.models import AuditEvent
from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Role
from omavalvonta.privacy import reminders, services
from omavalvonta.privacy.models import RequestKind, RequestStatus, SubjectRequest, SubjectRequestNotice
from omavalvonta.privacy.tests.conftest import day
from omavalvonta.testing.concurrency import run_side_by_side
from omavalvonta.testing.factories import member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]

DAY0 = dt.date(2026, 1, 5)


def register(actor, kind=RequestKind.ACCESS, person=None, **extra):
    data = {"received_on": DAY0, "identity_method": "in_person", "today": DAY0, **extra}
    if person is None and "outside_name" not in extra:
        data["outside_name"] = "Maija Meikäläinen"
    return services.subject_request_register(actor=actor, kind=kind, person=person, **data)


def at(d: dt.date) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day, 8, tzinfo=dt.UTC)


# --- Scenarios per request type ----------------------------------------------------------


@pytest.mark.parametrize("kind", RequestKind.values)
def test_scenario_each_request_type_received_extended_refused_late_and_escalated(kind, dpo, administrator):
    management = member(Role.MANAGEMENT_GROUP, full_name="Johanna Johto")
    request = register(dpo, kind=kind)
    assert request.due_on == dt.date(2026, 2, 5)  # day 0 + one month
    assert request.status == RequestStatus.RECEIVED

    # Day 20: the person is told of a two-month extension, with reasons: accepted.
    services.subject_request_extend(
        actor=dpo, request=request, months=2, notice_on=day(20), reasons="Pyyntö koskee usean vuoden aineistoa."
    )
    request.refresh_from_db()
    assert request.due_on == dt.date(2026, 4, 5)  # three months from receipt: day 90
    assert (request.due_on - DAY0).days == 90

    # Day 40: another extension notice is refused with a clear message.
    other = register(dpo, kind=kind)
    with pytest.raises(ValidationError) as refused:
        services.subject_request_extend(actor=dpo, request=other, months=1, notice_on=day(40), reasons="Kiire.")
    assert "within one month of receipt, by 5.2.2026" in refused.value.message_dict["notice_on"][0]
    other.refresh_from_db()
    assert other.due_on == dt.date(2026, 2, 5) and other.extension_months == 0

    # Without the extension `other` must be answered by day 31 (answered late here, on day 45).
    services.subject_request_status(actor=dpo, request=other, status="answered", answered_on=day(45), today=day(45))

    # Reminded a week before the extended due date, escalated once past day 90.
    assert reminders.subject_requests_remind(now=at(day(82))) == 0  # eight days before: not yet
    assert reminders.subject_requests_remind(now=at(day(83))) == 1  # the reminder to the DPO
    assert list(Notification.objects.values_list("recipient", "kind")) == [(dpo.pk, "subject_request.reminder")]
    assert reminders.subject_requests_remind(now=at(day(90))) == 0  # due today: not late yet
    assert reminders.subject_requests_remind(now=at(day(91))) == 2  # past day 90: the management group and the DPO
    escalated = set(Notification.objects.filter(kind="subject_request.escalation").values_list("recipient", flat=True))
    assert escalated == {management.pk, dpo.pk}
    assert reminders.subject_requests_remind(now=at(day(95))) == 0  # once
    assert AuditEvent.objects.filter(verb="subject_request.escalated", target_id=request.pk).count() == 1

    # Answered late, or refused with its legal reason: closed.
    if kind == RequestKind.OBJECTION:
        services.subject_request_status(
            actor=dpo, request=request, status="refused", answered_on=day(92), refusal_reason="legal_claims", today=day(92)
        )
        request.refresh_from_db()
        assert request.refusal_reason == "legal_claims"
    else:
        services.subject_request_status(actor=dpo, request=request, status="answered", answered_on=day(92), today=day(92))
    assert not SubjectRequest.objects.get(pk=request.pk).is_open


def test_the_last_day_of_the_first_month_still_allows_an_extension_and_the_next_does_not(dpo):
    request = register(dpo, received_on=dt.date(2027, 1, 31), today=dt.date(2027, 1, 31))
    assert request.due_on == dt.date(2027, 2, 28)
    with pytest.raises(ValidationError):
        services.subject_request_extend(actor=dpo, request=request, months=1, notice_on=dt.date(2027, 3, 1), reasons="x")
    services.subject_request_extend(actor=dpo, request=request, months=1, notice_on=dt.date(2027, 2, 28), reasons="x")
    assert request.due_on == dt.date(2027, 3, 31)
    with pytest.raises(ValidationError, match="already been extended"):
        services.subject_request_extend(actor=dpo, request=request, months=1, notice_on=dt.date(2027, 2, 28), reasons="x")


def test_an_extension_needs_reasons_and_at_most_two_months(dpo):
    request = register(dpo)
    with pytest.raises(ValidationError) as error:
        services.subject_request_extend(actor=dpo, request=request, months=3, notice_on=day(5), reasons=" ")
    assert set(error.value.message_dict) == {"months", "reasons"}


def test_a_refusal_needs_its_legal_reason_and_a_closed_request_stays_closed(dpo):
    request = register(dpo, kind=RequestKind.ERASURE)
    with pytest.raises(ValidationError) as error:
        services.subject_request_status(actor=dpo, request=request, status="refused", answered_on=day(3), today=day(3))
    assert "refusal_reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.subject_request_status(
            actor=dpo, request=request, status="refused", answered_on=day(3), refusal_reason="other", today=day(3)
        )
    assert "refusal_note" in error.value.message_dict
    services.subject_request_status(
        actor=dpo, request=request, status="refused", answered_on=day(3), refusal_reason="legal_obligation", today=day(3)
    )
    assert AuditEvent.objects.filter(verb="subject_request.refused", target_id=request.pk).exists()
    with pytest.raises(ValidationError, match="already been closed"):
        services.subject_request_status(actor=dpo, request=request, status="in_progress", today=day(4))


def test_the_person_concerned_is_someone_in_the_product_or_a_named_outside_person(dpo, employee_a):
    with pytest.raises(ValidationError) as error:
        services.subject_request_register(
            actor=dpo, kind="access", received_on=DAY0, identity_method="other", today=DAY0
        )
    assert set(error.value.message_dict) == {"person", "identity_note"}
    with pytest.raises(ValidationError) as error:
        register(dpo, person=employee_a, outside_name="Joku Muu")
    assert "outside_name" in error.value.message_dict
    with pytest.raises(ValidationError, match="future"):
        register(dpo, received_on=day(2))
    assert register(dpo, person=employee_a).subject_label == employee_a.full_name


def test_only_the_dpo_and_administrators_keep_the_register(dpo, administrator, quality_director, supervisor_a):
    assert register(administrator).registered_by == administrator
    for actor in (quality_director, supervisor_a):
        with pytest.raises(PermissionDenied):
            register(actor)


# --- Reminders: once, also with two workers ------------------------------------------------


def test_two_workers_remind_once(dpo):
    """The second worker read the request before the first claimed it: the claim
    row's unique constraint lets one of them through."""
    request = register(dpo)
    stale = SubjectRequest.objects.get(pk=request.pk)
    assert reminders.subject_requests_remind(now=at(day(29))) == 1
    assert reminders._claim(stale, reminders.REMINDER, at(day(29)), [dpo]) is False
    assert reminders.subject_requests_remind(now=at(day(30))) == 0
    assert SubjectRequestNotice.objects.count() == 1
    assert Notification.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL only")
def test_two_workers_at_once_remind_once(dpo):
    register(dpo)
    results = run_side_by_side(lambda: reminders.subject_requests_remind(now=at(day(29))))
    assert sum(results) == 1
    assert SubjectRequestNotice.objects.count() == 1


def test_an_extensions_new_due_date_is_reminded_again(dpo):
    request = register(dpo)
    assert reminders.subject_requests_remind(now=at(day(29))) == 1
    services.subject_request_extend(actor=dpo, request=request, months=1, notice_on=day(29), reasons="Laaja aineisto.")
    assert reminders.subject_requests_remind(now=at(day(31))) == 0  # the old due date passed, the new one is far
    assert reminders.subject_requests_remind(now=at(day(52))) == 1


def test_the_reminder_names_no_person(dpo):
    register(dpo)
    reminders.subject_requests_remind(now=at(day(29)))
    note = Notification.objects.get()
    assert "Meikäläinen" not in note.subject + note.body


# --- Pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [
    (Role.DATA_PROTECTION_OFFICER, 200), (Role.ADMINISTRATOR, 200), (Role.QUALITY_DIRECTOR, 403),
    (Role.MANAGEMENT_GROUP, 403),
])
def test_the_pages_are_the_dpos_and_the_administrators(client, dpo, organisation, role, status):
    request = register(dpo)
    client.force_login(member(role))
    for name, args in (("privacy:requests", []), ("privacy:request_new", []), ("privacy:request", [request.pk])):
        assert client.get(reverse(name, args=args)).status_code == status, name


def test_a_regional_or_unit_role_does_not_reach_the_register(client, dpo, supervisor_a, regional_director_a):
    for actor in (supervisor_a, regional_director_a):
        client.force_login(actor)
        assert client.get(reverse("privacy:requests")).status_code == 403


def test_registering_through_the_page(client, dpo, staff_member):
    client.force_login(dpo)
    response = client.post(reverse("privacy:request_new"), {
        "kind": "access", "received_on": "2026-01-05", "person_email": "VILLE@omavalvonta.example",
        "identity_method": "signed_in", "identity_note": "", "details": "Kaikki tiedot.",
    })
    request = SubjectRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("privacy:request", args=[request.pk])
    assert request.person == staff_member and request.due_on == dt.date(2026, 2, 5)


def test_bad_input_keeps_what_was_typed(client, dpo):
    client.force_login(dpo)
    response = client.post(reverse("privacy:request_new"), {
        "kind": "erasure", "received_on": "2026-13-45", "person_email": "nobody@nowhere.example",
        "outside_name": "", "identity_method": "other", "identity_note": "", "details": "Poistakaa tietoni.",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nobody in the product has this e-mail address." in page
    assert 'value="nobody@nowhere.example"' in page and "Poistakaa tietoni." in page
    assert not SubjectRequest.objects.exists()


def test_a_late_extension_on_the_page_is_refused_with_the_typed_reasons_kept(client, dpo):
    request = register(dpo)
    client.force_login(dpo)
    response = client.post(reverse("privacy:request_extend", args=[request.pk]), {
        "months": "2", "notice_on": day(40).isoformat(), "reasons": "Aineistoa on paljon.",
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "Too late to extend" in page and "Aineistoa on paljon." in page
    request.refresh_from_db()
    assert request.extension_months == 0


def test_hostile_ids_and_values_are_not_errors(client, dpo):
    request = register(dpo)
    client.force_login(dpo)
    assert client.get("/tietosuoja/pyynnot/99999999999999999999/").status_code == 404
    assert client.get(reverse("privacy:request", args=[request.pk + 1000])).status_code == 404
    response = client.post(reverse("privacy:request_status", args=[request.pk]), {
        "status": "refused", "answered_on": "9999-12-31", "refusal_reason": "nonsense",
    })
    assert response.status_code == 400
    response = client.post(reverse("privacy:request_extend", args=[request.pk]), {"months": "x", "notice_on": "", "reasons": ""})
    assert response.status_code == 400
    assert client.get(reverse("privacy:compilation", args=[request.pk])).status_code == 404  # nothing compiled
    assert client.get(reverse("privacy:compilation_download", args=[request.pk, "exe"])).status_code == 404


def test_the_register_lists_in_constant_queries(client, dpo, staff_member, django_assert_max_num_queries):
    client.force_login(dpo)
    register(dpo)
    client.get(reverse("privacy:requests"))  # warm the session and content types
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("privacy:requests"))
    for i in range(15):
        register(dpo, person=staff_member if i % 2 else None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("privacy:requests") + "?nayta=kaikki")
    assert response.content.decode().count('class="card') >= 16


def test_the_list_read_is_logged(client, dpo):
    from omavalvonta.core.models import AccessLogEntry

    client.force_login(dpo)
    client.get(reverse("privacy:requests"))
    assert AccessLogEntry.objects.filter(what="subject_request.list", actor=dpo).count() == 1


def test_the_navigation_offers_the_register_to_the_dpo_only(client, dpo, quality_director):
    client.force_login(dpo)
    with time_machine.travel(at(DAY0), tick=False):
        assert reverse("privacy:requests") in client.get(reverse("privacy:log")).content.decode()
    client.force_login(quality_director)
    assert reverse("privacy:requests") not in client.get("/").content.decode()


def test_answering_through_the_page_closes_the_request(client, dpo):
    request = register(dpo)
    client.force_login(dpo)
    with time_machine.travel(at(day(10)), tick=False):
        response = client.post(reverse("privacy:request_status", args=[request.pk]), {
            "status": "answered", "answered_on": day(10).isoformat(),
        })
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED and request.answered_on == day(10)
    page = client.get(reverse("privacy:request", args=[request.pk])).content.decode()
    assert "Save the status" not in page and "Extend the period" not in page  # closed: no more steps
