"""The group's follow-up findings are published every four months: a compiled
report left unpublished is reminded to the quality director and the management
group, and shown late on their home pages; the directors' home page links the
latest follow-up report."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.organisation.models import Role
from omavalvonta.plans import programme
from omavalvonta.plans.models import PAGE_UNIT_ROWS, FollowupReport, figures_for_page
from omavalvonta.testing.factories import member

HELSINKI = ZoneInfo("Europe/Helsinki")


pytestmark = pytest.mark.usefixtures("english_pages")


@pytest.fixture
def management(organisation):
    return member(Role.MANAGEMENT_GROUP, full_name="Maija Johtoryhmä", email="maija@omavalvonta.example")


@pytest.fixture
def compiled(quality_director, management):
    """The report of January–April 2026, compiled in May: publish by 31.5."""
    with time_machine.travel(dt.datetime(2026, 5, 2, 9, 0, tzinfo=HELSINKI), tick=False):
        assert programme.followup_reports_prepare() == 2
    report = programme.FollowupReport.objects.get()
    assert report.publication_due == dt.date(2026, 5, 31)
    return report


def test_an_unpublished_report_is_reminded_once_then_late_once(compiled, quality_director, management):
    assert programme.followup_reports_remind(today=dt.date(2026, 5, 10)) == 0  # three weeks left
    assert programme.followup_reports_remind(today=dt.date(2026, 5, 17)) == 2
    assert programme.followup_reports_remind(today=dt.date(2026, 5, 20)) == 0
    reminders = Notification.objects.filter(kind="plans.followup_unpublished")
    assert {n.recipient_id for n in reminders} == {quality_director.pk, management.pk}
    assert "31.5.2026" in reminders.first().subject

    assert programme.followup_reports_remind(today=dt.date(2026, 6, 1)) == 2
    assert programme.followup_reports_remind(today=dt.date(2026, 6, 8)) == 0
    late = Notification.objects.filter(kind="plans.followup_late")
    assert {n.recipient_id for n in late} == {quality_director.pk, management.pk}
    # Late is urgent: never held for a digest.
    assert all(n.state != DeliveryState.HELD for n in late)


def test_a_published_report_is_not_reminded(compiled, quality_director):
    programme.followup_report_findings_save(actor=quality_director, report=compiled, findings="F", measures="M")
    programme.followup_report_approve(actor=quality_director, report=compiled)
    programme.followup_report_publish(actor=quality_director, report=compiled)

    assert programme.followup_reports_remind(today=dt.date(2026, 6, 5)) == 0


def test_the_late_report_shows_on_the_home_pages_of_the_quality_director_and_the_management_group(
    client, compiled, quality_director, management
):
    for person in (quality_director, management):
        client.force_login(person)
        with time_machine.travel(dt.datetime(2026, 6, 3, 9, 0, tzinfo=HELSINKI), tick=False):
            page = client.get(reverse("home")).content.decode()
        block = page.split('data-block="followup"', 1)[1].split("</section>", 1)[0]
        assert "publish by 31.5.2026" in block and "Late" in block
        assert compiled.get_absolute_url() in block


def test_the_directors_home_page_links_the_latest_follow_up_report(client, compiled, quality_director, region_a):
    director = member(Role.REGIONAL_DIRECTOR, region=region_a, full_name="Rauni Alue", email="rauni@omavalvonta.example")
    client.force_login(director)
    assert 'data-block="followup"' not in client.get(reverse("home")).content.decode()  # nothing published yet

    programme.followup_report_findings_save(actor=quality_director, report=compiled, findings="F", measures="M")
    programme.followup_report_approve(actor=quality_director, report=compiled)
    programme.followup_report_publish(actor=quality_director, report=compiled)

    block = client.get(reverse("home")).content.decode().split('data-block="followup"', 1)[1].split("</section>", 1)[0]
    assert reverse("public:plans_report", args=[compiled.pk]) in block
    client.force_login(quality_director)
    block = client.get(reverse("home")).content.decode().split('data-block="followup"', 1)[1].split("</section>", 1)[0]
    assert compiled.get_absolute_url() in block and "Compiled, not yet published" not in block


def _save_figures(report, figures):
    report = programme.FollowupReport.objects.get(pk=report.pk)
    report.figures = figures
    report.save(update_fields=["figures"])  # as a recompile saves them


@pytest.mark.parametrize("shape", ["both", "no_feedback", "null_list", "empty"])
def test_the_page_reads_the_same_figures_as_cut_when_they_were_saved(compiled, shape, django_assert_num_queries):
    """report_for_page (the per-unit lists cut when the figures were saved, not
    the whole figures) gives the page the same context as the whole figures
    cut when shown, whatever their shape."""
    from omavalvonta.plans.report_view import report_context, report_for_page

    figures = dict(compiled.figures)
    units = [{"label": f"Yksikkö {i:02d}", "count": 30 - i} for i in range(5)]
    if shape == "empty":
        figures = {}
    else:
        figures["deviations"] = {**figures.get("deviations", {}), "by_unit": None if shape == "null_list" else units}
        if shape == "no_feedback":
            figures.pop("feedback", None)
        elif shape == "both":
            figures["feedback"] = {**(figures.get("feedback") or {}), "by_unit": [{"label": "A"}, {"label": "B"}]}
    _save_figures(compiled, figures)
    reports = programme.FollowupReport.objects.filter(pk=compiled.pk)
    for rows in (1, 3, 10, PAGE_UNIT_ROWS):
        whole = report_context(reports.first(), unit_rows=rows)
        with django_assert_num_queries(1):  # the whole figures are not read afterwards either
            read = report_for_page(reports, unit_rows=rows)
            cut = report_context(read, unit_rows=rows)
        assert "figures" in read.get_deferred_fields()
        for context in (whole, cut):
            # The raw lists are not shown (the templates read the rows made of them).
            context.pop("report"), context.pop("figures"), context["feedback"].pop("by_unit", None)
        assert cut == whole, (shape, rows)
    assert report_for_page(reports.filter(pk=0), unit_rows=3) is None


def test_the_report_page_shows_the_first_units_and_links_all(client, monkeypatch, compiled, quality_director):
    from omavalvonta.plans import programme_views

    figures = dict(compiled.figures)
    figures["deviations"] = {
        **figures.get("deviations", {}),
        "by_unit": [{"label": f"Yksikkö {i:02d}", "count": 30 - i} for i in range(3)],
    }
    _save_figures(compiled, figures)
    monkeypatch.setattr(programme_views, "REPORT_UNIT_ROWS", 2)
    client.force_login(quality_director)
    url = compiled.get_absolute_url()
    page = client.get(url).content.decode()
    assert "Yksikkö 00" in page and "Yksikkö 01" in page and "Yksikkö 02" not in page
    assert "?yksikot=kaikki" in page and "Show all 3 units" in page
    page = client.get(url, {"yksikot": "kaikki"}).content.decode()
    assert "Yksikkö 02" in page and "Show all 3 units" not in page


def test_the_figures_for_the_page_cut_the_unit_lists_and_count_the_longer():
    units = [{"label": f"U{i}", "count": i} for i in range(PAGE_UNIT_ROWS + 5)]
    figures = {"deviations": {"total": 9, "by_unit": units}, "feedback": {"by_unit": units[:3]}, "answered": {"n": 1}}
    page = figures_for_page(figures)
    assert page["units_listed"] == PAGE_UNIT_ROWS + 5
    assert page["figures"]["deviations"] == {"total": 9, "by_unit": units[:PAGE_UNIT_ROWS]}
    assert page["figures"]["feedback"]["by_unit"] == units[:3] and page["figures"]["answered"] == {"n": 1}
    assert len(figures["deviations"]["by_unit"]) == PAGE_UNIT_ROWS + 5  # the figures themselves are not cut
    assert figures_for_page(None) == {"figures": {}, "units_listed": 0}
    assert figures_for_page({"deviations": {"by_unit": None}}) == {"figures": {"deviations": {"by_unit": None}}, "units_listed": 0}


def test_the_page_figures_follow_every_save_of_the_figures(compiled, quality_director):
    assert compiled.page_figures == figures_for_page(compiled.figures)  # made with the report
    # A save of other fields, the figures not read, leaves both as they are.
    FollowupReport.objects.filter(pk=compiled.pk).update(page_figures={"figures": {"kept": 1}, "units_listed": 0})
    report = FollowupReport.objects.without_figures().get(pk=compiled.pk)
    report.findings = "Havainnot."
    report.save(update_fields=["findings"])
    report = FollowupReport.objects.get(pk=compiled.pk)
    assert report.page_figures == {"figures": {"kept": 1}, "units_listed": 0} and report.findings == "Havainnot."
    # A recompile saves both.
    report = programme.followup_report_recompile(actor=quality_director, report=report)
    assert FollowupReport.objects.get(pk=compiled.pk).page_figures == figures_for_page(report.figures)


def test_the_migration_fills_the_page_figures_of_earlier_reports(compiled):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("omavalvonta.plans.migrations.0013_followupreport_page_figures")
    FollowupReport.objects.filter(pk=compiled.pk).update(page_figures=None)
    migration.fill(apps, None)
    assert FollowupReport.objects.get(pk=compiled.pk).page_figures == figures_for_page(compiled.figures)
