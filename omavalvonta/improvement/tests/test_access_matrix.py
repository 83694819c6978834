"""Role x {own unit, other unit} x improvement page: the status each combination
gets. "own" covers unit A, where the records live (group-level roles: the whole
organisation); "other" covers only unit B (region B for the regional director).
404 outside the actor's units, 403 inside them without the right."""

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.improvement import services
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import member

UNIT_ROLES = {Role.EMPLOYEE, Role.SUPERVISOR, Role.RESPONSIBLE_PERSON}
ORG_ROLES = set(Role) - UNIT_ROLES - {Role.REGIONAL_DIRECTOR}
LEADS = {Role.SUPERVISOR, Role.RESPONSIBLE_PERSON, Role.REGIONAL_DIRECTOR, Role.QUALITY_DIRECTOR}
STAFF_VIEW = LEADS | {Role.EMPLOYEE, Role.REHABILITATION_DIRECTOR, Role.MANAGEMENT_GROUP}  # action.view
LOG_READERS = LEADS | {Role.REHABILITATION_DIRECTOR, Role.MANAGEMENT_GROUP}  # log.view
SCOPES = [(r, "own") for r in Role] + [(r, "other") for r in Role if r not in ORG_ROLES]


def _record_page(holders):
    """A page about one record in unit A: 200 for holders there, 404 from another unit, else 403."""
    return {(r, s): (404 if s == "other" else 200 if r in holders else 403) for r, s in SCOPES}


def _list_page(holders):
    """A page listing what the actor may see: 200 wherever the right is held."""
    return {(r, s): 200 if r in holders else 403 for r, s in SCOPES}


EXPECTED = {
    "my_actions": {scope: 200 for scope in SCOPES},
    "action_list": _list_page(STAFF_VIEW),
    "action_create": _list_page(LEADS),
    "action_detail": _record_page(STAFF_VIEW),
    "plan_list": _list_page(STAFF_VIEW),
    "plan_create": _list_page(LEADS),
    "plan_detail": _record_page(STAFF_VIEW),
    "log": _list_page(LOG_READERS),
    "log_create": _list_page(LEADS),
    "log_detail": _record_page(LOG_READERS),
}
CASES = sorted((page, str(role), scope, status) for page, row in EXPECTED.items() for (role, scope), status in row.items())


def _actor(role, scope, unit_a, unit_b):
    if role in ORG_ROLES:
        return member(role)
    if role == Role.REGIONAL_DIRECTOR:
        return member(role, region=(unit_a if scope == "own" else unit_b).region)
    return member(role, unit=unit_a if scope == "own" else unit_b)


@pytest.mark.parametrize(("page", "role", "scope", "status"), CASES, ids=[f"{p}-{r}-{s}" for p, r, s, _ in CASES])
def test_role_scope_page_status(client, page, role, scope, status, unit_a, unit_b, supervisor_a, colleague_a):
    action = services.action_create(
        actor=supervisor_a, unit=unit_a, owner=colleague_a, title="Toimenpide", due_date=timezone.localdate()
    )
    plan = services.action_plan_create(actor=supervisor_a, unit=unit_a, year=timezone.localdate().year)
    entry = services.log_entry_create(actor=supervisor_a, unit=unit_a, observation="Havainto")
    urls = {
        "my_actions": reverse("improvement:my_actions"),
        "action_list": reverse("improvement:action_list"),
        "action_create": reverse("improvement:action_create"),
        "action_detail": reverse("improvement:action_detail", args=[action.pk]),
        "plan_list": reverse("improvement:plan_list"),
        "plan_create": reverse("improvement:plan_create"),
        "plan_detail": reverse("improvement:plan_detail", args=[plan.pk]),
        "log": reverse("improvement:log"),
        "log_create": reverse("improvement:log_create"),
        "log_detail": reverse("improvement:log_detail", args=[entry.pk]),
    }
    client.force_login(_actor(role, scope, unit_a, unit_b))
    assert client.get(urls[page]).status_code == status, f"{page} {role} {scope}"
