"""Rectification and erasure carried out through the areas' services
(core.registry SUBJECT_ACTIONS): per item erase, rectify or refuse with the
legal reason; each step audited, the outcome recorded per item, and what the
law requires to keep is never erased."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omavalvonta.core.models import AccessLogEntry, AuditEvent
from omavalvonta.deviations.models import Deviation, State
from omavalvonta.organisation.models import Role
from omavalvonta.people.models import QualificationRecord
from omavalvonta.privacy import services
from omavalvonta.privacy.models import RequestKind, RequestStatus, SubjectAction
from omavalvonta.testing.factories import member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]

DAY0 = dt.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def _default_types(db):
    from omavalvonta.people.defaults import ensure_default_types

    ensure_default_types()


def register(actor, person, kind=RequestKind.ERASURE):
    return services.subject_request_register(
        actor=actor, kind=kind, person=person, received_on=DAY0, identity_method="in_person", today=DAY0,
    )


def items(request, area):
    return {i.key: i for p in services.subject_items(request) if p["area"] == area for i in p["items"]}


def decide(actor, request, area, key, action, **extra):
    return services.subject_item_decide(actor=actor, request=request, area=area, key=key, action=action, **extra)


# --- organisation ------------------------------------------------------------------------


def test_a_persons_name_phone_and_email_rectified_and_phone_erased(dpo, staff_member):
    staff_member.phone = "040 123 4567"
    staff_member.save(update_fields=["phone"])
    req = register(dpo, staff_member, kind=RequestKind.RECTIFICATION)
    decide(dpo, req, "organisation.person", "full_name", "rectify", value="Ville Ventola")
    decide(dpo, req, "organisation.person", "email", "rectify", value="Ville.Ventola@omavalvonta.example")
    decide(dpo, req, "organisation.person", "phone", "erase")
    staff_member.refresh_from_db()
    assert (staff_member.full_name, staff_member.email, staff_member.phone) == (
        "Ville Ventola", "ville.ventola@omavalvonta.example", "")
    verbs = list(AuditEvent.objects.filter(verb__startswith="person.subject_").values_list("verb", "data__field"))
    assert verbs == [("person.subject_rectify", "full_name"), ("person.subject_rectify", "email"),
                     ("person.subject_erase", "phone")]
    assert list(req.actions.values_list("key", "action")) == [
        ("full_name", "rectify"), ("email", "rectify"), ("phone", "erase")]
    req.refresh_from_db()
    assert req.status == RequestStatus.IN_PROGRESS


def test_a_name_is_kept_by_law_and_an_email_taken_is_refused(dpo, staff_member, employee_a):
    req = register(dpo, staff_member)
    item = items(req, "organisation.person")["full_name"]
    assert not item.erase and "703/2023" in item.keep
    with pytest.raises(ValidationError) as error:
        decide(dpo, req, "organisation.person", "full_name", "erase")
    assert "703/2023" in str(error.value)
    with pytest.raises(ValidationError):
        decide(dpo, req, "organisation.person", "email", "rectify", value=employee_a.email)
    with pytest.raises(ValidationError):
        decide(dpo, req, "organisation.person", "phone", "rectify", value="")
    assert not SubjectAction.objects.exists()
    staff_member.refresh_from_db()
    assert staff_member.full_name == "Ville Virtanen"


def test_refusal_records_its_legal_reason_and_changes_nothing(dpo, staff_member):
    req = register(dpo, staff_member)
    with pytest.raises(ValidationError) as error:
        decide(dpo, req, "organisation.person", "phone", "refuse")
    assert "refusal_reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        decide(dpo, req, "organisation.person", "phone", "refuse", refusal_reason="other")
    assert "note" in error.value.message_dict
    decide(dpo, req, "organisation.person", "full_name", "refuse", refusal_reason="legal_obligation")
    action = req.actions.get()
    assert (action.action, action.refusal_reason) == ("refuse", "legal_obligation")
    assert AuditEvent.objects.filter(verb="subject_request.item_refuse", data__refusal_reason="legal_obligation").exists()
    with pytest.raises(ValidationError):  # decided once
        decide(dpo, req, "organisation.person", "full_name", "rectify", value="X Y")


def test_only_open_change_requests_by_the_dpo(dpo, staff_member, employee_a):
    access_req = register(dpo, staff_member, kind=RequestKind.ACCESS)
    with pytest.raises(ValidationError):
        decide(dpo, access_req, "organisation.person", "phone", "erase")
    req = register(dpo, staff_member)
    with pytest.raises(PermissionDenied):
        decide(employee_a, req, "organisation.person", "phone", "erase")
    with pytest.raises(ValidationError):
        decide(dpo, req, "organisation.nothing", "phone", "erase")
    services.subject_request_status(actor=dpo, request=req, status="answered", answered_on=DAY0, today=DAY0)
    with pytest.raises(ValidationError):
        decide(dpo, req, "organisation.person", "phone", "erase")


# --- deviations --------------------------------------------------------------------------


def test_reporter_identity_removed_from_a_closed_ordinary_report(dpo, staff_member, three_reports):
    first, second = three_reports["first"], three_reports["second"]
    Deviation.objects.filter(pk=first.pk).update(state=State.CLOSED)
    req = register(dpo, staff_member)
    found = items(req, "deviations.reporter")
    assert set(found) == {str(first.pk), str(second.pk)}  # not the colleague's report naming him
    assert found[str(first.pk)].erase and not found[str(second.pk)].erase  # the second is still handled
    decide(dpo, req, "deviations.reporter", str(first.pk), "erase")
    first.refresh_from_db()
    assert first.reporter_id is None and first.is_anonymous
    submitted = AuditEvent.objects.get(verb="deviation.submitted", target_id=first.pk)
    assert submitted.actor_id is None
    assert AuditEvent.objects.filter(verb="deviation.reporter_removed", target_id=first.pk, actor=dpo).exists()
    with pytest.raises(ValidationError) as error:
        decide(dpo, req, "deviations.reporter", str(second.pk), "erase")
    assert "741/2023" in str(error.value)


def test_a_section_29_notice_keeps_its_reporter(dpo, three_reports):
    naming, colleague = three_reports["naming"], three_reports["colleague"]
    Deviation.objects.filter(pk=naming.pk).update(state=State.CLOSED)
    req = register(dpo, colleague)
    item = items(req, "deviations.reporter")[str(naming.pk)]
    assert not item.erase and "§ 29" in item.keep
    with pytest.raises(ValidationError):
        decide(dpo, req, "deviations.reporter", str(naming.pk), "erase")
    decide(dpo, req, "deviations.reporter", str(naming.pk), "refuse", refusal_reason="legal_obligation")
    naming.refresh_from_db()
    assert naming.reporter_id == colleague.pk


# --- people ------------------------------------------------------------------------------


def _record(actor, unit, person, key="ensiapu", **extra):
    from omavalvonta.people.models import QualificationType
    from omavalvonta.people.services import qualification_record

    qtype = QualificationType.objects.get(key=key)
    return qualification_record(actor=actor, unit=unit, person=person, qtype=qtype, done_on=dt.date(2026, 1, 15),
                                provider="Punainen Risti", **extra)


def test_a_qualification_rectified_its_history_erased_the_current_kept(dpo, supervisor_a, unit_a, staff_member):
    old = _record(supervisor_a, unit_a, staff_member)
    current = _record(supervisor_a, unit_a, staff_member)
    req = register(dpo, staff_member)
    found = items(req, "people.qualifications")
    assert found[f"{old.pk}:record"].erase
    assert not found[f"{current.pk}:record"].erase and "741/2023" in found[f"{current.pk}:record"].keep
    decide(dpo, req, "people.qualifications", f"{current.pk}:provider", "rectify", value="SPR Uusimaa")
    current.refresh_from_db()
    assert current.provider == "SPR Uusimaa"
    decide(dpo, req, "people.qualifications", f"{old.pk}:record", "erase")
    assert not QualificationRecord.objects.filter(pk=old.pk).exists()
    with pytest.raises(ValidationError):
        decide(dpo, req, "people.qualifications", f"{current.pk}:record", "erase")
    with pytest.raises(ValidationError):
        decide(dpo, req, "people.qualifications", f"{current.pk}:note", "rectify", value="x" * 501)
    assert set(AuditEvent.objects.filter(verb__startswith="qualification.subject_").values_list("verb", flat=True)) == {
        "qualification.subject_rectify", "qualification.subject_erased"}


# --- the page ----------------------------------------------------------------------------


def test_the_items_page_carries_out_refuses_with_the_form_kept_and_logs_the_read(client, dpo, staff_member):
    req = register(dpo, staff_member, kind=RequestKind.RECTIFICATION)
    client.force_login(dpo)
    url = reverse("privacy:request_items", args=[req.pk])
    before = AccessLogEntry.objects.count()
    page = client.get(url)
    assert page.status_code == 200 and "Kept by law" in page.content.decode()
    assert AccessLogEntry.objects.count() == before + 1
    refused = client.post(url, {"area": "organisation.person", "key": "full_name", "action": "rectify", "value": "",
                                "note": "typed note"})
    assert refused.status_code == 400 and "typed note" in refused.content.decode()
    done = client.post(url, {"area": "organisation.person", "key": "full_name", "action": "rectify",
                             "value": "Ville Ventola"})
    assert done.status_code == 302
    staff_member.refresh_from_db()
    assert staff_member.full_name == "Ville Ventola"
    bad = client.post(url, {"area": "x", "key": "y", "action": "erase"})
    assert bad.status_code == 400
    access_req = register(dpo, staff_member, kind=RequestKind.ACCESS)
    assert client.get(reverse("privacy:request_items", args=[access_req.pk])).status_code == 404


def test_the_items_page_is_the_dpos(client, employee_a, staff_member, dpo):
    req = register(dpo, staff_member)
    client.force_login(employee_a)
    assert client.get(reverse("privacy:request_items", args=[req.pk])).status_code == 403
    assert member(Role.ADMINISTRATOR)  # administrators hold the right as well (access matrix)
