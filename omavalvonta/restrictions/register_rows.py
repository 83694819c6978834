"""A unit's register of restrictive measures (restrictions/unit.html): its page's
cards written in Python in one pass, with the markup the list page's loop
(components/list_page.html with unit.html's blocks) wrote, whitespace included.
A page is twenty cards; through the template each was some forty variable
lookups, a block a field and a filter a date (issue 13)."""

from __future__ import annotations

import html
import re

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from omavalvonta.restrictions import law
from omavalvonta.restrictions.models import RecordKind

# What the cards read of a measure and its child: the measure's texts stay in the database.
PAGE_RELATED = ("placement",)
PAGE_FIELDS = ("measure", "record_kind", "started_at", "ended_at", "debrief_at", "placement__name")

# A character html.escape changes: most names and labels have none.
_SPECIAL = re.compile(r"[&<>\"']").search


def _escaped(text) -> str:
    """conditional_escape of a plain text, without its replaces when nothing needs escaping."""
    text = str(text)
    return html.escape(text) if _SPECIAL(text) else text


def _local(moment, tz) -> str:
    """`moment|date:"j.n.Y H:i"` in the current time zone."""
    local = moment.astimezone(tz)
    return f"{local.day}.{local.month}.{local.year} {local.hour:02d}:{local.minute:02d}"


def _badges() -> dict:
    # Not escaped, as {% translate %} does not escape a translation.
    return {
        law.DECISION: gettext("Decision not signed"),
        law.ACCOUNT: gettext("Account not signed"),
        "debrief": gettext("Debrief missing"),
    }


def cards_html(restrictions, *, signed: set[int]) -> str:
    """The <li> cards of a page of the register (Restriction rows with their
    placement), each between the whitespace of the list page's loop; `signed`:
    the ids of those with a signed decision or account (selectors.signed_ids)."""
    prefix = reverse("restrictions:detail", args=[0])
    assert prefix.endswith("/0/"), prefix
    prefix = prefix[:-2]
    tz = timezone.get_current_timezone()
    badges = _badges()
    kinds = {value: _escaped(label) for value, label in RecordKind.choices}
    labels: dict[tuple, tuple] = {}
    parts = []
    for r in restrictions:
        # The law's row as in force when the measure started (Restriction.rule).
        on = r.started_at.date()
        if (r.measure, on) not in labels:
            rule = law.measure(r.measure, on)
            labels[r.measure, on] = (_escaped(rule.label) if rule else _escaped(r.measure), rule)
        label, rule = labels[r.measure, on]
        kind = law.document_kind(rule, r.record_kind) if rule else None
        ended = f"–{_local(r.ended_at, tz)}" if r.ended_at else ""
        unsigned = (
            f'<span class="badge badge--moderate">{badges[kind]}</span>' if kind and r.pk not in signed else ""
        )
        debrief = f'<span class="badge badge--moderate">{badges["debrief"]}</span>' if r.debrief_at is None else ""
        parts.append(
            f'\n  <li class="card">\n    <a href="{prefix}{r.pk}/">\n'
            f'      <span class="list-cards__title">{label} – {_escaped(r.placement.name)}</span>\n'
            f'      <span class="list-cards__meta">\n        \n'
            f"        <span>{_local(r.started_at, tz)}{ended}</span>\n"
            f"        <span>{kinds.get(r.record_kind, _escaped(r.record_kind))}</span>\n"
            f"        {unsigned}\n        {debrief}\n\n"
            f"      </span>\n    </a>\n  </li>\n  "
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every text escaped above
