"""The quality calendar in a real browser: the quality director adds a duty, the
supervisor sees it on the unit's year wheel on a phone and marks it done with a
link to the approved plan version that fulfils it; a late one escalates to the regional director."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.testing.browser import login, snap
from omavalvonta.yearclock import reminders, services
from omavalvonta.yearclock.models import Occurrence

from .conftest import template_data
from .test_completion_and_views import _approved_plan_version

pytestmark = pytest.mark.browser


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def test_a_duty_from_template_to_wheel_to_done_and_a_late_one_escalates(
    desktop_page, phone_page, live_server, time_machine, quality_director, supervisor_a, responsible_a,
    regional_director_a, unit_a, password,
):
    time_machine.move_to(dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC), tick=True)
    # The unit's self-supervision plan was reviewed and approved this month.
    version = _approved_plan_version(unit_a, supervisor_a, responsible_a)

    # The quality director adds a duty for every unit, due this month.
    page = desktop_page
    login(page, live_server, quality_director.email, password)
    page.goto(live_server.url + reverse("yearclock:template_create"))
    form = page.locator("form.form")
    form.locator("input[name=title]").fill("Lääkehoitosuunnitelman tarkistus")
    form.locator("select[name=kind]").select_option("plan_review")
    form.locator("input[name=recurrence][value=yearly]").check()
    form.locator("select[name=start_month]").select_option("3")
    snap(page, "yearclock-template-form-desktop")
    _submit(page, form)
    assert "Lääkehoitosuunnitelman tarkistus" in page.inner_text("main")
    duty = Occurrence.objects.get(unit=unit_a, template__title="Lääkehoitosuunnitelman tarkistus")
    assert duty.due_date == dt.date(2026, 3, 31) and duty.owner == supervisor_a

    # The supervisor sees it on the year wheel on a phone and marks it done.
    phone = phone_page
    login(phone, live_server, supervisor_a.email, password)
    phone.goto(live_server.url + reverse("yearclock:wheel"))
    assert phone.locator("svg.yearwheel .yearwheel__dot--open").count() == 1
    month = phone.locator("#kuukausi-3")
    assert "Lääkehoitosuunnitelman tarkistus" in month.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    snap(phone, "yearclock-wheel-phone")
    with phone.expect_navigation():
        month.get_by_text("Lääkehoitosuunnitelman tarkistus").click()
    form = phone.locator("form.form")
    form.locator("select[name=evidence]").select_option(f"plans.planversion:{version.pk}")
    form.locator("textarea[name=note]").fill("Tarkistettu tiimipalaverissa 10.3.")
    _submit(phone, form)
    duty.refresh_from_db()
    assert duty.evidence_label in phone.inner_text("main")  # the version, named in the supervisor's language
    snap(phone, "yearclock-done-phone")
    assert duty.is_done and duty.evidence_url == version.get_absolute_url()
    phone.goto(live_server.url + reverse("yearclock:wheel"))
    assert phone.locator("svg.yearwheel .yearwheel__dot--done").count() == 1

    # Another duty is left undone: on 1 April the job escalates it.
    services.obligation_template_save(actor=quality_director, **template_data(title="Paloharjoitus", kind="safety_drill"))
    time_machine.move_to(dt.datetime(2026, 4, 1, 6, tzinfo=dt.UTC), tick=True)
    assert reminders.obligations_remind_and_escalate() >= 1

    login(page, live_server, regional_director_a.email, password)
    page.goto(live_server.url + reverse("notifications:inbox"))
    assert "Paloharjoitus" in page.inner_text("main")
    page.goto(live_server.url + reverse("yearclock:overdue"))
    assert unit_a.name in page.inner_text("main")
    snap(page, "yearclock-overdue-desktop")
    page.goto(live_server.url + reverse("yearclock:wheel"))
    assert page.locator("svg.yearwheel .yearwheel__dot--late").count() == 1
    snap(page, "yearclock-wheel-desktop")
    assert re.search(r"1\s", page.inner_text(".page-header__meta"))
    assert timezone.localdate() == dt.date(2026, 4, 1)
