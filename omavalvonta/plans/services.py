"""Writes of plans. Each service: keyword-only arguments with `actor` first,
@transaction.atomic, an access check (`access.require`), an AuditEvent in the
same transaction, notifications only through the outbox. Business-rule failures
raise ValidationError with a translated message ({field: message} where a field
is to blame).

The loop of a unit's plan: start a draft (a copy of the last approved version,
or of the template) -> staff and the supervisor write its sections -> the
unit's responsible person approves it (frozen forever, the facts snapshotted,
the next review due in four months) -> the next draft starts from it. A review
that changes nothing is recorded as an approved version of its own.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.services import audit_event_record
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Role, ServiceType
from omavalvonta.plans import facts as plan_facts
from omavalvonta.plans.defaults import DEFAULTS
from omavalvonta.plans.models import (
    REVIEW_DUE_SOON_DAYS,
    Plan,
    PlanKind,
    PlanSection,
    PlanVersion,
    SectionTemplate,
    VersionState,
)
from omavalvonta.plans.templatetags.plans_tags import fidate

# Valvira regulation 1/2024: the plan is reviewed at least every four months.
REVIEW_INTERVAL_MONTHS = 4
TEXT_MAX = 20000


def _clean(value) -> str:
    return (value or "").strip()


def _audit(actor, verb: str, target, unit=None, **data) -> None:
    audit_event_record(actor=actor, verb=verb, target=target, unit=unit, **data)


def _require_draft(version: PlanVersion) -> None:
    # Re-read under a lock: the approval and an edit racing each other are
    # serialised, and an edit never lands on a version approved meanwhile.
    current = PlanVersion.objects.select_for_update().filter(pk=version.pk).values_list("state", flat=True).first()
    if current != VersionState.DRAFT:
        raise ValidationError(_("An approved version cannot be changed. Start a new draft."))


# --- The template ------------------------------------------------------------------------------


def template_ensure_default(kind: str) -> None:
    """Create the default sections of `kind` when the template has none yet."""
    if SectionTemplate.objects.filter(kind=kind).exists():
        return
    SectionTemplate.objects.bulk_create(
        SectionTemplate(
            kind=kind, key=key, number=number, title=title, guidance=guidance,
            required=required, live_fact=live_fact, order=i * 10,
        )
        for i, (key, number, title, guidance, required, live_fact) in enumerate(DEFAULTS[kind])
    )


def _require_template(actor) -> None:
    if not access.has_perm_anywhere(actor, access.P_PLAN_TEMPLATE):
        raise PermissionDenied(access.P_PLAN_TEMPLATE)


@transaction.atomic
def template_section_save(*, actor, section: SectionTemplate | None, kind: str, number: str, title: str,
                          guidance: str, required: bool, is_active: bool, order: int | None = None,
                          expected_version: int | None = None) -> SectionTemplate:
    """Add or change a section of the default template (the quality director).
    Units' drafts pick the change up when they next start; approved versions never do.
    `expected_version`: the edit version the form was opened at; a newer save refuses this one."""
    _require_template(actor)
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _("Choose a plan.")})
    title = _clean(title)
    if not title:
        raise ValidationError({"title": _("Give the section a heading.")})
    if required and not is_active:
        raise ValidationError({"is_active": _("A required section must be in use.")})
    if section is None:
        template_ensure_default(kind)
        last = SectionTemplate.objects.filter(kind=kind).aggregate(m=Max("order"))["m"] or 0
        base = timezone.now().strftime("s%Y%m%d%H%M%S%f")
        section = SectionTemplate(kind=kind, key=base, order=order if order is not None else last + 10)
    else:
        edit_version_claim(section, expected=expected_version)
    section.number = _clean(number)[:10]
    section.title = title[:200]
    section.guidance = _clean(guidance)[:TEXT_MAX]
    section.required = bool(required)
    section.is_active = bool(is_active)
    if order is not None:
        section.order = order
    section.save()
    _audit(actor, "plan_template.saved", section, kind=kind, key=section.key)
    return section


# --- Drafts --------------------------------------------------------------------------------------


def _last_approved(plan: Plan) -> PlanVersion | None:
    return plan.versions.filter(state=VersionState.APPROVED).order_by("-number").first()


def _next_number(plan: Plan) -> int:
    return (plan.versions.aggregate(m=Max("number"))["m"] or 0) + 1


def plan_kind_allowed(unit, kind: str) -> bool:
    """Good-treatment plans belong to children's homes (substitute care)."""
    if kind == PlanKind.GOOD_TREATMENT:
        return unit.service_type == ServiceType.SUBSTITUTE_CARE
    return kind in PlanKind.values


def _plan_for(unit, kind: str) -> Plan:
    plan, _created = Plan.objects.get_or_create(unit=unit, kind=kind)
    return plan


def _copied_sections(draft: PlanVersion, base: PlanVersion | None) -> list[PlanSection]:
    """The sections of the last approved version, texts and all, for the new draft."""
    if base is None:
        return []
    return [
        PlanSection(
            version=draft, key=s.key, number=s.number, title=s.title, guidance=s.guidance,
            required=s.required, live_fact=s.live_fact, order=s.order, text=s.text,
        )
        for s in base.sections.all()
    ]


def _draft_sections(draft: PlanVersion, base: PlanVersion | None, templates: list) -> list[PlanSection]:
    """A new draft's sections: copied from `base` with the template's current
    headings, guidance and requirement for the sections it still has, and the
    template's sections missing from the copy (every one without a base, the
    required ones with it)."""
    sections = _copied_sections(draft, base)
    present = {s.key for s in sections}
    by_key = {t.key: t for t in templates}
    for s in sections:
        t = by_key.get(s.key)
        if t is not None:
            s.number, s.title, s.guidance, s.required, s.live_fact, s.order = (
                t.number, t.title, t.guidance, t.required, t.live_fact, t.order,
            )
    for t in templates:
        if t.key not in present and (base is None or t.required):
            sections.append(PlanSection(
                version=draft, key=t.key, number=t.number, title=t.title, guidance=t.guidance,
                required=t.required, live_fact=t.live_fact, order=t.order,
            ))
    return sections


@transaction.atomic
def plan_draft_start(*, actor, unit, kind: str = PlanKind.SELF_SUPERVISION) -> PlanVersion:
    """The unit's draft of `kind`: the one in progress, or a new one copied from
    the last approved version (or from the template). Required template sections
    missing from the copy are added."""
    access.require(actor, access.P_PLAN_EDIT, unit)
    if not plan_kind_allowed(unit, kind):
        raise ValidationError(_("A good-treatment plan is made in children's homes (substitute care)."))
    plan = _plan_for(unit, kind)
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    draft = plan.versions.filter(state=VersionState.DRAFT).first()
    if draft is not None:
        return draft
    template_ensure_default(kind)
    base = _last_approved(plan)
    draft = PlanVersion.objects.create(
        plan=plan, unit=unit, number=_next_number(plan), created_by=actor, based_on=base,
        children_participation=base.children_participation if base else "",
        child_friendly_text=base.child_friendly_text if base else "",
    )
    templates = list(SectionTemplate.objects.filter(kind=kind, is_active=True))
    sections = _draft_sections(draft, base, templates)
    PlanSection.objects.bulk_create(sorted(sections, key=lambda s: (s.order, s.key)))
    _audit(actor, "plan.draft_started", draft, unit=unit, number=draft.number,
           based_on=base.number if base else None)
    return draft


@transaction.atomic
def plan_section_save(*, actor, section: PlanSection, text: str, expected_version: int | None = None) -> PlanSection:
    """Write one section of a draft. `expected_version`: the section's edit
    version when the form was opened; a newer save refuses this one (EditConflict)."""
    version = section.version
    access.require(actor, access.P_PLAN_EDIT, version.unit)
    _require_draft(version)
    text = _clean(text)
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("The text is too long (at most %(max)d characters).") % {"max": TEXT_MAX}})
    edit_version_claim(section, expected=expected_version)
    section.text = text
    section.updated_by = actor
    section.updated_at = timezone.now()
    section.save(update_fields=["text", "updated_by", "updated_at"])
    PlanVersion.objects.filter(pk=version.pk).update(updated_at=timezone.now())
    _audit(actor, "plan.section_saved", version, unit=version.unit, section=section.key)
    return section


@transaction.atomic
def plan_section_remove(*, actor, section: PlanSection) -> None:
    """Leave an optional section out of a draft. A required one cannot be dropped."""
    version = section.version
    access.require(actor, access.P_PLAN_EDIT, version.unit)
    _require_draft(version)
    if section.required:
        raise ValidationError(_("A required section cannot be removed from the plan."))
    key = section.key
    section.delete()
    _audit(actor, "plan.section_removed", version, unit=version.unit, section=key)


@transaction.atomic
def plan_section_add(*, actor, version: PlanVersion, key: str) -> PlanSection:
    """Bring an optional template section (back) into a draft."""
    access.require(actor, access.P_PLAN_EDIT, version.unit)
    _require_draft(version)
    template = SectionTemplate.objects.filter(kind=version.plan.kind, key=key, is_active=True).first()
    if template is None or version.sections.filter(key=key).exists():
        raise ValidationError(_("This section cannot be added."))
    section = PlanSection.objects.create(
        version=version, key=template.key, number=template.number, title=template.title,
        guidance=template.guidance, required=template.required, live_fact=template.live_fact, order=template.order,
    )
    _audit(actor, "plan.section_added", version, unit=version.unit, section=key)
    return section


@transaction.atomic
def plan_version_details_save(*, actor, version: PlanVersion, change_summary: str,
                              children_participation: str = "", child_friendly_text: str = "",
                              expected_version: int | None = None) -> PlanVersion:
    """The draft's summary of changes, how the children took part and, for a
    good-treatment plan, the child-friendly version. `expected_version` as in
    plan_section_save."""
    access.require(actor, access.P_PLAN_EDIT, version.unit)
    _require_draft(version)
    errors = {}
    for name, value in (("change_summary", change_summary), ("children_participation", children_participation),
                        ("child_friendly_text", child_friendly_text)):
        if len(_clean(value)) > TEXT_MAX:
            errors[name] = _("The text is too long (at most %(max)d characters).") % {"max": TEXT_MAX}
    if errors:
        raise ValidationError(errors)
    edit_version_claim(version, expected=expected_version)
    version.change_summary = _clean(change_summary)
    version.children_participation = _clean(children_participation)
    fields = ["change_summary", "children_participation", "updated_at"]
    if version.plan.kind == PlanKind.GOOD_TREATMENT:
        version.child_friendly_text = _clean(child_friendly_text)
        fields += ["child_friendly_text"]
    version.save(update_fields=fields)
    _audit(actor, "plan.details_saved", version, unit=version.unit)
    return version


@transaction.atomic
def plan_draft_discard(*, actor, version: PlanVersion) -> None:
    """Throw a draft away (the approved versions stay as they are)."""
    access.require(actor, access.P_PLAN_APPROVE, version.unit)
    _require_draft(version)
    number = version.number
    version.sections.all().delete()
    _audit(actor, "plan.draft_discarded", version.plan, unit=version.unit, number=number)
    version.delete()


@transaction.atomic
def plan_approval_request(*, actor, version: PlanVersion) -> int:
    """Tell the unit's responsible persons that the draft is ready for approval.
    Returns the number of people told. Refused while something required is missing."""
    access.require(actor, access.P_PLAN_EDIT, version.unit)
    _require_draft(version)
    if missing := approval_missing(version):
        raise ValidationError(missing)
    people = access_people.memberships_of([Role.RESPONSIBLE_PERSON], unit=version.unit).select_related("user")
    told = 0
    for m in people:
        if m.user_id == actor.pk:
            continue
        notification_enqueue(
            kind="plan.approval_requested",
            recipient=m.user,
            subject=_("Plan ready for approval: %(plan)s") % {"plan": version.plan},
            body=_("%(name)s asks you to approve version %(number)s.") % {
                "name": actor.full_name, "number": version.number,
            },
            link=reverse("plans:approve", args=[version.pk]),
        )
        told += 1
    _audit(actor, "plan.approval_requested", version, unit=version.unit, told=told)
    return told


def approval_missing(version: PlanVersion) -> list[str]:
    """What still stops `version` from being approved (translated sentences)."""
    missing = []
    for s in version.sections.all():
        if s.required and not s.text.strip() and not s.live_fact:
            missing.append(_("Section %(section)s has no text.") % {"section": str(s)})
    # The children take part in making and updating both plans (the provider's
    # self-supervision programme: "lapset osallistuvat sekä omavalvontasuunnitelman
    # että hyvää kohtelua koskevan suunnitelman laatimiseen ja päivittämiseen"):
    # approval asks how.
    if not version.children_participation.strip():
        missing.append(_("Record how and when the children took part."))
    if version.plan.kind == PlanKind.GOOD_TREATMENT and not version.child_friendly_text.strip():
        missing.append(_("Write the child-friendly version."))
    return missing


def _set_next_review(plan: Plan, approved_on: dt.date) -> None:
    plan.next_review_due = approved_on + relativedelta(months=REVIEW_INTERVAL_MONTHS)
    plan.save(update_fields=["next_review_due"])


def _freeze(version: PlanVersion, *, actor, change_summary: str) -> None:
    live = set(version.sections.exclude(live_fact="").values_list("live_fact", flat=True))
    version.facts = plan_facts.facts_for(version.unit, actor=actor, live_facts=live)
    version.change_summary = change_summary
    version.state = VersionState.APPROVED
    version.approved_by = actor
    version.approved_at = timezone.now()
    version.save(update_fields=["facts", "change_summary", "state", "approved_by", "approved_at", "updated_at"])


@transaction.atomic
def plan_version_approve(*, actor, version: PlanVersion, change_summary: str) -> PlanVersion:
    """The unit's responsible person approves a draft: it is frozen forever with
    its facts as they are now, and the next review falls due in four months."""
    access.require(actor, access.P_PLAN_APPROVE, version.unit)
    _require_draft(version)
    version.refresh_from_db()
    change_summary = _clean(change_summary)
    if not change_summary:
        raise ValidationError({"change_summary": _("Summarise what changed in this version.")})
    if missing := approval_missing(version):
        raise ValidationError(missing)
    _freeze(version, actor=actor, change_summary=change_summary[:TEXT_MAX])
    _set_next_review(version.plan, timezone.localdate())
    _audit(actor, "plan.approved", version, unit=version.unit, number=version.number)
    if version.created_by_id != actor.pk and version.created_by.is_active:
        notification_enqueue(
            kind="plan.approved",
            recipient=version.created_by,
            subject=_("Plan approved: %(plan)s") % {"plan": version.plan},
            body=_("Version %(number)s was approved and is now public.") % {"number": version.number},
            link=version.get_absolute_url(),
        )
    return version


@transaction.atomic
def plan_review_record(*, actor, unit, kind: str = PlanKind.SELF_SUPERVISION, note: str) -> PlanVersion:
    """Record a review that changed nothing: a new approved version with the
    last approved content, so the review itself is on the record."""
    access.require(actor, access.P_PLAN_APPROVE, unit)
    plan = Plan.objects.select_for_update().filter(unit=unit, kind=kind).first()
    base = _last_approved(plan) if plan else None
    if base is None:
        raise ValidationError(_("The plan has no approved version to review yet."))
    if plan.versions.filter(state=VersionState.DRAFT).exists():
        raise ValidationError(_("A draft is in progress: approve or discard it instead."))
    note = _clean(note)
    if not note:
        raise ValidationError({"note": _("Write what was reviewed and by whom.")})
    version = PlanVersion.objects.create(
        plan=plan, unit=unit, number=_next_number(plan), created_by=actor, based_on=base, is_review_only=True,
        children_participation=base.children_participation, child_friendly_text=base.child_friendly_text,
    )
    PlanSection.objects.bulk_create(
        PlanSection(version=version, key=s.key, number=s.number, title=s.title, guidance=s.guidance,
                    required=s.required, live_fact=s.live_fact, order=s.order, text=s.text)
        for s in base.sections.all()
    )
    _freeze(version, actor=actor, change_summary=note[:TEXT_MAX])
    _set_next_review(plan, timezone.localdate())
    _audit(actor, "plan.reviewed", version, unit=unit, number=version.number)
    return version


# --- The review reminder job ----------------------------------------------------------------


def plan_reviews_remind(today: dt.date | None = None) -> int:
    """Tell the responsible persons of units whose plan review falls due within
    REVIEW_DUE_SOON_DAYS (or is overdue). Exactly once per due date: the
    conditional UPDATE on `reminded_for` is the claim, so two workers never
    both send."""
    today = today or timezone.localdate()
    sent = 0
    due = Plan.objects.filter(next_review_due__lte=today + dt.timedelta(days=REVIEW_DUE_SOON_DAYS)).select_related("unit")
    for plan in due.iterator():
        if plan.reminded_for == plan.next_review_due:
            continue
        with transaction.atomic():
            claimed = Plan.objects.filter(pk=plan.pk, next_review_due=plan.next_review_due).exclude(
                reminded_for=plan.next_review_due
            ).update(reminded_for=plan.next_review_due)
            if not claimed:
                continue
            people = access_people.memberships_of([Role.RESPONSIBLE_PERSON], unit=plan.unit).select_related("user")
            for m in people:
                notification_enqueue(
                    kind="plan.review_due",
                    digestible=True,
                    recipient=m.user,
                    subject=_("Plan review due: %(plan)s") % {"plan": plan},
                    body=_("Review the plan by %(date)s.") % {"date": fidate(plan.next_review_due)},
                    link=plan.get_absolute_url(),
                )
                sent += 1
    return sent
