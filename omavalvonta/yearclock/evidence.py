"""Records that can fulfil a duty: a registry of evidence sources.

A source names a model and offers, for one unit and actor, the records the actor
may read there (through that app's own selectors), each with a label and its
address. Completing a duty with a record stores a generic link (content type,
id, address, label), so any app can be a source without the calendar importing
its models: actions and meeting minutes are registered here; another app (the
plans app's approved plan versions, audits) registers its own with `register`
in its AppConfig.ready."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from omavalvonta.core.lib import bounds


@dataclass(frozen=True)
class EvidenceRecord:
    key: str  # "<app_label>.<model>:<pk>"
    label: str
    url: str
    obj: object


@dataclass(frozen=True)
class EvidenceSource:
    model_label: str  # "improvement.action"
    group_label: object
    candidates: Callable  # (actor, unit) -> iterable of (obj, label, url)


_SOURCES: dict[str, EvidenceSource] = {}


def register(model_label: str, group_label, candidates: Callable) -> None:
    """Offer the records of `model_label` as evidence. `candidates(actor, unit)`
    returns (object, label, url) for the records the actor may read in the unit,
    newest first, at most a few dozen."""
    _SOURCES[model_label.lower()] = EvidenceSource(model_label.lower(), group_label, candidates)


def sources() -> list[EvidenceSource]:
    return list(_SOURCES.values())


def candidates_for(*, actor, unit) -> list[tuple[object, list[EvidenceRecord]]]:
    """(group label, records) per source, sources without records left out."""
    groups = []
    for source in sources():
        records = [
            EvidenceRecord(key=f"{source.model_label}:{obj.pk}", label=label, url=url, obj=obj)
            for obj, label, url in source.candidates(actor, unit)
        ]
        if records:
            groups.append((source.group_label, records))
    return groups


def find(*, actor, unit, key: str) -> EvidenceRecord | None:
    """The candidate `key` names, when the actor may use it in this unit."""
    model_label, _sep, pk = (key or "").partition(":")
    source = _SOURCES.get(model_label)
    if source is None or bounds.parse_int(pk) is None:
        return None
    for obj, label, url in source.candidates(actor, unit):
        if str(obj.pk) == pk:
            return EvidenceRecord(key=key, label=label, url=url, obj=obj)
    return None


# --- The built-in sources ------------------------------------------------------------------

CANDIDATE_LIMIT = 30


def _actions(actor, unit):
    from django.urls import reverse

    from omavalvonta.improvement.selectors import action_list

    for action in action_list(actor=actor, filters={"unit": unit.pk}).order_by("-id")[:CANDIDATE_LIMIT]:
        yield action, action.title, reverse("improvement:action_detail", args=[action.pk])


def _meetings(actor, unit):
    from django.urls import reverse
    from django.utils.timezone import localtime

    from omavalvonta.meetings.selectors import meeting_list

    for meeting in meeting_list(actor=actor, filters={"unit": unit.pk, "when": "past"})[:CANDIDATE_LIMIT]:
        day = localtime(meeting.starts_at)
        label = f"{meeting.title} ({day.day}.{day.month}.{day.year})"
        yield meeting, label, reverse("meetings:detail", args=[meeting.pk])


def _plan_versions(actor, unit):
    """Approved versions of the unit's plans (when the plans app is installed)."""
    from django.apps import apps

    from omavalvonta.organisation import access

    perm = getattr(access, "P_PLAN_VIEW", None)
    if perm is None or not apps.is_installed("omavalvonta.plans"):
        return
    version_model = apps.get_model("plans", "PlanVersion")
    versions = (
        version_model.objects.for_actor(actor, perm)
        .filter(unit=unit, state="approved")
        .select_related("plan")
        .order_by("-approved_at", "-id")[:CANDIDATE_LIMIT]
    )
    for version in versions:
        yield version, str(version), version.get_absolute_url()


def register_builtin() -> None:
    register("plans.planversion", _("Approved plan versions"), _plan_versions)
    register("improvement.action", _("Actions"), _actions)
    register("meetings.meeting", _("Meeting minutes"), _meetings)
