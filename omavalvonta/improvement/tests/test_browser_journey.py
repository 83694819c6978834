"""The action loop in a real browser: a supervisor at a desk decides an action for
an employee; the employee finds it on a phone in "my actions" and marks it done."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.improvement.models import Action, ActionState
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser


def test_supervisor_assigns_an_action_and_the_employee_completes_it_on_a_phone(
    desktop_page, phone_page, live_server, supervisor_a, employee_a, password
):
    # The supervisor writes a development action for the employee.
    login(desktop_page, live_server, supervisor_a.email, password)
    desktop_page.goto(reverse("improvement:action_create"))
    desktop_page.fill("input[name=title]", "Päivitä perehdytyskansion lääkehoito-osio")
    desktop_page.fill("textarea[name=description]", "Uusi lääkehoitosuunnitelma huomioon.")
    desktop_page.select_option("select[name=owner]", str(employee_a.pk))
    desktop_page.fill("input[name=due_date]", (timezone.localdate() + dt.timedelta(days=2)).isoformat())
    desktop_page.select_option("select[name=source_kind]", "audit")
    desktop_page.locator("form.form button[type=submit]").click()
    desktop_page.wait_for_url(re.compile(r"/kehittaminen/toimenpiteet/\d+/$"))
    action = Action.objects.get()
    assert action.owner == employee_a
    snap(desktop_page, "improvement-action-created-desktop")

    # The employee finds it on a phone and marks it done.
    login(phone_page, live_server, employee_a.email, password)
    phone_page.goto(reverse("improvement:my_actions"))
    card = phone_page.locator(".list-cards a", has_text="Päivitä perehdytyskansion")
    assert card.count() == 1
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(phone_page, "improvement-my-actions-phone")
    card.click()
    phone_page.wait_for_url(re.compile(rf"/kehittaminen/toimenpiteet/{action.pk}/$"))
    phone_page.fill("textarea[name=complete-note]", "Osio päivitetty ja käyty läpi tiimissä.")
    with phone_page.expect_navigation():
        phone_page.locator(f"form[action='{reverse('improvement:action_complete', args=[action.pk])}'] button[type=submit]").click()
    assert phone_page.locator(".alert--success").count() == 1
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(phone_page, "improvement-action-done-phone")
    action.refresh_from_db()
    assert (action.state, action.completion_note) == (ActionState.DONE, "Osio päivitetty ja käyty läpi tiimissä.")

    # Back in "my actions" it is no longer to do.
    phone_page.goto(reverse("improvement:my_actions"))
    assert phone_page.locator("#open-title + .list-cards").count() == 0
