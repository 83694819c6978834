"""Optimistic concurrency: the edit forms of shared records never overwrite each
other unseen.

Two people may open the same record's form at the same time. The record counts
its saves in `edit_version` (`core.models.EditVersioned`); each edit form carries
the version it was opened at in a hidden field (`core.forms.EditVersionField`).
The service claims the edit inside its transaction with

    edit_version_claim(record, expected=expected_version)

one conditional UPDATE that moves the version on only while it is still the one
the form was opened at (PostgreSQL makes a concurrent claim wait for the first
transaction and then find the version moved; SQLite runs one writer at a time).
The later of two saves is refused with `EditConflict`: nothing is written, and
`core.forms.add_service_errors` shows the form again with the person's own text,
the stored values beside it, and the new version in the hidden field, so that
saving once more is a deliberate choice made after seeing the other change.

Services that change the record without a form (state changes by people) call
`edit_version_claim(record)` without `expected`: the version moves on all the
same, so a form opened before them is checked against what they wrote.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from omavalvonta.core.selectors import audit_events_for


class EditConflict(ValidationError):
    """The record was saved by someone else after the form was opened.
    `current` is the stored record; `changed_by` and `changed_at` say who saved
    it last and when, where the record or its audit trail tells."""

    def __init__(self, *, current, changed_by=None, changed_at=None):
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__(
            _(
                "Someone else saved this after you opened the form, so your changes were NOT saved. "
                "Your text is still in the form: compare it with the saved version shown here, "
                "then save again to replace the saved version with yours."
            ),
            code="edit_conflict",
        )


def edit_version_claim(record, *, expected: int | None = None, audit_target=None) -> None:
    """Claim the right to write `record` in the current transaction.

    `expected` is the version the edit form was opened at: a record saved since
    then raises EditConflict (0: the form was opened before the record existed,
    so any existing record was made by someone else meanwhile). Without `expected` (a change made without a form,
    or a caller that has no form) the version simply moves on. `record.edit_version`
    is set to the new version. `audit_target` is the record whose audit trail
    tells who saved last, when that is not `record` itself."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("edit_version_claim() must run inside the service's transaction.")
    rows = type(record)._default_manager.filter(pk=record.pk)
    if expected is None:
        rows.update(edit_version=F("edit_version") + 1)
        record.edit_version = rows.values_list("edit_version", flat=True).get()
        return
    if rows.filter(edit_version=expected).update(edit_version=expected + 1):
        record.edit_version = expected + 1
        return
    current = rows.get()
    changed_by, changed_at = _last_change(current, audit_target or current)
    raise EditConflict(current=current, changed_by=changed_by, changed_at=changed_at)


def _last_change(current, audit_target):
    """(who, when) of the latest save: the record's own `updated_by`/`updated_at`
    where it keeps them, else its latest audit event."""
    by = getattr(current, "updated_by", None) if hasattr(current, "updated_by_id") else None
    at = getattr(current, "updated_at", None)
    if by is not None:
        return by, at
    event = audit_events_for(audit_target).last()
    if event is None:
        return None, at
    return event.actor, event.at
