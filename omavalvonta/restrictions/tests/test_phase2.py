"""Phase 2 of the register: the written decision or account (frozen, corrected
as new versions, in fi and sv), the social worker told through a one-time-code
delivery with no child data in the e-mails, the many/consecutive/long flag, and
the figures with small groups hidden."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omavalvonta.clients import services as clients_services
from omavalvonta.clients.models import SocialWorkerDelivery, SocialWorkerDownload
from omavalvonta.core.models import AccessLogEntry
from omavalvonta.notifications.models import Notification
from omavalvonta.restrictions import selectors, services
from omavalvonta.restrictions.models import ChildFlag, FrozenError, Restriction

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
# The first moment of this month in Helsinki: measures "of this month" start after
# it even when the suite runs just after local midnight (TEST_CLOCK).
MONTH_START = timezone.make_aware(dt.datetime.combine(timezone.localdate(NOW).replace(day=1), dt.time()))


def this_month(hours_ago):
    """A start time `hours_ago` before now, but never before this month began."""
    return max(NOW - dt.timedelta(hours=hours_ago), MONTH_START + dt.timedelta(minutes=10 - hours_ago))


def movement(**overrides):
    started = NOW - dt.timedelta(hours=2)
    data = {
        "measure": "movement", "record_kind": "decision", "started_at": started,
        "ended_at": started + dt.timedelta(days=3),
    }
    data.update(overrides)
    return data


def _codes(delivery):
    link = Notification.objects.get(pk=delivery.link_notification_id)
    code = Notification.objects.get(pk=delivery.code_notification_id)
    token = link.link.rstrip("/").rsplit("/", 1)[1]
    digits = code.body.split(": ", 1)[1].split()[0]
    return link, code, token, digits


def test_a_decision_is_signed_frozen_and_corrected_as_a_new_version(supervisor_a, employee_a, child_a, record):
    restriction = record(supervisor_a, child_a, **movement())
    with pytest.raises(PermissionDenied):
        services.document_sign(actor=employee_a, restriction=restriction, reasoning="x")
    first = services.document_sign(actor=supervisor_a, restriction=restriction, reasoning="Karkaamisen vaara.")
    first.reasoning = "changed"
    with pytest.raises(FrozenError):
        first.save()
    with pytest.raises(ValidationError) as excinfo:
        services.document_sign(actor=supervisor_a, restriction=restriction, reasoning="Uusi perustelu.")
    assert "correction_reason" in excinfo.value.message_dict
    second = services.document_sign(
        actor=supervisor_a, restriction=restriction, reasoning="Uusi perustelu.", correction_reason="Päivä väärin."
    )
    assert (first.version, second.version) == (1, 2)
    assert restriction.documents.get(version=1).reasoning == "Karkaamisen vaara."


def test_a_restraint_gets_an_account_that_staff_sign(employee_a, child_a, record):
    restriction = record(employee_a, child_a)
    document = services.document_sign(actor=employee_a, restriction=restriction, reasoning="Kuvaus tilanteesta.")
    assert document.kind == "account"


def test_a_decision_made_outside_the_unit_gets_no_document(supervisor_a, child_a, record):
    restriction = record(
        supervisor_a, child_a, **movement(measure="contact", record_kind="account", decided_by_name="Sanna S.")
    )
    with pytest.raises(ValidationError):
        services.document_sign(actor=supervisor_a, restriction=restriction, reasoning="x")


def test_decision_pdf_in_finnish_and_swedish_with_appeal_instructions(client, supervisor_a, child_a, record):
    restriction = record(supervisor_a, child_a, **movement())
    services.document_sign(actor=supervisor_a, restriction=restriction, reasoning="Karkaamisen vaara.")
    client.force_login(supervisor_a)
    for language in ("fi", "sv"):
        response = client.get(reverse("restrictions:pdf", args=[restriction.pk, 1, language]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(reverse("restrictions:pdf", args=[restriction.pk, 1, "de"])).status_code == 404
    assert client.get(reverse("restrictions:pdf", args=[restriction.pk, 9, "fi"])).status_code == 404


def test_a_handover_is_recorded_and_bad_dates_refused(client, supervisor_a, child_a, record):
    restriction = record(supervisor_a, child_a, **movement())
    document = services.document_sign(actor=supervisor_a, restriction=restriction, reasoning="Perustelu.")
    client.force_login(supervisor_a)
    url = reverse("restrictions:handover", args=[restriction.pk, 1])
    bad = client.post(url, {"to": "guardian", "given_on": "2001-01-01", "how": "Postitse"})
    assert bad.status_code == 200 and "Postitse" in bad.content.decode()
    ok = client.post(url, {"to": "guardian", "given_on": timezone.localdate().isoformat(), "how": "Postitse"})
    assert ok.status_code == 302 and document.handovers.count() == 1


def test_a_serious_measure_tells_the_social_worker_at_once_without_child_data(client, employee_a, child_a, record):
    restriction = record(employee_a, child_a, injuries="Mustelma kyynärvarressa.")
    delivery = SocialWorkerDelivery.objects.get(pk=restriction.social_worker_delivery_id)
    link, code, token, digits = _codes(delivery)
    for message in (link, code):
        assert message.email == child_a.social_worker_email
        for secret in (child_a.name, child_a.unit.name, "Mustelma", str(child_a.birth_year)):
            assert secret not in message.body and secret not in message.subject
    assert token not in code.body and digits not in link.body
    url = reverse("public:delivery", args=[token])
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"code": "00000000" if digits != "00000000" else "11111111"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    right = client.post(url, {"code": digits})
    assert right.status_code == 200 and right["Content-Type"] == "application/pdf"
    assert list(SocialWorkerDownload.objects.values_list("succeeded", flat=True).order_by("id")) == [False, True]
    # The download is a read of the child's data by someone without an account: one access-log row names them.
    reads = AccessLogEntry.objects.filter(what="placement.social_worker_download")
    assert [(r.actor_id, r.reader, r.target_id, r.unit_id) for r in reads] == [
        (None, f"{child_a.social_worker_name} <{child_a.social_worker_email}>", child_a.pk, child_a.unit_id)
    ]
    assert client.get(reverse("public:delivery", args=["nonsense"])).status_code == 404


def test_the_link_expires_and_wrong_codes_lock_it(employee_a, child_a, record):
    restriction = record(employee_a, child_a, injuries="Naarmu.")
    delivery = SocialWorkerDelivery.objects.get(pk=restriction.social_worker_delivery_id)
    _l, _c, token, digits = _codes(delivery)
    with pytest.raises(clients_services.DeliveryRefused):
        clients_services.delivery_open(token=token, code=digits, now=delivery.expires_at + dt.timedelta(seconds=1))
    for _i in range(clients_services.DELIVERY_MAX_FAILED):
        with pytest.raises(clients_services.DeliveryRefused):
            clients_services.delivery_open(token=token, code="x")
    with pytest.raises(clients_services.DeliveryRefused, match="locked"):
        clients_services.delivery_open(token=token, code=digits)


def test_other_measures_go_in_the_weekly_summary_once_with_two_workers(employee_a, child_a, record):
    started = NOW - dt.timedelta(days=9)
    first = record(employee_a, child_a, started_at=started, ended_at=started + dt.timedelta(minutes=3))
    second = record(employee_a, child_a, started_at=started + dt.timedelta(hours=1),
                    ended_at=started + dt.timedelta(hours=1, minutes=3))
    # Started this week even when the suite runs just after Monday's midnight.
    this_week_start = max(NOW - dt.timedelta(hours=1), services.week_start(NOW))
    this_week = record(employee_a, child_a, started_at=this_week_start,
                       ended_at=this_week_start + dt.timedelta(minutes=2))
    assert first.social_worker_delivery_id is None
    assert services.social_workers_summarise(now=NOW) == 1
    assert services.social_workers_summarise(now=NOW) == 0  # the second worker finds nothing left
    first.refresh_from_db(), second.refresh_from_db(), this_week.refresh_from_db()
    assert first.social_worker_delivery_id == second.social_worker_delivery_id is not None
    assert this_week.social_worker_delivery_id is None or this_week.started_at >= services.week_start(NOW)
    delivery = SocialWorkerDelivery.objects.get(pk=first.social_worker_delivery_id)
    assert sorted(delivery.params["restrictions"]) == sorted([first.pk, second.pk])


def test_the_childs_page_shows_the_latest_measures_their_number_the_missing_debriefs_and_the_flag(
    client, employee_a, supervisor_a, child_a, record
):
    """The panel on the child's page: the five latest measures, how many there
    are, the debriefs missing and the open flag, in one query whatever their number."""
    url = reverse("clients:detail", args=[child_a.pk])
    client.force_login(supervisor_a)

    def page():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return response.content.decode(), len(ctx.captured_queries)

    body, _count = page()
    assert "No restrictive measures recorded." in body
    starts = [NOW - dt.timedelta(hours=70 - 9 * i) for i in range(7)]
    made = [
        record(employee_a, child_a, started_at=start, ended_at=start + dt.timedelta(minutes=3)) for start in starts
    ]
    services.restriction_debrief(actor=employee_a, restriction=made[0], held_at=NOW, notes="Puhuttiin.")
    flag = ChildFlag.objects.get(placement=child_a, handled_at__isnull=True)
    page()
    body, few = page()
    assert few <= 11  # the panel in one query (four before: the latest, two counts, the flag)
    assert "7 measures recorded" in body and "6 debriefs missing" in body
    assert "Many, consecutive or long restrictive measures" in body
    assert reverse("restrictions:flag", args=[flag.pk]) in body
    listed = [r.pk for r in made if reverse("restrictions:detail", args=[r.pk]) in body]
    assert listed == [r.pk for r in made[2:]]  # the five latest
    for start in (NOW - dt.timedelta(hours=2), NOW - dt.timedelta(hours=1)):
        record(employee_a, child_a, started_at=start, ended_at=start + dt.timedelta(minutes=3))
    body, more = page()
    assert "9 measures recorded" in body and "8 debriefs missing" in body and more == few
    services.flag_handle(actor=supervisor_a, flag=flag, handling="Sosiaalityöntekijä arvioi tilanteen.")
    body, _count = page()
    assert "Many, consecutive or long restrictive measures" not in body and "9 measures recorded" in body


def test_the_third_measure_in_30_days_flags_the_child_once(employee_a, supervisor_a, child_a, record):
    for hours in (30, 20):
        started = NOW - dt.timedelta(hours=hours)
        record(employee_a, child_a, started_at=started, ended_at=started + dt.timedelta(minutes=3))
    assert not ChildFlag.objects.exists()
    record(employee_a, child_a)
    flag = ChildFlag.objects.get()
    assert flag.rule == "many_30d" and flag.social_worker_delivery is not None
    assert flag.social_worker_delivery.generator == services.ASSESSMENT
    told = Notification.objects.filter(kind="restriction.flag")
    assert told.filter(recipient=supervisor_a).exists() and all(child_a.name not in n.body for n in told)
    record(employee_a, child_a)
    assert ChildFlag.objects.count() == 1
    panel = selectors.child_panel(actor=supervisor_a, placement=child_a)
    assert panel["flag"] == {"pk": flag.pk, "raised_at": flag.raised_at}
    assert (panel["total"], panel["debriefs_missing"]) == (4, 4)
    with pytest.raises(PermissionDenied):
        services.flag_handle(actor=employee_a, flag=flag, handling="x")
    with pytest.raises(ValidationError):
        services.flag_handle(actor=supervisor_a, flag=flag, handling=" ")
    services.flag_handle(actor=supervisor_a, flag=flag, handling="Sosiaalityöntekijä arvioi 3.12.")
    assert selectors.child_panel(actor=supervisor_a, placement=child_a)["flag"] is None


def test_a_long_restraint_flags_the_child(employee_a, child_a, record):
    started = NOW - dt.timedelta(hours=2)
    record(employee_a, child_a, started_at=started, ended_at=started + dt.timedelta(minutes=45))
    assert ChildFlag.objects.get().rule == "long_restraint"


def test_figures_per_month_type_and_child_with_the_goal(client, supervisor_a, child_a, record):
    for hours in (5, 4):
        started = this_month(hours)
        record(supervisor_a, child_a, started_at=started, ended_at=started + dt.timedelta(minutes=2))
    services.goal_set(actor=supervisor_a, unit=child_a.unit, per_month=1, starts_on=timezone.localdate().replace(day=1))
    figures = selectors.unit_figures(actor=supervisor_a, unit=child_a.unit)
    assert figures["months"][-1]["total"] == 2 and figures["months"][-1]["over_goal"]
    assert figures["per_child"][0]["n"] == 2
    client.force_login(supervisor_a)
    url = reverse("restrictions:figures", args=[child_a.unit_id])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) < 25
    bad = client.post(url, {"per_month": "-3", "starts_on": "eilen", "note": "Ennakointi"})
    assert bad.status_code == 200 and "Ennakointi" in bad.content.decode()


def test_region_figures_hide_groups_under_five(regional_director_a, supervisor_a, child_a, record):
    for hours in (5, 4):
        started = this_month(hours)
        record(supervisor_a, child_a, started_at=started, ended_at=started + dt.timedelta(minutes=2))
    from omavalvonta.restrictions import monthly

    regions = monthly.regions(actor=regional_director_a)
    rows = monthly.region_figures(actor=regional_director_a, regions=regions)["rows"]
    assert rows and rows[0]["cells"][-1] is None and regions[0]["small"]
    assert Restriction.objects.count() == 2


def test_last_months_measures_come_to_the_meeting_agenda_without_names(supervisor_a, child_a, record):
    from omavalvonta.core import registry

    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=3)
    started = timezone.make_aware(dt.datetime.combine(last_month, dt.time(12)))
    if started.date() < child_a.starts_on:
        pytest.skip("the placement starts this month")
    record(supervisor_a, child_a, started_at=started, ended_at=started + dt.timedelta(minutes=2))
    source = registry.get(registry.AGENDA_SOURCES, "restrictions.last_month")
    items = list(source.func(actor=supervisor_a, unit=child_a.unit))
    assert items and "1" in items[0]["title"] and child_a.name not in items[0]["note"]


def test_the_overview_lists_regions_first_for_many_units(client, monkeypatch, regional_director_a, supervisor_a, child_a, record):
    from omavalvonta.organisation import overview

    record(supervisor_a, child_a)
    monkeypatch.setattr(overview, "OVERVIEW_UNIT_ROWS", 0)
    client.force_login(regional_director_a)
    page = client.get(reverse("restrictions:overview")).content.decode()
    assert child_a.unit.region.name in page and child_a.unit.name not in page and "fewer than 5" in page
    region_page = client.get(reverse("restrictions:overview") + f"?alue={child_a.unit.region_id}").content.decode()
    assert child_a.unit.name in region_page
    assert client.get(reverse("restrictions:overview") + "?alue=zz").status_code == 200


def test_period_figures_for_reports_hide_small_groups_and_name_no_child(supervisor_a, regional_director_a, child_a, record):
    from omavalvonta.core import registry

    for hours in range(6, 0, -1):
        started = NOW - dt.timedelta(hours=hours, minutes=30)
        record(supervisor_a, child_a, started_at=started, ended_at=started + dt.timedelta(minutes=2))
    record(supervisor_a, child_a, **movement())
    figures = registry.get(registry.REPORT_SECTIONS, "restrictions").func
    today = timezone.localdate()
    unit_view = figures(actor=supervisor_a, period_start=today - dt.timedelta(days=30), period_end=today, unit=child_a.unit)
    assert unit_view["total"] == 7
    assert {r["label"]: r["count"] for r in unit_view["by_type"]} == {"Physical restraint": 6, "Restricting freedom of movement": None}
    region_view = figures(actor=regional_director_a, period_start=today - dt.timedelta(days=30), period_end=today)
    assert region_view["by_region"] == [{"label": child_a.unit.region.name, "count": 7}]
    assert child_a.name not in str(region_view) and child_a.name not in str(unit_view)


def test_guessing_codes_is_slowed_down_in_the_users_language(client, employee_a, child_a, record):
    from django.core.cache import cache

    from omavalvonta.public.views.delivery import DELIVERY_LIMIT

    cache.clear()
    restriction = record(employee_a, child_a, injuries="Naarmu.")
    _l, _c, token, _digits = _codes(SocialWorkerDelivery.objects.get(pk=restriction.social_worker_delivery_id))
    url = reverse("public:delivery", args=[token])
    for _i in range(DELIVERY_LIMIT.per_session):
        assert client.post(url, {"code": "0"}).status_code == 200
    slowed = client.post(url, {"code": "0"})
    assert slowed.status_code == 429 and "Too many attempts" in slowed.content.decode()
    assert client.post(url, {"code": ""}).status_code in (200, 429)
    cache.clear()
