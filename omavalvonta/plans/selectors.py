"""Reads of plans. Unit-scoped reads start from the access kernel
(`Plan.objects.for_actor`, `access.access_unit`); public reads return approved
versions only."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from omavalvonta.core import registry
from omavalvonta.core.lib import bounds
from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.core.lib.textdiff import word_diff
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Role, Unit
from omavalvonta.plans import facts as plan_facts
from omavalvonta.plans.followup import REVIEW_INTERVAL_MONTHS
from omavalvonta.plans.models import (
    REVIEW_DUE_SOON_DAYS,
    FollowupReport,
    Plan,
    PlanKind,
    PlanSection,
    PlanVersion,
    ProgrammeVersion,
    ReportState,
    SectionTemplate,
    VersionState,
)
from omavalvonta.plans.services import plan_kind_allowed
from omavalvonta.plans.templatetags.plans_tags import fidate


@dataclass
class UnitPlanRow:
    unit: Unit
    plan: Plan | None
    current: PlanVersion | None
    has_draft: bool
    good_treatment: Plan | None = None

    @property
    def review_state(self) -> str:
        """The more urgent of the unit's plans (the good-treatment plan is reviewed with the plan)."""
        states = [self.plan.review_state() if self.plan else "none"]
        if self.good_treatment is not None:
            states.append(self.good_treatment.review_state())
        for state in ("overdue", "due", "none", "ok"):
            if state in states:
                return state
        return "none"


REVIEW_STATES = ("overdue", "due", "none", "ok")


def plan_overview_units(*, actor, filters: dict | None = None, today: dt.date | None = None):
    """The units `actor` may read plans of, each annotated with `review` (the more
    urgent state of its self-supervision and good-treatment plans, as
    UnitPlanRow.review_state), filtered and ordered in the database; and the
    counts of the states over the region filter (not the review filter). Two
    queries whatever the number of units; page the queryset, then `plan_rows`.
    filters: review ("overdue", "due" = due or overdue, "none"), region (id)."""
    filters = filters or {}
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=REVIEW_DUE_SOON_DAYS)
    units = access.units_for(actor, access.P_PLAN_VIEW)
    if (region := bounds.parse_int(filters.get("region"))) is not None:
        units = units.filter(region_id=region)
    # Plan's default ordering joins the unit: none in the subqueries.
    own = Plan.objects.filter(unit=OuterRef("pk"), kind=PlanKind.SELF_SUPERVISION).order_by()
    good = Plan.objects.filter(unit=OuterRef("pk"), kind=PlanKind.GOOD_TREATMENT).order_by()
    units = units.annotate(
        own_due=Subquery(own.values("next_review_due")[:1]),
        good_due=Subquery(good.values("next_review_due")[:1]),
        has_good=Exists(good),
    ).annotate(
        review=Case(
            When(Q(own_due__lt=today) | Q(good_due__lt=today), then=Value("overdue")),
            When(Q(own_due__lte=soon) | Q(good_due__lte=soon), then=Value("due")),
            When(Q(own_due__isnull=True) | Q(has_good=True, good_due__isnull=True), then=Value("none")),
            default=Value("ok"),
            output_field=CharField(),
        )
    )
    counts = units.aggregate(
        overdue=Count("pk", filter=Q(review="overdue")),
        due=Count("pk", filter=Q(review__in=("due", "overdue"))),
        none=Count("pk", filter=Q(review="none")),
    )
    review = filters.get("review")
    if review == "due":
        units = units.filter(review__in=("due", "overdue"))
    elif review in ("overdue", "none"):
        units = units.filter(review=review)
    return units.select_related("region").order_by("region__name", "name", "pk"), counts


def plan_rows(units) -> list[UnitPlanRow]:
    """One row per unit (a page of them) with its plans' current version and
    draft: three queries whatever the number of units and versions."""
    units = list(units)
    approved = PlanVersion.objects.filter(plan=OuterRef("pk"), state=VersionState.APPROVED).order_by("-number")
    all_plans = {
        (p.unit_id, p.kind): p
        for p in Plan.objects.filter(unit__in=[u.pk for u in units]).annotate(
            current_id=Subquery(approved.values("pk")[:1]),
            has_draft=Exists(PlanVersion.objects.filter(plan=OuterRef("pk"), state=VersionState.DRAFT)),
        )
    }
    plans = {unit_id: p for (unit_id, kind), p in all_plans.items() if kind == PlanKind.SELF_SUPERVISION}
    good = {unit_id: p for (unit_id, kind), p in all_plans.items() if kind == PlanKind.GOOD_TREATMENT}
    current_ids = [p.current_id for p in plans.values() if p.current_id]
    by_id = PlanVersion.objects.only("pk", "plan_id", "number", "state", "approved_at").in_bulk(current_ids)
    current = {v.plan_id: v for v in by_id.values()}
    rows = []
    for u in units:
        p = plans.get(u.pk)
        rows.append(UnitPlanRow(unit=u, plan=p, current=current.get(p.pk) if p else None,
                                has_draft=bool(p and p.has_draft), good_treatment=good.get(u.pk)))
    return rows


def plan_overview(*, actor, filters: dict | None = None) -> list[UnitPlanRow]:
    """Every unit `actor` may read plans of, as rows (for a small scope; pages
    use plan_overview_units and plan_rows)."""
    units, _counts = plan_overview_units(actor=actor, filters=filters)
    return plan_rows(units)


def unit_for_plans(*, actor, unit_id, perm: str = access.P_PLAN_VIEW) -> Unit:
    return access.access_unit(actor, unit_id, perm)


def plan_of(*, unit, kind: str) -> Plan | None:
    if kind not in PlanKind.values or not plan_kind_allowed(unit, kind):
        raise Http404
    return Plan.objects.filter(unit=unit, kind=kind).first()


def plan_versions(*, plan: Plan | None) -> list[PlanVersion]:
    if plan is None:
        return []
    return list(plan.versions.select_related("approved_by", "created_by").order_by("-number"))


def version_get(*, actor, pk, perm: str = access.P_PLAN_VIEW) -> PlanVersion:
    """One version: 404 outside the actor's units, 403 inside without `perm`."""
    return access.access_object(
        PlanVersion.objects.select_related("plan", "approved_by", "created_by"), actor, pk, perm
    )


def section_get(*, version: PlanVersion, section_id) -> PlanSection:
    try:
        return version.sections.get(pk=int(section_id))
    except (PlanSection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def version_sections(*, version: PlanVersion) -> list[PlanSection]:
    return list(version.sections.order_by("order", "id"))


def version_facts(*, actor, version: PlanVersion) -> dict:
    """An approved version's frozen facts; a draft's live ones."""
    if version.is_approved:
        return version.facts or {}
    live = {s.live_fact for s in version.sections.all() if s.live_fact}
    return plan_facts.facts_for(version.unit, actor=actor, live_facts=live)


def fact_links(*, actor, unit) -> dict:
    """Which pages behind the plan's facts this viewer may open: a fact is linked
    only then (the plan itself is read more widely than the documents it names)."""
    return {
        "documents": access.can(actor, access.P_DOCUMENT_VIEW, unit),
        "organisation_documents": access.has_perm_organisation_wide(actor, access.P_DOCUMENT_VIEW),
        "security_plan": access.has_perm_anywhere(actor, access.P_SECURITY_PLAN),
    }


def addable_sections(*, version: PlanVersion) -> list[SectionTemplate]:
    present = set(version.sections.values_list("key", flat=True))
    return [
        t for t in SectionTemplate.objects.filter(kind=version.plan.kind, is_active=True)
        if t.key not in present
    ]


def template_sections(*, kind: str) -> list[SectionTemplate]:
    from omavalvonta.plans.services import template_ensure_default

    template_ensure_default(kind)
    return list(SectionTemplate.objects.filter(kind=kind))


# --- Comparison ------------------------------------------------------------------------------


@dataclass
class SectionComparison:
    title: str
    left: str  # safe HTML
    right: str
    changed: bool
    only_in: str = ""  # "left" / "right" / ""


def compare_versions(*, left: PlanVersion, right: PlanVersion) -> list[SectionComparison]:
    """The two versions side by side, section by section (in the right one's order,
    sections only in the left one after)."""
    lmap = {s.key: s for s in left.sections.all()}
    rows = []
    for s in right.sections.order_by("order", "id"):
        other = lmap.pop(s.key, None)
        if other is None:
            rows.append(SectionComparison(title=str(s), left="", right=escape(s.text), changed=True, only_in="right"))
            continue
        lhtml, rhtml = word_diff(other.text, s.text)
        rows.append(SectionComparison(title=str(s), left=lhtml, right=rhtml, changed=other.text != s.text))
    for s in lmap.values():
        rows.append(SectionComparison(title=str(s), left=escape(s.text), right="", changed=True, only_in="left"))
    return rows


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def compare_texts(*, left: str, right: str) -> list[SectionComparison]:
    """Two versions of one text (the programme) side by side, paragraph by
    paragraph: paragraphs aligned as a sequence, a changed pair word-diffed like a
    plan's sections, a paragraph only on one side marked so. `title` is the
    paragraph's number in the right (newer) version, or in the left one."""
    a, b = _paragraphs(left), _paragraphs(right)
    rows = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        pairs = max(i2 - i1, j2 - j1)
        for k in range(pairs):
            lt = a[i1 + k] if i1 + k < i2 else None
            rt = b[j1 + k] if j1 + k < j2 else None
            title = str(j1 + k + 1) if rt is not None else str(i1 + k + 1)
            if lt is None:
                rows.append(SectionComparison(title=title, left="", right=escape(rt), changed=True, only_in="right"))
            elif rt is None:
                rows.append(SectionComparison(title=title, left=escape(lt), right="", changed=True, only_in="left"))
            else:
                lhtml, rhtml = word_diff(lt, rt)
                rows.append(SectionComparison(title=title, left=lhtml, right=rhtml, changed=op != "equal"))
    return rows


# --- The meetings agenda hook -------------------------------------------------------------------


def plan_reviews_for_agenda(*, actor, unit):
    """Plans of `unit` whose review is due within REVIEW_DUE_SOON_DAYS or overdue
    (see omavalvonta/meetings/agenda.py). The source is the plan's current
    approved version: once the review is handled in closed minutes it does not
    come back, but the next cycle (a new version) does."""
    if unit is None or not access.can(actor, access.P_PLAN_VIEW, unit):
        return []
    soon = timezone.localdate() + dt.timedelta(days=REVIEW_DUE_SOON_DAYS)
    from django.utils.translation import gettext as _

    items = []
    for p in Plan.objects.filter(unit=unit, next_review_due__lte=soon).order_by("next_review_due"):
        current = p.versions.filter(state=VersionState.APPROVED).order_by("-number").first()
        if current is None:
            continue
        items.append({
            "title": _("Review of the %(plan)s (due %(date)s)") % {
                "plan": p.get_kind_display().lower(), "date": fidate(p.next_review_due),
            },
            "source": current,
        })
    return items


# --- The home page ("what is waiting for me") ------------------------------------------------------


# Directors who read the group's follow-up on the public site (they do not write it).
_FOLLOWUP_READERS = (Role.REGIONAL_DIRECTOR, Role.REHABILITATION_DIRECTOR)


def _programme_review_for_home(today: dt.date, latest) -> dict | None:
    """The programme's review mark: the approval rides on the latest report's
    row; without reports it is read on its own."""
    if latest is not None:
        return _programme_review_mark(today, latest.programme_approved_at)
    programme = programme_latest_approved()
    return _programme_review_mark(today, programme.approved_at if programme else None)


def _followup_items_to_publish(today: dt.date, any_reports: bool = True) -> dict | None:
    """The quality director's and management group's block: the reports not yet
    published, the latest report and the programme's review."""
    # The programme's approval rides on the reports' query (one query while
    # there are reports).
    approved_at = Subquery(_programme_approved().values("approved_at")[:1])
    reports = list(
        FollowupReport.objects.without_figures().annotate(programme_approved_at=approved_at)
        .order_by("-period_end", "-id")[:6]
    ) if any_reports else []
    unpublished = sorted((r for r in reports if not r.is_published), key=lambda r: r.period_end)
    latest = reports[0] if reports else None
    review = _programme_review_for_home(today, latest)
    if latest is None and review is None:
        return None
    late = sum(1 for r in unpublished if r.publication_due < today) + (1 if review and review["late"] else 0)
    return {
        "unpublished": [{"report": r, "due": r.publication_due, "late": r.publication_due < today} for r in unpublished],
        "late": late,
        "latest": latest,
        "latest_url": latest.get_absolute_url() if latest else "",
        "programme_review": review,
    }


def _followup_items_to_read(any_published: bool = True) -> dict | None:
    """The other directors' block: the latest published report, on the public site."""
    latest = (
        FollowupReport.objects.filter(state=ReportState.PUBLISHED).without_figures().order_by("-period_end", "-id").first()
    ) if any_published else None
    if latest is None:
        return None
    return {"unpublished": [], "late": 0, "latest": latest, "latest_url": reverse("public:plans_report", args=[latest.pk])}


@counts_first
def followup_home_items(*, actor, today: dt.date | None = None) -> CountsFirst | None:
    """For the home page of the quality director and the management group: the
    compiled follow-up reports not yet published, with their publication due
    date (late when past), the latest report, and the programme's own
    four-monthly review when it is due within REVIEW_DUE_SOON_DAYS or late; for
    the other directors the latest published report. None when there is nothing
    to show. Counted first (core/lib/counts.py), then one query."""
    today = today or timezone.localdate()
    # Without the stored figures: a report's JSON holds every unit's rows.
    if access.has_perm_anywhere(actor, access.P_PROGRAMME_MANAGE):
        reports = FollowupReport.objects.all()
        return CountsFirst({"reports": reports}, lambda counted: _followup_items_to_publish(today, bool(counted["reports"])))
    if access.has_role(actor, *_FOLLOWUP_READERS):
        published = FollowupReport.objects.filter(state=ReportState.PUBLISHED)
        return CountsFirst({"published": published}, lambda counted: _followup_items_to_read(bool(counted["published"])))
    return None


def evidence_plan_versions(actor, unit):
    """Approved versions of the unit's plans as evidence of a quality-calendar duty."""
    from omavalvonta.core.registry import EVIDENCE_LIMIT

    versions = (
        PlanVersion.objects.for_actor(actor, access.P_PLAN_VIEW)
        .filter(unit=unit, state="approved")
        .select_related("plan")
        .order_by("-approved_at", "-id")[:EVIDENCE_LIMIT]
    )
    for version in versions:
        yield version, str(version), version.get_absolute_url()


# --- The group programme's four-monthly review ---------------------------------------------


def _programme_approved():
    return ProgrammeVersion.objects.filter(state=VersionState.APPROVED).order_by("-number")


def programme_latest_approved() -> ProgrammeVersion | None:
    return _programme_approved().first()


def programme_review_due(version: ProgrammeVersion | None) -> dt.date | None:
    """When the programme in force is reviewed next: REVIEW_INTERVAL_MONTHS after
    its approval, like the units' plans (None before the first approval)."""
    return _review_due_after(version.approved_at if version else None)


def _review_due_after(approved_at) -> dt.date | None:
    if approved_at is None:
        return None
    return timezone.localdate(approved_at) + relativedelta(months=REVIEW_INTERVAL_MONTHS)


def programme_duties(*, today, unit_ids=None) -> list:
    """core.registry DUTY_SOURCES (organisation-wide): the programme's next
    four-monthly review, reminded to the quality director and escalated to the
    management group when late."""
    if unit_ids is not None:
        return []
    facts = {name: next(iter(values), None) for name, values in programme_duty_facts(today=today).items()}
    return programme_duties_from(today=today, facts=facts)


def programme_duty_facts(*, today) -> dict:
    """DUTY_SOURCES `facts` (yearclock/facts.py): the approval time of the programme in force."""
    return {"approved_at": _programme_approved().values_list("approved_at", flat=True)[:1]}


def programme_duties_from(*, today, facts) -> list:
    """DUTY_SOURCES `duties_from`: programme_duties made from its facts."""
    due = _review_due_after(facts["approved_at"])
    if due is None:
        return []
    return [registry.Duty(
        key=f"plans.programme_review:{due.isoformat()}", unit_id=None,
        title=_("The four-monthly review of the self-supervision programme"), due_on=due, late=due < today,
        link=reverse("plans:programme"),
    )]


def _programme_review_mark(today: dt.date, approved_at) -> dict | None:
    """The programme's next review for the home page, when it is due within
    REVIEW_DUE_SOON_DAYS or late."""
    due = _review_due_after(approved_at)
    if due is None or (due - today).days > REVIEW_DUE_SOON_DAYS:
        return None
    return {"due": due, "late": due < today}
