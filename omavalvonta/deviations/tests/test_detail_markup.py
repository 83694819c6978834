"""The report page's parts written in Python (deviations/detail_html.py and
handling_html.py, issue 13): the handler's steps each post to their own URL with
the request's token, a draft key and the record's edit version; every value the
report carries is escaped; a refused step shows its errors through the
templates; the other areas' panels give the same from the report's id
(`record_counts`, `with_counts`) as when declared with counts_first."""

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core import registry
from omavalvonta.core.lib.counts import count_all
from omavalvonta.deviations import services
from omavalvonta.testing.factories import deviation_kwargs, handling_questions_answered

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]

TRICKY = "<b>Tuoli & \"pöytä\"</b> 'olohuone'"
ESCAPED = "&lt;b&gt;Tuoli &amp; &quot;pöytä&quot;&lt;/b&gt; &#x27;olohuone&#x27;"


def _report(employee, unit, **overrides):
    return services.deviation_submit(actor=employee, **deviation_kwargs(unit, **overrides)).deviation


def _page(client, user, deviation, status=200):
    client.force_login(user)
    response = client.get(reverse("deviations:detail", args=[deviation.pk]))
    assert response.status_code == status
    return response.content.decode()


def test_an_open_reports_handling_steps_post_to_their_own_addresses(client, employee_a, supervisor_a, unit_a):
    deviation = _report(employee_a, unit_a)
    html = _page(client, supervisor_a, deviation)
    for step in ("classify", "add_action", "answer", "assign", "close", "decide", "informed_add"):
        assert f'action="{reverse(f"deviations:{step}", args=[deviation.pk])}"' in html, step
    assert 'name="reopen-reason"' not in html
    # Not classified yet: the classification opens first, with the browser's draft of it.
    assert '<details class="card" open>\n  <summary><strong>Classify</strong></summary>' in html
    assert f'data-draft="u{supervisor_a.pk}:deviation-classify:{deviation.pk}"' in html
    assert f'name="classify-edit_version" value="{deviation.edit_version}" data-draft-field=""' in html
    assert html.count('name="csrfmiddlewaretoken"') >= 8
    assert 'id="id_classify-consequence_field"' in html and 'id="id_decisions-instruction_followed_field"' in html


def test_a_closed_report_offers_only_reopening(client, employee_a, supervisor_a, unit_a):
    deviation = _report(employee_a, unit_a)
    services.deviation_answer(actor=supervisor_a, deviation=deviation, answer="Vastaus.")
    handling_questions_answered(supervisor_a, deviation)
    services.deviation_close(actor=supervisor_a, deviation=deviation)
    html = _page(client, supervisor_a, deviation)
    assert f'action="{reverse("deviations:reopen", args=[deviation.pk])}"' in html
    assert 'name="reopen-reason"' in html
    assert "deviations/" not in html.split('id="handling-title"')[1].split("</aside>")[0].replace(
        reverse("deviations:reopen", args=[deviation.pk]), ""
    ).replace(reverse("deviations:routing", args=[unit_a.pk]), "")
    assert "<dt>Closed</dt>" in html and "Answered " in html


def test_what_the_report_carries_is_escaped(client, employee_a, supervisor_a, unit_a):
    deviation = _report(employee_a, unit_a, location=TRICKY, description=TRICKY, immediate_actions=TRICKY)
    services.informed_record_add(
        actor=supervisor_a, deviation=deviation, party="police", informed_on=timezone.localdate(),
        informed_by=TRICKY, note=TRICKY,
    )
    html = _page(client, supervisor_a, deviation)
    assert TRICKY not in html
    assert html.count(ESCAPED) >= 5  # where, what happened, right away, informed by, the note
    assert f'action="{reverse("deviations:informed_remove", args=[deviation.pk, deviation.informed.get().pk])}"' in html


def test_a_refused_step_shows_its_errors_from_the_templates(client, employee_a, supervisor_a, unit_a):
    deviation = _report(employee_a, unit_a)
    client.force_login(supervisor_a)
    response = client.post(reverse("deviations:classify", args=[deviation.pk]), {"classify-edit_version": "0"})
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'class="field field--error" id="id_classify-likelihood_field"' in html
    assert '<details class="card" open>\n  <summary><strong>Classify</strong></summary>' in html


def test_the_reporter_sees_the_facts_without_the_handling(client, employee_a, unit_a):
    deviation = _report(employee_a, unit_a)
    html = _page(client, employee_a, deviation)
    assert '<dd id="reporter">You\n</dd>' in html
    assert 'id="handling-title"' not in html and 'id="decisions-title"' not in html
    assert f'href="{reverse("deviations:mine")}">My reports</a>' in html
    assert 'id="timeline-title"' in html and '<ol class="timeline">' in html


@pytest.mark.parametrize("viewer", ["supervisor_a", "quality_director"])
def test_the_panels_from_the_reports_id_are_the_declared_panels(request, viewer, employee_a, unit_a):
    actor = request.getfixturevalue(viewer)
    deviation = _report(employee_a, unit_a, kind="threat_or_violence", violence_target="staff", restraint_used=True)
    kept = [entry for entry in registry.entries(registry.DEVIATION_PANELS) if hasattr(entry.func, "record_counts")]
    assert {entry.name for entry in kept} >= {"clients", "restrictions", "risks", "learning"}
    for entry in kept:
        counted = count_all(entry.func.record_counts(record=deviation, unit_id=deviation.unit_id))
        assert entry.func.with_counts(actor=actor, deviation=deviation, counted=counted) == entry.func(
            actor=actor, deviation=deviation
        ), entry.name
