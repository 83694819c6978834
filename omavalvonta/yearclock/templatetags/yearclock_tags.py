"""A duty's card (the calendar's list, "this month", the late duties and the
year wheel's months) written in Python in one pass, with the markup the
template yearclock/_card.html wrote, whitespace included (a list page draws
twenty to forty of them: issue 13)."""

import html

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from omavalvonta.yearclock.selectors import CardDuty

register = template.Library()


def _esc(value) -> str:
    """conditional_escape in fewer calls (a page writes some hundred texts):
    the same text, a safe one as it is."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _badges() -> tuple[str, str, str]:
    """The done, late and open badges, in the active language."""
    return (
        f'<span class="badge badge--closed">{_esc(gettext("Done"))}</span>',
        f'<span class="badge badge--overdue">{_esc(gettext("Late"))}</span>',
        f'<span class="badge badge--neutral">{_esc(gettext("Open"))}</span>',
    )


def _state(o, today, badges) -> str:
    done, late, open_ = badges
    if o.is_done:
        return done
    if today is not None and o.due_date < today:
        return late
    return open_


def _texts(o) -> tuple:
    """(the template's title, the unit's name, the owner's name or None) of a
    duty: a paged list's row (selectors.CardDuty) or an Occurrence with them joined."""
    if type(o) is CardDuty:
        return o.title, o.unit_name, o.owner_name
    return o.template.title, o.unit.name, o.owner.full_name if o.owner else None


@register.simple_tag
def duty_cards(occurrences, today, show_unit=False, spaced=False):
    """The <li> cards of `occurrences` (with their template, unit and owner);
    `spaced`: each between the whitespace of components/list_page.html's loop."""
    prefix = reverse("yearclock:detail", args=[0])
    assert prefix.endswith("/0/"), prefix
    prefix = prefix[:-2]
    due = _esc(gettext("Due"))
    no_owner = _esc(gettext("No owner named"))
    badges = _badges()
    parts = []
    for o in occurrences:
        title, unit_name, owner_name = _texts(o)
        danger = " card--danger" if not o.is_done and today is not None and o.due_date < today else ""
        unit = f"<span>{_esc(unit_name)}</span>" if show_unit else ""
        owner = _esc(owner_name) if owner_name is not None else no_owner
        d = o.due_date
        parts.append(
            f'<li class="card{danger}">\n  <a href="{prefix}{o.pk}/">\n'
            f'    <span class="list-cards__title">{_esc(title)}</span>\n'
            f'    <span class="list-cards__meta">\n      {_state(o, today, badges)}\n\n      {unit}\n'
            f'      <span>{due} <time datetime="{d.isoformat()}">{d.day}.{d.month}.{d.year}</time></span>\n'
            f"      <span>{owner}</span>\n    </span>\n  </a>\n</li>\n"
        )
    if spaced:
        return mark_safe("".join(f"\n  {card}\n  " for card in parts))  # noqa: S308 -- every text escaped above
    return mark_safe("".join(parts))  # noqa: S308 -- every text escaped above


def _sector(s) -> str:
    classes = "yearwheel__month"
    if s.is_current:
        classes += " yearwheel__month--current"
    if s.month % 2 == 0:
        classes += " yearwheel__month--even"
    dots = "".join(
        f'<circle class="yearwheel__dot yearwheel__dot--{conditional_escape(d.state)}" cx="{d.x}" cy="{d.y}" r="9">'
        f"<title>{conditional_escape(d.title)}</title></circle>"
        for d in s.dots
    )
    return (
        f'\n      <a href="#kuukausi-{s.month}" tabindex="-1">\n'
        f'        <path class="{classes}" d="{conditional_escape(s.path)}">'
        f"<title>{conditional_escape(s.full_label)}: {s.count}</title></path>\n"
        f'        <text class="yearwheel__label" x="{s.label_x}" y="{s.label_y}" text-anchor="middle"'
        f' dominant-baseline="middle">{conditional_escape(s.label)}</text>\n'
        f"        {dots}\n      </a>\n      "
    )


@register.simple_tag
def wheel_sectors(sectors):
    """The year wheel's month sectors with their dots (yearclock.wheel.build),
    the markup wheel.html's loop wrote inside `{% localize off %}` (coordinates
    as Python writes them), whitespace included, each text escaped."""
    return mark_safe("".join(_sector(s) for s in sectors))  # noqa: S308 -- every text escaped above


@register.simple_tag
def wheel_months(months, today, year):
    """The year wheel's list: a section a month (selectors.MonthSlice, with its
    `name`) with its duties' cards, the markup wheel.html's loop wrote,
    whitespace included, each text escaped."""
    this_month = today.month if year == today.year else None
    current = f' <span class="muted">({conditional_escape(gettext("this month"))})</span>'
    no_duties = f'<p class="muted">{conditional_escape(gettext("No duties."))}</p>'
    parts = []
    for m in months:
        is_current = m.month == this_month
        cards = f'\n      <ul class="list-cards">{duty_cards(m.items, today)}</ul>\n      ' if m.items else no_duties
        parts.append(
            f'\n    <section class="yearclock__month{" yearclock__month--current" if is_current else ""}"'
            f' id="kuukausi-{m.month}" aria-labelledby="kuukausi-{m.month}-otsikko">\n'
            f'      <h3 id="kuukausi-{m.month}-otsikko">{conditional_escape(m.name)}{current if is_current else ""}</h3>\n'
            f"      {cards}\n    </section>\n    "
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every text escaped above (the cards by duty_cards)


@register.simple_tag
def contributed_cards(rows):
    """The <li> cards of "this month"'s duties kept in other areas
    (duties.duties_of_units rows with their `counts` text), with the markup and
    whitespace the template's loop wrote: a region's fifty units give dozens."""
    oldest_due = _esc(gettext("Oldest due"))
    parts = []
    for row in rows:
        link = row["link"]
        opened, closed = (f'<a href="{_esc(link)}">', "</a>") if link else ("<div>", "</div>")
        d = row["oldest"]
        iso, shown = (d.isoformat(), f"{d.day}.{d.month}.{d.year}") if d else ("", "")
        parts.append(
            f'\n  <li class="card{" card--danger" if row["late"] else ""}">{opened}\n'
            f'    <span class="list-cards__title">{_esc(row["label"])}</span>\n'
            f'    <span class="list-cards__meta"><span>{_esc(row["unit"])}</span>'
            f'<span>{_esc(row["counts"])}</span>\n'
            f'      <span>{oldest_due} <time datetime="{iso}">{shown}</time></span></span>\n'
            f"  {closed}</li>\n  "
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every text escaped above
