"""The report page's reads: the handling panel's choices of people come from one
query, give the same people as the selectors each choice once had, and the page's
query count does not grow with the people, actions or messages of a unit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omavalvonta.deviations import proposals, selectors, services
from omavalvonta.deviations.handling_people import HandlingPeople
from omavalvonta.deviations.models import Kind
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import deviation_kwargs, handling_questions_answered, member


def _pks(people):
    return [p.pk for p in people]


@pytest.mark.parametrize("kind", [Kind.QUALITY, Kind.DATA_PROTECTION, Kind.GRIEVANCE])
def test_handling_people_are_the_selectors_people_in_one_query(
    kind, employee_a, supervisor_a, unit_a, region_a, quality_director, django_assert_num_queries
):
    member(Role.EMPLOYEE, unit=unit_a, full_name="Aino Aalto")
    member(Role.REGIONAL_DIRECTOR, region=region_a, full_name="Bertta Berg")
    member(Role.DATA_PROTECTION_OFFICER, full_name="Cecilia Cedar")
    member(Role.SUPERVISOR, unit=unit_a, full_name="Gone Person", is_active=False)
    deviation = services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a, kind=kind)).deviation

    handlers = list(selectors.handler_candidates(unit=unit_a, kind=kind))
    owners = selectors.action_owner_candidates(deviation=deviation, handlers=handlers)
    responsible = proposals.responsible_candidates(unit=unit_a)

    people = HandlingPeople(deviation=deviation)
    with django_assert_num_queries(1):
        assert _pks(people.handlers) == _pks(handlers)
        assert _pks(people.owners) == _pks(owners)
        assert _pks(people.responsible) == _pks(responsible)
    assert supervisor_a.pk in _pks(people.handlers)
    # Only offered (no form posted): the same people, by the same names, in one query.
    offered = HandlingPeople(deviation=deviation, to_offer=True)
    with django_assert_num_queries(1):
        for name in ("handlers", "owners", "responsible"):
            assert [(p.pk, str(p)) for p in getattr(offered, name)] == [(p.pk, str(p)) for p in getattr(people, name)]


def _page_reads(client, viewer, deviation):
    """(the report page's URL, its queries for `viewer` once the caches are warm)."""
    url = reverse("deviations:detail", args=[deviation.pk])
    client.force_login(viewer)
    client.get(url)  # warm up caches (content types, sessions)
    with CaptureQueriesContext(connection) as reads:
        assert client.get(url).status_code == 200
    return url, reads


def _people_reads(reads) -> list:
    """The queries of the handling panel's choices of people (memberships with names)."""
    return [q for q in reads.captured_queries if "organisation_membership" in q["sql"] and "full_name" in q["sql"]]


def test_the_report_page_reads_a_fixed_number_of_queries_for_its_handler(
    client, employee_a, supervisor_a, unit_a, region_a, django_assert_max_num_queries
):
    deviation = services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
    url, few = _page_reads(client, supervisor_a, deviation)
    # 23 here (21 on the bench) before the three choices of people became one query;
    # 21 before the other areas' panels were counted first, in one statement; 17
    # before the report's own lists (attachments, actions, informed, proposals,
    # notifications, messages) were, with the panels' counts.
    assert len(few) <= 11
    for i in range(5):
        member(Role.EMPLOYEE, unit=unit_a, full_name=f"Työntekijä {i}")
        member(Role.REGIONAL_DIRECTOR, region=region_a, full_name=f"Johtaja {i}")
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert "Työntekijä 4" in response.content.decode()


def test_a_closed_reports_page_makes_only_the_reopening_form_and_reads_no_choices_of_people(
    client, employee_a, supervisor_a, unit_a
):
    deviation = services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
    url, open_page = _page_reads(client, supervisor_a, deviation)
    services.deviation_answer(actor=supervisor_a, deviation=deviation, answer="Vastaus.")
    handling_questions_answered(supervisor_a, deviation)
    services.deviation_close(actor=supervisor_a, deviation=deviation)

    with CaptureQueriesContext(connection) as closed_page:
        response = client.get(url)
    forms = response.context["forms"]
    assert 'name="reopen-reason"' in response.content.decode()
    assert 'name="assign-handler"' not in response.content.decode()
    assert set(forms) == {"close_errors", "reopen"}  # the others were never made
    # The panel's choices of people (memberships) are not read for a closed report.
    assert _people_reads(open_page) and not _people_reads(closed_page)
    assert len(closed_page) < len(open_page)
