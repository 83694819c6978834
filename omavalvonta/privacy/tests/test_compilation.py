"""The compile of an access request: what the product holds about a member of
staff (memberships, the reports they made and those naming them) and who has
read it, another case's protected reporter redacted with the reason; released
(PDF, JSON) only after the DPO's review; each showing logged."""

import json

import pytest
from django.urls import reverse

from omavalvonta.core import registry
from omavalvonta.core.models import AccessLogEntry
from omavalvonta.deviations.selectors import deviation_get
from omavalvonta.privacy import services
from omavalvonta.privacy.models import RequestStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


@pytest.fixture
def access_request(dpo, staff_member):
    return services.subject_request_register(
        actor=dpo, kind="access", person=staff_member, received_on=staff_member.date_joined.date(),
        identity_method="signed_in",
    )


def _all_fields(compilation):
    return [value for s in compilation.sections for item in s["items"] for _label, value in item["fields"]]


def test_the_compile_holds_the_memberships_the_reports_and_who_read_them(
    dpo, staff_member, supervisor_a, three_reports, access_request
):
    deviation_get(actor=supervisor_a, pk=three_reports["naming"].pk)  # the supervisor reads the grievance naming Ville
    deviation_get(actor=supervisor_a, pk=three_reports["first"].pk)
    compilation = services.subject_request_compile(actor=dpo, request=access_request)
    titles = [s["title"] for s in compilation.sections]
    assert titles == ["Person and memberships", "Deviation reports"]
    reports = compilation.sections[1]["items"]
    assert [i["title"] for i in reports] == [
        f"Reported by you: {three_reports['first'].number}",
        f"Reported by you: {three_reports['second'].number}",
        f"Names you: {three_reports['naming'].number}",
    ]
    fields = _all_fields(compilation)
    assert "Kaisa Kollega" not in json.dumps(compilation.sections)  # the protected reporter
    assert "[…]" in fields
    [redaction] = compilation.redactions
    assert redaction["item"] == three_reports["naming"].number
    assert "§ 29" in redaction["reason"]
    readers = {(row["reader"], row["what"]) for row in compilation.seen}
    assert readers == {(supervisor_a.full_name, "A deviation report's page")}
    assert len(compilation.seen) == 2
    access_request.refresh_from_db()
    assert access_request.status == RequestStatus.IN_PROGRESS


def test_another_persons_ordinary_report_names_no_reporter_either(dpo, supervisor_a, unit_a, access_request):
    from omavalvonta.deviations.services import deviation_submit
    from omavalvonta.testing.factories import deviation_kwargs

    deviation_submit(actor=supervisor_a, **deviation_kwargs(unit_a, description="Ville Virtanen auttoi hyvin."))
    compilation = services.subject_request_compile(actor=dpo, request=access_request)
    assert supervisor_a.full_name not in json.dumps(compilation.sections)
    assert "15(4)" in compilation.redactions[0]["reason"]


def test_privacy_reads_the_areas_through_the_slot_only(dpo, access_request):
    saved = registry.snapshot(registry.SUBJECT_DATA)
    try:
        registry.restore(registry.SUBJECT_DATA, [])
        registry.register(registry.SUBJECT_DATA, "test", lambda *, person: {
            "title": "Testialue", "items": [{"title": "Rivi", "fields": [["Nimi", person.full_name]]}],
            "redactions": [], "targets": [],
        })
        compilation = services.subject_request_compile(actor=dpo, request=access_request)
    finally:
        registry.restore(registry.SUBJECT_DATA, saved)
    assert [s["title"] for s in compilation.sections] == ["Testialue"]


def test_only_an_open_access_request_about_someone_in_the_product_is_compiled(dpo, staff_member):
    from django.core.exceptions import ValidationError

    outside = services.subject_request_register(
        actor=dpo, kind="access", outside_name="Maija M.", received_on=staff_member.date_joined.date(),
        identity_method="in_person",
    )
    erasure = services.subject_request_register(
        actor=dpo, kind="erasure", person=staff_member, received_on=staff_member.date_joined.date(),
        identity_method="in_person",
    )
    for request in (outside, erasure):
        with pytest.raises(ValidationError):
            services.subject_request_compile(actor=dpo, request=request)


def test_release_waits_for_the_review_and_each_showing_is_logged(client, dpo, staff_member, three_reports, access_request):
    client.force_login(dpo)
    response = client.post(reverse("privacy:request_compile", args=[access_request.pk]))
    assert response["Location"] == reverse("privacy:compilation", args=[access_request.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Not reviewed" in page and "Kaisa Kollega" not in page and "Ville Virtanen" in page
    json_url = reverse("privacy:compilation_download", args=[access_request.pk, "json"])
    assert client.get(json_url)["Location"] == reverse("privacy:compilation", args=[access_request.pk])
    assert client.post(reverse("privacy:compilation_review", args=[access_request.pk]), {"review_note": "Tarkistettu."}).status_code == 302
    download = client.get(json_url)
    assert download["Content-Disposition"] == f'attachment; filename="tietopyynto-{access_request.pk}.json"'
    data = json.loads(download.content)
    assert data["person"]["email"] == staff_member.email
    assert len(data["sections"][1]["items"]) == 3 and data["redactions"][0]["item"] == three_reports["naming"].number
    rows = AccessLogEntry.objects.filter(actor=dpo, what__startswith="subject_request.compilation")
    assert sorted(rows.values_list("what", flat=True)) == ["subject_request.compilation", "subject_request.compilation_json"]
    assert {(r.target_type.model, r.target_id) for r in rows} == {("user", staff_member.pk)}  # naming the person


def test_the_pdf_of_the_reviewed_compile(client, dpo, staff_member, three_reports, access_request):
    pytest.importorskip("weasyprint")
    compilation = services.subject_request_compile(actor=dpo, request=access_request)
    services.subject_compilation_review(actor=dpo, compilation=compilation)
    client.force_login(dpo)
    response = client.get(reverse("privacy:compilation_download", args=[access_request.pk, "pdf"]))
    if response.status_code == 302:
        pytest.skip("no PDF libraries on this machine")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(what="subject_request.compilation_pdf", target_id=staff_member.pk).count() == 1


def test_a_compile_is_reviewed_once_and_a_new_compile_is_reviewed_again(dpo, access_request):
    from django.core.exceptions import ValidationError

    compilation = services.subject_request_compile(actor=dpo, request=access_request)
    services.subject_compilation_review(actor=dpo, compilation=compilation)
    with pytest.raises(ValidationError):
        services.subject_compilation_review(actor=dpo, compilation=compilation)
    again = services.subject_request_compile(actor=dpo, request=access_request)
    assert again.pk == compilation.pk and again.reviewed_at is None
