"""Tracked documents and the compliance register (issue 21 items 6 and 8): the
kinds as data, reminders to the owner before the date, late after it and
escalated once, a new version moving the date, the medication plan's doctor's
approval, unit scoping, bad input kept with 400, the partners' oversight, the
plan's fact and the lists' query counts."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from omavalvonta.audits import document_selectors as selectors, document_services as services
from omavalvonta.audits.document_kinds import KINDS, DocumentKind, EvidenceKind
from omavalvonta.audits.models import DocumentVersion, TrackedDocument
from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import member
from omavalvonta.yearclock import duties
from omavalvonta.yearclock.models import DutyNotice

pytestmark = pytest.mark.django_db
FI = {"accept-language": "fi"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _today():
    return timezone.localdate()


def _at(day: dt.date):
    """Noon of `day` (Helsinki), for the duty job's `now`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _medication_plan(actor, unit, owner, *, due_in=20):
    return services.document_create(
        actor=actor, kind=DocumentKind.MEDICATION_PLAN, unit=unit, owner=owner,
        due_on=_today() + dt.timedelta(days=due_in),
    )


@pytest.fixture(autouse=True)
def _documents_duties_only(only_duty_sources):
    # The scenarios count the documents' reminders, not the meeting rhythms of the same units.
    only_duty_sources("audits.")


def test_every_kind_has_its_rule_with_a_source():
    assert set(KINDS) == set(DocumentKind.values)
    assert all(rule.source and rule.review_months > 0 and rule.remind_days > 0 for rule in KINDS.values())
    assert KINDS[DocumentKind.MEDICATION_PLAN].needs_approval
    assert KINDS[DocumentKind.SOTERI_REGISTRATION].has_number and not KINDS[DocumentKind.SOTERI_REGISTRATION].unit_scope


def test_scenario_reminded_to_the_owner_before_the_date_late_after_it_escalated_once(
    supervisor_a, responsible_a, unit_a
):
    doc = _medication_plan(supervisor_a, unit_a, supervisor_a, due_in=45)
    # Outside the kind's 30 days: nothing yet.
    assert duties.duties_remind_and_escalate() == 0
    reminder_day = doc.due_on - dt.timedelta(days=30)
    assert duties.duties_remind_and_escalate(now=_at(reminder_day)) == 1
    assert duties.duties_remind_and_escalate(now=_at(reminder_day)) == 0  # once
    reminded = Notification.objects.get(kind="duty.reminder")
    assert reminded.recipient == supervisor_a and reverse("audits:document", args=[doc.pk]) in reminded.link
    # Not late on the date itself; late the day after, escalated once to the unit's leaders.
    assert selectors.document_duties(today=doc.due_on)[0].late is False
    late_day = doc.due_on + dt.timedelta(days=1)
    assert duties.duties_remind_and_escalate(now=_at(late_day)) == 1
    assert duties.duties_remind_and_escalate(now=_at(late_day + dt.timedelta(days=3))) == 0
    assert {n.recipient for n in Notification.objects.filter(kind="duty.late")} == {responsible_a}
    assert DutyNotice.objects.filter(kind="escalation").count() == 1


def test_the_calendar_counts_the_documents_in_the_database_as_the_duties_say(supervisor_a, unit_a):
    for due_in in (-3, 0, 10, 45):
        _medication_plan(supervisor_a, unit_a, supervisor_a, due_in=due_in)
    today = _today()
    for day in (today - dt.timedelta(days=20), today, today + dt.timedelta(days=1), today + dt.timedelta(days=30)):
        for unit_ids in (None, [unit_a.pk], []):
            in_database, from_duties = duties.source_counts_both_ways("audits.documents", today=day, unit_ids=unit_ids)
            assert in_database == from_duties, (day, unit_ids)
    in_database, _ = duties.source_counts_both_ways("audits.documents", today=today)
    assert in_database == {unit_a.pk: {"due": 2, "late": 1, "oldest": today - dt.timedelta(days=3)}}


def test_scenario_a_new_version_moves_the_date_and_the_late_mark_goes(client, supervisor_a, unit_a):
    doc = _medication_plan(supervisor_a, unit_a, supervisor_a, due_in=-3)
    today = _today()
    rows = duties.duties_of_units(actor=supervisor_a, today=today)
    assert [(r["label"], r["late"]) for r in rows if "document" in r["label"].lower()] == [
        ("Documents to review or renew", 1)
    ]
    version = services.version_record(
        actor=supervisor_a, document=doc, dated_on=today, note="Tarkistettu lääkärin kanssa.",
        approver_name="Lääkäri Liisa Laine", approved_on=today, next_due=today + dt.timedelta(days=365),
    )
    doc.refresh_from_db()
    assert doc.current == version and doc.due_on == today + dt.timedelta(days=365)
    assert selectors.document_duties(today=today) == []
    assert not [r for r in duties.duties_of_units(actor=supervisor_a, today=today) if r["late"]]
    # A second version keeps the first one.
    services.version_record(
        actor=supervisor_a, document=doc, dated_on=today, note="Korjaus.", approver_name="Lääkäri Liisa Laine",
        approved_on=today, next_due=today + dt.timedelta(days=300),
    )
    assert DocumentVersion.objects.filter(document=doc).count() == 2
    # The next date has its own duty key: its reminder goes out again when it comes.
    keys = {d.key for d in selectors.document_duties(today=today + dt.timedelta(days=290))}
    assert keys == {f"audits.document:{doc.pk}:{(today + dt.timedelta(days=300)).isoformat()}"}


def test_the_medication_plan_needs_the_doctors_approval(supervisor_a, unit_a):
    doc = _medication_plan(supervisor_a, unit_a, supervisor_a)
    today = _today()
    with pytest.raises(ValidationError) as error:
        services.version_record(actor=supervisor_a, document=doc, dated_on=today, note="Uusi versio.",
                                next_due=today + dt.timedelta(days=365))
    assert {"approver_name", "approved_on"} <= set(error.value.message_dict)
    rescue = services.document_create(actor=supervisor_a, kind=DocumentKind.FIRE_RESCUE_PLAN, unit=unit_a,
                                      owner=supervisor_a, due_on=today + dt.timedelta(days=10))
    services.version_record(actor=supervisor_a, document=rescue, dated_on=today, note="Päivitetty.",
                            next_due=today + dt.timedelta(days=365))


def test_bad_dates_and_missing_fields_are_refused_with_the_typed_text_kept(client, supervisor_a, unit_a):
    doc = _medication_plan(supervisor_a, unit_a, supervisor_a)
    client.force_login(supervisor_a)
    today = _today()
    url = reverse("audits:document", args=[doc.pk])
    response = client.post(url, {
        "dated_on": (today + dt.timedelta(days=2)).isoformat(), "note": "Kirjoitettu teksti jää talteen",
        "approver_name": "", "next_due": (today - dt.timedelta(days=1)).isoformat(),
    }, headers=FI)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kirjoitettu teksti jää talteen" in page
    assert DocumentVersion.objects.count() == 0
    # Not a date at all.
    response = client.post(url, {"dated_on": "31.2.", "note": "", "next_due": "x"}, headers=FI)
    assert response.status_code == 400
    # A new document without an owner or a date; a Soteri registration without its number.
    create = reverse("audits:document_create") + f"?scope={unit_a.pk}"
    response = client.post(create, {"scope": unit_a.pk, "kind": DocumentKind.MEDICATION_PLAN, "title": "Päärakennus"},
                           headers=FI)
    assert response.status_code == 400 and "Päärakennus" in response.content.decode()
    with pytest.raises(ValidationError) as error:
        services.document_create(actor=supervisor_a, kind=DocumentKind.LICENCE, unit=unit_a, owner=supervisor_a,
                                 due_on=today + dt.timedelta(days=100))
    assert "number" in error.value.message_dict


def test_a_file_is_kept_with_the_version_and_downloaded_within_the_unit(client, supervisor_a, supervisor_b, unit_a):
    doc = _medication_plan(supervisor_a, unit_a, supervisor_a)
    today = _today()
    version = services.version_record(
        actor=supervisor_a, document=doc, dated_on=today, note="Allekirjoitettu.", approver_name="Lääkäri",
        approved_on=today, next_due=today + dt.timedelta(days=365),
        file=SimpleUploadedFile("laakehoitosuunnitelma.pdf", PDF, content_type="application/pdf"),
    )
    assert version.file and "laakehoitosuunnitelma" not in version.file.name
    client.force_login(supervisor_a)
    assert client.get(reverse("audits:document_version_file", args=[version.pk])).status_code == 200
    client.force_login(supervisor_b)
    assert client.get(reverse("audits:document_version_file", args=[version.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.version_record(
            actor=supervisor_a, document=doc, dated_on=today, note="x", approver_name="L", approved_on=today,
            next_due=today + dt.timedelta(days=365), file=SimpleUploadedFile("a.exe", b"MZ...", content_type="x"),
        )


def test_unit_scoping_and_who_may_keep(client, supervisor_a, supervisor_b, employee_a, regional_director_a, unit_a):
    doc = _medication_plan(supervisor_a, unit_a, supervisor_a)
    url = reverse("audits:document", args=[doc.pk])
    client.force_login(supervisor_b)
    assert client.get(url).status_code == 404
    client.force_login(employee_a)
    assert client.get(url).status_code == 403
    assert client.get(reverse("audits:documents")).status_code == 403
    client.force_login(regional_director_a)
    assert client.get(url).status_code == 200
    assert client.post(url, {"note": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.document_create(actor=supervisor_b, kind=DocumentKind.FIRE_RESCUE_PLAN, unit=unit_a,
                                 owner=supervisor_a, due_on=_today())
    # An organisation's document is the organisation-wide keepers' alone.
    with pytest.raises(PermissionDenied):
        services.document_create(actor=supervisor_a, kind=DocumentKind.SOTERI_REGISTRATION, unit=None,
                                 owner=supervisor_a, due_on=_today(), number="1.2.246")
    # The owner is one who keeps the unit's documents.
    with pytest.raises(ValidationError):
        services.document_create(actor=supervisor_a, kind=DocumentKind.FIRE_RESCUE_PLAN, unit=unit_a,
                                 owner=employee_a, due_on=_today())


def test_the_organisations_document_is_reminded_to_its_owner_and_escalated_above(
    quality_director, administrator, organisation
):
    board = member(Role.MANAGEMENT_GROUP, full_name="Johto Ryhmä", email="johto@omavalvonta.example")
    doc = services.document_create(
        actor=quality_director, kind=DocumentKind.LIABILITY_INSURANCE, unit=None, owner=administrator,
        due_on=_today() + dt.timedelta(days=10), number="VA-123456",
    )
    assert duties.duties_remind_and_escalate() == 1
    assert Notification.objects.get(kind="duty.reminder").recipient == administrator
    assert [r["title"] for r in duties.organisation_duties(actor=quality_director)] == [
        "Liability insurance: renew"
    ]
    late = doc.due_on + dt.timedelta(days=1)
    assert duties.duties_remind_and_escalate(now=_at(late)) == 2
    assert {n.recipient for n in Notification.objects.filter(kind="duty.late")} == {quality_director, administrator}
    assert board not in {n.recipient for n in Notification.objects.all()}


def test_the_edit_form_refuses_a_stale_save(client, supervisor_a, responsible_a, unit_a):
    doc = _medication_plan(supervisor_a, unit_a, supervisor_a)
    opened = doc.edit_version
    client.force_login(supervisor_a)
    url = reverse("audits:document_edit", args=[doc.pk])
    data = {"title": "", "number": "", "owner": responsible_a.pk, "due_on": doc.due_on.isoformat(),
            "is_active": "on", "edit_version": opened}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "title": "Vanha lomake"}, headers=FI)
    assert response.status_code == 400 and "Vanha lomake" in response.content.decode()
    doc.refresh_from_db()
    assert doc.owner == responsible_a and doc.title == ""


def test_the_register_filters_and_the_unit_page(client, quality_director, supervisor_a, unit_a, unit_b):
    late = _medication_plan(supervisor_a, unit_a, supervisor_a, due_in=-1)
    rescue = services.document_create(actor=quality_director, kind=DocumentKind.FIRE_RESCUE_PLAN, unit=unit_b,
                                      owner=quality_director, due_on=_today() + dt.timedelta(days=200))
    late_url, rescue_url = reverse("audits:document", args=[late.pk]), reverse("audits:document", args=[rescue.pk])
    client.force_login(quality_director)
    page = client.get(reverse("audits:documents"), {"state": "late"}, headers=FI).content.decode()
    assert f'"{late_url}"' in page and f'"{rescue_url}"' not in page
    page = client.get(reverse("audits:documents"), {"unit": unit_b.pk}, headers=FI).content.decode()
    assert f'"{rescue_url}"' in page and f'"{late_url}"' not in page
    page = client.get(reverse("audits:documents"), {"kind": "rescue_plan", "state": "soon"}).content.decode()
    assert f'"{rescue_url}"' not in page
    assert client.get(reverse("audits:documents"), {"unit": "x"}).status_code == 400
    client.force_login(supervisor_a)
    page = client.get(reverse("audits:unit_documents", args=[unit_a.pk]), headers=FI).content.decode()
    assert "Myöhässä" in page
    assert client.get(reverse("audits:unit_documents", args=[unit_b.pk])).status_code == 404


@pytest.mark.parametrize("url_name", ["audits:documents", "audits:unit_documents", "audits:partners"])
def test_the_lists_query_count_does_not_grow(client, django_assert_max_num_queries, quality_director, unit_a, url_name):
    def add(n):
        for i in range(n):
            doc = services.document_create(actor=quality_director, kind=DocumentKind.FIRE_RESCUE_PLAN, unit=unit_a,
                                           owner=quality_director, due_on=_today() + dt.timedelta(days=i))
            services.version_record(actor=quality_director, document=doc, dated_on=_today(), note="v",
                                    next_due=_today() + dt.timedelta(days=100 + i))
            partner = services.partner_save(
                actor=quality_director, name=f"Kumppani {n}-{i}", business_id="0737546-2", service="Siivous",
                units=[unit_a], owner=quality_director, next_due=_today() + dt.timedelta(days=i),
            )
            assert partner.units.count() == 1

    url = reverse(url_name, args=[unit_a.pk]) if url_name == "audits:unit_documents" else reverse(url_name)
    client.force_login(quality_director)
    add(1)
    client.get(url)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    add(6)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


# --- Purchased-service partners ------------------------------------------------------------------


def test_scenario_a_partner_evidence_received_moves_the_due_date(client, quality_director, supervisor_a, supervisor_b,
                                                                  unit_a, unit_b):
    partner = services.partner_save(
        actor=quality_director, name="Yövartiointi Oy", business_id="0737546-2", service="Yövartiointi",
        units=[unit_a], owner=quality_director, next_due=_today() - dt.timedelta(days=2),
    )
    assert [d.late for d in selectors.partner_duties(today=_today())] == [True]
    assert duties.duties_remind_and_escalate() == 2  # reminded at once (already late) and escalated
    services.partner_evidence_record(
        actor=quality_director, partner=partner, received_on=_today(), kind=EvidenceKind.SELF_SUPERVISION_PLAN,
        note="Omavalvontasuunnitelma 2027", next_due=_today() + dt.timedelta(days=365),
    )
    partner.refresh_from_db()
    assert partner.next_due == _today() + dt.timedelta(days=365) and selectors.partner_duties(today=_today()) == []
    # The unit using it sees it; another unit's leader does not; a unit leader may not keep it.
    client.force_login(supervisor_a)
    assert client.get(reverse("audits:partner", args=[partner.pk])).status_code == 200
    assert client.post(reverse("audits:partner", args=[partner.pk]), {}).status_code == 403
    assert client.get(reverse("audits:partner_create")).status_code == 403
    client.force_login(supervisor_b)
    assert client.get(reverse("audits:partner", args=[partner.pk])).status_code == 404
    assert "Yövartiointi Oy" not in client.get(reverse("audits:partners")).content.decode()


def test_a_partner_with_a_bad_business_id_is_refused_with_the_text_kept(client, quality_director, unit_a):
    client.force_login(quality_director)
    response = client.post(reverse("audits:partner_create"), {
        "name": "Siivouspalvelu Oy", "business_id": "1234567-2", "service": "Siivous", "units": [unit_a.pk],
        "owner": quality_director.pk, "next_due": _today().isoformat(), "is_active": "on", "edit_version": 0,
    }, headers=FI)
    assert response.status_code == 400
    assert "Siivouspalvelu Oy" in response.content.decode()
    response = client.post(reverse("audits:partner_create"), {"name": "", "edit_version": 0}, headers=FI)
    assert response.status_code == 400


def test_the_evidence_form_refuses_a_future_receipt(client, quality_director, unit_a):
    partner = services.partner_save(
        actor=quality_director, name="Työterveys Oy", business_id="0737546-2", service="Työterveyshuolto",
        units=[unit_a], owner=quality_director, next_due=_today(),
    )
    client.force_login(quality_director)
    response = client.post(reverse("audits:partner", args=[partner.pk]), {
        "received_on": (_today() + dt.timedelta(days=3)).isoformat(), "kind": "audit",
        "note": "Auditointiraportti tulossa", "next_due": _today().isoformat(),
    }, headers=FI)
    assert response.status_code == 400 and "Auditointiraportti tulossa" in response.content.decode()


# --- The self-supervision plan's link ------------------------------------------------------------


def test_the_unit_plan_fact_links_the_current_versions_and_the_security_plan(quality_director, supervisor_a, unit_a,
                                                                              unit_b):
    from omavalvonta.audits import services as audit_services

    doc = _medication_plan(supervisor_a, unit_a, supervisor_a)
    today = _today()
    services.version_record(actor=supervisor_a, document=doc, dated_on=today, note="v", approver_name="Lääkäri",
                            approved_on=today, next_due=today + dt.timedelta(days=365))
    services.document_create(actor=quality_director, kind=DocumentKind.FIRE_RESCUE_PLAN, unit=unit_b,
                             owner=quality_director, due_on=today + dt.timedelta(days=30))
    draft = audit_services.security_plan_draft_start(actor=quality_director)
    audit_services.security_plan_draft_save(actor=quality_director, version=draft, sections={"scope": "Koko."})
    audit_services.security_plan_approve(actor=quality_director, version=draft)
    fact = selectors.plan_documents_fact(unit=unit_a, actor=supervisor_a)
    assert [(d["kind"], d["version_date"], d["approved_on"]) for d in fact["documents"]] == [
        ("Medication plan", today.isoformat(), today.isoformat())
    ]
    assert fact["security_plan"]["number"] == 1
    assert "owner" not in str(fact) and "Lääkäri" not in str(fact)  # the public plan names no one
    assert TrackedDocument.objects.count() == 2


def test_the_medication_section_of_a_new_plan_takes_the_documents_fact():
    from omavalvonta.plans.defaults import SELF_SUPERVISION

    assert [row[5] for row in SELF_SUPERVISION if row[0] == "laakehoito"] == ["documents"]


def test_the_unit_plans_draft_links_the_current_medication_plan(client, supervisor_a, unit_a):
    from omavalvonta.plans.services import plan_draft_start

    doc = _medication_plan(supervisor_a, unit_a, supervisor_a)
    today = _today()
    services.version_record(actor=supervisor_a, document=doc, dated_on=today, note="v", approver_name="Lääkäri",
                            approved_on=today, next_due=today + dt.timedelta(days=365))
    draft = plan_draft_start(actor=supervisor_a, unit=unit_a)
    client.force_login(supervisor_a)
    page = client.get(reverse("plans:version", args=[draft.pk]), headers=FI).content.decode()
    assert 'data-fact="documents"' in page
    assert f'href="{reverse("audits:document", args=[doc.pk])}"' in page
    assert "Lääkehoitosuunnitelma" in page


def test_the_plan_links_a_fact_only_for_those_who_may_open_its_page(client, quality_director, supervisor_a,
                                                                    employee_a, unit_a):
    """Every member of staff reads the unit's plan; the documents and the
    information-security plan it names are linked only for those who may open them
    (staff got a refusal behind the link before)."""
    from omavalvonta.audits import services as audit_services
    from omavalvonta.plans.services import plan_draft_start

    doc = _medication_plan(supervisor_a, unit_a, supervisor_a)
    today = _today()
    services.version_record(actor=supervisor_a, document=doc, dated_on=today, note="v", approver_name="Lääkäri",
                            approved_on=today, next_due=today + dt.timedelta(days=365))
    draft = audit_services.security_plan_draft_start(actor=quality_director)
    audit_services.security_plan_draft_save(actor=quality_director, version=draft, sections={"scope": "Koko."})
    security = audit_services.security_plan_approve(actor=quality_director, version=draft) or draft
    plan_draft = plan_draft_start(actor=supervisor_a, unit=unit_a)
    doc_link = f'href="{reverse("audits:document", args=[doc.pk])}"'
    security_link = f'href="{reverse("audits:security_plan_version", args=[security.pk])}"'
    url = reverse("plans:version", args=[plan_draft.pk])

    seen = {}
    for person in (employee_a, supervisor_a, quality_director):
        client.force_login(person)
        response = client.get(url, headers=FI)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Lääkehoitosuunnitelma" in page and "Tietoturvasuunnitelma" in page
        seen[person.pk] = (doc_link in page, security_link in page)
        for link, opened in ((doc_link, doc_link in page), (security_link, security_link in page)):
            if opened:  # every link shown opens
                assert client.get(link[6:-1]).status_code == 200
    assert seen[employee_a.pk] == (False, False)
    assert seen[supervisor_a.pk] == (True, False)
    assert seen[quality_director.pk] == (True, True)
