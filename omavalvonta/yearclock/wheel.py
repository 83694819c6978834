"""Geometry of the year wheel (vuosikello): twelve month sectors on a circle,
January at the top, clockwise, each duty a dot in its month's sector. Pure
arithmetic, computed in Python so the template only draws; the page's list is
the same information for screen readers and narrow screens."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

SIZE = 400
CENTRE = SIZE / 2
OUTER = 190
INNER = 62
LABEL_R = 162
DOT_OUTER = 145
DOT_INNER = 80


def _point(radius: float, degrees: float) -> tuple[float, float]:
    rad = math.radians(degrees - 90)  # 0 degrees = 12 o'clock
    return round(CENTRE + radius * math.cos(rad), 1), round(CENTRE + radius * math.sin(rad), 1)


@dataclass
class Sector:
    month: int
    path: str
    label_x: float
    label_y: float
    label: str
    full_label: str
    dots: list
    is_current: bool
    count: int


@dataclass
class Dot:
    x: float
    y: float
    state: str  # "done", "late", "open"
    title: str
    occurrence: object


def _sector_path(start: float, end: float) -> str:
    x1, y1 = _point(OUTER, start)
    x2, y2 = _point(OUTER, end)
    x3, y3 = _point(INNER, end)
    x4, y4 = _point(INNER, start)
    return f"M{x1} {y1} A{OUTER} {OUTER} 0 0 1 {x2} {y2} L{x3} {y3} A{INNER} {INNER} 0 0 0 {x4} {y4} Z"


def dot_state(occurrence, today: dt.date) -> str:
    if occurrence.is_done:
        return "done"
    return "late" if occurrence.due_date < today else "open"


def short_label(name: str) -> str:
    """A month's label on the wheel: Finnish names without "-kuu" (tammi,
    helmi...), other languages' first three letters."""
    return name[:-3] if name.lower().endswith("kuu") else name[:3]


def build(months, month_labels, *, today: dt.date, year: int) -> dict:
    """Sectors with their dots for `months` (MonthSlice list of the selectors)."""
    sectors = []
    for slice_ in months:
        start = (slice_.month - 1) * 30
        lx, ly = _point(LABEL_R, start + 15)
        dots = []
        items = slice_.items
        # Dots on rows across the sector: up to four per row, rows inward.
        per_row = 4
        rows = max(1, math.ceil(len(items) / per_row))
        for i, occurrence in enumerate(items):
            row, col = divmod(i, per_row)
            in_row = min(per_row, len(items) - row * per_row)
            radius = DOT_OUTER - row * ((DOT_OUTER - DOT_INNER) / max(rows, 1)) if rows > 1 else (DOT_OUTER + DOT_INNER) / 2 + 10
            angle = start + 30 * (col + 1) / (in_row + 1)
            x, y = _point(radius, angle)
            state = dot_state(occurrence, today)
            dots.append(Dot(x=x, y=y, state=state, title=occurrence.template.title, occurrence=occurrence))
        sectors.append(
            Sector(
                month=slice_.month,
                path=_sector_path(start, start + 30),
                label_x=lx,
                label_y=ly,
                label=short_label(month_labels[slice_.month - 1]),
                full_label=month_labels[slice_.month - 1],
                dots=dots,
                is_current=(today.year == year and today.month == slice_.month),
                count=len(items),
            )
        )
    hand = None
    if today.year == year:
        day_of_year = (today - dt.date(year, 1, 1)).days
        days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
        angle = 360 * day_of_year / days
        sx, sy = _point(INNER, angle)
        hx, hy = _point(OUTER + 4, angle)
        hand = {"x1": sx, "y1": sy, "x": hx, "y": hy}
    return {"sectors": sectors, "hand": hand, "size": SIZE, "centre": CENTRE, "inner": INNER}
