"""Two people writing the same plan draft at once: the later save of a section
or of the draft's details is refused with both texts shown."""

import pytest
from django.urls import reverse

from omavalvonta.plans import services
from omavalvonta.plans.models import PlanSection, PlanVersion
from omavalvonta.testing.concurrency import race

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(supervisor_a, unit_a):
    return services.plan_draft_start(actor=supervisor_a, unit=unit_a)


def test_a_second_save_of_a_section_opened_at_the_same_time_is_refused(draft, supervisor_a, responsible_a):
    section = draft.sections.get(key="henkilosto")

    result = race(
        first_user=supervisor_a, second_user=responsible_a,
        url=reverse("plans:section", args=[draft.pk, section.pk]),
        first_data={"text": "Seitsemän ohjaajaa ja esihenkilö."},
        second_data={"text": "Kahdeksan ohjaajaa, yksi sairaanhoitaja."},
    )

    assert "Seitsemän ohjaajaa ja esihenkilö." in result.refused_page
    assert supervisor_a.full_name in result.refused_page
    assert PlanSection.objects.get(pk=section.pk).text == "Kahdeksan ohjaajaa, yksi sairaanhoitaja."


def test_a_refused_section_save_changes_nothing(draft, supervisor_a, responsible_a, client):
    section = draft.sections.get(key="henkilosto")
    opened = section.edit_version
    services.plan_section_save(actor=supervisor_a, section=section, text="Eka", expected_version=opened)
    client.force_login(responsible_a)

    response = client.post(
        reverse("plans:section", args=[draft.pk, section.pk]), {"text": "Toka", "edit_version": opened}
    )

    assert response.status_code == 200
    assert "Toka" in response.content.decode()
    assert PlanSection.objects.get(pk=section.pk).text == "Eka"


def test_a_second_save_of_the_draft_details_is_refused(draft, supervisor_a, responsible_a):
    result = race(
        first_user=supervisor_a, second_user=responsible_a,
        url=reverse("plans:details", args=[draft.pk]),
        first_data={"change_summary": "Henkilöstö päivitetty."},
        second_data={"change_summary": "Lääkehoito ja henkilöstö päivitetty."},
    )
    assert "Henkilöstö päivitetty." in result.refused_page
    assert PlanVersion.objects.get(pk=draft.pk).change_summary == "Lääkehoito ja henkilöstö päivitetty."


def test_two_directors_starting_the_programme_draft_at_once_do_not_overwrite_each_other(quality_director):
    from omavalvonta.organisation.models import Role
    from omavalvonta.plans.models import ProgrammeVersion
    from omavalvonta.testing.factories import member

    other = member(Role.QUALITY_DIRECTOR, full_name="Olli Toinen", email="olli@omavalvonta.example")

    result = race(
        first_user=quality_director, second_user=other, url=reverse("plans:programme_edit"),
        first_data={"text": "Omavalvontaohjelma 2027: laatu ensin.", "change_summary": "Uusi vuosi"},
        second_data={"text": "Omavalvontaohjelma 2027: lapsen ääni.", "change_summary": "Painopiste"},
    )

    assert "Omavalvontaohjelma 2027: laatu ensin." in result.refused_page
    assert ProgrammeVersion.objects.get(state="draft").text == "Omavalvontaohjelma 2027: lapsen ääni."


def test_a_second_edit_of_a_template_section_opened_at_the_same_time_is_refused(quality_director):
    from omavalvonta.organisation.models import Role
    from omavalvonta.plans.models import SectionTemplate
    from omavalvonta.testing.factories import member

    other = member(Role.QUALITY_DIRECTOR, full_name="Olli Toinen", email="olli@omavalvonta.example")
    section = services.template_section_save(
        actor=quality_director, section=None, kind="self_supervision", number="9.1", title="Lääkehoito",
        guidance="Kuvaa lääkehoidon käytännöt.", required=False, is_active=True,
    )
    common = {"kind": "self_supervision", "number": "9.1", "order": str(section.order), "is_active": "on"}

    result = race(
        first_user=quality_director, second_user=other, url=reverse("plans:template_edit", args=[section.pk]),
        first_data={**common, "title": "Lääkehoito", "guidance": "Kuvaa lääkehoitosuunnitelma ja luvat."},
        second_data={**common, "title": "Lääkehoito ja lääkehuolto", "guidance": "Kuvaa käytännöt."},
    )

    assert "Kuvaa lääkehoitosuunnitelma ja luvat." in result.refused_page
    assert SectionTemplate.objects.get(pk=section.pk).title == "Lääkehoito ja lääkehuolto"
