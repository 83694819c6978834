"""The meeting page (views.meeting_detail and every failed step on it): the agenda
items with their actions, log entries and forms, attendance and closing.

A failed step shows the page again with its bound form (the typed values and the
errors) in place of the fresh one; `PageForms` picks which."""

from __future__ import annotations

from typing import NamedTuple

from django.shortcuts import render
from django.urls import reverse

from omavalvonta.meetings import selectors
from omavalvonta.meetings.forms import (
    ActionForm,
    AttendanceForm,
    CloseForm,
    DecisionForm,
    ItemForm,
    LogEntryForm,
)
from omavalvonta.meetings.models import AgendaItemKind
from omavalvonta.organisation import access
from omavalvonta.organisation.access import P_ACTION_MANAGE, P_DEVIATION_VIEW, P_LOG_WRITE


def _source_url(actor, item, unit):
    if item.kind == AgendaItemKind.DEVIATION and item.source_id:
        if unit is not None and access.can(actor, P_DEVIATION_VIEW, unit):
            return reverse("deviations:detail", args=[item.source_id])
        # A management group item names a report in some unit: the report's own
        # page checks the actor's access (404/403) when the link is followed.
        if unit is None and access.has_perm_anywhere(actor, P_DEVIATION_VIEW):
            return reverse("deviations:detail", args=[item.source_id])
    return ""


class PageForms:
    """The page's forms: the bound form of the failed step named by `bound`
    (form name, item id or None, bound form), a fresh form everywhere else.
    (A form is never falsy: `bound or fresh` builds the fresh one only when needed.)"""

    def __init__(self, bound: tuple | None):
        self.name, self.item_id, self.form = bound or (None, None, None)

    def _bound(self, name: str, item_id=None):
        if self.name == name and self.item_id == item_id:
            return self.form
        return None

    def decision(self, item):
        initial = {"decision": item.decision, "edit_version": item.edit_version}
        return self._bound("decision", item.pk) or DecisionForm(prefix=f"d{item.pk}", initial=initial)

    def action(self, item, targets: DecisionTargets):
        return self._bound("action", item.pk) or ActionForm(
            prefix=f"a{item.pk}", people=targets.action_people, units=targets.action_units
        )

    def log(self, item, targets: DecisionTargets):
        return self._bound("log", item.pk) or LogEntryForm(
            prefix=f"l{item.pk}", initial={"observation": item.title}, units=targets.log_units
        )

    def item(self):
        return self._bound("item") or ItemForm(prefix="item")

    def attendance(self, meeting, *, participants: list, absentees: list):
        initial = {
            "participants": [p.pk for p in participants],
            "absentees": [p.pk for p in absentees],
            "guests": meeting.guests,
        }
        return self._bound("attendance") or AttendanceForm(
            prefix="attendance", people=selectors.meeting_people(meeting=meeting), initial=initial
        )

    def close(self):
        return self._bound("close") or CloseForm(prefix="close")


class DecisionTargets(NamedTuple):
    """Where the page may record an item's decisions: the units to choose from
    (None: the meeting's own unit), the owners offered, and whether actions and
    log entries can be recorded at all."""

    action_units: object
    log_units: object
    action_people: list
    can_action: bool
    can_log: bool


def _decision_targets(actor, meeting, *, editable: bool, people: list) -> DecisionTargets:
    # The management group records decisions in a unit it chooses: where the
    # actor has action.manage (actions) or log.write (log entries).
    if meeting.unit_id is None and editable:
        action_units = selectors.decision_units(actor=actor, meeting=meeting, perm=P_ACTION_MANAGE)
        log_units = selectors.decision_units(actor=actor, meeting=meeting, perm=P_LOG_WRITE)
        return DecisionTargets(
            action_units=action_units,
            log_units=log_units,
            action_people=list(selectors.decision_owner_candidates(units=action_units)),
            can_action=action_units.exists(),
            can_log=log_units.exists(),
        )
    return DecisionTargets(
        action_units=None,
        log_units=None,
        action_people=people,
        can_action=meeting.unit_id is not None,
        can_log=meeting.unit_id is not None and access.can(actor, P_LOG_WRITE, meeting.unit),
    )


def _item_forms(item, *, forms: PageForms, targets: DecisionTargets) -> dict:
    """The forms of an item on an editable page: its decision, and an action and a
    log entry where they can be recorded."""
    row = {"decision_form": forms.decision(item)}
    if targets.can_action:
        row["action_form"] = forms.action(item, targets)
    if targets.can_log:
        row["log_form"] = forms.log(item, targets)
    return row


def _item_rows(actor, meeting, *, editable: bool, forms: PageForms, targets: DecisionTargets) -> list[dict]:
    items = selectors.meeting_items(meeting=meeting)
    actions = selectors.actions_by_item(actor=actor, items=items)
    log_entries = selectors.log_entries_by_item(actor=actor, items=items)
    rows = []
    for item in items:
        row = {
            "item": item,
            "actions": actions.get(item.pk, []),
            "log_entries": log_entries.get(item.pk, []),
            "source_url": _source_url(actor, item, meeting.unit),
        }
        if editable:
            row.update(_item_forms(item, forms=forms, targets=targets))
        rows.append(row)
    return rows


def _editing_forms(meeting, *, forms: PageForms, participants: list, absentees: list) -> dict:
    """The page-wide forms of an open meeting: a new item, attendance, closing."""
    attendance_form = forms.attendance(meeting, participants=participants, absentees=absentees)
    if meeting.unit_id is None:
        # Management group minutes are not acknowledged (see services.meeting_close).
        attendance_form.fields["absentees"].help_text = ""
    return {"item_form": forms.item(), "attendance_form": attendance_form, "close_form": forms.close()}


def render_detail(request, meeting, *, bound: tuple | None = None, status=200):
    """The meeting page. `bound` = (form name, item id or None, bound form) keeps
    the typed values and errors of a failed step."""
    actor = request.user
    can_manage = selectors.can_manage(actor, meeting)
    editable = can_manage and not meeting.is_closed
    forms = PageForms(bound)
    people = list(selectors.meeting_people(meeting=meeting)) if can_manage else []
    targets = _decision_targets(actor, meeting, editable=editable, people=people)
    rows = _item_rows(actor, meeting, editable=editable, forms=forms, targets=targets)
    participants = list(meeting.participants.order_by("full_name"))
    absentees = list(meeting.absentees.order_by("full_name"))
    context = {
        "meeting": meeting,
        "can_manage": can_manage,
        "editable": editable,
        "rows": rows,
        "show_decisions": can_manage or meeting.is_closed,
        "participants": participants,
        "absentees": absentees,
        "my_acknowledgement": selectors.has_pending_for(actor=actor, meeting=meeting) if meeting.is_closed else None,
        "bound_name": forms.name,
        "is_group_meeting": meeting.unit_id is None,
    }
    if editable:
        context.update(_editing_forms(meeting, forms=forms, participants=participants, absentees=absentees))
    if meeting.is_closed and can_manage:
        context["acknowledgements"] = selectors.meeting_acknowledgements(meeting=meeting)
    return render(request, "meetings/detail.html", context, status=status)
