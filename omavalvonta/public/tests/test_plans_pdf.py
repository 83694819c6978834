"""PDFs of the published programme and of each published follow-up report:
rendered, linked from the public pages, cacheable, and never of a draft."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from omavalvonta.plans import programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    return client


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split())


@pytest.fixture
def approved(quality_director):
    draft = programme.programme_draft_save(actor=quality_director, text="Ohjelman ensimmäinen luku.\n\nToinen kappale riskeistä.",
                                           change_summary="Uusi ohjelma")
    return programme.programme_approve(actor=quality_director, version=draft)


@pytest.fixture
def published(quality_director):
    report = programme.followup_report_create(actor=quality_director, period_start=dt.date(2026, 1, 1),
                                              period_end=dt.date(2026, 4, 30))
    programme.followup_report_findings_save(actor=quality_director, report=report,
                                            findings="Poikkeamia ilmoitettiin aiempaa enemmän.",
                                            measures="Lääkehoidon kaksoistarkistus kaikkiin yksiköihin.")
    programme.followup_report_approve(actor=quality_director, report=report)
    return programme.followup_report_publish(actor=quality_director, report=report)


def test_programme_pdf_contains_the_approved_text_version_and_approver(client, approved, quality_director):
    programme.programme_draft_save(actor=quality_director, text="KESKENERÄINEN luonnos", change_summary="x")
    page = client.get(reverse("public:plans_programme")).content.decode()
    assert reverse("public:plans_programme_pdf") in page
    response = client.get(reverse("public:plans_programme_pdf"))
    flat = _text(response)
    assert "Ohjelman ensimmäinen luku." in flat and "Toinen kappale riskeistä." in flat
    assert quality_director.full_name in flat
    assert "KESKENERÄINEN" not in flat
    assert "1 /" in flat  # page numbers
    assert "public" in response["Cache-Control"] and response["Last-Modified"]


def test_programme_pdf_without_an_approved_programme_is_404(client, quality_director):
    programme.programme_draft_save(actor=quality_director, text="Luonnos", change_summary="x")
    assert client.get(reverse("public:plans_programme_pdf")).status_code == 404


def test_report_pdf_contains_the_findings_measures_and_figures(client, published, approved, quality_director):
    page = client.get(reverse("public:plans_programme")).content.decode()
    assert reverse("public:plans_report_pdf", args=[published.pk]) in page
    assert reverse("public:plans_report_pdf", args=[published.pk]) in client.get(
        reverse("public:plans_report", args=[published.pk])).content.decode()
    flat = _text(client.get(reverse("public:plans_report_pdf", args=[published.pk])))
    assert "Poikkeamia ilmoitettiin aiempaa enemmän." in flat
    assert "Lääkehoidon kaksoistarkistus kaikkiin yksiköihin." in flat
    assert "1.1.2026" in flat and "30.4.2026" in flat
    assert "Asiakaspalaute" in flat and "Koko organisaatio" in flat  # the feedback figures' section
    assert quality_director.full_name in flat


def test_report_pdf_only_of_a_published_report(client, quality_director):
    report = programme.followup_report_create(actor=quality_director, period_start=dt.date(2026, 5, 1),
                                              period_end=dt.date(2026, 9, 30))
    url = reverse("public:plans_report_pdf", args=[report.pk])
    assert client.get(url).status_code == 404
    programme.followup_report_findings_save(actor=quality_director, report=report, findings="H", measures="T")
    programme.followup_report_approve(actor=quality_director, report=report)
    assert client.get(url).status_code == 404  # approved, not yet published
    assert client.get(reverse("public:plans_report_pdf", args=[99999])).status_code == 404


def test_pdfs_are_kept_and_revalidate(client, published, approved, django_assert_max_num_queries):
    url = reverse("public:plans_report_pdf", args=[published.pk])
    first = client.get(url)
    with django_assert_max_num_queries(4):  # the second time from the cache: no layout, few queries
        again = client.get(url)
    assert again.content == first.content
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.post(url).status_code == 405


def test_pdf_unavailable_is_a_503_not_a_500(client, published, monkeypatch):
    from omavalvonta.core.pdf import PdfUnavailable
    from omavalvonta.public.views import plans as views

    def broken(*args, **kwargs):
        raise PdfUnavailable("pango missing")

    monkeypatch.setattr(views, "render_pdf", broken)
    assert client.get(reverse("public:plans_report_pdf", args=[published.pk])).status_code == 503

