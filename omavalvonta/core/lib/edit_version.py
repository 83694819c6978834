"""A form opened at a record's edit version (core.forms.EditVersionField) and the
service that saves it with that version (core.concurrency.edit_version_claim)."""

from __future__ import annotations


def with_expected_version(data) -> dict:
    """A form's cleaned data as the service's keywords: the version the form was
    opened at (`edit_version`) passed as `expected_version`, the rest as it is.
    `services.x(actor=actor, record=record, **with_expected_version(data))`."""
    fields = dict(data)
    expected = fields.pop("edit_version")
    return {**fields, "expected_version": expected}
