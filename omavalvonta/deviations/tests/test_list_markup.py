"""The list's rows, cards and filter bar and the page's access-log table written
in Python (list_rows, access_rows): every value escaped, every badge in place."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from omavalvonta.deviations.access_rows import access_log_html
from omavalvonta.deviations.list_rows import _select, cards_html, filter_bar_html, table_html


def _row(**changes) -> dict:
    row = {
        "pk": 7, "url": "/poikkeamat/7/", "number": "P2026-<7>", "kind": "Laatu & turva", "grievance": True,
        "critical": True, "notify": True, "notify_by": "1.2.2026 9.05", "state": "submitted", "state_label": "Uusi",
        "risk": "high", "risk_label": "Korkea", "risk_phone": "Riski: korkea", "unit": "Koti <A>", "submitted": "1.1.2026",
        "handler": "", "due": "2.2.2026", "overdue": True, "stands_out": True,
    }
    return {**row, **changes}


def test_a_table_row_escapes_its_values_and_shows_every_badge():
    html = table_html([_row()])
    assert '<tr class="is-overdue is-stand-out">' in html
    assert "P2026-&lt;7&gt;" in html and "Laatu &amp; turva" in html and "Koti &lt;A&gt;" in html
    assert html.count('class="badge') == 6  # grievance, notify, critical, state, risk, overdue
    assert '<td class="dv-handler">–</td>' in html


def test_a_quiet_row_has_no_badges_but_its_state():
    html = table_html([_row(grievance=False, critical=False, notify=False, risk=None, overdue=False, stands_out=False)])
    assert '<tr class="">' in html and html.count('class="badge') == 1
    assert '<span class="muted">–</span>' in html


def test_a_priority_card_escapes_and_says_when_to_notify():
    html = cards_html([_row()])
    assert 'href="/poikkeamat/7/"' in html and "Laatu &amp; turva · P2026-&lt;7&gt;" in html
    assert "1.2.2026 9.05" in html and html.count('class="badge') == 6


def test_the_filter_bar_escapes_its_labels_and_keeps_the_checkbox_state():
    fields = [
        {"type": "checkbox", "name": "mine", "id": "id_mine", "label": "Minun <b>", "help": "", "described": "", "checked": True},
        {"type": "date", "name": "date_from", "id": "id_date_from", "label": "From", "help": "Ohje & apu", "described": "",
         "value": "2026-01-02"},
    ]
    html = filter_bar_html(fields)
    assert "Minun &lt;b&gt;" in html and ' checked>' in html
    assert 'value="2026-01-02"' in html and "Ohje &amp; apu" in html


def test_a_filter_select_escapes_its_options_and_marks_the_chosen_one():
    bound = SimpleNamespace(field=SimpleNamespace(choices=[("", "Kaikki"), (3, 'Koti "A" & <B>'), ("x'y", "Toinen")]))
    assert str(_select(bound, 3)["options"]) == (
        '<option value="">Kaikki</option>\n'
        '<option value="3" selected>Koti &quot;A&quot; &amp; &lt;B&gt;</option>\n'
        '<option value="x&#x27;y">Toinen</option>'
    )
    assert ' selected>Kaikki' in str(_select(bound, None)["options"])


def test_the_access_log_table_escapes_the_reader():
    at = timezone.make_aware(dt.datetime(2026, 3, 4, 5, 6))
    rows = [SimpleNamespace(at=at, reader_name="Ulko <lukija>", what="deviation.reporter", right="deviation.view_reporter")]
    html = access_log_html(rows)
    assert "<td>4.3.2026 5.06</td>" in html and "Ulko &lt;lukija&gt;" in html


def test_the_list_writes_its_own_filter_bar_for_every_field_of_its_form(client, quality_director, unit_a, unit_b):
    # The region and unit selects are core.widgets.QuickSelect: the bar must
    # still write them itself (a field it does not know sends the whole bar to
    # the component templates, some ten thousand calls more a request).
    client.force_login(quality_director)
    response = client.get("/poikkeamat/")
    assert response.status_code == 200
    assert response.context["bar"] is not None
    names = [field["name"] for field in response.context["bar"]]
    assert "region" in names and "unit" in names
    assert 'name="unit"' in response.context["bar_html"]
