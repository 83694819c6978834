"""Charts as inline SVG rendered on the server: no JavaScript, readable on a
phone and in print (they scale with the page, use the text colour, and carry
a text alternative; the same figures are in a table beside them)."""

from __future__ import annotations

from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 320, 180
PAD_L, PAD_R, PAD_T, PAD_B = 34, 24, 12, 28


def _n(value: float) -> str:
    return f"{value:.1f}"


def _y(value: float) -> float:
    """NPS -100..100 to the plot's y."""
    inner = HEIGHT - PAD_T - PAD_B
    return PAD_T + inner * (100 - value) / 200


def _open(height: int, title) -> list[str]:
    title = conditional_escape(title)
    return [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{title}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{title}</title>",
    ]


# The charts' elements are written with f-strings: every value is a number or
# a fixed class name but the labels and the title, which are escaped (a page
# draws six charts of some forty elements; format_html's escaping of every
# number cost more than the rest of the chart, issue 13).


def nps_trend_svg(points: list[tuple[str, int | None, int | None]], *, title: str) -> str:
    """A line chart of NPS over periods: the unit (solid) and the comparison
    (dashed). `points`: (label, unit nps or None, comparison nps or None)."""
    n = len(points)
    inner_w = WIDTH - PAD_L - PAD_R
    xs = [PAD_L + (inner_w * i / (n - 1) if n > 1 else inner_w / 2) for i in range(n)]
    parts = _open(HEIGHT, title)
    for value in (100, 50, 0, -50, -100):
        y = _y(value)
        zero = " chart__grid--zero" if value == 0 else ""
        parts.append(
            f'<line x1="{PAD_L}" y1="{_n(y)}" x2="{WIDTH - PAD_R}" y2="{_n(y)}" class="chart__grid{zero}"/>'
            f'<text x="{PAD_L - 4}" y="{_n(y + 3)}" class="chart__axis" text-anchor="end">{value}</text>'
        )
    for x, (label, _u, _c) in zip(xs, points, strict=True):
        parts.append(f'<text x="{_n(x)}" y="{HEIGHT - 8}" class="chart__axis" text-anchor="middle">{conditional_escape(label)}</text>')
    for index, css in ((2, "chart__line chart__line--comparison"), (1, "chart__line")):
        segment = []
        for x, point in zip(xs, points, strict=True):
            value = point[index]
            if value is None:
                if len(segment) > 1:
                    parts.append(f'<polyline class="{css}" points="{" ".join(segment)}"/>')
                segment = []
                continue
            segment.append(f"{x:.1f},{_y(value):.1f}")
            if index == 1:
                parts.append(f'<circle class="chart__dot" cx="{_n(x)}" cy="{_n(_y(value))}" r="3"/>')
        if len(segment) > 1:
            parts.append(f'<polyline class="{css}" points="{" ".join(segment)}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- numbers, fixed names and the escaped texts


def item_bars_svg(items: list[tuple[str, float | None, float | None]], *, title: str) -> str:
    """Horizontal bars of item averages 1–5: the unit (filled) and the comparison
    (a tick). Items without a figure (small group) are left out."""
    rows = [(label, unit, comp) for label, unit, comp in items if unit is not None]
    if not rows:
        return ""
    row_h, label_h = 34, 14
    height = len(rows) * row_h + 6
    bar_w = WIDTH - 40
    parts = _open(height, title)
    for i, (label, unit, comp) in enumerate(rows):
        top = i * row_h + 2
        short = conditional_escape(label if len(label) <= 52 else label[:50] + "…")
        parts.append(f'<text x="0" y="{top + 11}" class="chart__label">{short}</text>')
        parts.append(f'<rect x="0" y="{top + label_h}" width="{bar_w}" height="12" class="chart__track"/>')
        parts.append(f'<rect x="0" y="{top + label_h}" width="{_n(bar_w * unit / 5)}" height="12" class="chart__bar"/>')
        if comp is not None:
            x = _n(bar_w * comp / 5)
            parts.append(f'<line x1="{x}" y1="{top + label_h - 2}" x2="{x}" y2="{top + label_h + 14}" class="chart__tick"/>')
        value = f"{unit:.1f}".replace(".", ",")
        parts.append(f'<text x="{bar_w + 4}" y="{top + label_h + 10}" class="chart__value">{value}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- numbers, fixed names and the escaped texts


def legend_text() -> str:
    return escape(_("Solid line: the unit. Dashed line: the whole organisation."))
