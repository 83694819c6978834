"""The rows of a child's measure pages: each measurement with its answers and
each goal with its items, read as values and written once (the child's page,
the measurements page and the goals' print page show them)."""

from __future__ import annotations

from django.db.models import Exists
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from omavalvonta.outcomes.models import FollowUp, Goal, Measurement, MeasurementStatus, UnitPractice


def _language() -> str:
    """The language whose texts a page shows ("fi" when the model has none other)."""
    language = (translation.get_language() or "fi")[:2]
    return language if language in ("sv", "en") else "fi"


def _in_language(row: dict, stem: str, language: str) -> str:
    """models._in_language for a row of values: Finnish when the language's text is empty."""
    return (row[f"{stem}_{language}"] if language != "fi" else "") or row[f"{stem}_fi"]


class MeasurementRow:
    """A measurement as the child's pages show it, with its answers as
    (domain, label, order, child's score, worker's score) in the items' order:
    plain values, read in one query (`measurement_rows`)."""

    __slots__ = ("pk", "measured_on", "status", "reason", "recorded_by", "answers")

    def __init__(self, pk, measured_on, status, reason, recorded_by):
        self.pk, self.measured_on, self.status, self.reason = pk, measured_on, status, reason
        self.recorded_by = recorded_by  # who recorded it (name, else e-mail), or None
        self.answers = []

    @property
    def is_done(self) -> bool:
        return self.status == MeasurementStatus.DONE

    @property
    def date_text(self) -> str:
        return _date_text(self.measured_on)

    @property
    def status_label(self) -> str:
        return str(_STATUS_LABELS.get(self.status, self.status))


_STATUS_LABELS = dict(MeasurementStatus.choices)


def _date_text(day) -> str:
    """A date as the pages write it (the template filter date:"j.n.Y")."""
    return f"{day.day}.{day.month}.{day.year}"


def measurement_rows(placement, *, sessions_unit_id=None) -> tuple[list[MeasurementRow], bool | None]:
    """The child's measurements, oldest first, each with its answers: one query
    (the answers joined, as values: no model instances). With `sessions_unit_id`
    the same query also says whether that unit uses session checks (None when the
    child has no measurement to carry the answer)."""
    language = _language()
    labels = ["answers__item__domain_fi"] + ([f"answers__item__domain_{language}"] if language != "fi" else [])
    qs = Measurement.objects.filter(placement=placement)
    fields = [
        "pk", "measured_on", "status", "reason", "recorded_by__full_name", "recorded_by__email",
        "answers__item__domain", "answers__item__order", "answers__child_score", "answers__worker_score", *labels,
    ]
    if sessions_unit_id is not None:
        qs = qs.annotate(sessions_in_use=Exists(UnitPractice.objects.filter(unit_id=sessions_unit_id, session_checks=True)))
        fields.append("sessions_in_use")
    rows: list[MeasurementRow] = []
    in_use = None
    current = None
    for row in qs.order_by("measured_on", "pk", "answers__item__order", "answers__pk").values(*fields):
        if current is None or current.pk != row["pk"]:
            current = MeasurementRow(
                row["pk"], row["measured_on"], row["status"], row["reason"],
                row["recorded_by__full_name"] or row["recorded_by__email"] or None,
            )
            rows.append(current)
            in_use = row.get("sessions_in_use")
        if row["answers__item__domain"] is not None:
            current.answers.append((
                row["answers__item__domain"],
                _in_language(row, "answers__item__domain", language),
                row["answers__item__order"],
                row["answers__child_score"],
                row["answers__worker_score"],
            ))
    return rows, in_use


class GoalRow:
    """A goal as the child's pages and the report show it: plain values (`goals_of`)."""

    __slots__ = ("text", "domain_label", "agreed_on", "follow_up", "follow_up_label", "followed_up_on", "item_html")

    def __init__(self, text, domain_label, agreed_on, follow_up, follow_up_label, followed_up_on, item_html):
        self.text, self.domain_label, self.agreed_on = text, domain_label, agreed_on
        self.follow_up, self.follow_up_label, self.followed_up_on = follow_up, follow_up_label, followed_up_on
        self.item_html = item_html  # the goal in outcomes/_goals_list.html


_FOLLOW_UP_BADGES = {FollowUp.ACHIEVED: "badge--closed", FollowUp.PROGRESSING: "badge--in_handling"}
_GOAL_ITEM = """
  <li class="card">
    <span class="list-cards__title">”{text}”</span>
    <span class="list-cards__meta"><span>{domain}</span>
      <span>{agreed}</span>
      <span class="badge {badge}">{badge_text}</span>
    </span>
  </li>
  """


def goals_of(placement) -> list[GoalRow]:
    """The child's goals, the latest measurement's first: one query of values,
    each goal's item of the list of goals written once (a template loop of
    twenty goals took a tenth of the child's page's time)."""
    language = _language()
    labels = ["item__domain_fi"] + ([f"item__domain_{language}"] if language != "fi" else [])
    follow_up_labels = {value: str(label) for value, label in FollowUp.choices}
    agreed, pending = _("agreed %(date)s"), _("Followed up at the next measurement")
    rows = []
    for row in (
        Goal.objects.filter(placement=placement)
        .order_by("-measurement__measured_on", "pk")
        .values("text", "measurement__measured_on", "follow_up", "followed_up_in__measured_on", *labels)
    ):
        follow_up, agreed_on = row["follow_up"], row["measurement__measured_on"]
        follow_up_label = follow_up_labels.get(follow_up, follow_up) if follow_up else ""
        domain = _in_language(row, "item__domain", language)
        item_html = mark_safe(_GOAL_ITEM.format(
            text=escape(row["text"]),
            domain=escape(domain),
            agreed=agreed % {"date": _date_text(agreed_on)},  # as {% blocktranslate %}: the date, digits, is the only value
            badge=_FOLLOW_UP_BADGES.get(follow_up, "badge--warning") if follow_up else "badge--neutral",
            badge_text=escape(follow_up_label or pending),
        ))
        rows.append(GoalRow(
            row["text"], domain, agreed_on, follow_up, follow_up_label, row["followed_up_in__measured_on"], item_html
        ))
    return rows
