import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core.rhythm import group_period
from omavalvonta.deviations.services import deviation_submit
from omavalvonta.plans import programme
from omavalvonta.plans.followup import compile_figures
from omavalvonta.plans.models import FollowupReport, ProgrammeVersion, ReportState, VersionState
from omavalvonta.plans.tests.helpers import approved_plan
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = pytest.mark.django_db


def _at(day, hour=10):
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def _submit(actor, unit, day, **kw):
    with time_machine.travel(_at(day)):
        return deviation_submit(actor=actor, **deviation_kwargs(unit, occurred_at=timezone.now(), **kw)).deviation


def _set(deviation, **fields):
    # Known data: handling outcomes set directly (the figures are under test, not the workflow).
    type(deviation).objects.filter(pk=deviation.pk).update(**fields)


def test_follow_up_figures_match_the_known_data(unit_a, unit_b, colleague_a, supervisor_b, quality_director,
                                               supervisor_a, responsible_a):
    start, end = dt.date(2026, 1, 1), dt.date(2026, 4, 30)
    a1 = _submit(colleague_a, unit_a, dt.date(2026, 1, 10))
    a2 = _submit(colleague_a, unit_a, dt.date(2026, 2, 10), kind="medication", medication_stage="giving")
    b1 = _submit(supervisor_b, unit_b, dt.date(2026, 3, 10))
    _submit(colleague_a, unit_a, dt.date(2025, 12, 31))  # before the period
    _submit(colleague_a, unit_a, dt.date(2026, 5, 2))  # after the period
    _set(a1, risk_level="high", answered_at=_at(dt.date(2026, 1, 12)), state="closed", closed_at=_at(dt.date(2026, 1, 14)))
    _set(a2, risk_level="low", answered_at=_at(dt.date(2026, 2, 11)), state="closed", closed_at=_at(dt.date(2026, 2, 20)))
    _set(b1, risk_level="high")
    from omavalvonta.deviations.services import deviation_notify_county
    from omavalvonta.improvement.services import action_complete, action_create

    with time_machine.travel(_at(dt.date(2026, 3, 12))):
        deviation_notify_county(actor=supervisor_b, deviation=b1, counties=b1.unit.counties.all(), subject="Ilmoitus", body="Vakava puute")
    with time_machine.travel(_at(dt.date(2026, 2, 1))):
        done = action_create(actor=supervisor_a, unit=unit_a, title="Tarkistuslista", owner=supervisor_a,
                             due_date=dt.date(2026, 3, 1), source=a1)
        action_create(actor=supervisor_a, unit=unit_a, title="Koulutus", owner=supervisor_a,
                      due_date=dt.date(2026, 3, 1), source=a2)
        action_create(actor=supervisor_a, unit=unit_a, title="Myöhemmin", owner=supervisor_a,
                      due_date=dt.date(2026, 12, 1), source=a2)
    with time_machine.travel(_at(dt.date(2026, 2, 15))):
        action_complete(actor=supervisor_a, action=done, note="Tehty")
    with time_machine.travel(_at(dt.date(2026, 5, 5))):
        f = compile_figures(actor=quality_director, period_start=start, period_end=end)
    d = f["deviations"]
    assert d["total"] == 3
    assert {r["label"]: r["count"] for r in d["by_kind"]} == {"quality": 2, "medication": 1}
    assert {r["label"]: r["count"] for r in d["by_unit"]} == {"Lastenkoti Koivu": 2, "Lastenkoti Mänty": 1}
    assert {r["label"]: r["count"] for r in d["by_region"]} == {"Pirkanmaa": 2, "Satakunta": 1}
    assert {r["label"]: r["count"] for r in d["by_risk"]} == {"high": 2, "low": 1}
    assert f["answered"] == {"count": 2, "share": 67, "median_handling_days": 7.0, "closed": 2}
    assert f["notifications"]["total"] == 2  # the county and its lead official
    assert {r["label"] for r in f["notifications"]["by_recipient"]} == {"county", "lead_official"}
    assert f["actions"] == {"opened": 3, "done": 1, "overdue": 1}


def test_plan_reviews_count_on_time_and_late(unit_a, unit_b, supervisor_a, responsible_a, supervisor_b, quality_director):
    from omavalvonta.organisation.models import Role
    from omavalvonta.testing.factories import member

    responsible_b = member(Role.RESPONSIBLE_PERSON, unit=unit_b)
    with time_machine.travel(_at(dt.date(2025, 10, 1))):
        approved_plan(unit_a, supervisor_a, responsible_a)
        approved_plan(unit_b, supervisor_b, responsible_b)
    with time_machine.travel(_at(dt.date(2026, 1, 20))):  # due 1.2.: on time
        programme_review(responsible_a, unit_a)
    with time_machine.travel(_at(dt.date(2026, 3, 1))):  # due 1.2.: late
        programme_review(responsible_b, unit_b)
    f = compile_figures(actor=quality_director, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 4, 30),
                        today=dt.date(2026, 5, 5))
    assert f["plan_reviews"] == {"on_time": 1, "late": 1, "overdue": 0}


def programme_review(actor, unit):
    from omavalvonta.plans.services import plan_review_record

    return plan_review_record(actor=actor, unit=unit, note="Tarkistettu")


def test_default_periods_run_from_one_review_month_to_the_next_without_gaps():
    assert group_period(dt.date(2026, 5, 12)) == (dt.date(2026, 1, 1), dt.date(2026, 4, 30))
    assert group_period(dt.date(2026, 1, 3)) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert group_period(dt.date(2026, 10, 1)) == (dt.date(2026, 5, 1), dt.date(2026, 9, 30))
    assert group_period(dt.date(2026, 12, 24)) == (dt.date(2026, 5, 1), dt.date(2026, 9, 30))


def test_report_workflow_draft_approve_publish(quality_director, supervisor_a):
    report = programme.followup_report_create(actor=quality_director, period_start=dt.date(2026, 1, 1),
                                              period_end=dt.date(2026, 4, 30))
    with pytest.raises(ValidationError):
        programme.followup_report_create(actor=quality_director, period_start=dt.date(2026, 1, 1),
                                         period_end=dt.date(2026, 4, 30))
    with pytest.raises(ValidationError):
        programme.followup_report_publish(actor=quality_director, report=report)
    with pytest.raises(ValidationError):
        programme.followup_report_approve(actor=quality_director, report=report)  # no findings yet
    programme.followup_report_findings_save(actor=quality_director, report=report, findings="H", measures="T")
    report = programme.followup_report_approve(actor=quality_director, report=report)
    with pytest.raises(ValidationError):
        programme.followup_report_findings_save(actor=quality_director, report=report, findings="X", measures="Y")
    with pytest.raises(ValidationError):
        programme.followup_report_recompile(actor=quality_director, report=report)
    report = programme.followup_report_publish(actor=quality_director, report=report)
    assert report.state == ReportState.PUBLISHED
    with pytest.raises(PermissionDenied):
        programme.followup_report_create(actor=supervisor_a, period_start=dt.date(2026, 5, 1),
                                         period_end=dt.date(2026, 8, 31))


def test_programme_is_approved_by_the_quality_director_and_then_frozen(quality_director):
    draft = programme.programme_draft_save(actor=quality_director, text="Ohjelma", change_summary="Ensimmäinen")
    version = programme.programme_approve(actor=quality_director, version=draft)
    assert version.state == VersionState.APPROVED
    with pytest.raises(ValidationError):
        programme.programme_approve(actor=quality_director, version=version)
    loaded = ProgrammeVersion.objects.get(pk=version.pk)
    loaded.text = "Muutettu"
    with pytest.raises(ValidationError):
        loaded.save()
    second = programme.programme_draft_save(actor=quality_director, text="Ohjelma 2")
    assert second.number == 2


def test_management_group_writes_findings_but_cannot_approve(client, quality_director):
    from omavalvonta.organisation.models import Role
    from omavalvonta.testing.factories import member

    mg = member(Role.MANAGEMENT_GROUP)
    client.force_login(mg)
    response = client.post(reverse("plans:reports"), {"period_start": "2026-01-01", "period_end": "2025-12-01"})
    assert response.status_code == 200 and "cannot end before" in response.content.decode()
    response = client.post(reverse("plans:reports"), {"period_start": "2026-01-01", "period_end": "2026-04-30"})
    assert response.status_code == 302
    url = response.url
    assert client.post(url, {"findings": "Havainto", "measures": "Toimenpide"}).status_code == 302
    report_pk = int(url.rstrip("/").split("/")[-1])
    assert client.post(reverse("plans:report_approve", args=[report_pk])).status_code == 403
    client.force_login(quality_director)
    assert client.post(reverse("plans:report_approve", args=[report_pk])).status_code == 302
    assert client.post(reverse("plans:report_publish", args=[report_pk])).status_code == 302
    page = client.get(url)
    assert "Havainto" in page.content.decode()


def test_guidance_figures_count_the_period(quality_director, authority, unit_a):
    from omavalvonta.guidance.services import guidance_register

    def register(received, kind="guidance", deadline=None):
        return guidance_register(actor=quality_director, kind=kind, title="Ohjauskirje", content="Sisältö",
                                 received_on=received, authority=authority, deadline=deadline, units=[unit_a])

    register(dt.date(2026, 2, 1))
    register(dt.date(2026, 3, 1), kind="information_request", deadline=dt.date(2026, 3, 20))
    register(dt.date(2026, 6, 1))  # after the period
    f = compile_figures(actor=quality_director, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 4, 30),
                        today=dt.date(2026, 5, 5))
    g = f["guidance"]
    assert g["total"] == 2
    assert {r["label"]: r["count"] for r in g["by_kind"]} == {"guidance": 1, "information_request": 1}
    assert g["with_deadline"] == 1 and g["answered_in_time"] == 0 and g["late_now"] == 1


def test_the_job_compiles_the_follow_up_once_in_a_review_month(quality_director):
    from omavalvonta.notifications.models import Notification
    from omavalvonta.organisation.models import Role
    from omavalvonta.testing.factories import member

    mg = member(Role.MANAGEMENT_GROUP)
    assert programme.followup_reports_prepare(today=dt.date(2026, 3, 2)) == 0  # not a review month
    assert programme.followup_reports_prepare(today=dt.date(2026, 5, 2)) == 2
    report = FollowupReport.objects.get()
    assert (report.period_start, report.period_end) == (dt.date(2026, 1, 1), dt.date(2026, 4, 30))
    assert report.state == ReportState.DRAFT and report.figures["period_start"] == "2026-01-01"
    assert set(Notification.objects.filter(kind="plans.followup_compiled").values_list("recipient", flat=True)) == {
        quality_director.pk, mg.pk,
    }
    assert programme.followup_reports_prepare(today=dt.date(2026, 5, 3)) == 0


def test_the_review_months_are_configurable(settings, db):
    settings.REVIEW_MONTHS = (3, 9)
    assert programme.suggested_period(dt.date(2026, 9, 10)) == (dt.date(2026, 3, 1), dt.date(2026, 8, 31))


@pytest.mark.parametrize("days", [[3], [4, 1], [9, 2, 5], [1, 8, 3, 6], [2, 2, 7, 7, 0.5]])
def test_the_median_handling_time_is_taken_in_the_database_as_in_python(days, unit_a, colleague_a, quality_director):
    import statistics

    submitted = dt.date(2026, 1, 10)
    for n in days:
        d = _submit(colleague_a, unit_a, submitted)
        _set(d, state="closed", closed_at=d.submitted_at + dt.timedelta(days=n))
    with time_machine.travel(_at(dt.date(2026, 5, 5))):
        f = compile_figures(actor=quality_director, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 4, 30))
    assert f["answered"]["closed"] == len(days)
    assert f["answered"]["median_handling_days"] == round(statistics.median(days), 1)
