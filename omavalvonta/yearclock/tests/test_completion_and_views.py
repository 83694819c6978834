"""Completing a duty with its evidence, and the calendar pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omavalvonta.core.models import AuditEvent
from omavalvonta.improvement.services import action_create
from omavalvonta.organisation.access_region import UnitIds
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import UnitFactory, UserFactory, member
from omavalvonta.yearclock import services
from omavalvonta.yearclock.models import Occurrence, OccurrenceState, Recurrence

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def duty(frozen, make_template, unit_a, unit_b, supervisor_a):
    make_template(title="Riskiarvio")
    return Occurrence.objects.get(unit=unit_a)


@pytest.fixture
def action_a(supervisor_a, unit_a):
    return action_create(
        actor=supervisor_a, unit=unit_a, title="Riskiarvion päivitys tehty", owner=supervisor_a,
        due_date=dt.date(2026, 3, 20),
    )


def test_a_duty_is_done_with_a_link_to_the_record_that_fulfils_it(duty, supervisor_a, action_a):
    done = services.occurrence_complete(
        actor=supervisor_a, occurrence=duty, evidence_key=f"improvement.action:{action_a.pk}"
    )
    assert done.state == OccurrenceState.DONE
    assert (done.evidence_type.model, done.evidence_id) == ("action", action_a.pk)
    assert done.evidence_url == reverse("improvement:action_detail", args=[action_a.pk])
    assert done.evidence_label == action_a.title
    assert AuditEvent.objects.filter(verb="obligation.completed", target_id=duty.pk).exists()


def test_a_duty_is_done_with_a_note_and_a_pdf(duty, supervisor_a):
    upload = SimpleUploadedFile("poytakirja.pdf", PDF, content_type="application/pdf")
    done = services.occurrence_complete(actor=supervisor_a, occurrence=duty, note="Tehty tiimipalaverissa.", file=upload)
    assert done.evidence_note == "Tehty tiimipalaverissa."
    assert done.evidence_file.name.endswith(".pdf")


def test_a_renamed_file_is_refused(duty, supervisor_a):
    upload = SimpleUploadedFile("poytakirja.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.occurrence_complete(actor=supervisor_a, occurrence=duty, note="x", file=upload)
    assert "file" in exc.value.error_dict
    duty.refresh_from_db()
    assert duty.state == OccurrenceState.OPEN


def test_a_duty_without_any_evidence_is_not_done(duty, supervisor_a):
    with pytest.raises(ValidationError):
        services.occurrence_complete(actor=supervisor_a, occurrence=duty, note="   ")


def test_another_units_record_cannot_be_the_evidence(duty, supervisor_a, supervisor_b, unit_b):
    other = action_create(actor=supervisor_b, unit=unit_b, title="Muualla", owner=supervisor_b, due_date=dt.date(2026, 4, 1))
    with pytest.raises(ValidationError) as exc:
        services.occurrence_complete(actor=supervisor_a, occurrence=duty, evidence_key=f"improvement.action:{other.pk}")
    assert "evidence" in exc.value.error_dict


@pytest.mark.parametrize("key", ["nonsense", "improvement.action:abc", "auth.user:1", ":"])
def test_a_malformed_evidence_key_is_refused(duty, supervisor_a, key):
    with pytest.raises(ValidationError):
        services.occurrence_complete(actor=supervisor_a, occurrence=duty, evidence_key=key)


def test_a_done_duty_cannot_be_done_twice(duty, supervisor_a):
    services.occurrence_complete(actor=supervisor_a, occurrence=duty, note="Tehty")
    with pytest.raises(ValidationError):
        services.occurrence_complete(actor=supervisor_a, occurrence=duty, note="Uudestaan")


def test_an_employee_or_another_units_supervisor_cannot_complete(duty, employee_a, supervisor_b):
    for actor in (employee_a, supervisor_b):
        with pytest.raises(PermissionDenied):
            services.occurrence_complete(actor=actor, occurrence=duty, note="x")


# --- Pages ----------------------------------------------------------------------------------


def test_the_wheel_shows_the_units_duties_as_a_circle_and_a_list(client, duty, supervisor_a):
    client.force_login(supervisor_a)
    response = client.get(reverse("yearclock:wheel"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="yearwheel__month') == 12
    assert "yearwheel__dot--open" in html
    assert 'id="kuukausi-3"' in html and "Riskiarvio" in html


def test_the_wheels_duties_are_read_in_one_query_with_what_their_cards_show(
    duty, supervisor_a, unit_a, django_assert_num_queries
):
    from omavalvonta.organisation import access
    from omavalvonta.yearclock import selectors
    from omavalvonta.yearclock.templatetags.yearclock_tags import duty_cards

    Occurrence.objects.filter(pk=duty.pk).update(owner=supervisor_a)
    access.grants(supervisor_a)  # the actor's grants, read once a request anyway
    with django_assert_num_queries(1):
        rows = selectors.occurrences_of_unit_year(actor=supervisor_a, unit=unit_a, year=2026)
        html = str(duty_cards(rows, dt.date(2026, 3, 2), show_unit=True))
        assert [str(o) for o in rows] == ["Riskiarvio 03/2026"]
    assert unit_a.name in html and supervisor_a.full_name in html and "Riskiarvio" in html


def test_a_bad_year_or_unit_in_the_query_falls_back_to_the_own_unit(client, duty, supervisor_a, unit_b):
    client.force_login(supervisor_a)
    for query in ("?year=abc", f"?unit={unit_b.pk}", "?unit=x&year=1800"):
        response = client.get(reverse("yearclock:wheel") + query)
        assert response.status_code == 200
        assert response.context["unit"].pk == duty.unit_id


def test_completing_on_the_page_links_the_record(client, duty, supervisor_a, action_a):
    client.force_login(supervisor_a)
    url = reverse("yearclock:detail", args=[duty.pk])
    page = client.get(url)
    assert f"improvement.action:{action_a.pk}" in page.content.decode()
    response = client.post(url, {"evidence": f"improvement.action:{action_a.pk}", "note": ""})
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.is_done and duty.evidence_id == action_a.pk
    assert action_a.title in client.get(url).content.decode()


def test_bad_input_on_the_page_keeps_what_was_typed(client, duty, supervisor_a):
    client.force_login(supervisor_a)
    url = reverse("yearclock:detail", args=[duty.pk])
    bad = SimpleUploadedFile("kuva.png", b"not a png", content_type="image/png")
    response = client.post(url, {"evidence": "", "note": "Tehty osittain", "file": bad})
    assert response.status_code == 200
    assert "Tehty osittain" in response.content.decode()
    assert response.context["form"].errors
    response = client.post(url, {"evidence": "improvement.action:999999", "note": "Muistiinpano"})
    assert response.status_code == 200 and "Muistiinpano" in response.content.decode()
    duty.refresh_from_db()
    assert not duty.is_done


def test_other_units_duty_is_404_and_an_employee_gets_403(client, duty, supervisor_b, employee_a):
    url = reverse("yearclock:detail", args=[duty.pk])
    client.force_login(supervisor_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "x"}).status_code == 404
    client.force_login(employee_a)
    assert client.get(url).status_code == 403


def test_the_regional_director_sees_but_the_management_group_cannot_complete(client, duty, organisation):
    viewer = member(Role.MANAGEMENT_GROUP)
    client.force_login(viewer)
    url = reverse("yearclock:detail", args=[duty.pk])
    assert client.get(url).status_code == 200
    assert client.get(url).context["form"] is None
    assert client.post(url, {"note": "x"}).status_code == 403


@pytest.fixture
def late_and_due(frozen, make_template, unit_a, unit_b):
    """A duty of every unit late since March, and one due this month (April)."""
    make_template(title="Palautekierros", recurrence=Recurrence.SPECIFIC_MONTHS, months=[3])
    frozen.move_to(dt.datetime(2026, 4, 2, 8, tzinfo=dt.UTC), tick=False)
    make_template(title="Paloharjoitus", recurrence=Recurrence.SPECIFIC_MONTHS, months=[4])


def test_due_this_month_lists_the_late_and_the_coming(client, late_and_due, unit_a, supervisor_a):
    client.force_login(supervisor_a)
    response = client.get(reverse("yearclock:due"))
    assert [o.title for o in response.context["late"]] == ["Palautekierros"]
    assert [o.title for o in response.context["due"]] == ["Paloharjoitus"]


def test_the_list_counts_up_to_its_limit_and_says_there_are_more(client, monkeypatch, late_and_due, quality_director):
    from omavalvonta.yearclock import views

    client.force_login(quality_director)
    response = client.get(reverse("yearclock:list"))
    total = response.context["page"].paginator.count
    assert total >= 4 and not response.context["capped"] and "More than" not in response.content.decode()
    monkeypatch.setattr(views, "LIST_COUNT_LIMIT", 3)
    response = client.get(reverse("yearclock:list"))
    assert response.context["page"].paginator.count == 3 and response.context["capped"]
    assert "More than 3 duties: the earliest are shown" in response.content.decode()
    monkeypatch.setattr(views, "LIST_COUNT_LIMIT", total + 1)
    assert not client.get(reverse("yearclock:list")).context["capped"]


def test_the_overdue_overview_counts_late_duties_per_unit(
    client, frozen, make_template, unit_a, unit_b, quality_director, regional_director_a
):
    make_template(recurrence=Recurrence.SPECIFIC_MONTHS, months=[3])
    frozen.move_to(dt.datetime(2026, 4, 2, 8, tzinfo=dt.UTC), tick=False)
    client.force_login(quality_director)
    summary = client.get(reverse("yearclock:overdue")).context["summary"]
    assert {row["unit__name"]: row["late"] for row in summary} == {unit_a.name: 1, unit_b.name: 1}
    client.force_login(regional_director_a)
    summary = client.get(reverse("yearclock:overdue")).context["summary"]
    assert [row["unit__name"] for row in summary] == [unit_a.name]


def test_template_pages_are_for_the_quality_director(client, quality_director, supervisor_a, unit_a, frozen):
    client.force_login(supervisor_a)
    assert client.get(reverse("yearclock:templates")).status_code == 403
    client.force_login(quality_director)
    assert client.get(reverse("yearclock:templates")).status_code == 200
    response = client.post(reverse("yearclock:template_create"), {
        "title": "Lääkehoitosuunnitelman tarkistus", "kind": "other", "recurrence": "yearly", "start_month": "6",
        "owner_role": "supervisor", "remind_days_before": "21", "unit_scope": "all", "is_active": "on",
    })
    assert response.status_code == 302
    assert Occurrence.objects.filter(unit=unit_a, template__title="Lääkehoitosuunnitelman tarkistus").count() == 1


def test_a_bad_template_form_keeps_the_title(client, quality_director, frozen):
    client.force_login(quality_director)
    response = client.post(reverse("yearclock:template_create"), {
        "title": "Harjoitus", "kind": "safety_drill", "recurrence": "specific_months",
        "owner_role": "supervisor", "remind_days_before": "7", "unit_scope": "all",
    })
    assert response.status_code == 200
    assert 'value="Harjoitus"' in response.content.decode()
    assert "months" in response.context["form"].errors
    response = client.post(reverse("yearclock:template_create"), {"title": "X", "remind_days_before": "abc"})
    assert response.status_code == 200


def test_unknown_template_is_404(client, quality_director):
    client.force_login(quality_director)
    assert client.get(reverse("yearclock:template_edit", args=[999999])).status_code == 404


# --- Query counts -------------------------------------------------------------------------------


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page, due_units",
    # "yearclock:due" twice: a supervisor's lists, and over more than DUE_UNITS units the regions first.
    [("yearclock:wheel", 50), ("yearclock:list", 50), ("yearclock:due", 50), ("yearclock:due", 1),
     ("yearclock:overdue", 50)],
)
def test_page_query_count_does_not_grow_with_duties(
    client, monkeypatch, frozen, make_template, quality_director, unit_a, unit_b, region_a, page, due_units
):
    from omavalvonta.yearclock import selectors

    # "Due this month" counts a list only when it is full: full in both runs.
    monkeypatch.setattr(selectors, "DUE_ROWS", 1)
    monkeypatch.setattr(selectors, "DUE_UNITS", due_units)
    april = dt.datetime(2026, 4, 2, 8, tzinfo=dt.UTC)
    make_template(title="Yksi", recurrence=Recurrence.SPECIFIC_MONTHS, months=[3, 4])
    frozen.move_to(april, tick=False)
    client.force_login(quality_director)
    few = _count(client, reverse(page))
    frozen.move_to(dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC), tick=False)
    for i in range(4):
        UnitFactory(region=region_a, name=f"Yksikkö {i}", public_slug=f"y{i}")
    for n in range(5):
        make_template(title=f"Velvoite {n}", recurrence=Recurrence.EVERY_N_MONTHS, start_month=3, interval_months=1)
    frozen.move_to(april, tick=False)
    client.force_login(quality_director)
    many = _count(client, reverse(page))
    assert many <= few, (few, many)


def test_the_team_meeting_agenda_lists_the_duties_due(duty, supervisor_a, unit_a, frozen):
    from django.utils import timezone

    from omavalvonta.meetings.services import meeting_create

    meeting = meeting_create(actor=supervisor_a, kind="team", unit=unit_a, title="", starts_at=timezone.now())
    titles = [item.title for item in meeting.items.all()]
    assert any("Riskiarvio" in t for t in titles), titles


def _approved_plan_version(unit, writer, approver):
    """An approved self-supervision plan version of `unit` through the plans app's services."""
    from omavalvonta.plans import services as plan_services

    draft = plan_services.plan_draft_start(actor=writer, unit=unit)
    for section in draft.sections.all():
        if section.required and not section.live_fact:
            plan_services.plan_section_save(actor=writer, section=section, text="Yksikön käytännöt kuvattu.")
    draft.refresh_from_db()
    plan_services.plan_version_details_save(actor=writer, version=draft, change_summary="",
                                            children_participation="Talokokous.")
    return plan_services.plan_version_approve(actor=approver, version=draft, change_summary="Neljännesvuositarkistus")


def test_an_approved_plan_version_fulfils_the_plan_review(duty, supervisor_a, responsible_a, unit_a):
    version = _approved_plan_version(unit_a, supervisor_a, responsible_a)
    done = services.occurrence_complete(
        actor=supervisor_a, occurrence=duty, evidence_key=f"plans.planversion:{version.pk}"
    )
    assert (done.evidence_type.model, done.evidence_id) == ("planversion", version.pk)
    assert done.evidence_url == version.get_absolute_url()


def test_with_many_late_units_the_overview_lists_regions_first(
    client, monkeypatch, frozen, make_template, unit_a, unit_b, quality_director
):
    from omavalvonta.yearclock import views

    monkeypatch.setattr(views, "OVERDUE_UNIT_ROWS", 1)
    make_template(recurrence=Recurrence.SPECIFIC_MONTHS, months=[3])
    frozen.move_to(dt.datetime(2026, 4, 2, 8, tzinfo=dt.UTC), tick=False)
    client.force_login(quality_director)
    response = client.get(reverse("yearclock:overdue"))
    assert response.context["summary"] == []
    assert {row["unit__region__name"]: (row["units"], row["late"]) for row in response.context["by_region"]} == {
        unit_a.region.name: (1, 1),
        unit_b.region.name: (1, 1),
    }
    assert f"?alue={unit_a.region_id}" in response.content.decode()
    response = client.get(reverse("yearclock:overdue"), {"alue": unit_a.region_id})
    assert [row["unit__name"] for row in response.context["summary"]] == [unit_a.name]
    assert response.context["by_region"] == []
    # A region that is unknown or has nothing late: the regions again, never a 500.
    for bad in ("x", "999999"):
        response = client.get(reverse("yearclock:overdue"), {"alue": bad})
        assert response.status_code == 200 and response.context["summary"] == [] and response.context["by_region"]


def test_due_this_month_shows_the_first_rows_and_links_the_rest(
    client, monkeypatch, late_and_due, unit_a, unit_b, quality_director
):
    from omavalvonta.yearclock import selectors

    monkeypatch.setattr(selectors, "DUE_ROWS", 1)
    client.force_login(quality_director)
    response = client.get(reverse("yearclock:due"))
    assert len(response.context["late"]) == 1 and response.context["late_total"] == 2
    assert len(response.context["due"]) == 1 and response.context["due_total"] == 2
    page = response.content.decode()
    assert "?state=late" in page and "?state=open" in page


def test_due_this_month_over_many_units_lists_regions_first(
    client, monkeypatch, late_and_due, unit_a, unit_b, quality_director
):
    from omavalvonta.yearclock import selectors

    monkeypatch.setattr(selectors, "DUE_UNITS", 1)
    client.force_login(quality_director)
    response = client.get(reverse("yearclock:due"))
    assert "late" not in response.context and "due" not in response.context
    assert {row["name"]: (row["units"], row["late"], row["due"]) for row in response.context["by_region"]} == {
        unit_a.region.name: (1, 1, 1),
        unit_b.region.name: (1, 1, 1),
    }
    page = response.content.decode()
    assert f"?alue={unit_a.region_id}" in page and "?state=late" in page and "?state=open" in page
    response = client.get(reverse("yearclock:due"), {"alue": unit_a.region_id})
    assert response.context["by_region"] == [] and response.context["region"]["name"] == unit_a.region.name
    assert [(o.title, o.unit_name) for o in response.context["late"]] == [("Palautekierros", unit_a.name)]
    assert [(o.title, o.unit_name) for o in response.context["due"]] == [("Paloharjoitus", unit_a.name)]
    # A region that is unknown or not the person's: the regions again, never a 500.
    for bad in ("x", "999999"):
        response = client.get(reverse("yearclock:due"), {"alue": bad})
        assert response.status_code == 200 and response.context["by_region"] and response.context["region"] is None



def test_due_this_month_reads_both_lists_and_their_totals_in_one_statement(
    monkeypatch, late_and_due, unit_a, unit_b, quality_director
):
    """The late and the coming duties' first rows (in the list's order: due
    date, unit's name, id) with their titles and owners, and how many each list
    has, in one query; a list with nothing in it is empty and counted 0."""
    from omavalvonta.yearclock import selectors

    owner = member(Role.SUPERVISOR, unit=unit_a, full_name="Åsa Omistaja")
    Occurrence.objects.filter(unit=unit_a, state=OccurrenceState.OPEN).update(owner=owner)
    expected = {
        name: list(part.order_by("due_date", "unit__name", "id").values_list("pk", flat=True))
        for name, part in (
            ("late", Occurrence.objects.filter(state=OccurrenceState.OPEN, due_date__lt=dt.date(2026, 4, 2))),
            ("due", Occurrence.objects.filter(state=OccurrenceState.OPEN, due_date__gte=dt.date(2026, 4, 2),
                                              due_date__lte=dt.date(2026, 4, 30))),
        )
    }
    assert len(expected["late"]) >= 2 and len(expected["due"]) >= 2
    with CaptureQueriesContext(connection) as read:
        data = selectors.due_this_month(actor=quality_director, today=dt.date(2026, 4, 2))
    assert len(read) == 1
    assert [row.pk for row in data["late"]] == expected["late"]
    assert [row.pk for row in data["due"]] == expected["due"]
    assert data["late_total"] == len(expected["late"]) and data["due_total"] == len(expected["due"])
    row = next(row for row in data["due"] if row.unit_name == unit_a.name)
    assert row.owner_name == "Åsa Omistaja" and row.title == "Paloharjoitus" and row.due_date.month == 4
    assert all(isinstance(row.due_date, dt.date) for row in data["late"] + data["due"])

    monkeypatch.setattr(selectors, "DUE_ROWS", 1)
    data = selectors.due_this_month(actor=quality_director, today=dt.date(2026, 4, 2))
    assert [row.pk for row in data["due"]] == expected["due"][:1] and data["due_total"] == len(expected["due"])

    # Nothing late in a month that has not begun: an empty list, counted 0.
    data = selectors.due_this_month(actor=quality_director, today=dt.date(2026, 1, 1))
    assert data["late"] == [] and data["late_total"] == 0
    # A person with no units, or no units asked for: nothing (never an error).
    data = selectors.due_this_month(actor=UserFactory(), today=dt.date(2026, 4, 2))
    assert (data["late"], data["late_total"], data["due"], data["due_total"]) == ([], 0, [], 0)
    data = selectors.due_this_month(actor=quality_director, today=dt.date(2026, 4, 2), unit_ids=UnitIds([]))
    assert (data["late"], data["late_total"], data["due"], data["due_total"]) == ([], 0, [], 0)
