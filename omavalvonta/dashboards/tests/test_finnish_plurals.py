"""Counts beside nouns in Finnish: "1 avoin ilmoitus", "26 avointa ilmoitusta"
(ngettext), and one word for a new report everywhere ("odottaa käsittelyä")."""

import pytest
from django.conf import settings
from django.urls import reverse

from omavalvonta.deviations import services
from omavalvonta.testing.factories import deviation_kwargs

FOLLOWUP = "/julkinen/seuranta/"


@pytest.fixture
def finnish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    return client


def _labels(page):
    return [part.split("</span>", 1)[0] for part in page.split('class="stat-label">')[1:]]


def test_the_home_figures_agree_with_their_count_in_finnish(finnish, employee_a, supervisor_a, unit_a):
    services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a))
    finnish.force_login(supervisor_a)
    assert _labels(finnish.get(reverse("home")).content.decode())[:3] == [
        "avoin ilmoitus",
        "odottaa käsittelyä",
        "ilmoitusta yli tavoitepäivän",
    ]
    services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a))
    assert _labels(finnish.get(reverse("home")).content.decode())[0] == "avointa ilmoitusta"


def test_a_new_report_waits_for_handling_in_the_handler_s_list_and_on_the_follow_up_page(finnish, employee_a, supervisor_a, unit_a):
    result = services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a, anonymous=True))
    finnish.force_login(supervisor_a)
    listing = finnish.get(reverse("deviations:list")).content.decode()
    assert 'badge--submitted">Odottaa käsittelyä<' in listing and 'badge--submitted">Lähetetty<' not in listing

    page = finnish.post(FOLLOWUP, {"code": result.followup_code}).content.decode()
    facts = page.split('class="facts"', 1)[1].split("</dl>", 1)[0]
    assert facts.count("Lähetetty") == 0
    assert "Odottaa käsittelyä" in facts and "Lähetyspäivä" in facts
