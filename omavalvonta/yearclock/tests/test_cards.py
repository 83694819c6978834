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
