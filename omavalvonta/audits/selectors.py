"""Reads of self-assessments, audits and continuity; unit-scoped reads start from the kernel."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.audits.models import (
    Answer,
    Audit,
    Checklist,
    ContinuityPlan,
    CrisisPlanVersion,
    CriticalSystem,
    Drill,
    DrillKind,
    Finding,
    ReadinessMember,
    ReadinessRole,
    SecurityPlanState,
    SecurityPlanVersion,
    SelfAssessment,
)
from omavalvonta.audits.readiness import (
    CRISIS_PLAN_REVIEW_INTERVAL_DAYS,
    CRISIS_SECTIONS,
    EXERCISE_INTERVAL_DAYS,
    REMIND_DAYS_BEFORE,
)
from omavalvonta.audits.security_sections import REVIEW_INTERVAL_DAYS, SECTIONS
from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.lib.textdiff import word_diff
from omavalvonta.organisation import access, access_people

CANDIDATE_LIMIT = 30


def units_for(*, actor, perm: str = access.P_RISK_VIEW):
    return access.units_for(actor, perm).order_by("name")


def checklists(*, active_only: bool = False):
    qs = Checklist.objects.prefetch_related("criteria")
    return qs.filter(is_active=True) if active_only else qs


def checklist_get(*, actor, pk) -> Checklist:
    if not access.has_perm_anywhere(actor, access.P_OBLIGATION_TEMPLATE_EDIT):
        raise PermissionDenied(access.P_OBLIGATION_TEMPLATE_EDIT)
    try:
        return Checklist.objects.get(pk=pk)
    except (Checklist.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def self_assessments(*, actor, unit_id=None):
    qs = SelfAssessment.objects.for_actor(actor, access.P_RISK_VIEW).select_related("unit", "checklist")
    return qs.filter(unit_id=unit_id) if unit_id else qs


def audits(*, actor, unit_id=None):
    qs = Audit.objects.for_actor(actor, access.P_RISK_VIEW).select_related("unit")
    return qs.filter(unit_id=unit_id) if unit_id else qs


def self_assessment_get(*, actor, pk, perm=access.P_RISK_VIEW) -> SelfAssessment:
    return access.access_object(SelfAssessment.objects.select_related("checklist", "created_by"), actor, pk, perm)


def audit_get(*, actor, pk, perm=access.P_RISK_VIEW) -> Audit:
    return access.access_object(Audit.objects.select_related("created_by"), actor, pk, perm)


def self_assessment_answers(*, assessment: SelfAssessment) -> list:
    """The answers of an assessment the caller was granted, with their criteria."""
    return list(Answer.objects.filter(assessment=assessment).select_related("criterion"))


def audit_findings(*, audit: Audit) -> list:
    """The findings of an audit the caller was granted."""
    return list(Finding.objects.filter(audit=audit))


def information_systems_fact(*, unit, actor) -> dict:
    """core.registry PLAN_FACTS "information_systems": the unit's critical
    information systems in criticality order, from the continuity plan (names and
    tolerable outage only: the owners are staff, and the fallback procedures
    belong to the non-public information-security plan)."""
    if not access.can(actor, access.P_UNIT_VIEW, unit):
        return {"hidden": True}
    systems = CriticalSystem.objects.filter(unit=unit)  # in criticality order (the model's ordering)
    return {
        "systems": [
            {"position": s.position, "name": s.name, "tolerable_outage": s.tolerable_outage} for s in systems
        ]
    }


def continuity_of(*, unit) -> dict:
    return {
        "systems": list(CriticalSystem.objects.filter(unit=unit).select_related("owner")),
        "plan": ContinuityPlan.objects.filter(unit=unit).select_related("updated_by").first(),
        "drills": list(Drill.objects.filter(unit=unit, kind=DrillKind.UNIT).prefetch_related("participants")[:20]),
    }


# --- Evidence for the quality calendar ------------------------------------------------------------


_fi = fi_date


def evidence_self_assessments(actor, unit):
    for a in self_assessments(actor=actor, unit_id=unit.pk)[:CANDIDATE_LIMIT]:
        yield a, f"{a.checklist.title} {_fi(a.held_on)}", reverse("audits:self_assessment", args=[a.pk])


def evidence_audits(actor, unit):
    for a in audits(actor=actor, unit_id=unit.pk)[:CANDIDATE_LIMIT]:
        yield a, f"{a.get_kind_display()} {_fi(a.held_on)}", reverse("audits:audit", args=[a.pk])


def evidence_drills(actor, unit):
    for d in Drill.objects.for_actor(actor, access.P_RISK_VIEW).filter(unit=unit, kind=DrillKind.UNIT)[:CANDIDATE_LIMIT]:
        yield d, f"{d.scenario} {_fi(d.held_on)}", reverse("audits:continuity", args=[unit.pk]) + f"#harjoitus-{d.pk}"


# --- The information-security plan (THL regulation 3/2024; not public) -------------------------------


def security_plan_allowed(actor) -> bool:
    """The quality director, the data protection officer and administrators,
    organisation-wide: nobody else reads or edits the plan."""
    return access.has_perm_organisation_wide(actor, access.P_SECURITY_PLAN)


def _security_plan_require(actor) -> None:
    if not security_plan_allowed(actor):
        raise PermissionDenied(access.P_SECURITY_PLAN)


def security_plan_versions(*, actor) -> list[SecurityPlanVersion]:
    _security_plan_require(actor)
    return list(SecurityPlanVersion.objects.select_related("created_by", "approved_by"))


def security_plan_get(*, actor, pk) -> SecurityPlanVersion:
    _security_plan_require(actor)
    try:
        return SecurityPlanVersion.objects.select_related("created_by", "approved_by").get(pk=int(pk))
    except (SecurityPlanVersion.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def security_plan_sections(version: SecurityPlanVersion | None) -> list[dict]:
    """The version's sections in the regulation's order, with their titles and guidance."""
    texts = version.sections if version else {}
    return [{"key": key, "title": title, "help": help_, "text": texts.get(key, "")} for key, title, help_ in SECTIONS]


def security_plan_review_due(version: SecurityPlanVersion | None):
    """The date by which the approved plan is reviewed next (None before the first approval)."""
    return _security_review_due(version.approved_at if version is not None else None)


def _security_review_due(approved_at):
    return None if approved_at is None else timezone.localdate(approved_at) + dt.timedelta(days=REVIEW_INTERVAL_DAYS)


def security_plan_critical_systems(*, actor) -> list[CriticalSystem]:
    """The units' critical information systems from their continuity plans, live:
    by unit, in criticality order, with their owners."""
    _security_plan_require(actor)
    return list(
        CriticalSystem.objects.for_actor(actor, access.P_SECURITY_PLAN)
        .select_related("unit", "owner")
        .order_by("unit__name", "position", "id")
    )


def security_plan_compare(*, left: SecurityPlanVersion, right: SecurityPlanVersion) -> list[dict]:
    """Two versions section by section, changed words marked (<del>/<ins>)."""
    rows = []
    for key, title, _help in SECTIONS:
        a, b = left.sections.get(key, ""), right.sections.get(key, "")
        lhtml, rhtml = word_diff(a, b)
        rows.append({"title": title, "left": lhtml, "right": rhtml, "changed": a != b})
    return rows


def evidence_security_plan(actor, unit):
    """core.registry EVIDENCE_SOURCES: the approved versions of the plan, the
    evidence of its annual review (only for those who may read the plan)."""
    if not security_plan_allowed(actor):
        return
    approved = SecurityPlanVersion.objects.filter(state=SecurityPlanState.APPROVED)[:CANDIDATE_LIMIT]
    for version in approved:
        label = _("Information-security plan, version %(number)s (%(date)s)") % {
            "number": version.number, "date": _fi(timezone.localdate(version.approved_at)),
        }
        yield version, label, reverse("audits:security_plan_version", args=[version.pk])


REVIEW_SOON_DAYS = 30


@counts_first
def security_plan_home(*, actor, today) -> CountsFirst | None:
    """core.registry HOME_BLOCKS: the plan's annual review, when it is due within
    REVIEW_SOON_DAYS or late, or no version has been approved yet (for those who
    keep the plan). Counted first (core/lib/counts.py): the latest approved
    version is read only when there is one."""
    if not security_plan_allowed(actor):
        return None
    approved = SecurityPlanVersion.objects.filter(state=SecurityPlanState.APPROVED)

    def then(counted):
        latest = approved.order_by("-number").first() if counted["approved"] else None
        due = security_plan_review_due(latest)
        if latest is not None and (due - today).days > REVIEW_SOON_DAYS:
            return None
        return {"missing": latest is None, "due": due, "late": due is not None and due < today}

    return CountsFirst({"approved": approved}, then)


# --- The organisation's readiness (audits/readiness.py) -------------------------------------------------
#
# Everyone of the organisation reads the group, the exercises and the plan in
# force (what to do in a crisis); drafts and changes are readiness.manage's,
# organisation-wide only.


def readiness_readable(actor) -> bool:
    return access.has_perm_anywhere(actor, access.P_UNIT_VIEW) or readiness_allowed(actor)


def readiness_allowed(actor) -> bool:
    """May `actor` keep the readiness group, record its exercise and approve the
    crisis-communication plan (the quality director, the management group,
    administrators; organisation-wide)?"""
    return access.has_perm_organisation_wide(actor, access.P_READINESS_MANAGE)


def readiness_members() -> list[ReadinessMember]:
    """The group now: the chair first, then by role and name (one query)."""
    order = {value: i for i, value in enumerate(ReadinessRole.values)}
    members = list(ReadinessMember.objects.filter(ended_at__isnull=True).select_related("user"))
    return sorted(members, key=lambda m: (order.get(m.group_role, 99), m.user.full_name.casefold(), m.pk))


def readiness_former_members(*, limit: int = 10) -> list[ReadinessMember]:
    """Who has left the group, the latest first (one query)."""
    return list(
        ReadinessMember.objects.filter(ended_at__isnull=False).select_related("user", "ended_by")
        .order_by("-ended_at", "-id")[:limit]
    )


def readiness_member_get(*, actor, pk) -> ReadinessMember:
    if not readiness_allowed(actor):
        raise PermissionDenied(access.P_READINESS_MANAGE)
    try:
        return ReadinessMember.objects.select_related("user").get(pk=int(pk), ended_at__isnull=True)
    except (ReadinessMember.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def readiness_people():
    """The people of the organisation who may be chosen for the group or an exercise."""
    return access_people.people_holding().order_by("full_name", "id")


def readiness_exercises(*, limit: int = 10) -> list[Drill]:
    """The readiness group's exercises, the latest first, with their participants (two queries)."""
    return list(
        Drill.objects.filter(kind=DrillKind.READINESS_EXERCISE).prefetch_related("participants")[:limit]
    )


def _last_exercise():
    return Drill.objects.filter(kind=DrillKind.READINESS_EXERCISE).order_by("-held_on").values("held_on")[:1]


def _group_started():
    return ReadinessMember.objects.order_by("added_at").values("added_at")[:1]


def _exercise_due_after(last: dt.date | None, started) -> dt.date | None:
    if last is None:
        if started is None:
            return None
        last = timezone.localdate(started)
    return last + dt.timedelta(days=EXERCISE_INTERVAL_DAYS)


def readiness_exercise_due() -> dt.date | None:
    """The next exercise is due EXERCISE_INTERVAL_DAYS after the last one, or
    after the group got its first member (None: no group and no exercise yet)."""
    last = _last_exercise().values_list("held_on", flat=True).first()
    started = None if last is not None else _group_started().values_list("added_at", flat=True).first()
    return _exercise_due_after(last, started)


def crisis_plan_versions(*, actor) -> list[CrisisPlanVersion]:
    """The plan's versions, newest first: the approved ones for everyone who
    reads the readiness pages, the draft too for those who keep the plan."""
    qs = CrisisPlanVersion.objects.select_related("created_by", "approved_by")
    if not readiness_allowed(actor):
        qs = qs.filter(state=SecurityPlanState.APPROVED)
    return list(qs)


def crisis_plan_current() -> CrisisPlanVersion | None:
    return _crisis_plans_in_force().first()


def _crisis_plans_in_force():
    """The approved versions, the one in force first."""
    return CrisisPlanVersion.objects.filter(state=SecurityPlanState.APPROVED).order_by("-number")


def crisis_plan_get(*, actor, pk) -> CrisisPlanVersion:
    """One version; a draft only for those who keep the plan (404 for others)."""
    qs = CrisisPlanVersion.objects.select_related("created_by", "approved_by")
    if not readiness_allowed(actor):
        qs = qs.filter(state=SecurityPlanState.APPROVED)
    try:
        return qs.get(pk=int(pk))
    except (CrisisPlanVersion.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def crisis_plan_sections(version: CrisisPlanVersion | None) -> list[dict]:
    """The version's sections in the plan's order, with their titles and guidance."""
    texts = version.sections if version else {}
    return [{"key": key, "title": title, "help": help_, "text": texts.get(key, "")} for key, title, help_ in CRISIS_SECTIONS]


def _review_due_after(approved_at) -> dt.date | None:
    if approved_at is None:
        return None
    return timezone.localdate(approved_at) + dt.timedelta(days=CRISIS_PLAN_REVIEW_INTERVAL_DAYS)


def crisis_plan_review_due(version: CrisisPlanVersion | None):
    return _review_due_after(version.approved_at if version is not None else None)


def readiness_summary() -> dict:
    """For the continuity page's link: the plan in force, the next exercise and
    the group's size (three small queries)."""
    return {
        "crisis_plan": crisis_plan_current(),
        "exercise_due": readiness_exercise_due(),
        "members": ReadinessMember.objects.filter(ended_at__isnull=True).count(),
    }


@counts_first
def readiness_chair_home(*, actor, today) -> CountsFirst | None:
    """core.registry HOME_BLOCKS: for the readiness group's chair, the yearly
    exercise and the crisis-communication plan's yearly review when either is
    due within REMIND_DAYS_BEFORE days or late, and a missing plan. Counted
    first (core/lib/counts.py): nothing more is read for anyone else."""
    chairing = ReadinessMember.objects.filter(
        user_id=actor.pk, group_role=ReadinessRole.CHAIR, ended_at__isnull=True
    )

    def then(counted):
        if not counted["chairing"]:
            return None
        # What the dues are computed from, on the chair's own row (one query).
        found = chairing.annotate(
            last_exercise=Subquery(_last_exercise()), group_started=Subquery(_group_started()),
            plan_approved_at=Subquery(_crisis_plans_in_force().values("approved_at")[:1]),
        ).values("last_exercise", "group_started", "plan_approved_at").first()
        if found is None:  # left the chair between the count and now
            return None
        soon = today + dt.timedelta(days=REMIND_DAYS_BEFORE)
        dues = {
            "exercise": _exercise_due_after(found["last_exercise"], found["group_started"]),
            "crisis_plan": _review_due_after(found["plan_approved_at"]),
        }
        items = [
            {"what": what, "due": due, "late": due < today}
            for what, due in dues.items() if due is not None and due <= soon
        ]
        no_plan = found["plan_approved_at"] is None
        if not items and not no_plan:
            return None
        return {"items": items, "no_plan": no_plan, "late": any(i["late"] for i in items)}

    return CountsFirst({"chairing": chairing}, then)


def evidence_readiness_exercises(actor, unit):
    """core.registry EVIDENCE_SOURCES: the readiness group's exercises (the
    organisation's, offered in any unit to those who read the readiness pages)."""
    if not readiness_readable(actor):
        return
    for d in Drill.objects.filter(kind=DrillKind.READINESS_EXERCISE)[:CANDIDATE_LIMIT]:
        yield d, _("Readiness exercise: %(scenario)s %(date)s") % {"scenario": d.scenario, "date": _fi(d.held_on)}, (
            reverse("audits:readiness") + f"#harjoitus-{d.pk}"
        )


def evidence_crisis_plan(actor, unit):
    """core.registry EVIDENCE_SOURCES: the crisis-communication plan's approved versions."""
    if not readiness_readable(actor):
        return
    for version in CrisisPlanVersion.objects.filter(state=SecurityPlanState.APPROVED)[:CANDIDATE_LIMIT]:
        label = _("Crisis-communication plan, version %(number)s (%(date)s)") % {
            "number": version.number, "date": _fi(timezone.localdate(version.approved_at)),
        }
        yield version, label, reverse("audits:crisis_plan_version", args=[version.pk])
