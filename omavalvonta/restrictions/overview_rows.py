"""The restrictions overview's cards and its table of months, written in
Python (the bulk of the page: twenty regions and twelve months, or a region's
hundred units; the markup of components/region_cards.html and
components/unit_cards.html and of the table's rows), every text escaped. Their
markup is tested (tests/test_monthly.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext


def measures_text(n: int, *, hidden: bool, small: int) -> str:
    """What a card says of its measures: few are not counted ("fewer than")."""
    if hidden:
        return gettext("fewer than %(small)s measures") % {"small": small}
    return ngettext("%(counter)s measure", "%(counter)s measures", n) % {"counter": n}


def region_cards(regions: list[dict], *, url: str, small: int) -> SafeString:
    """The cards' items: per region its name linking to `url` narrowed to the
    region (?alue=), its number of units and its measures."""
    href = conditional_escape(url)
    parts = []
    for row in regions:
        units = ngettext("%(counter)s unit", "%(counter)s units", row["units"]) % {"counter": row["units"]}
        figure = conditional_escape(measures_text(row["total"], hidden=row["small"], small=small))
        parts.append(
            f'\n  <li class="card">\n    <a href="{href}?alue={int(row["region"].pk)}">\n'
            f'      <span class="list-cards__title">{conditional_escape(row["region"].name)}</span>\n'
            f'      <span class="list-cards__meta">\n        <span>{conditional_escape(units)}</span>\n'
            f"        <span>{figure}</span>\n      </span>\n    </a>\n  </li>\n  "
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every text escaped above


def unit_cards(rows: list[dict], *, small: int) -> SafeString:
    """The cards' items of a region's units (selectors.unit_counts): its name,
    linking to its register when the person reads it, and its measures."""
    prefix = reverse("restrictions:unit", args=[0])
    assert prefix.endswith("/0/"), prefix
    prefix = prefix[:-2]
    parts = []
    for row in rows:
        unit = row["unit"]
        opening, closing = (f'<a href="{prefix}{int(unit.pk)}/">', "</a>") if row["can_view"] else ("<div>", "</div>")
        figure = conditional_escape(measures_text(row["count"], hidden=row["small"], small=small))
        parts.append(
            f'\n  <li class="card">\n    {opening}\n'
            f'      <span class="list-cards__title">{conditional_escape(unit.name)}</span>\n'
            f'      <span class="list-cards__meta"><span>{figure}</span></span>\n    {closing}\n  </li>\n  '
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every text escaped above


def month_rows(rows: list[dict]) -> SafeString:
    """The table's rows: per region its measures of each month, a hidden month "–"."""
    parts = []
    for row in rows:
        cells = "".join("<td>–</td>" if n is None else f"<td>{int(n)}</td>" for n in row["cells"])
        parts.append(f'<tr><th scope="row">{conditional_escape(row["region"].name)}</th>{cells}</tr>')
    return mark_safe("".join(parts))  # noqa: S308 -- every text escaped above
