"""The county home's table of units written in Python (county/rows.py) is the
markup its template loop wrote: the same rows, links, plans, small groups and
empty cells, escaped alike, in every language."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from omavalvonta.county.rows import notification_rows, unit_rows
from omavalvonta.organisation.models import Region, Unit

pytestmark = pytest.mark.django_db  # the app's fixtures clear the cache (a table)

# The loop county/home.html had before the rows were written in Python.
TEMPLATE_LOOP = """{% load i18n plans_tags %}{% for unit in units %}
        <tr>
          <td><a href="{% url 'county:unit' unit.pk %}">{{ unit.name }}</a><br><span class="muted">{{ unit.get_service_type_display }} · {{ unit.region.name }}</span></td>
          <td>{% include "county/_plans.html" %}</td>
          {% if unit_columns.feedback %}{% with row=unit.figures.feedback %}<td class="num">{% if not row %}–{% elif row.n is None %}<span class="muted">{% blocktranslate with small=smalls.feedback %}under {{ small }}{% endblocktranslate %}</span>{% else %}{{ row.n }}{% endif %}</td><td class="num">{% if row.nps is None %}–{% else %}{{ row.nps }}{% endif %}</td>{% endwith %}{% endif %}
          {% if unit_columns.restrictions %}{% with row=unit.figures.restrictions %}<td class="num">{% if not row %}–{% elif row.count is None %}<span class="muted">{% blocktranslate with small=smalls.restrictions %}under {{ small }}{% endblocktranslate %}</span>{% else %}{{ row.count }}{% endif %}</td>{% endwith %}{% endif %}
        </tr>
        {% endfor %}"""  # noqa: E501


def _units():
    region = Region(pk=3, name="Alue <3> & co")
    approved = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)  # 1.12.2026 in Helsinki
    rows = [
        # Both plans, figures shown.
        (11, "Koti \"A\" & <b>", "substitute_care", "koti-a",
         [{"kind": "good_treatment", "number": 2, "approved_at": approved},
          {"kind": "self_supervision", "number": 14, "approved_at": approved}],
         {"feedback": {"n": 1234, "nps": -9}, "restrictions": {"count": 7}}),
        # No plan, small groups hidden.
        (12, "Avohuolto B", "open_care", "", [], {"feedback": {"n": None, "nps": None}, "restrictions": {"count": None}}),
        # No figures at all.
        (13, "Perhekoti C", "aftercare", "perhekoti-c", [{"kind": "self_supervision", "number": 1, "approved_at": approved}],
         {"feedback": None, "restrictions": None}),
        # Zero counts, an NPS with decimals (localized).
        (14, "Koti D", "substitute_care", "", [], {"feedback": {"n": 5, "nps": 12.5}, "restrictions": {"count": 0}}),
    ]
    units = []
    for pk, name, service_type, slug, plans, figures in rows:
        unit = Unit(pk=pk, name=name, service_type=service_type, public_slug=slug, region=region)
        unit.approved_plans = plans
        unit.figures = figures
        units.append(unit)
    return units


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize(
    "columns", [{"feedback": {1: {}}, "restrictions": {1: {}}}, {"feedback": {1: {}}}, {"restrictions": {1: {}}}, {}]
)
def test_the_rows_are_the_markup_the_template_wrote(language, columns):
    units = _units()
    smalls = {"feedback": 5, "restrictions": 5}
    with translation.override(language):
        expected = Template(TEMPLATE_LOOP).render(Context({"units": units, "unit_columns": columns, "smalls": smalls}))
        assert unit_rows(units, columns=columns, smalls=smalls) == expected


def test_no_units_no_rows():
    assert unit_rows([], columns={"feedback": {}}, smalls={}) == ""


# The loop county/_notification_rows.html had before its rows were written in Python.
NOTIFICATIONS_LOOP = """{% load i18n plans_tags %}{% for row in notifications %}
      <tr>
        <td><a href="{% url 'county:notification' row.deviation_id %}">{{ row.number }}</a><br><span class="muted">{{ row.kind_label }}</span>{% if row.is_grievance %} <span class="badge badge--warning">§ 29</span>{% endif %}</td>
        <td><a href="{% url 'county:unit' row.unit_id %}">{{ row.unit_name }}</a></td>
        <td>{{ row.first_sent|fidate }}{% if row.legal_basis %}<br><span class="muted">{{ row.legal_basis }}</span>{% endif %}</td>
        <td>{{ row.state_label }}{% if row.closed_at %}<br><span class="muted">{{ row.closed_at|fidate }}</span>{% elif row.correction_due %}<br><span class="muted">{% blocktranslate with date=row.correction_due|fidate %}correction by {{ date }}{% endblocktranslate %}</span>{% endif %}</td>
      </tr>
      {% endfor %}"""  # noqa: E501


def _notifications():
    sent = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)  # 1.12.2026 in Helsinki
    rows = [
        # (number, kind label, grievance, unit name, legal basis, state label, closed, correction due)
        ("2026-00017", "Vakava <poikkeama>", False, "Koti \"A\" & co", "SHL 741/2023 29 §", "Käsittelyssä", None, None),
        ("2026-00018", "Epäkohta", True, "Koti B", "", "Suljettu", sent, dt.date(2026, 12, 24)),
        ("2026-00019", "Epäkohta", True, "Koti C", "", "Avoin", None, dt.date(2026, 12, 24)),
        (12345, "Muu", False, "Koti D", "Laki 1 §", "Avoin", None, None),
    ]
    return [
        {"deviation_id": 100 + i, "number": number, "kind_label": kind, "is_grievance": grievance, "unit_id": 7 + i,
         "unit_name": unit, "first_sent": sent, "legal_basis": basis, "state_label": state, "closed_at": closed,
         "correction_due": due}
        for i, (number, kind, grievance, unit, basis, state, closed, due) in enumerate(rows)
    ]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_notification_rows_are_the_markup_the_template_wrote(language):
    rows = _notifications()
    with translation.override(language):
        expected = Template(NOTIFICATIONS_LOOP).render(Context({"notifications": rows}))
        assert notification_rows(rows) == expected
    assert notification_rows([]) == ""
