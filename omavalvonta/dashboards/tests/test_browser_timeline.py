"""The unit timeline in a real browser: a busy unit's story at a desk and on a
phone (nothing scrolls sideways), and its printable form."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.dashboards.tests.test_home_waiting import _action, _guidance, _meeting, _restraint_unsigned, _round
from omavalvonta.deviations.services import deviation_submit
from omavalvonta.feedback.models import Round
from omavalvonta.meetings.models import Meeting, MeetingState
from omavalvonta.testing.browser import login, snap
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = pytest.mark.browser


def _story(responsible_a, supervisor_a, employee_a, unit_a, authority):
    deviation_submit(actor=employee_a, **deviation_kwargs(unit_a, kind="grievance"))
    deviation_submit(actor=employee_a, **deviation_kwargs(unit_a, kind="quality"))
    _action(unit_a, responsible_a, 6, title="Perehdytä uudet ohjaajat palo-ohjeeseen")
    meeting = _meeting(unit_a, supervisor_a, -3, title="Tiimipalaveri 11/2026")
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.MINUTES_CLOSED, closed_at=timezone.now() - dt.timedelta(days=2))
    _guidance(authority, unit_a, assignee=responsible_a, title="Valviran selvityspyyntö lääkehoidosta")
    today = timezone.localdate()
    feedback_round = _round(unit_a, year=today.year - 1, quarter=4, answers=7)
    Round.objects.filter(pk=feedback_round.pk).update(closes_on=today - dt.timedelta(days=1))
    _restraint_unsigned(unit_a, responsible_a)


@pytest.mark.parametrize("viewport", ["phone_page", "desktop_page"])
def test_the_unit_timeline_tells_the_units_story(
    request, viewport, live_server, responsible_a, supervisor_a, employee_a, unit_a, authority, password
):
    _story(responsible_a, supervisor_a, employee_a, unit_a, authority)
    page = request.getfixturevalue(viewport)
    login(page, live_server, responsible_a.email, password)
    page.goto(str(live_server.url) + reverse("unit_timeline", args=[unit_a.pk]))
    text = page.locator("main").inner_text()
    assert "Tiimipalaveri 11/2026" in text
    assert "Muistutus vastaanotettu" in text
    assert "1 rajoitustoimenpide" in text
    assert "7 vastausta" in text
    assert employee_a.full_name not in text  # the reporter
    assert "Aino K." not in text  # the child the restraint concerns
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    snap(page, f"unit-timeline-{viewport}")
    if viewport == "desktop_page":
        page.emulate_media(media="print")
        assert not page.locator("form.filters").is_visible()
        assert page.locator("ol.timeline").is_visible()
        snap(page, "unit-timeline-print")
