"""What a reporter tells about one deviation (ReportInput) and how it is checked
before `deviation_submit` files it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core import registry
from omavalvonta.core.attachments import check_attachments
from omavalvonta.deviations import rules
from omavalvonta.deviations.models import (
    Kind,
    MedicationStage,
    ViolenceTarget,
)
from omavalvonta.deviations.services._common import (
    FUTURE_TOLERANCE,
    _check_max_length,
    _clean_text,
)


@dataclass(frozen=True, kw_only=True)
class ReportInput:
    """What the reporter tells about one deviation: the input of `deviation_submit`.

    kind, occurred_at and description are required (a missing one is a TypeError
    naming it); the type-specific details of other types are dropped on submit.
    attachments: uploaded files; children: ids of the unit's placed children."""

    kind: str
    occurred_at: dt.datetime | None
    description: str
    location: str = ""
    immediate_actions: str = ""
    affected_child: bool = False
    affected_staff: bool = False
    affected_other: bool = False
    improvement_proposal: str = ""
    anonymous: bool = False
    attachments: Sequence = ()
    medication_stage: str = ""
    medication_substance: str = ""
    violence_target: str = ""
    injury: bool = False
    restraint_used: bool = False
    data_concerned: str = ""
    personal_data_breach: bool = False
    medication_harm: bool = False
    child_missing: bool = False
    reported_serious: bool = False
    children: Sequence = ()


def _checked_basics(errors: dict, report: ReportInput, unit, submitted: dt.datetime) -> dict:
    """The type, unit, time, description and place; the cleaned values."""
    if report.kind not in Kind.values:
        errors["kind"] = _("Choose the type of the report.")
    if not unit.is_active:
        errors["unit"] = _("This unit is no longer active.")
    occurred_at = report.occurred_at
    if not isinstance(occurred_at, dt.datetime):
        errors["occurred_at"] = _("Tell when it happened.")
    else:
        if timezone.is_naive(occurred_at):
            occurred_at = occurred_at.replace(tzinfo=rules.HELSINKI)
        if occurred_at > submitted + FUTURE_TOLERANCE:
            errors["occurred_at"] = _("The time cannot be in the future.")
    description = _clean_text(report.description)
    if not description:
        errors["description"] = _("Describe what happened.")
    location = _clean_text(report.location)
    _check_max_length(errors, "location", location, 200)
    return {"occurred_at": occurred_at, "description": description, "location": location}


def _checked_medication(errors: dict, report: ReportInput) -> dict:
    stage, substance = _clean_text(report.medication_stage), _clean_text(report.medication_substance)
    if report.kind != Kind.MEDICATION:
        return {"medication_stage": "", "medication_substance": "", "medication_harm": False}
    if not stage:
        errors["medication_stage"] = _("Choose the stage of the medication process.")
    elif stage not in MedicationStage.values:
        errors["medication_stage"] = _("Choose one of the listed stages.")
    _check_max_length(errors, "medication_substance", substance, 200)
    return {"medication_stage": stage, "medication_substance": substance}


def _checked_violence(errors: dict, report: ReportInput) -> dict:
    target = _clean_text(report.violence_target)
    if report.kind != Kind.THREAT_OR_VIOLENCE:
        return {"violence_target": "", "injury": False, "restraint_used": False}
    if not target:
        errors["violence_target"] = _("Choose at whom the threat or violence was directed.")
    elif target not in ViolenceTarget.values:
        errors["violence_target"] = _("Choose one of the listed targets.")
    return {"violence_target": target}


def _checked_data_protection(errors: dict, report: ReportInput) -> dict:
    concerned = _clean_text(report.data_concerned)
    if report.kind != Kind.DATA_PROTECTION:
        return {"data_concerned": "", "personal_data_breach": False}
    _check_max_length(errors, "data_concerned", concerned, 300)
    return {"data_concerned": concerned}


def _checked_children(errors: dict, report: ReportInput) -> dict:
    children = [c for c in (report.children or ()) if c not in ("", None)]
    if children and report.anonymous:
        errors["children"] = _(
            "An anonymous report does not name a child. Leave the children out, or report in your own name."
        )
    elif children and registry.first(registry.CHILDREN_NAME) is None:
        errors["children"] = _("Children cannot be named on reports here.")
    return {"children": children, "affected_child": bool(report.affected_child or children)}


def _validated(report: ReportInput, unit, submitted: dt.datetime) -> tuple[ReportInput, list]:
    """The report cleaned (type-specific details of other types dropped) and its
    accepted files; a ValidationError naming every field at fault."""
    errors: dict[str, object] = {}
    cleaned = {
        **_checked_basics(errors, report, unit, submitted),
        **_checked_medication(errors, report),
        **_checked_violence(errors, report),
        **_checked_data_protection(errors, report),
        **_checked_children(errors, report),
    }
    accepted_files, file_problems = check_attachments(report.attachments)
    if file_problems:
        errors["attachments"] = file_problems
    if errors:
        raise ValidationError(errors)
    return replace(report, **cleaned), accepted_files
