"""The report to the child's social worker (issue 15, phase 8): the period,
the PDF's content, the sending through the one-time-code delivery with no
child data in the e-mails, the download logged, and who may do what."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from omavalvonta.clients.models import Placement, SocialWorkerDelivery, SocialWorkerDownload
from omavalvonta.core.models import AccessLogEntry
from omavalvonta.notifications.models import Notification
from omavalvonta.outcomes import report, services
from omavalvonta.outcomes.tests.helpers import record

pytestmark = pytest.mark.django_db


def test_quarters():
    assert report.quarter_of(dt.date(2026, 11, 30)) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert report.quarter_of(dt.date(2026, 2, 1)) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert report.last_quarter(dt.date(2026, 1, 5)) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert report.last_quarter(dt.date(2026, 7, 1)) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def _child_with_history(make_placement, keeper):
    """A child measured twice (clearly better the second time) with a goal."""
    today = timezone.localdate()
    child = make_placement(name="Ronja R.", starts_on=today - dt.timedelta(days=200))
    first = record(keeper, child, on=today - dt.timedelta(days=190), scores={"school_or_work": (2, 3), "emotions_mood": (2, 2)})
    school = first.answers.get(item__domain="school_or_work").item
    goal = services.goals_agree(actor=keeper, measurement=first, goals=[(school.pk, "Käyn koulussa joka päivä")])[0]
    better = {"school_or_work": (9, 9), "emotions_mood": (9, 9), "daily_routines": (9, 9)}
    record(keeper, child, on=today - dt.timedelta(days=5), scores=better, follow_ups={goal.pk: "achieved"})
    return child


def test_the_report_shows_the_change_the_goals_and_the_period(make_placement, keeper_a):
    child = _child_with_history(make_placement, keeper_a)
    today = timezone.localdate()
    data = report.context(child, today - dt.timedelta(days=30), today)
    assert [m.measured_on for m in data["in_period"]] == [today - dt.timedelta(days=5)]
    assert data["change_class"] == "improved" and data["change"] > 0
    assert [g.text for g in data["goals"]] == ["Käyn koulussa joka päivä"]
    assert data["goals"][0].follow_up == "achieved"
    assert len(data["charts"]) >= 8 and data["restrictions"] == []
    # As of a day before the second measurement: one measurement, nothing to compare.
    earlier = report.context(child, today - dt.timedelta(days=200), today - dt.timedelta(days=6))
    assert earlier["change"] is None and earlier["first"] == earlier["last"]


def test_the_report_is_a_pdf(make_placement, keeper_a):
    child = _child_with_history(make_placement, keeper_a)
    pdf = report.report_pdf(child, *report.last_quarter(timezone.localdate()))
    assert pdf.startswith(b"%PDF")


def _messages(delivery):
    link = Notification.objects.get(pk=delivery.link_notification_id)
    code = Notification.objects.get(pk=delivery.code_notification_id)
    return link, code, link.link.rstrip("/").rsplit("/", 1)[1], code.body.split(": ", 1)[1].split()[0]


def test_sent_to_the_social_worker_with_no_child_data_in_the_emails_and_each_download_logged(
    client, make_placement, keeper_a
):
    child = _child_with_history(make_placement, keeper_a)
    client.force_login(keeper_a)
    url = reverse("outcomes:report", args=[child.pk])
    start, end = report.last_quarter(timezone.localdate())
    sent = client.post(url, {"period_start": start.isoformat(), "period_end": end.isoformat()})
    assert sent.status_code == 302
    delivery = SocialWorkerDelivery.objects.get(placement=child, generator=report.REPORT)
    assert delivery.params == {"from": start.isoformat(), "to": end.isoformat()}
    assert delivery.email == child.social_worker_email and delivery.created_by == keeper_a
    link, code, token, digits = _messages(delivery)
    for message in (link, code):
        assert message.email == child.social_worker_email
        for secret in (child.name, "Ronja", child.unit.name, str(child.birth_year), "Käyn koulussa", "koulu"):
            assert secret not in message.body and secret not in message.subject and secret not in message.link
    assert token not in code.body and digits not in link.body
    # The page in the unit shows what was sent, to whom.
    page = client.get(url).content.decode()
    assert child.social_worker_email in page and f'data-delivery="{delivery.pk}"' in page
    client.logout()
    download = reverse("public:delivery", args=[token])
    asks = client.get(download)
    assert asks.status_code == 200 and "Ronja" not in asks.content.decode()
    wrong = client.post(download, {"code": "00000000" if digits != "00000000" else "11111111"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    right = client.post(download, {"code": digits})
    assert right.status_code == 200 and right["Content-Type"] == "application/pdf"
    assert right.content.startswith(b"%PDF") and "vaikuttavuusraportti" in right["Content-Disposition"]
    attempts = list(SocialWorkerDownload.objects.filter(delivery=delivery).order_by("id"))
    assert [a.succeeded for a in attempts] == [False, True]
    client.force_login(keeper_a)
    page = client.get(url).content.decode()
    assert "Downloaded 1 time." in page and "Download log" in page


def test_a_wrong_period_is_refused_with_what_was_typed_kept(client, make_placement, keeper_a):
    child = make_placement()
    client.force_login(keeper_a)
    url = reverse("outcomes:report", args=[child.pk])
    future = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    answer = client.post(url, {"period_start": "2026-01-01", "period_end": future})
    page = answer.content.decode()
    assert answer.status_code == 200 and "cannot end in the future" in page and future in page
    backwards = client.post(url, {"period_start": "2025-06-01", "period_end": "2025-03-01"})
    assert "on or after its first day" in backwards.content.decode()
    long = client.post(url, {"period_start": "2023-01-01", "period_end": "2025-03-01"})
    assert "at most a year" in long.content.decode()
    empty = client.post(url, {"period_start": "", "period_end": "x"})
    assert empty.status_code == 200
    assert not SocialWorkerDelivery.objects.exists() and not Notification.objects.exists()
    # A broken period in the PDF's address falls back to the last quarter, never a 500.
    pdf = client.get(reverse("outcomes:report_pdf", args=[child.pk]) + "?alku=9999-99-99&loppu=x")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_who_may_read_and_send_and_every_read_is_logged(client, make_placement, employee_a, unit_b, supervisor_b,
                                                        regional_director_a):
    child = make_placement()
    other = make_placement(unit=unit_b, keeper=supervisor_b, name="Mikael V.")
    client.force_login(employee_a)
    for name in ("outcomes:report", "outcomes:report_pdf"):
        assert client.get(reverse(name, args=[child.pk])).status_code == 200, name
        assert client.get(reverse(name, args=[other.pk])).status_code == 404, name
    # Staff see the report; sending it out of the unit is for those who keep the children.
    start, end = report.last_quarter(timezone.localdate())
    data = {"period_start": start.isoformat(), "period_end": end.isoformat()}
    assert client.post(reverse("outcomes:report", args=[child.pk]), data).status_code == 403
    with pytest.raises(PermissionDenied):
        services.report_send(actor=employee_a, placement=child, date_from=start, date_to=end)
    assert not SocialWorkerDelivery.objects.exists()
    rows = AccessLogEntry.objects.filter(target_type=ContentType.objects.get_for_model(Placement), target_id=child.pk)
    assert sorted(rows.values_list("what", flat=True)) == ["outcome.report", "outcome.report", "outcome.report_pdf"]
    client.force_login(regional_director_a)
    assert client.get(reverse("outcomes:report", args=[child.pk])).status_code == 403


def test_a_report_period_after_the_placement_ended_is_refused(make_placement, keeper_a):
    today = timezone.localdate()
    child = make_placement(starts_on=today - dt.timedelta(days=400))
    Placement.objects.filter(pk=child.pk).update(ends_on=today - dt.timedelta(days=100))
    child.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        services.report_send(actor=keeper_a, placement=child, date_from=today - dt.timedelta(days=50), date_to=today)
    assert "period_start" in excinfo.value.message_dict


def test_the_report_and_the_childs_other_pages_keep_their_query_counts_as_data_grows(client, make_placement, keeper_a):
    """The pages a child's data lists (the report with what was sent and each
    download, the goals print page, the measurement form, the session checks)
    read a fixed number of queries however many measurements, goals,
    deliveries and downloads the child has."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    child = make_placement(starts_on=today - dt.timedelta(days=800))
    client.force_login(keeper_a)
    urls = [reverse(name, args=[child.pk]) for name in
            ("outcomes:report", "outcomes:goals_print", "outcomes:measure", "outcomes:sessions", "clients:detail")]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            out.append(len(ctx.captured_queries))
        return out

    def send():
        start, end = report.last_quarter(today)
        delivery = services.report_send(actor=keeper_a, placement=child, date_from=start, date_to=end)
        SocialWorkerDownload.objects.create(delivery=delivery, succeeded=False)
        SocialWorkerDownload.objects.create(delivery=delivery, succeeded=True)

    first = record(keeper_a, child, on=child.starts_on)
    goal = services.goals_agree(actor=keeper_a, measurement=first, goals=[(first.version.items.first().pk, "Herään itse")])[0]
    send()
    counts()
    few = counts()
    # The budgets (issue 15's bench): the measurement form reads the version and its
    # items in one query (10 before), the child's page its measurements with their
    # answers in one and the restrictive measures' panel in one (12 before).
    assert few[2] <= 9 and few[4] <= 10, few
    for n in range(1, 6):
        m = record(keeper_a, child, on=child.starts_on + dt.timedelta(days=91 * n), follow_ups={goal.pk: "progressing"})
        goal = services.goals_agree(actor=keeper_a, measurement=m, goals=[(m.version.items.last().pk, f"Tavoite {n}")])[0]
        send()
    assert counts() == few


def test_the_quarters_report_goes_once_to_each_measured_child_at_the_quarters_start(make_placement, keeper_a):
    from omavalvonta.outcomes.models import QuarterlyReport

    today = timezone.localdate()
    quarter_start, _end = report.quarter_of(today)
    start, end = report.last_quarter(today)
    measured = make_placement(name="Mitattu M.", starts_on=start - dt.timedelta(days=100))
    record(keeper_a, measured, on=start - dt.timedelta(days=99))
    never = make_placement(name="Ei mitattu E.", starts_on=start - dt.timedelta(days=100))
    left = make_placement(name="Lähtenyt L.", starts_on=start - dt.timedelta(days=100))
    record(keeper_a, left, on=start - dt.timedelta(days=99))
    Placement.objects.filter(pk=left.pk).update(ends_on=end - dt.timedelta(days=5))
    # Later in the quarter the job sends nothing.
    assert services.quarterly_reports_send(today=quarter_start + dt.timedelta(days=services.QUARTER_SEND_DAYS)) == 0
    assert services.quarterly_reports_send(today=quarter_start + dt.timedelta(days=1)) == 1
    assert services.quarterly_reports_send(today=quarter_start + dt.timedelta(days=2)) == 0
    [delivery] = SocialWorkerDelivery.objects.all()
    assert delivery.placement == measured and delivery.created_by is None
    assert delivery.params == {"from": start.isoformat(), "to": end.isoformat()}
    assert QuarterlyReport.objects.get().delivery == delivery
    assert not QuarterlyReport.objects.filter(placement__in=[never, left]).exists()
    link, code, _token, _digits = _messages(delivery)
    for message in (link, code):
        assert "Mitattu" not in message.body + message.subject


def test_the_quarterly_job_is_registered():
    from omavalvonta.core import jobs

    assert "outcomes.quarterly_reports" in {job.name for job in jobs.registered()}
