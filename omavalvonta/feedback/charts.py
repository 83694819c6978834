"""Charts as inline SVG rendered on the server: no JavaScript, readable on a
phone and in print (they scale with the page, use the text colour, and carry
a text alternative; the same figures are in a table beside them)."""

from __future__ import annotations

from django.utils.html import escape, format_html
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


def nps_trend_svg(points: list[tuple[str, int | None, int | None]], *, title: str) -> str:
    """A line chart of NPS over periods: the unit (solid) and the comparison
    (dashed). `points`: (label, unit nps or None, comparison nps or None)."""
    n = len(points)
    inner_w = WIDTH - PAD_L - PAD_R
    xs = [PAD_L + (inner_w * i / (n - 1) if n > 1 else inner_w / 2) for i in range(n)]
    parts = [
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">',
            WIDTH,
            HEIGHT,
            title,
        ),
        format_html("<title>{}</title>", title),
    ]
    for value in (100, 50, 0, -50, -100):
        y = _y(value)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart__grid{}"/>'
                '<text x="{}" y="{}" class="chart__axis" text-anchor="end">{}</text>',
                PAD_L,
                _n(y),
                WIDTH - PAD_R,
                _n(y),
                " chart__grid--zero" if value == 0 else "",
                PAD_L - 4,
                _n(y + 3),
                value,
            )
        )
    for x, (label, _u, _c) in zip(xs, points, strict=True):
        parts.append(
            format_html('<text x="{}" y="{}" class="chart__axis" text-anchor="middle">{}</text>', _n(x), HEIGHT - 8, label)
        )
    for index, css in ((2, "chart__line chart__line--comparison"), (1, "chart__line")):
        segment = []
        for x, point in zip(xs, points, strict=True):
            value = point[index]
            if value is None:
                if len(segment) > 1:
                    parts.append(format_html('<polyline class="{}" points="{}"/>', css, " ".join(segment)))
                segment = []
                continue
            segment.append(f"{x:.1f},{_y(value):.1f}")
            if index == 1:
                parts.append(format_html('<circle class="chart__dot" cx="{}" cy="{}" r="3"/>', _n(x), _n(_y(value))))
        if len(segment) > 1:
            parts.append(format_html('<polyline class="{}" points="{}"/>', css, " ".join(segment)))
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


def item_bars_svg(items: list[tuple[str, float | None, float | None]], *, title: str) -> str:
    """Horizontal bars of item averages 1–5: the unit (filled) and the comparison
    (a tick). Items without a figure (small group) are left out."""
    rows = [(label, unit, comp) for label, unit, comp in items if unit is not None]
    if not rows:
        return ""
    row_h, label_h = 34, 14
    height = len(rows) * row_h + 6
    bar_w = WIDTH - 40
    parts = [
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">',
            WIDTH,
            height,
            title,
        ),
        format_html("<title>{}</title>", title),
    ]
    for i, (label, unit, comp) in enumerate(rows):
        top = i * row_h + 2
        short = label if len(label) <= 52 else label[:50] + "…"
        parts.append(format_html('<text x="0" y="{}" class="chart__label">{}</text>', top + 11, short))
        parts.append(format_html('<rect x="0" y="{}" width="{}" height="12" class="chart__track"/>', top + label_h, bar_w))
        parts.append(
            format_html(
                '<rect x="0" y="{}" width="{}" height="12" class="chart__bar"/>', top + label_h, _n(bar_w * unit / 5)
            )
        )
        if comp is not None:
            x = bar_w * comp / 5
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart__tick"/>', _n(x), top + label_h - 2, _n(x), top + label_h + 14
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="chart__value">{}</text>', bar_w + 4, top + label_h + 10, f"{unit:.1f}".replace(".", ",")
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


def legend_text() -> str:
    return escape(_("Solid line: the unit. Dashed line: the whole organisation."))
