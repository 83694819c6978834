"""Writes of the quality calendar: obligation templates, generating each unit's
occurrences and completing them with evidence (the reminder and escalation job is
yearclock.reminders).

Keyword-only, `actor` first, atomic, audited; notifications only through the
outbox (`notification_enqueue`) in the same transaction as their claim row."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core import rhythm
from omavalvonta.core.attachments import check_attachments
from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.services import audit_event_record
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Role, Unit
from omavalvonta.yearclock import evidence
from omavalvonta.yearclock.models import (
    MID_MONTH_DAY,
    ObligationKind,
    ObligationTemplate,
    Occurrence,
    OccurrenceState,
    OwnerRole,
    Recurrence,
    UnitScope,
    month_end,
)
from omavalvonta.yearclock.template_checks import TEXT_MAX, clean_template

HORIZON_MONTHS = 12  # occurrences are kept generated this far ahead
JOB_BATCH = 500


# --- Templates -------------------------------------------------------------------------------


def _require_template_editor(actor) -> None:
    if not access.has_perm_anywhere(actor, access.P_OBLIGATION_TEMPLATE_EDIT):
        raise PermissionDenied(access.P_OBLIGATION_TEMPLATE_EDIT)


@transaction.atomic
def obligation_template_save(
    *, actor, template: ObligationTemplate | None = None, expected_version: int | None = None, **data
) -> ObligationTemplate:
    """Create (template None) or change a group-level duty. Future open
    occurrences that no longer fit its schedule or units are removed, and the
    missing ones generated: the calendar follows the template at once.
    `expected_version`: the edit version the form was opened at; a newer save
    refuses this one (EditConflict)."""
    _require_template_editor(actor)
    cleaned = clean_template(data)
    units = cleaned.pop("_units")
    creating = template is None
    if creating:
        template = ObligationTemplate(created_by=actor)
    else:
        edit_version_claim(template, expected=expected_version)
    for field, value in cleaned.items():
        setattr(template, field, value)
    template.updated_at = timezone.now()
    template.save()
    template.units.set(units)
    removed = _prune_future(template)
    created = occurrences_generate(templates=[template])
    audit_event_record(
        actor=actor,
        verb="obligation_template.created" if creating else "obligation_template.changed",
        target=template,
        title=template.title,
        occurrences_created=created,
        occurrences_removed=removed,
    )
    return template


def _prune_future(template: ObligationTemplate, today: dt.date | None = None) -> int:
    """Remove open, untouched future occurrences the template no longer asks for."""
    today = today or timezone.localdate()
    future = Occurrence.objects.filter(template=template, state=OccurrenceState.OPEN, due_date__gte=today)
    if not template.is_active:
        return future.delete()[0]
    keep_units = set(_applicable_units(template).values_list("pk", flat=True))
    stale = [
        o.pk
        for o in future.only("pk", "unit_id", "due_date")
        if o.unit_id not in keep_units or o.due_date not in template.due_dates_in(o.due_date.year, o.due_date.month)
    ]
    if not stale:
        return 0
    return Occurrence.objects.filter(pk__in=stale).delete()[0]


# The months in which each period of the units' year ends (core.rhythm): the
# plan reviews and action-plan follow-ups fall there, before the group's review.
PERIOD_ENDS = "period_ends"

DEFAULT_TEMPLATES = [
    # (kind, recurrence, start month, interval, months, owner role)
    (ObligationKind.RISK_ASSESSMENT, Recurrence.YEARLY, 3, 12, [], OwnerRole.SUPERVISOR),
    (ObligationKind.SELF_ASSESSMENT, Recurrence.YEARLY, 10, 12, [], OwnerRole.SUPERVISOR),
    (ObligationKind.INTERNAL_AUDIT, Recurrence.YEARLY, 5, 12, [], OwnerRole.RESPONSIBLE_PERSON),
    (ObligationKind.EXTERNAL_AUDIT, Recurrence.YEARLY, 9, 12, [], OwnerRole.RESPONSIBLE_PERSON),
    (ObligationKind.PLAN_REVIEW, Recurrence.SPECIFIC_MONTHS, 1, 12, PERIOD_ENDS, OwnerRole.SUPERVISOR),
    (ObligationKind.FEEDBACK_ROUND, Recurrence.EVERY_N_MONTHS, 3, 3, [], OwnerRole.SUPERVISOR),
    (ObligationKind.SAFETY_DRILL, Recurrence.SPECIFIC_MONTHS, 1, 12, [5, 11], OwnerRole.SUPERVISOR),
    (ObligationKind.CONTINUITY_REVIEW, Recurrence.YEARLY, 11, 12, [], OwnerRole.SUPERVISOR),
    (ObligationKind.ACTION_PLAN_FOLLOW_UP, Recurrence.SPECIFIC_MONTHS, 1, 12, PERIOD_ENDS, OwnerRole.SUPERVISOR),
    # The supervisor reviews the unit's deviations and actions with their own
    # manager twice a month; a supervisor's-review meeting fulfils it.
    (ObligationKind.SUPERVISOR_REVIEW, Recurrence.TWICE_A_MONTH, 1, 12, [], OwnerRole.SUPERVISOR),
]


@transaction.atomic
def obligation_templates_install_defaults(*, actor) -> list[ObligationTemplate]:
    """The duties every unit of the group has (the issue's list), for all units,
    each kind only when the group has no template of that kind yet."""
    _require_template_editor(actor)
    existing = set(ObligationTemplate.objects.values_list("kind", flat=True))
    made = []
    for kind, recurrence, start, interval, months, owner in DEFAULT_TEMPLATES:
        if kind in existing:
            continue
        made.append(
            obligation_template_save(
                actor=actor,
                title=str(ObligationKind(kind).label),
                kind=kind,
                recurrence=recurrence,
                start_month=start,
                interval_months=interval,
                months=rhythm.period_end_months() if months == PERIOD_ENDS else months,
                owner_role=owner,
                remind_days_before=14,
                unit_scope=UnitScope.ALL,
            )
        )
    return made


# --- Occurrences -----------------------------------------------------------------------------


def _applicable_units(template: ObligationTemplate):
    units = Unit.objects.filter(is_active=True)
    if template.unit_scope == UnitScope.SERVICE_TYPE:
        return units.filter(service_type__in=template.service_types or [])
    if template.unit_scope == UnitScope.CHOSEN:
        return units.filter(pk__in=template.units.values("pk"))
    return units


def _due_dates(template: ObligationTemplate, today: dt.date) -> list[dt.date]:
    """Due dates (month ends) from this month through HORIZON_MONTHS ahead."""
    dates = []
    year, month = today.year, today.month
    for _step in range(HORIZON_MONTHS):
        dates.extend(d for d in template.due_dates_in(year, month) if d >= today)
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return dates


class OwnerResolver:
    """Resolves an owner role to a person per unit with one query for all units."""

    # Who stands in when a unit has nobody in the role.
    FALLBACK = {
        OwnerRole.SUPERVISOR: (Role.SUPERVISOR, Role.RESPONSIBLE_PERSON),
        OwnerRole.RESPONSIBLE_PERSON: (Role.RESPONSIBLE_PERSON, Role.SUPERVISOR),
        OwnerRole.REGIONAL_DIRECTOR: (Role.REGIONAL_DIRECTOR,),
    }

    def __init__(self):
        self._by_unit: dict[tuple[int, str], int] = {}
        self._by_region: dict[tuple[int, str], int] = {}
        rows = (
            access_people.memberships_of([Role.SUPERVISOR, Role.RESPONSIBLE_PERSON, Role.REGIONAL_DIRECTOR])
            .order_by("-user__full_name", "-user_id")  # the first by name wins below
            .values_list("role", "unit_id", "region_id", "user_id")
        )
        for role, unit_id, region_id, user_id in rows:
            if unit_id:
                self._by_unit[(unit_id, role)] = user_id
            elif region_id:
                self._by_region[(region_id, role)] = user_id

    def owner_id(self, owner_role: str, unit: Unit) -> int | None:
        for role in self.FALLBACK.get(owner_role, ()):
            user_id = self._by_unit.get((unit.pk, role)) or self._by_region.get((unit.region_id, role))
            if user_id:
                return user_id
        return None


def occurrences_generate(*, now: dt.datetime | None = None, templates=None) -> int:
    """Make sure every active unit has its occurrences of every active template
    for the coming HORIZON_MONTHS (the periodic job runs this, so a new unit gets
    its duties within hours; saving a template runs it for that template). Open
    occurrences without an owner get one when somebody now holds the role.
    Idempotent (a unique constraint, conflicts ignored). Returns how many new."""
    today = timezone.localdate(now)
    if templates is None:
        templates = list(ObligationTemplate.objects.filter(is_active=True).prefetch_related("units"))
    templates = [t for t in templates if t.is_active]
    if not templates:
        return 0
    resolver = OwnerResolver()
    existing = set(
        Occurrence.objects.filter(template__in=templates, due_date__gte=today).values_list(
            "template_id", "unit_id", "due_date"
        )
    )
    new = []
    for template in templates:
        dates = _due_dates(template, today)
        for unit in _applicable_units(template).only("pk", "region_id"):
            owner_id = resolver.owner_id(template.owner_role, unit)
            for due in dates:
                if (template.pk, unit.pk, due) not in existing:
                    new.append(Occurrence(template=template, unit=unit, due_date=due, owner_id=owner_id))
    Occurrence.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    # Owners follow the role: open duties move to whoever holds the role now (a
    # new supervisor takes over; a duty made when nobody held it gets an owner).
    open_rows = Occurrence.objects.filter(template__in=templates, state=OccurrenceState.OPEN)
    pairs = set(open_rows.values_list("template__owner_role", "unit_id").distinct())
    units = {u.pk: u for u in Unit.objects.filter(pk__in={unit_id for _role, unit_id in pairs}).only("pk", "region_id")}
    for owner_role, unit_id in pairs:
        owner_id = resolver.owner_id(owner_role, units[unit_id])
        if owner_id:
            open_rows.filter(template__owner_role=owner_role, unit_id=unit_id).exclude(owner_id=owner_id).update(
                owner_id=owner_id
            )
    return len(new)


def occurrences_for_saved_unit(*, unit, created: bool) -> int:
    """The organisation's unit hook: a unit created or changed gets the
    occurrences of every template that now applies to it."""
    if not unit.is_active:
        return 0
    return occurrences_generate()


def _checked_evidence(*, actor, occurrence: Occurrence, note: str, file, evidence_key: str) -> tuple:
    """(note, accepted files, record): a duty's evidence, checked; at least one
    is required. Raises ValidationError with per-field messages."""
    errors = {}
    note = (note or "").strip()
    if len(note) > TEXT_MAX:
        errors["note"] = _("Use at most %(limit)s characters.") % {"limit": TEXT_MAX}
    accepted = []
    if file:
        accepted, problems = check_attachments([file])
        if problems:
            errors["file"] = problems
    record = None
    if evidence_key:
        record = evidence.find(actor=actor, unit=occurrence.unit, key=evidence_key)
        if record is None:
            errors["evidence"] = _("Choose a record of this unit from the list.")
    if not errors and not (note or accepted or record):
        errors["__all__"] = _("Add the evidence: a note, a file or the record that shows the duty was done.")
    if errors:
        raise ValidationError(errors)
    return note, accepted, record


def _evidence_attach(occurrence: Occurrence, accepted: list, record) -> list[str]:
    """Put the evidence file and the linked record on the duty; the fields they changed."""
    fields = []
    if accepted:
        upload = accepted[0][0]
        occurrence.evidence_file_name = (upload.name or "")[-200:]
        occurrence.evidence_file.save(upload.name, upload, save=False)
        fields += ["evidence_file", "evidence_file_name"]
    if record is not None:
        occurrence.evidence_type = ContentType.objects.get_for_model(record.obj)
        occurrence.evidence_id = record.obj.pk
        occurrence.evidence_url = record.url[:300]
        occurrence.evidence_label = record.label[:300]
        fields += ["evidence_type", "evidence_id", "evidence_url", "evidence_label"]
    return fields


@transaction.atomic
def occurrence_complete(
    *, actor, occurrence: Occurrence, note: str = "", file=None, evidence_key: str = ""
) -> Occurrence:
    """Mark a duty done with its evidence: a note, a file (images and PDF, the
    shared attachment checks) and/or a link to the record that fulfils it (one
    the actor may read in the unit). At least one is required."""
    access.require(actor, access.P_OBLIGATION_COMPLETE, occurrence.unit)
    occurrence = Occurrence.objects.select_for_update().select_related("unit", "template").get(pk=occurrence.pk)
    if occurrence.state == OccurrenceState.DONE:
        raise ValidationError({"__all__": _("This duty has already been marked done.")})
    note, accepted, record = _checked_evidence(
        actor=actor, occurrence=occurrence, note=note, file=file, evidence_key=evidence_key
    )
    now = timezone.now()
    occurrence.state = OccurrenceState.DONE
    occurrence.completed_at = now
    occurrence.completed_by = actor
    occurrence.evidence_note = note
    fields = ["state", "completed_at", "completed_by", "evidence_note"]
    fields += _evidence_attach(occurrence, accepted, record)
    occurrence.save(update_fields=fields)
    audit_event_record(
        actor=actor,
        verb="obligation.completed",
        target=occurrence,
        unit=occurrence.unit,
        late=occurrence.due_date < timezone.localdate(now),
        evidence=record.key if record else "",
    )
    return occurrence


def occurrence_fulfil_by_meeting(*, actor, meeting) -> Occurrence | None:
    """A supervisor's-review meeting whose minutes were closed fulfils the unit's
    supervisor's-review duty of its half of the month (due on the 15th or the
    month's last day); when that one is already done, the oldest late one. The
    meeting is the evidence. Returns the duty fulfilled, or None.

    Registered in core.registry's MINUTES_CLOSED slot: runs in the transaction
    that closes the minutes."""
    from django.utils.timezone import localtime

    if meeting.kind != "supervisor_review" or meeting.unit_id is None:
        return None
    day = localtime(meeting.starts_at).date()
    half_due = dt.date(day.year, day.month, MID_MONTH_DAY) if day.day <= MID_MONTH_DAY else month_end(day.year, day.month)
    open_duties = Occurrence.objects.select_for_update().filter(
        unit_id=meeting.unit_id, template__kind=ObligationKind.SUPERVISOR_REVIEW, state=OccurrenceState.OPEN
    )
    occurrence = open_duties.filter(due_date=half_due).first() or open_duties.filter(due_date__lt=day).order_by("due_date", "id").first()
    if occurrence is None:
        return None
    now = timezone.now()
    label = f"{meeting.title} ({fi_date(day)})"
    occurrence.state = OccurrenceState.DONE
    occurrence.completed_at = now
    occurrence.completed_by = actor
    occurrence.evidence_type = ContentType.objects.get_for_model(meeting)
    occurrence.evidence_id = meeting.pk
    occurrence.evidence_url = meeting.get_absolute_url()[:300]
    occurrence.evidence_label = label[:300]
    occurrence.save(
        update_fields=[
            "state", "completed_at", "completed_by", "evidence_type", "evidence_id", "evidence_url", "evidence_label",
        ]
    )
    audit_event_record(
        actor=actor,
        verb="obligation.completed",
        target=occurrence,
        unit=occurrence.unit,
        late=occurrence.due_date < timezone.localdate(now),
        evidence=f"meetings.meeting:{meeting.pk}",
        by_meeting=True,
    )
    return occurrence


def evidence_forget(*, model_label: str, ids) -> None:
    """registry.RECORD_DESTROYED: a duty's evidence that was a destroyed record
    keeps its label as written, without the link."""
    from django.contrib.contenttypes.models import ContentType

    app_label, _dot, name = model_label.partition(".")
    content_type = ContentType.objects.filter(app_label=app_label, model=name).first()
    if content_type is not None:
        Occurrence.objects.filter(evidence_type=content_type, evidence_id__in=list(ids)).update(
            evidence_type=None, evidence_id=None, evidence_url=""
        )
