"""A supervisor records the children's monthly meeting on a 390 px phone: a
refusal keeps what was typed, the record fulfils this month's calendar duty
(last month's stays late) and shows in the good-treatment plan's participation
fact."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.meetings import rhythms
from omavalvonta.meetings.models import ChildrensMeeting
from omavalvonta.organisation.models import Unit
from omavalvonta.plans import services as plan_services
from omavalvonta.testing.browser import fits_phone, login, snap

pytestmark = pytest.mark.browser


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def test_a_supervisor_records_a_childrens_meeting_on_a_phone(phone_page, live_server, supervisor_a, unit_a, password):
    Unit.objects.filter(pk=unit_a.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    draft = plan_services.plan_draft_start(actor=supervisor_a, unit=unit_a, kind="good_treatment")
    rhythm = rhythms.rhythm("childrens_meeting")
    assert [d.late for d in rhythms.rhythm_duties(rhythm, today=timezone.localdate(), unit_ids=[unit_a.pk])] == [False, True]
    page = phone_page
    login(page, live_server, supervisor_a.email, password)

    # The calendar shows the unit's children's meetings due (this month) and late (last month).
    page.goto(reverse("yearclock:due"))
    card = page.locator(f"a[href='{reverse('meetings:childrens', args=[unit_a.pk])}']")
    assert card.count() == 1
    fits_phone(page)
    snap(page, "childrens-calendar-before-phone")

    # From the meetings to the unit's children's meetings.
    page.goto(reverse("meetings:list"))
    with page.expect_navigation():
        page.locator("[data-childrens-links] a").first.click()
    with page.expect_navigation():
        page.locator(f"a[href='{reverse('meetings:childrens_add', args=[unit_a.pk])}']").click()

    # Without the topics the form comes back with what was typed.
    form = page.locator("form.form")
    form.locator("input[name=kind][value=monthly]").check()
    form.locator("textarea[name=children_raised]").fill("Nuoret toivoivat yövaloa käytävälle.")
    _submit(page, form)
    assert page.locator("#error-summary").count() == 1
    assert page.locator("textarea[name=children_raised]").input_value() == "Nuoret toivoivat yövaloa käytävälle."
    fits_phone(page)
    snap(page, "childrens-refused-phone")
    assert not ChildrensMeeting.objects.exists()

    form = page.locator("form.form")
    form.locator("textarea[name=topics]").fill("Hyvän kohtelun suunnitelma ja yöaika")
    form.locator("textarea[name=decisions]").fill("Käytävän yövalo pidetään päällä.")
    _submit(page, form)
    page.wait_for_url(re.compile(r"/lasten-kokoukset/$"))
    assert "Hyvän kohtelun suunnitelma ja yöaika" in page.locator("[data-childrens-meetings]").inner_text()
    fits_phone(page)
    snap(page, "childrens-list-phone")
    record = ChildrensMeeting.objects.get()
    assert (record.kind, record.created_by, record.held_on) == ("monthly", supervisor_a, timezone.localdate())

    # This month's duty is fulfilled; last month's stays late.
    assert [d.late for d in rhythms.rhythm_duties(rhythm, today=timezone.localdate(), unit_ids=[unit_a.pk])] == [True]
    page.goto(reverse("yearclock:due"))
    card = page.locator(f"li.card:has(a[href='{reverse('meetings:childrens', args=[unit_a.pk])}'])")
    assert "card--danger" in card.get_attribute("class")

    # The good-treatment plan's participation section counts it, with its topics.
    page.goto(reverse("plans:version", args=[draft.pk]))
    fact = page.locator("[data-fact=childrens-meetings]")
    assert "Hyvän kohtelun suunnitelma ja yöaika" in fact.inner_text()
    assert "Käytävän yövalo" not in fact.inner_text()  # the decisions stay off the public plan
    fact.scroll_into_view_if_needed()
    fits_phone(page)
    snap(page, "childrens-plan-fact-phone")
