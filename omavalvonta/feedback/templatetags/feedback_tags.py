from django import template
from django.conf import settings
from django.utils import formats
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.filter
def faces_of(form, name):
    """(radio, face) pairs of a faces question."""
    return form.face_rows(name)


@register.filter
def nps_format(value):
    """NPS with its sign, or a dash when not shown."""
    if value is None:
        return "–"
    return f"{value:+d}" if value else "0"


# The overview's cells (a hundred units' rows, each twice: a card on a phone and a
# table row on a wide screen) are written here in one pass rather than through
# some thirty template lookups a cell; the markup is the one the template had.


def _count(n) -> str:
    """n as the template would print it (no thousands separator is configured,
    so the localised form is the plain number)."""
    return formats.localize(n) if settings.USE_THOUSAND_SEPARATOR else str(n)


def _shown(cell) -> str | None:
    """`<strong>+12</strong>`: the NPS is a number (no text to escape)."""
    return f"<strong>{nps_format(cell.nps)}</strong>" if cell.nps is not None else None


@register.filter
def overview_card_cells(cells, groups):
    """A row's cells as the card's spans: “label: NPS (n=N)”."""
    return mark_safe(  # noqa: S308 -- the labels escaped, the rest numbers
        "".join(
            f"<span>{conditional_escape(label)}: {_shown(cell) or '–'} (n={_count(cell.n)})</span>"
            for label, cell in zip(groups, cells, strict=False)
        )
    )


@register.filter
def overview_table_cells(cells):
    """A row's cells as table cells: the NPS or a dash with its reason, and n."""
    hidden = None
    parts = []
    for cell in cells:
        if not cell.n:
            parts.append('<td><span class="muted">–</span></td>')
            continue
        shown = _shown(cell)
        if shown is None:
            if hidden is None:
                hidden = format_html('<span class="muted" title="{}">–</span>', gettext("Fewer than five answers: not shown"))
            shown = hidden
        parts.append(f'<td>{shown} <span class="muted">n={_count(cell.n)}</span></td>')
    return mark_safe("".join(parts))  # noqa: S308 -- numbers and the escaped title


@register.filter
def decimal_fi(value):
    if value is None:
        return "–"
    return f"{value:.1f}".replace(".", ",")


# The overview's rows themselves (feedback/_overview_table.html): a region lists a
# hundred units, each a card and a table row; the loops' markup is written here
# as the template wrote it, whitespace included.


def _row_link(row, linked) -> str:
    name = conditional_escape(row.name)
    return f'<a href="{conditional_escape(row.url)}">{name}</a>' if linked and row.url else str(name)


@register.simple_tag
def overview_cards(rows, groups, linked, units_link):
    """The cards' loop: one <li> per row."""
    units = conditional_escape(gettext("Units"))
    parts = []
    for row in rows:
        name = conditional_escape(row.name)
        title = f'<span class="list-cards__title">{name}</span>'
        first = f'<a href="{conditional_escape(row.url)}">{title}</a>' if linked and row.url else title
        second = f'<a href="{conditional_escape(row.units_url)}">{units}</a>' if units_link and row.units_url else ""
        parts.append(
            f'\n  <li class="card">\n    {first}\n    {second}\n'
            f'    <span class="list-cards__meta">{overview_card_cells(row.cells, groups)}</span>\n  </li>\n  '
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every text escaped above


@register.simple_tag
def overview_table_rows(rows, linked, units_link):
    """The table's loop: one <tr> per row."""
    units = conditional_escape(gettext("Units"))
    parts = []
    for row in rows:
        more = (
            f' <a class="muted" href="{conditional_escape(row.units_url)}">{units}</a>'
            if units_link and row.units_url
            else ""
        )
        parts.append(
            f'\n      <tr>\n        <th scope="row">{_row_link(row, linked)}{more}</th>\n'
            f"        {overview_table_cells(row.cells)}\n      </tr>\n      "
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every text escaped above
