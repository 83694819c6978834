"""Feedback-informed sessions (palautetietoinen työskentely): a very short check
at a meeting with the child, in the product's own words (no licensed
instrument's text), plotted session by session, with an "off track" flag when
the child's own view of how things are falls or stays flat, or the meeting did
not feel right, so the worker changes course. Optional per unit
(UnitPractice.session_checks). The rule is a pure function, tested without a
database; docs/outcomes-effectiveness.md gives the thresholds."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# (code, the child's question): four on how things are, four on how the meeting felt.
LIFE = [
    ("life_me", _("How I have been")),
    ("life_close", _("Things with the people close to me")),
    ("life_daily", _("School, work or everyday life")),
    ("life_whole", _("My life as a whole")),
]
MEETING = [
    ("meet_heard", _("I was listened to and understood")),
    ("meet_topics", _("We talked about things that matter to me")),
    ("meet_way", _("The way we worked suited me")),
    ("meet_whole", _("This meeting as a whole")),
]
QUESTIONS = LIFE + MEETING
CODES = [code for code, _text in QUESTIONS]
TOTAL_MAX = 40  # four questions of 0-10

# Off track: the life total fell by FALL points or more over the last three
# checks; or it stayed within FLAT_SPREAD points over FLAT_SESSIONS checks
# while under GOOD; or the latest meeting total is under MEETING_LOW.
FALL = 3
FLAT_SESSIONS = 4
FLAT_SPREAD = 2
GOOD = 30
MEETING_LOW = 30

FALLING, FLAT, MEETING_FELT = "falling", "flat", "meeting"
REASONS = {
    FALLING: _("The child's own view of how things are has fallen over the last meetings."),
    FLAT: _("The child's own view of how things are has stayed the same for several meetings."),
    MEETING_FELT: _("The last meeting did not feel right to the child: talk about how you work together."),
}


def life_total(scores: dict) -> int:
    return sum(int(scores.get(code) or 0) for code, _t in LIFE)


def meeting_total(scores: dict) -> int:
    return sum(int(scores.get(code) or 0) for code, _t in MEETING)


def off_track(life: list[int], meeting: list[int]) -> list[str]:
    """The reasons the work is off track (empty: on track), from the totals of
    the checks, oldest first."""
    reasons = []
    if len(life) >= 3 and life[-1] <= life[-3] - FALL:
        reasons.append(FALLING)
    elif len(life) >= FLAT_SESSIONS:
        window = life[-FLAT_SESSIONS:]
        if max(window) - min(window) <= FLAT_SPREAD and life[-1] < GOOD:
            reasons.append(FLAT)
    if meeting and meeting[-1] < MEETING_LOW:
        reasons.append(MEETING_FELT)
    return reasons


@dataclass(frozen=True)
class Plot:
    width: int
    height: int
    life_points: str
    meeting_points: str
    dots: list  # (x, y, kind, total)
    gridlines: list  # (y, label)
    ticks: list  # (x, label, anchor)
    summary_life: str
    summary_meeting: str


W, H, LEFT, RIGHT, TOP, BOTTOM = 320, 150, 26, 12, 10, 24


def plot(checks) -> Plot | None:
    """Session by session: the life and the meeting totals (0-40) as an inline
    SVG's points; None before the first check."""
    if not checks:
        return None
    n = len(checks)
    inner_w, inner_h = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(i):
        return round(LEFT + (inner_w * i / (n - 1) if n > 1 else inner_w / 2), 1)

    def y(total):
        return round(TOP + inner_h * (1 - total / TOTAL_MAX), 1)

    life = [life_total(c.scores) for c in checks]
    meeting = [meeting_total(c.scores) for c in checks]
    step = max(1, (n + 5) // 6)
    return Plot(
        width=W,
        height=H,
        life_points=" ".join(f"{x(i)},{y(t)}" for i, t in enumerate(life)),
        meeting_points=" ".join(f"{x(i)},{y(t)}" for i, t in enumerate(meeting)),
        dots=[(x(i), y(t), "life", t) for i, t in enumerate(life)] + [(x(i), y(t), "meeting", t) for i, t in enumerate(meeting)],
        gridlines=[(y(t), str(t)) for t in (0, 20, 40)],
        ticks=[
            (x(i), c.checked_on.strftime("%-d.%-m."), "middle" if n == 1 else "start" if i == 0 else "end" if i == n - 1 else "middle")
            for i, c in enumerate(checks)
            if i % step == 0 or i == n - 1
        ],
        summary_life=" → ".join(map(str, life)),
        summary_meeting=" → ".join(map(str, meeting)),
    )
