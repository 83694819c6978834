"""Issue 21 items 2 and 3 in a real browser at 390 px: the handler records that
the police were informed, answers the three handling questions with "the
instruction must change" and closes the report; the responsible person finds
the proposal on the home page and decides it."""

import pytest
from django.urls import reverse

from omavalvonta.deviations import services
from omavalvonta.deviations.models import Deviation, InformedRecord, InstructionProposal, ProposalState, State
from omavalvonta.testing.browser import fits_phone, login, open_phone, snap, submit
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = pytest.mark.browser


def _open(form):
    form.evaluate("f => { const d = f.closest('details'); if (d) d.open = true; }")
    return form


def test_the_handler_records_the_police_answers_the_questions_and_the_responsible_person_decides(
    browser, live_server, employee_a, supervisor_a, responsible_a, unit_a, password
):
    report = services.deviation_submit(
        actor=employee_a, **deviation_kwargs(unit_a, kind="threat_or_violence", violence_target="staff")
    ).deviation
    services.deviation_answer(actor=supervisor_a, deviation=report, answer="Poliisi kävi paikalla; ohje päivitetään.")

    context, handler = open_phone(browser, live_server)
    login(handler, live_server, supervisor_a.email, password)
    handler.goto(reverse("deviations:detail", args=[report.pk]))

    # Who was informed: the police, by the night shift's instructor.
    form = _open(handler.locator(f"form[action='{reverse('deviations:informed_add', args=[report.pk])}']"))
    form.locator("select[name=informed-party]").select_option("police")
    form.locator("input[name=informed-informed_by]").fill("Yövuoron ohjaaja Virtanen")
    form.locator("input[name=informed-note]").fill("Partio kävi paikalla.")
    submit(handler, form)
    informed = handler.locator("section[aria-labelledby=informed-title]").inner_text()
    assert "Poliisi" in informed and "Yövuoron ohjaaja Virtanen" in informed
    fits_phone(handler)
    assert InformedRecord.objects.filter(deviation=report, party="police").count() == 1

    # The three questions: the instruction was not followed and must change.
    form = _open(handler.locator(f"form[action='{reverse('deviations:decide', args=[report.pk])}']"))
    form.locator("input[name=decisions-instruction_followed][value=no]").check()
    form.locator("input[name=decisions-must_change][value=yes]").check()
    form.locator("input[name=decisions-instruction]").fill("Uhkaavan vierailijan ohje")
    form.locator("textarea[name=decisions-proposal]").fill("Ovi pidetään lukittuna iltaisin ja vierailijat sovitaan etukäteen.")
    form.locator("select[name=decisions-responsible]").select_option(str(responsible_a.pk))
    form.locator("input[name=decisions-outside_needed][value=yes]").check()
    form.locator("input[name=decisions-outside_party]").fill("Poliisi")
    snap(handler, "programme-decisions-form-phone")
    submit(handler, form)
    decisions = handler.locator("section[aria-labelledby=decisions-title]").inner_text()
    assert "Uhkaavan vierailijan ohje" in decisions
    fits_phone(handler)

    # Closing now succeeds.
    submit(handler, handler.locator(f"form[action='{reverse('deviations:close', args=[report.pk])}']"))
    snap(handler, "programme-closed-phone")
    assert Deviation.objects.get(pk=report.pk).state == State.CLOSED
    context.close()

    # The responsible person sees the proposal on the home page and decides it.
    context, responsible = open_phone(browser, live_server)
    login(responsible, live_server, responsible_a.email, password)
    proposal = InstructionProposal.objects.get()
    link = responsible.locator(f"a[href='{reverse('deviations:proposal', args=[proposal.pk])}']")
    assert link.count() == 1
    fits_phone(responsible)
    with responsible.expect_navigation():
        link.click()
    form = responsible.locator("form:has(textarea[name=note])")
    form.locator("input[name=accepted][value=yes]").check()
    form.locator("textarea[name=note]").fill("Ohje päivitetään ja käydään läpi seuraavassa tiimipalaverissa.")
    snap(responsible, "programme-proposal-decide-phone")
    submit(responsible, form)
    fits_phone(responsible)
    snap(responsible, "programme-proposal-decided-phone")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED and proposal.decided_by == responsible_a
    context.close()
