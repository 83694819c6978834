"""The register's cards written in Python (restrictions.register_rows) are the
markup the list page's loop wrote with unit.html's blocks, whitespace included."""

import datetime as dt

from django.template import Context, Template
from django.utils import timezone, translation

from omavalvonta.clients.models import Placement
from omavalvonta.restrictions import register_rows
from omavalvonta.restrictions.models import Restriction

# components/list_page.html's loop with the blocks unit.html gave it before its
# cards were written in Python.
_TEMPLATE_CARDS = """{% load i18n %}<ul class="list-cards">
  {% for item in items %}
  <li class="card">
    <a href="{% url 'restrictions:detail' item.pk %}">
      <span class="list-cards__title">{{ item.measure_label }} – {{ item.placement.name }}</span>
      <span class="list-cards__meta">
        
        <span>{{ item.started_at|date:"j.n.Y H:i" }}{% if item.ended_at %}–{{ item.ended_at|date:"j.n.Y H:i" }}{% endif %}</span>
        <span>{{ item.get_record_kind_display }}</span>
        {% if item.document_kind and item.pk not in signed %}<span class="badge badge--moderate">{% if item.document_kind == "decision" %}{% translate "Decision not signed" %}{% else %}{% translate "Account not signed" %}{% endif %}</span>{% endif %}
        {% if item.debrief_pending %}<span class="badge badge--moderate">{% translate "Debrief missing" %}</span>{% endif %}

      </span>
    </a>
  </li>
  {% endfor %}
</ul>"""  # noqa: E501


def _measures():
    start = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    cases = [
        # (measure, record kind, minutes long or None, debriefed, child's name)
        ("restraint", "account", 4, False, "Aino K."),
        ("restraint", "account", None, True, "Eero <L> & \"Jussi\""),
        ("isolation", "decision", 90, False, "Ville's"),
        ("isolation", "account", 90, True, "Mia"),
        ("no_such_measure", "decision", 5, False, "Oona"),
        ("confiscation", "bogus", 1, True, "Pekka"),
    ]
    rows = []
    for i, (measure, kind, minutes, debriefed, name) in enumerate(cases, start=1):
        started = start + dt.timedelta(days=i * 40, minutes=i * 7)
        r = Restriction(
            pk=100 + i, measure=measure, record_kind=kind, started_at=started,
            ended_at=started + dt.timedelta(minutes=minutes) if minutes is not None else None,
            debrief_at=started if debriefed else None,
        )
        r.placement = Placement(pk=i, name=name)
        rows.append(r)
    return rows


def test_the_cards_are_the_markup_the_template_wrote():
    rows = _measures()
    for language in ("fi", "sv", "en"):
        with translation.override(language), timezone.override("Europe/Helsinki"):
            for signed in (set(), {101, 103}, {r.pk for r in rows}):
                expected = Template(_TEMPLATE_CARDS).render(Context({"items": rows, "signed": signed}))
                written = f'<ul class="list-cards">\n  {register_rows.cards_html(rows, signed=signed)}\n</ul>'
                assert written == expected


def test_the_page_reads_the_cards_fields_alone(client, employee_a, child_a, record, unit_a):
    from django.urls import reverse

    record(employee_a, child_a)
    client.force_login(employee_a)
    page = client.get(reverse("restrictions:unit", args=[unit_a.pk]))
    assert page.status_code == 200
    [shown] = page.context["page"].object_list
    assert shown.get_deferred_fields() >= {"details", "reason", "milder_means"}
    body = page.content.decode()
    assert f'<a href="{reverse("restrictions:detail", args=[shown.pk])}">' in body and "Aino K." in body
