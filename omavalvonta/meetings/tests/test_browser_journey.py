"""The team meeting in a real browser: the supervisor runs it at a desk, the
absent employee acknowledges the minutes on a phone, the chair sees the count move."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.improvement.models import Action
from omavalvonta.meetings.models import AgendaItemKind, Meeting
from omavalvonta.meetings.tests.helpers import action, marked_deviation
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def test_team_meeting_from_agenda_to_acknowledged_minutes(
    desktop_page, phone_page, live_server, supervisor_a, employee_a, colleague_a, unit_a, password
):
    deviation = marked_deviation(employee_a, supervisor_a, unit_a)
    due = action(supervisor_a, unit_a, days=10, owner=colleague_a, title="Palo-ohjeen päivitys")

    # The supervisor plans the team meeting: the agenda is already there.
    page = desktop_page
    login(page, live_server, supervisor_a.email, password)
    page.goto(reverse("meetings:create"))
    form = page.locator("form.form")
    form.locator("input[name=location]").fill("Kahvihuone")
    _submit(page, form)
    page.wait_for_url(re.compile(r"/kokoukset/\d+/$"))
    meeting = Meeting.objects.get()
    agenda = page.locator("ol.meeting-items")
    assert deviation.number in agenda.inner_text()
    assert "Palo-ohjeen päivitys" in agenda.inner_text()
    item = meeting.items.get(kind=AgendaItemKind.DEVIATION)
    assert meeting.items.filter(kind=AgendaItemKind.ACTION_DUE, source_id=due.pk).exists()

    # A decision and a new action on the deviation.
    form = page.locator(f"form[action='{reverse('meetings:item_decide', args=[meeting.pk, item.pk])}']")
    form.locator("textarea").fill("Lääkkeet jaetaan jatkossa kahden ohjaajan kesken.")
    _submit(page, form)
    form = page.locator(f"form[action='{reverse('meetings:item_action', args=[meeting.pk, item.pk])}']")
    form.evaluate("f => f.closest('details').open = true")
    form.locator(f"input[name=a{item.pk}-title]").fill("Lääkejaon kaksoistarkistus ohjeeseen")
    form.locator(f"select[name=a{item.pk}-owner]").select_option(str(employee_a.pk))
    form.locator(f"input[name=a{item.pk}-due_date]").fill((timezone.localdate() + dt.timedelta(days=14)).isoformat())
    _submit(page, form)
    assert Action.objects.filter(title="Lääkejaon kaksoistarkistus ohjeeseen", owner=employee_a).exists()

    # The employee was absent; then the minutes are closed.
    form = page.locator(f"form[action='{reverse('meetings:attendance', args=[meeting.pk])}']")
    form.locator(f"input[name=attendance-participants][value='{supervisor_a.pk}']").check()
    form.locator(f"input[name=attendance-participants][value='{colleague_a.pk}']").check()
    form.locator(f"input[name=attendance-absentees][value='{employee_a.pk}']").check()
    _submit(page, form)
    snap(page, "meetings-minutes-desktop")
    form = page.locator(f"form[action='{reverse('meetings:close', args=[meeting.pk])}']")
    _submit(page, form)
    assert page.locator("[data-ack-progress]").inner_text().strip() == "0 / 1"
    assert page.locator(f"form[action='{reverse('meetings:item_decide', args=[meeting.pk, item.pk])}']").count() == 0

    # The absent employee reads and acknowledges them on a phone.
    login(phone_page, live_server, employee_a.email, password)
    phone_page.goto(reverse("meetings:acknowledge"))
    assert "Lääkkeet jaetaan jatkossa kahden ohjaajan kesken." in phone_page.inner_text("main")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(phone_page, "meetings-acknowledge-phone")
    _submit(phone_page, phone_page.locator("form[action*='/kokoukset/kuittaukset/']").first)
    assert phone_page.locator("form[action*='/kokoukset/kuittaukset/']").count() == 0

    # The chair sees the count move.
    page.reload()
    assert page.locator("[data-ack-progress]").inner_text().strip() == "1 / 1"
    snap(page, "meetings-closed-desktop")
