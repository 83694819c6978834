"""The staff pages: results, rounds with QR sheet and kiosk, recording on
behalf, the question-set editor, public feedback; access and query counts."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.feedback import channel, services
from omavalvonta.feedback.models import Channel, PublicFeedback, Response, ResponseLink, Round, Survey
from omavalvonta.feedback.tests.helpers import answer, open_round
from omavalvonta.testing.factories import UnitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


def html(response):
    return response.content.decode()


def test_unit_results_page_shows_nps_chart_and_free_text(client, supervisor_a, unit_a):
    round_ = open_round(supervisor_a, unit_a)
    for nps in [10, 10, 10, 9, 2]:
        answer(round_, "parent", nps=nps, safe=4, text="Kiitos avusta")
    client.force_login(supervisor_a)
    page = html(client.get(reverse("feedback:unit", args=[unit_a.pk])))
    assert "+60" in page  # 4 promoters, 1 detractor of 5
    assert "<svg" in page and 'role="img"' in page
    assert "Kiitos avusta" in page
    assert "fewer than 5 answers" in page  # the children and social workers


def test_employee_cannot_see_results_and_other_unit_is_404(client, employee_a, supervisor_b, unit_a):
    client.force_login(employee_a)
    assert client.get(reverse("feedback:home")).status_code == 403
    client.force_login(supervisor_b)
    assert client.get(reverse("feedback:unit", args=[unit_a.pk])).status_code == 404


def test_overview_lists_units_service_types_regions_and_organisation(client, regional_director_a, supervisor_a, unit_a):
    round_ = open_round(supervisor_a, unit_a)
    for _ in range(5):
        answer(round_, "child", nps=10)
    client.force_login(regional_director_a)
    page = html(client.get(reverse("feedback:home")))
    assert unit_a.name in page and "Whole organisation" in page and "Pirkanmaa" in page and "+100" in page


def test_overview_cells_show_nps_the_small_group_dash_and_n_once_for_table_and_cards(
    client, regional_director_a, supervisor_a, unit_a
):
    """Each unit's cells, written once (a table row on a wide screen, a card on a
    phone): a shown NPS with its sign, a group under five as a dash with the
    reason, a group without answers as a dash (n=0 on the phone's card), each
    cell with its group's label for the card."""
    round_ = open_round(supervisor_a, unit_a)
    for _ in range(5):
        answer(round_, "child", nps=10)
    for _ in range(2):
        answer(round_, "parent", nps=0)
    client.force_login(regional_director_a)
    page = html(client.get(reverse("feedback:home")))
    assert page.count(f">{unit_a.name}</a>") == 1
    assert 'class="list-cards' not in page
    row = re.search(rf'<th scope="row"><a href="[^"]+">{unit_a.name}</a></th>\s*(.*?)\s*</tr>', page, re.S)
    assert row, page
    assert row.group(1) == (
        '<td><span class="fb-label">Children and young people: </span><strong>+100</strong> <span class="muted">n=5</span></td>'
        '<td><span class="fb-label">Parents: </span>'
        '<span class="muted" title="Fewer than five answers: not shown">–</span> <span class="muted">n=2</span></td>'
        '<td><span class="fb-label">Social workers: </span><span class="muted">–</span><span class="fb-phone muted"> n=0</span></td>'
    )


def test_results_query_counts_do_not_grow_with_data(
    client, supervisor_a, regional_director_a, unit_a, region_a, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    round_ = open_round(supervisor_a, unit_a)
    answer(round_, "child", nps=10, text="a")
    client.force_login(regional_director_a)
    urls = [
        reverse("feedback:unit", args=[unit_a.pk]),
        reverse("feedback:home"),
        reverse("feedback:scope", args=["region", region_a.pk]),
        reverse("feedback:unit_report", args=[unit_a.pk]),
    ]
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        counts.append(len(few))
    for i in range(30):
        answer(round_, ["child", "parent", "social_worker"][i % 3], nps=i % 11, safe=3, text=f"teksti {i}")
    for _ in range(5):
        unit = UnitFactory(region=region_a)
        answer(open_round(supervisor_a, unit) if False else services.round_create(
            actor=regional_director_a, unit=unit, year=round_.year, quarter=round_.quarter), "parent", nps=9)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url)


def test_round_page_qr_sheet_and_single_use(client, settings, supervisor_a, unit_a):
    settings.SITE_URL = "https://omavalvonta.example.fi"
    client.force_login(supervisor_a)
    # The current quarter: links are made only for a round that has not ended.
    today = timezone.localdate()
    quarter = {"unit": unit_a.pk, "year": today.year, "quarter": (today.month - 1) // 3 + 1}
    response = client.post(reverse("feedback:rounds"), quarter)
    round_ = Round.objects.get()
    assert response.status_code == 302
    sheet = client.post(reverse("feedback:round_links", args=[round_.pk]), {"group": "parent", "count": 3})
    assert sheet.status_code == 200 and sheet["Cache-Control"] == "no-store"
    urls = re.findall(r'href="(https://omavalvonta.example.fi/julkinen/palaute/k/[^"]+)"', html(sheet))
    assert len(urls) == 3 and html(sheet).count('class="qr"') == 3
    assert "data-print" in html(sheet)  # a print button (js/app.js shows it and prints)
    assert ResponseLink.objects.filter(round=round_).count() == 3


def test_round_form_errors_keep_input(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    services.round_create(actor=supervisor_a, unit=unit_a, year=2026, quarter=4)
    response = client.post(reverse("feedback:rounds"), {"unit": unit_a.pk, "year": 2026, "quarter": 4})
    assert response.status_code == 200 and "already has a round" in html(response)
    response = client.post(reverse("feedback:rounds"), {"unit": unit_a.pk, "year": "x", "quarter": 9})
    assert response.status_code == 200 and Round.objects.count() == 1
    round_ = Round.objects.get()
    bad = client.post(reverse("feedback:round_links", args=[round_.pk]), {"group": "parent", "count": 9999})
    assert bad.status_code == 400 and not ResponseLink.objects.exists()


def test_kiosk_start_signs_out_and_opens_the_form(client, supervisor_a, unit_a):
    round_ = open_round(supervisor_a, unit_a)
    client.force_login(supervisor_a)
    response = client.post(reverse("feedback:round_kiosk", args=[round_.pk]), {"group": "child"})
    assert response.status_code == 302 and "/julkinen/palaute/kioski/" in response.url
    assert "_auth_user_id" not in client.session
    form = client.get(response.url)
    assert form.status_code == 200 and "no-store" in form["Cache-Control"]


def test_record_on_behalf_page(client, supervisor_a, unit_a):
    round_ = open_round(supervisor_a, unit_a)
    client.force_login(supervisor_a)
    url = reverse("feedback:round_record", args=[round_.pk, "child"])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"channel": "kiosk", "safe": "4", "comments": "Sanoi että on kivaa"})
    assert bad.status_code == 400 and "Sanoi että on kivaa" in html(bad)
    ok = client.post(url, {"channel": "oral", "language": "fi", "safe": "4", "comments": "Sanoi että on kivaa"})
    assert ok.status_code == 302
    assert Response.objects.get().channel == Channel.ORAL
    assert client.get(reverse("feedback:round_record", args=[round_.pk, "nobody"])).status_code == 404


def test_quality_director_edits_and_publishes_a_new_version(client, quality_director, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get(reverse("feedback:surveys")).status_code == 403
    client.force_login(quality_director)
    assert client.get(reverse("feedback:surveys")).status_code == 200
    response = client.post(reverse("feedback:surveys"), {"group": "parent"})
    draft = Survey.objects.get(group="parent", state="draft")
    assert response.url == reverse("feedback:survey_edit", args=[draft.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    questions = list(draft.questions.all())
    data = {
        "title_fi": "Vanhempien kysely 2027",
        "title_sv": "Enkät",
        "title_en": "Survey",
        "q-TOTAL_FORMS": str(len(questions) + 1),
        "q-INITIAL_FORMS": str(len(questions)),
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "40",
    }
    for i, q in enumerate(questions):
        data.update({f"q-{i}-key": q.key, f"q-{i}-kind": q.kind, f"q-{i}-text_fi": q.text["fi"], f"q-{i}-text_sv": q.text["sv"]})
    n = len(questions)
    data.update({f"q-{n}-key": "safe_home", f"q-{n}-kind": "scale", f"q-{n}-text_fi": "Lapseni on turvassa."})
    bad = client.post(response.url, {**data, "title_fi": ""})
    assert bad.status_code == 400 and "Lapseni on turvassa." in html(bad)
    ok = client.post(response.url, {**data, "publish": "1"})
    assert ok.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "published" and draft.questions.filter(key="safe_home").exists()
    assert draft.title["fi"] == "Vanhempien kysely 2027"


def test_public_feedback_is_read_and_answered_by_the_unit(client, supervisor_a, supervisor_b, employee_a, unit_a):
    feedback, code = channel.public_feedback_submit(unit=unit_a, message="Hyvä kesäleiri!", sender_name="Maija")
    client.force_login(supervisor_b)
    assert client.get(reverse("feedback:public_detail", args=[feedback.pk])).status_code == 404
    client.force_login(supervisor_a)
    assert "Hyvä kesäleiri!" in html(client.get(reverse("feedback:public_list")))
    url = reverse("feedback:public_detail", args=[feedback.pk])
    assert client.post(url, {"answer": ""}).status_code == 400
    assert client.post(url, {"answer": "Kiitos, välitämme terveiset."}).status_code == 302
    assert channel.public_feedback_for_code(code).answer == "Kiitos, välitämme terveiset."


def test_feedback_to_the_organisation_is_for_organisation_wide_roles(client, supervisor_a, quality_director):
    feedback, _code = channel.public_feedback_submit(unit=None, message="Yleistä palautetta")
    client.force_login(supervisor_a)
    assert client.get(reverse("feedback:public_detail", args=[feedback.pk])).status_code == 404
    assert "Yleistä palautetta" not in html(client.get(reverse("feedback:public_list")))
    client.force_login(quality_director)
    url = reverse("feedback:public_detail", args=[feedback.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"answer": "Kiitos"}).status_code == 302
    assert PublicFeedback.objects.get().answered_by == quality_director


def test_monthly_report_web_and_pdf(client, supervisor_a, supervisor_b, unit_a):
    round_ = open_round(supervisor_a, unit_a)
    day = round_.opens_on
    for nps in [10, 9, 9, 0, 8]:
        answer(round_, "parent", nps=nps, safe=4, text="Hyvä palvelu", submitted_on=day)
    client.force_login(supervisor_a)
    url = reverse("feedback:unit_report", args=[unit_a.pk])
    page = client.get(url, {"kk": f"{day.year}-{day.month:02d}"})
    assert page.status_code == 200 and "+40" in html(page) and "Hyvä palvelu" in html(page)
    assert client.get(url, {"kk": "rubbish"}).status_code == 200  # falls back to last month
    pdf = client.get(url, {"kk": f"{day.year}-{day.month:02d}", "muoto": "pdf"})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.force_login(supervisor_b)
    assert client.get(url).status_code == 404


def test_service_type_region_and_organisation_pages(client, supervisor_a, regional_director_a, employee_a, unit_a, region_a):
    round_ = open_round(supervisor_a, unit_a)
    for nps in [10, 10, 10, 10, 0]:
        answer(round_, "child", nps=nps, safe=4, text="Salainen teksti")
    client.force_login(regional_director_a)
    for args in (["service_type", unit_a.service_type], ["region", region_a.pk], ["organisation", "0"]):
        page = client.get(reverse("feedback:scope", args=args))
        assert page.status_code == 200, args
        assert "+60" in html(page) and "Salainen teksti" not in html(page)
    assert client.get(reverse("feedback:scope", args=["region", "999"])).status_code == 404
    assert client.get(reverse("feedback:scope", args=["planet", "x"])).status_code == 404
    client.force_login(employee_a)
    assert client.get(reverse("feedback:scope", args=["organisation", "0"])).status_code == 403


def test_a_large_overview_lists_regions_first_and_a_regions_units_on_request(
    client, monkeypatch, quality_director, supervisor_a, unit_a, unit_b, region_a, django_assert_max_num_queries
):
    from omavalvonta.feedback import selectors

    monkeypatch.setattr(selectors, "OVERVIEW_UNIT_ROWS", 1)
    round_ = open_round(supervisor_a, unit_a)
    for _ in range(5):
        answer(round_, "parent", nps=10)
    client.force_login(quality_director)
    page = html(client.get(reverse("feedback:home")))
    assert unit_a.name not in page and unit_b.name not in page
    assert "2 units: choose a region to see its units." in page
    assert f"?alue={region_a.pk}#units" in page
    with django_assert_max_num_queries(30) as captured:
        page = html(client.get(reverse("feedback:home"), {"alue": region_a.pk}))
    assert unit_a.name in page and unit_b.name not in page and "+100" in page
    for _ in range(5):
        UnitFactory(region=region_a)
    with django_assert_max_num_queries(len(captured)):
        client.get(reverse("feedback:home"), {"alue": region_a.pk})
    # An unknown or foreign region: the regions as without one, never a 500.
    for bad in ("x", "999999", ""):
        page = html(client.get(reverse("feedback:home"), {"alue": bad}))
        assert unit_a.name not in page and "choose a region" in page


def test_a_regional_director_sees_the_units_of_their_region_at_once(client, monkeypatch, regional_director_a, unit_a):
    from omavalvonta.feedback import selectors

    monkeypatch.setattr(selectors, "OVERVIEW_UNIT_ROWS", 0)
    client.force_login(regional_director_a)
    page = html(client.get(reverse("feedback:home")))
    assert unit_a.name in page and "choose a region" not in page and "Back to all regions" not in page
