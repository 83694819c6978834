"""Findings steer the action plan, on a 390 px phone: a supervisor opens an internal
audit's nonconformity, starts a goal of the unit's action plan from it, and sees
the finding as what prompted the goal in the plan's follow-up."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.audits import services as audit_services
from omavalvonta.improvement import services
from omavalvonta.improvement.models import GoalPrompt
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser


def test_a_supervisor_starts_a_goal_from_an_audit_finding_on_a_phone(phone_page, live_server, supervisor_a, unit_a, password):
    plan = services.action_plan_create(actor=supervisor_a, unit=unit_a, year=timezone.localdate().year)
    services.plan_goal_add(actor=supervisor_a, plan=plan, area="client_experience", description="Lapset kuulluksi")
    audit = audit_services.audit_create(
        actor=supervisor_a, unit=unit_a, kind="internal", held_on=timezone.localdate() - dt.timedelta(days=2),
        auditor="Auli Auditoija",
    )
    finding = audit_services.finding_add(
        actor=supervisor_a, audit=audit, kind="nonconformity", text="Lääkekaappi oli auki yövuoron aikana."
    )

    login(phone_page, live_server, supervisor_a.email, password)
    phone_page.goto(reverse("audits:audit", args=[audit.pk]))
    phone_page.locator(f"#finding-{finding.pk} [data-steer-plan]").click()
    phone_page.wait_for_url(re.compile(r"/kehittaminen/toimintasuunnitelmat/kytke/\?lahde=audit"))
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(phone_page, "improvement-goal-prompt-phone")

    # Start a new goal (the plan already has one, so linking is offered first).
    phone_page.locator("summary", has_text="Aloita").click()
    phone_page.select_option("select[name=start-area]", "quality")
    phone_page.fill("textarea[name=start-description]", "Lääkekaappi on aina lukittu")
    phone_page.fill("textarea[name=start-measures]", "Tarkistus vuoronvaihdossa")
    phone_page.locator("form:has(input[value=start]) button[type=submit]").click()
    phone_page.wait_for_url(re.compile(rf"/kehittaminen/toimintasuunnitelmat/{plan.pk}/"))

    prompt = GoalPrompt.objects.get()
    assert prompt.goal.description == "Lääkekaappi on aina lukittu" and prompt.started_goal
    section = phone_page.locator(f"#goal-{prompt.goal_id}")
    assert section.locator("[data-goal-prompts] a").count() == 1
    assert "Lääkekaappi oli auki" in section.locator("[data-goal-prompts]").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    section.scroll_into_view_if_needed()
    snap(phone_page, "improvement-goal-prompt-follow-up-phone")

    # The prompt opens the finding on its audit's page.
    section.locator("[data-goal-prompts] a").click()
    phone_page.wait_for_url(re.compile(rf"/auditointi/auditoinnit/{audit.pk}/#finding-{finding.pk}$"))

    # Linked by mistake: the plan's keeper unlinks it from the plan's page; the goal stays.
    phone_page.go_back()
    phone_page.wait_for_url(re.compile(rf"/kehittaminen/toimintasuunnitelmat/{plan.pk}/"))
    section = phone_page.locator(f"#goal-{prompt.goal_id}")
    section.scroll_into_view_if_needed()
    snap(phone_page, "improvement-goal-prompt-unlink-phone")
    section.locator("[data-goal-prompts] button", has_text="Poista kytkentä").click()
    phone_page.wait_for_url(re.compile(rf"/kehittaminen/toimintasuunnitelmat/{plan.pk}/#goal-{prompt.goal_id}$"))
    assert not GoalPrompt.objects.exists()
    assert phone_page.locator(f"#goal-{prompt.goal_id} [data-goal-prompts]").count() == 0
    assert "ei ole enää kytketty" in phone_page.locator("body").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
