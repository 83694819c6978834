"""The trajectory charts of a child's measurements: one SVG figure a domain,
the child's and the worker's scores over time, written in one pass."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from omavalvonta.outcomes.child_rows import MeasurementRow
from omavalvonta.outcomes.models import MeasurementStatus


@dataclass(frozen=True)
class Chart:
    domain: str
    label: str
    width: int
    height: int
    child_points: str
    worker_points: str
    dots: list  # (x, y, kind, score)
    ticks: list  # (x, label, text-anchor)
    gridlines: list  # (y, label)
    summary_child: str
    summary_worker: str
    # The gridlines' and the date labels' SVG, the same on each of the charts (`_axes_svg`).
    grid_svg: str = ""
    ticks_svg: str = ""

    @property
    def marks(self) -> str:
        """The dots' SVG in one pass (hundreds on a long placement's page):
        circles for the child, squares for the worker. Numbers only: nothing to escape."""
        return mark_safe("".join(
            _CHILD_DOT.format(x=x, y=y) if kind == "child" else _WORKER_DOT.format(x=int(x) - 3, y=int(y) - 3)
            for x, y, kind, _score in self.dots
        ))


    @property
    def figure(self) -> str:
        """The chart as outcomes/_trajectory.html shows it: a figure with its
        caption and the SVG (its description for screen readers, the axes, the
        lines and the dots). The label is escaped; the rest is numbers and codes."""
        return mark_safe(_FIGURE.format(
            domain=escape(self.domain),
            label=escape(self.label),
            width=self.width,
            height=self.height,
            child=escape(_("The child")),
            worker=escape(_("The worker")),
            summary_child=escape(self.summary_child or "–"),
            summary_worker=escape(self.summary_worker or "–"),
            grid=self.grid_svg,
            ticks=self.ticks_svg,
            worker_line=_WORKER_LINE.format(points=self.worker_points) if self.worker_points else "",
            child_line=_CHILD_LINE.format(points=self.child_points) if self.child_points else "",
            marks=self.marks,
        ))


_FIGURE = """
  <figure class="trajectory__chart" data-domain="{domain}">
    <figcaption>{label}</figcaption>
    <svg viewBox="0 0 {width} {height}" role="img" aria-labelledby="tr-{domain}-d" focusable="false">
      <desc id="tr-{domain}-d">{label}. {child}: {summary_child}. {worker}: {summary_worker}.</desc>
      {grid}
      {ticks}
      {worker_line}
      {child_line}
      {marks}
    </svg>
  </figure>
  """
_WORKER_LINE = (
    '<polyline class="trajectory__line trajectory__line--worker" fill="none" stroke="#8a5a00" stroke-width="2.5" '
    'stroke-dasharray="6 4" points="{points}"/>'
)
_CHILD_LINE = (
    '<polyline class="trajectory__line trajectory__line--child" fill="none" stroke="#1f5f8b" stroke-width="2.5" '
    'points="{points}"/>'
)
_CHILD_DOT = '<circle class="trajectory__dot trajectory__dot--child" fill="#1f5f8b" cx="{x}" cy="{y}" r="4"/>'
_WORKER_DOT = '<rect class="trajectory__dot trajectory__dot--worker" fill="#8a5a00" x="{x}" y="{y}" width="7" height="7"/>'
_GRIDLINE = (
    '<line class="trajectory__grid" stroke="#d5dae1" stroke-width="1" x1="26" x2="{x2}" y1="{y}" y2="{y}"/>'
    '<text class="trajectory__axis" font-size="11" fill="#4f5b69" x="20" y="{y}" dy="4" text-anchor="end">{label}</text>'
)
_TICK = '<text class="trajectory__axis" font-size="11" fill="#4f5b69" x="{x}" y="{y}" text-anchor="{anchor}">{label}</text>'

CHART_W, CHART_H, PAD_L, PAD_R, PAD_T, PAD_B = 320, 140, 26, 12, 10, 24


@dataclass(frozen=True)
class _Axes:
    """Where the i-th of `n` measurements and a score 0-10 fall on a chart."""

    n: int

    def x(self, i: int) -> float:
        inner_w = CHART_W - PAD_L - PAD_R
        return round(PAD_L + (inner_w * (i / (self.n - 1)) if self.n > 1 else inner_w / 2), 1)

    def y(self, score) -> float:
        inner_h = CHART_H - PAD_T - PAD_B
        return round(PAD_T + inner_h * (1 - score / 10), 1)

    def anchor(self, i: int) -> str:
        if self.n == 1:
            return "middle"
        return "start" if i == 0 else "end" if i == self.n - 1 else "middle"

    def ticks(self, done) -> list[tuple]:
        step = max(1, (self.n + 4) // 5)  # at most about five date labels
        return [
            (self.x(i), m.measured_on.strftime("%-m/%y"), self.anchor(i))
            for i, m in enumerate(done) if i % step == 0 or i == self.n - 1
        ]


def _axes_svg(gridlines, ticks) -> tuple[str, str]:
    """The gridlines' and the date labels' SVG, written once for all the charts.
    Numbers and m/yy dates only: nothing to escape."""
    grid = "".join(_GRIDLINE.format(x2=CHART_W - PAD_R, y=y, label=label) for y, label in gridlines)
    labels = "".join(_TICK.format(x=x, y=CHART_H - 6, anchor=anchor, label=label) for x, label, anchor in ticks)
    return mark_safe(grid), mark_safe(labels)


def _answer_tuples(measurement) -> list[tuple]:
    """(domain, label, order, child's score, worker's score) of each answer, from
    a MeasurementRow or a Measurement with its answers and items prefetched."""
    if isinstance(measurement, MeasurementRow):
        return measurement.answers
    return [
        (a.item.domain, a.item.domain_label, a.item.order, a.child_score, a.worker_score)
        for a in measurement.answers.all()
    ]


def _domain_points(done) -> dict[str, dict]:
    """Per domain code: its label, order and {measurement index: (child, worker)}."""
    domains: dict[str, dict] = {}
    for index, m in enumerate(done):
        for domain, label, order, child, worker in _answer_tuples(m):
            d = domains.get(domain)
            if d is None:
                d = domains[domain] = {"label": label, "order": order, "points": {}}
            d["points"][index] = (child, worker)
    return domains


def trajectory(measurements: list) -> list[Chart]:
    """Each domain over time: the child's and the worker's scores at each done
    measurement, as the points of an inline SVG chart (no script). Domains are
    matched across versions by their code. `measurements`: MeasurementRows or
    Measurements with their answers."""
    done = [m for m in measurements if m.status == MeasurementStatus.DONE]
    axes = _Axes(len(done))
    x, y = axes.x, axes.y
    ticks = axes.ticks(done)
    gridlines = [(y(s), str(s)) for s in (0, 5, 10)]
    grid_svg, ticks_svg = _axes_svg(gridlines, ticks)
    charts = []
    for code, d in sorted(_domain_points(done).items(), key=lambda kv: kv[1]["order"]):
        points = sorted(d["points"].items())
        child = [(i, c) for i, (c, _w) in points if c is not None]
        worker = [(i, w) for i, (_c, w) in points if w is not None]
        charts.append(
            Chart(
                domain=code,
                label=d["label"],
                width=CHART_W,
                height=CHART_H,
                child_points=" ".join(f"{x(i)},{y(s)}" for i, s in child),
                worker_points=" ".join(f"{x(i)},{y(s)}" for i, s in worker),
                dots=[(x(i), y(s), "child", s) for i, s in child] + [(x(i), y(s), "worker", s) for i, s in worker],
                ticks=ticks,
                gridlines=gridlines,
                summary_child=" → ".join(str(s) for _i, s in child),
                summary_worker=" → ".join(str(s) for _i, s in worker),
                grid_svg=grid_svg,
                ticks_svg=ticks_svg,
            )
        )
    return charts
