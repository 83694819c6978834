"""A duty's card written in Python (yearclock_tags.duty_cards): the markup the
template yearclock/_card.html wrote, its texts escaped."""

import datetime as dt
from types import SimpleNamespace

from django.utils import translation

from omavalvonta.yearclock.templatetags.yearclock_tags import duty_cards


def duty(pk, *, done=False, due=dt.date(2026, 3, 5), owner="Tiina <T>"):
    return SimpleNamespace(
        pk=pk, is_done=done, due_date=due, template=SimpleNamespace(title="Katselmus & <b>"),
        unit=SimpleNamespace(name="Koti \"A\""), owner=SimpleNamespace(full_name=owner) if owner else None,
    )


def test_a_late_card_with_its_unit_escaped():
    with translation.override("en"):
        html = str(duty_cards([duty(7)], dt.date(2026, 3, 6), show_unit=True))
    assert html == (
        '<li class="card card--danger">\n  <a href="/vuosikello/7/">\n'
        '    <span class="list-cards__title">Katselmus &amp; &lt;b&gt;</span>\n'
        '    <span class="list-cards__meta">\n      <span class="badge badge--overdue">Late</span>\n\n'
        '      <span>Koti &quot;A&quot;</span>\n'
        '      <span>Due <time datetime="2026-03-05">5.3.2026</time></span>\n'
        "      <span>Tiina &lt;T&gt;</span>\n    </span>\n  </a>\n</li>\n"
    )


def test_done_open_without_owner_and_the_list_pages_spacing():
    with translation.override("en"):
        done, open_ = duty(1, done=True, owner=None), duty(2, due=dt.date(2026, 4, 1))
        html = str(duty_cards([done, open_], dt.date(2026, 3, 6)))
        spaced = str(duty_cards([done], dt.date(2026, 3, 6), spaced=True))
    assert html.count("<li") == 2 and 'badge--closed">Done<' in html and 'badge--neutral">Open<' in html
    assert "No owner named" in html and "card--danger" not in html
    assert "\n      \n" in html  # no unit: the empty line the template left
    assert spaced.startswith("\n  <li") and spaced.endswith("</li>\n\n  ")


def test_a_paged_lists_row_makes_the_same_card_as_its_duty():
    from omavalvonta.yearclock.selectors import CardDuty

    shapes = [duty(7), duty(1, done=True, owner=None), duty(2, due=dt.date(2026, 4, 1), owner="")]
    rows = [
        CardDuty(d.pk, d.due_date, "done" if d.is_done else "open", d.template.title, d.unit.name,
                 d.owner.full_name if d.owner else None)
        for d in shapes
    ]
    with translation.override("fi"):
        for unit, spaced in ((True, True), (False, False)):
            assert duty_cards(rows, dt.date(2026, 3, 6), unit, spaced) == duty_cards(shapes, dt.date(2026, 3, 6), unit, spaced)


# The loop wheel.html drew the sectors with before yearclock_tags.wheel_sectors.
_SECTORS_LOOP = """{% load l10n %}{% localize off %}
      {% for s in wheel.sectors %}
      <a href="#kuukausi-{{ s.month }}" tabindex="-1">
        <path class="yearwheel__month{% if s.is_current %} yearwheel__month--current{% endif %}{% if s.month|divisibleby:2 %} yearwheel__month--even{% endif %}" d="{{ s.path }}"><title>{{ s.full_label }}: {{ s.count }}</title></path>
        <text class="yearwheel__label" x="{{ s.label_x }}" y="{{ s.label_y }}" text-anchor="middle" dominant-baseline="middle">{{ s.label }}</text>
        {% for d in s.dots %}<circle class="yearwheel__dot yearwheel__dot--{{ d.state }}" cx="{{ d.x }}" cy="{{ d.y }}" r="9"><title>{{ d.title }}</title></circle>{% endfor %}
      </a>
      {% endfor %}
{% endlocalize %}"""  # noqa: E501 -- the template's lines as they were


def test_the_wheels_sectors_are_the_markup_the_templates_loop_wrote():
    from django.template import Context, Template

    from omavalvonta.yearclock import wheel
    from omavalvonta.yearclock.selectors import by_month
    from omavalvonta.yearclock.templatetags.yearclock_tags import wheel_sectors

    def occurrence(due, *, state="open", title="Katselmus & <b>"):
        return SimpleNamespace(
            due_date=due, state=state, is_done=state == "done", template=SimpleNamespace(title=title),
            is_late=lambda today: state == "open" and due < today,
        )

    today = dt.date(2026, 3, 6)
    items = [occurrence(dt.date(2026, 3, d)) for d in range(1, 8)]
    items += [occurrence(dt.date(2026, 2, 1), state="done"), occurrence(dt.date(2026, 11, 30), title='"Tarkastus"')]
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            names = [f"Kuu {m} <&>" for m in range(1, 13)] if language == "en" else [f"{m}kuu" for m in range(1, 13)]
            drawing = wheel.build(by_month(items, 2026), names, today=today, year=2026)
            expected = Template(_SECTORS_LOOP).render(Context({"wheel": drawing}))
            assert "\n      " + str(wheel_sectors(drawing["sectors"])) + "\n" == expected
    assert expected.count("<circle") == 9 and "&lt;&amp;&gt;" in expected and "yearwheel__month--current" in expected


# The loop wheel.html drew the month list with before yearclock_tags.wheel_months.
_MONTHS_LOOP = """{% load i18n yearclock_tags %}
    {% for m in months %}
    <section class="yearclock__month{% if m.month == today.month and year == today.year %} yearclock__month--current{% endif %}" id="kuukausi-{{ m.month }}" aria-labelledby="kuukausi-{{ m.month }}-otsikko">
      <h3 id="kuukausi-{{ m.month }}-otsikko">{{ m.name }}{% if m.month == today.month and year == today.year %} <span class="muted">({% translate "this month" %})</span>{% endif %}</h3>
      {% if m.items %}
      <ul class="list-cards">{% duty_cards m.items today %}</ul>
      {% else %}<p class="muted">{% translate "No duties." %}</p>{% endif %}
    </section>
    {% endfor %}
"""  # noqa: E501 -- the template's lines as they were


def test_the_wheels_month_list_is_the_markup_the_templates_loop_wrote():
    from django.template import Context, Template

    from omavalvonta.yearclock.selectors import by_month
    from omavalvonta.yearclock.templatetags.yearclock_tags import wheel_months

    today = dt.date(2026, 3, 6)
    items = [duty(1, due=dt.date(2026, 3, 2)), duty(2, done=True, due=dt.date(2026, 3, 9)), duty(3, due=dt.date(2026, 7, 1))]
    for language, year in (("fi", 2026), ("sv", 2026), ("en", 2026), ("fi", 2025)):
        months = by_month([d for d in items if d.due_date.year == year], year)
        for m in months:
            m.name = f"Kuu <{m.month}>"
        with translation.override(language):
            expected = Template(_MONTHS_LOOP).render(Context({"months": months, "today": today, "year": year}))
            assert "\n    " + str(wheel_months(months, today, year)) + "\n" == expected
    assert expected.count("<section") == 12 and "Kuu &lt;3&gt;" in expected and "--current" not in expected
