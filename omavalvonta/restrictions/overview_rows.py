"""The restrictions overview's region cards and its table of months, written
in Python (the bulk of the page over twenty regions and twelve months; the
markup of components/region_cards.html and of the table's rows), every text
escaped. Their markup is tested
(tests/test_overview_rows.py)."""

from __future__ import annotations

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext


def region_figure(row: dict, small: int) -> str:
    """What a region's card says of its measures: few are not counted."""
    if row["small"]:
        return gettext("fewer than %(small)s measures") % {"small": small}
    return ngettext("%(counter)s measure", "%(counter)s measures", row["total"]) % {"counter": row["total"]}


def region_cards(regions: list[dict], *, url: str, small: int) -> SafeString:
    """The cards' items: per region its name linking to `url` narrowed to the
    region (?alue=), its number of units and its measures."""
    href = conditional_escape(url)
    parts = []
    for row in regions:
        units = ngettext("%(counter)s unit", "%(counter)s units", row["units"]) % {"counter": row["units"]}
        parts.append(
            f'\n  <li class="card">\n    <a href="{href}?alue={int(row["region"].pk)}">\n'
            f'      <span class="list-cards__title">{conditional_escape(row["region"].name)}</span>\n'
            f'      <span class="list-cards__meta">\n        <span>{conditional_escape(units)}</span>\n'
            f"        <span>{conditional_escape(region_figure(row, small))}</span>\n      </span>\n    </a>\n  </li>\n  "
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every text escaped above


def month_rows(rows: list[dict]) -> SafeString:
    """The table's rows: per region its measures of each month, a hidden month "–"."""
    parts = []
    for row in rows:
        cells = "".join("<td>–</td>" if n is None else f"<td>{int(n)}</td>" for n in row["cells"])
        parts.append(f'<tr><th scope="row">{conditional_escape(row["region"].name)}</th>{cells}</tr>')
    return mark_safe("".join(parts))  # noqa: S308 -- every text escaped above
