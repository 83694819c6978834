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


# The overview's rows (feedback/_overview_table.html: a region lists a hundred
# units) are written here in one pass rather than through some thirty template
# lookups a cell. One table: wide screens read it as a table, phones see each row
# as a card (app.css, .fb-table), each cell with its group's label (.fb-label)
# and a group without answers with its n=0 (.fb-phone), as the cards showed them.


def _count(n) -> str:
    """n as the template would print it (no thousands separator is configured,
    so the localised form is the plain number)."""
    return formats.localize(n) if settings.USE_THOUSAND_SEPARATOR else str(n)


def _shown(cell) -> str | None:
    """`<strong>+12</strong>`: the NPS is a number (no text to escape)."""
    return f"<strong>{nps_format(cell.nps)}</strong>" if cell.nps is not None else None


def overview_cells(cells, labels) -> str:
    """A row's cells: the group's label (phones), the NPS or a dash with its
    reason, and n."""
    hidden = None
    parts = []
    for label, cell in zip(labels, cells, strict=False):
        if not cell.n:
            parts.append(f'<td>{label}<span class="muted">–</span><span class="fb-phone muted"> n=0</span></td>')
            continue
        shown = _shown(cell)
        if shown is None:
            if hidden is None:
                hidden = format_html('<span class="muted" title="{}">–</span>', gettext("Fewer than five answers: not shown"))
            shown = hidden
        parts.append(f'<td>{label}{shown} <span class="muted">n={_count(cell.n)}</span></td>')
    return "".join(parts)


@register.filter
def decimal_fi(value):
    if value is None:
        return "–"
    return f"{value:.1f}".replace(".", ",")


def _row_link(row, linked) -> str:
    name = conditional_escape(row.name)
    return f'<a href="{conditional_escape(row.url)}">{name}</a>' if linked and row.url else str(name)


@register.simple_tag
def overview_rows(rows, groups, linked, units_link):
    """The table's rows: one <tr> per row (a card on a phone)."""
    units = conditional_escape(gettext("Units"))
    labels = [f'<span class="fb-label">{conditional_escape(label)}: </span>' for label in groups]
    parts = []
    for row in rows:
        more = (
            f' <a class="muted" href="{conditional_escape(row.units_url)}">{units}</a>'
            if units_link and row.units_url
            else ""
        )
        parts.append(
            f'\n      <tr>\n        <th scope="row">{_row_link(row, linked)}{more}</th>\n'
            f"        {overview_cells(row.cells, labels)}\n      </tr>\n      "
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every text escaped above
