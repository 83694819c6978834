"""Two versions of the group programme side by side (the plans' comparison reused)."""

import pytest
from django.urls import reverse

from omavalvonta.plans import programme, selectors

pytestmark = pytest.mark.django_db

V1 = "Johdanto ohjelmaan.\n\nRiskit arvioidaan kerran vuodessa.\n\nPoistuva kappale."
V2 = "Johdanto ohjelmaan.\n\nRiskit arvioidaan kahdesti vuodessa.\n\nUusi kappale <b>lihavoitu</b>."


def test_paragraphs_side_by_side_with_the_changed_words_marked():
    rows = selectors.compare_texts(left=V1, right=V2)
    assert [(r.title, r.changed) for r in rows] == [("1", False), ("2", True), ("3", True)]
    assert "<del>kerran</del>" in rows[1].left and "<ins>kahdesti</ins>" in rows[1].right
    assert "&lt;b&gt;" in rows[2].right and "<b>" not in rows[2].right  # escaped


def test_a_paragraph_only_in_one_version():
    rows = selectors.compare_texts(left="Yksi.\n\nKaksi.", right="Yksi.\n\nUusi.\n\nKaksi.")
    assert [(r.title, r.only_in) for r in rows] == [("1", ""), ("2", "right"), ("3", "")]
    rows = selectors.compare_texts(left="Yksi.\n\nKaksi.", right="Yksi.")
    assert [(r.title, r.only_in) for r in rows] == [("1", ""), ("2", "left")]
    assert selectors.compare_texts(left="", right="") == []


@pytest.fixture
def two_versions(quality_director):
    first = programme.programme_draft_save(actor=quality_director, text=V1, change_summary="Ensimmäinen")
    programme.programme_approve(actor=quality_director, version=first)
    return first, programme.programme_draft_save(actor=quality_director, text=V2, change_summary="Päivitys")


def test_the_page_compares_the_previous_version_with_the_draft(client, quality_director, two_versions):
    client.force_login(quality_director)
    assert reverse("plans:programme_compare") in client.get(reverse("plans:programme")).content.decode()
    body = client.get(reverse("plans:programme_compare")).content.decode()
    assert "<del>kerran</del>" in body and "<ins>kahdesti</ins>" in body
    assert "Poistuva kappale." in body


def test_a_chosen_pair_and_a_bad_choice(client, quality_director, two_versions):
    client.force_login(quality_director)
    url = reverse("plans:programme_compare")
    body = client.get(url, {"a": 2, "b": 1}).content.decode()
    assert "<del>kahdesti</del>" in body and "<ins>kerran</ins>" in body
    response = client.get(url, {"a": 7, "b": "x"})
    assert response.status_code == 200 and "<del>" not in response.content.decode()


def test_with_one_version_there_is_nothing_to_compare(client, quality_director):
    programme.programme_draft_save(actor=quality_director, text=V1, change_summary="x")
    client.force_login(quality_director)
    response = client.get(reverse("plans:programme_compare"))
    assert response.status_code == 200 and "<table" not in response.content.decode()


def test_unit_staff_cannot_compare(client, supervisor_a, two_versions):
    client.force_login(supervisor_a)
    assert client.get(reverse("plans:programme_compare")).status_code == 403


@pytest.mark.browser
def test_quality_director_compares_programme_versions_on_a_phone(phone_page, live_server, quality_director, password):
    from omavalvonta.testing.browser import login, snap

    first = programme.programme_draft_save(actor=quality_director, text=V1, change_summary="Ensimmäinen")
    programme.programme_approve(actor=quality_director, version=first)
    programme.programme_draft_save(actor=quality_director, text=V2, change_summary="Päivitys")
    login(phone_page, live_server, quality_director.email, password)
    phone_page.goto(reverse("plans:programme"))
    phone_page.locator(f"a[href='{reverse('plans:programme_compare')}']").click()
    phone_page.wait_for_url(f"**{reverse('plans:programme_compare')}")
    assert phone_page.locator("table.plan-compare del").first.inner_text() == "kerran"
    snap(phone_page, "plans-programme-compare-phone")


def test_staff_pages_link_to_the_public_pdfs(client, quality_director, two_versions):
    import datetime as dt

    client.force_login(quality_director)
    assert reverse("public:plans_programme_pdf") in client.get(reverse("plans:programme")).content.decode()
    report = programme.followup_report_create(actor=quality_director, period_start=dt.date(2026, 1, 1),
                                              period_end=dt.date(2026, 4, 30))
    pdf = reverse("public:plans_report_pdf", args=[report.pk])
    assert pdf not in client.get(report.get_absolute_url()).content.decode()  # a draft: no public PDF
    programme.followup_report_findings_save(actor=quality_director, report=report, findings="H", measures="T")
    programme.followup_report_approve(actor=quality_director, report=report)
    programme.followup_report_publish(actor=quality_director, report=report)
    assert pdf in client.get(report.get_absolute_url()).content.decode()
