"""The floors of the house, checked on the source (ARCHITECTURE.md): core imports
no other app, the apps import each other without a circle, and only the access
kernel (organisation/) reads its grants or asks memberships by role.
`make lint` checks the floors in full with import-linter; these tests keep the
rules in the suite too, and name the file and line that breaks one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
# Not production code: the tests, the test helpers, migrations, the demo builder.
_NOT_PRODUCTION = {"tests", "testing", "migrations", "demo"}


def _production_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if _NOT_PRODUCTION & set(parts) or parts[-1] == "conftest.py":
            continue
        yield path, parts


def _app_of(parts) -> str | None:
    return parts[0] if len(parts) > 1 else None  # settings.py, urls.py: the project's own


def _imported_apps(path: Path) -> list[tuple[str, int]]:
    """(app, line) for every `omavalvonta.<app>` import in the file, lazy ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "omavalvonta":
                names = [f"omavalvonta.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "omavalvonta" and len(parts) > 1:
                found.append((parts[1], node.lineno))
    return found


def _app_graph() -> dict[str, dict[str, str]]:
    """app -> {imported app: "file:line" of one such import}."""
    graph: dict[str, dict[str, str]] = {}
    for path, parts in _production_modules():
        app = _app_of(parts)
        if app is None:
            continue
        for other, line in _imported_apps(path):
            if other != app and (PACKAGE / other).is_dir():
                graph.setdefault(app, {}).setdefault(other, f"{'/'.join(parts)}:{line}")
    return graph


def _find_cycle(graph: dict[str, dict[str, str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if state.get(nxt) is None and (cycle := visit(nxt, [*path, nxt])):
                return cycle
        state[node] = 2
        return None

    for start in sorted(graph):
        if state.get(start) is None and (cycle := visit(start, [start])):
            return cycle
    return None


def test_core_imports_no_other_app():
    reach_ins = [
        f"{'/'.join(parts)}:{line} imports omavalvonta.{app}"
        for path, parts in _production_modules()
        if parts[0] == "core"
        for app, line in _imported_apps(path)
        if app != "core"
    ]
    assert reach_ins == [], "core is the ground floor: plug in through core.registry instead"


def test_the_apps_import_each_other_without_a_circle():
    graph = _app_graph()
    assert "organisation" in graph.get("deviations", {})  # the scan sees the imports
    cycle = _find_cycle(graph)
    assert cycle is None, "an import circle: " + " -> ".join(
        f"{a} ({graph[a][b]})" for a, b in zip(cycle, cycle[1:], strict=False)
    )


def test_the_cycle_finder_finds_a_circle():
    assert _find_cycle({"a": {"b": ""}, "b": {"c": ""}, "c": {"a": ""}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b": ""}, "b": {"c": ""}}) is None


# --- Only the kernel reads its grants and asks memberships by role -------------------------

_KERNEL_INTERNALS = [
    (re.compile(r"\bMembership\.objects\b"), "queries Membership directly"),
    (re.compile(r"\bmemberships__|\.memberships\b"), "reads memberships directly"),
    (re.compile(r"\baccess\.grants\(|\bimport\b[^\n]*\bgrants\b"), "reads the kernel's grants"),
    (re.compile(r"\.is_organisation_wide\b|\.kind_limits\b|\b_access_grants\b"), "reads Grant internals"),
    (re.compile(r"\bROLE_PERMISSIONS\b|\bROLE_KIND_LIMITS\b"), "reads the role table"),
]
_QUERY_CALLS = {"filter", "exclude", "get", "Q"}


def kernel_reach_ins(source: str, name: str = "<source>") -> list[str]:
    """What in `source` only the access kernel may do: read its internals, or
    query by a role name (a `role=`/`role__in=` lookup in a filter, exclude, get or Q)."""
    found = [
        f"{name}:{source.count(chr(10), 0, m.start()) + 1} {why}"
        for pattern, why in _KERNEL_INTERNALS
        for m in pattern.finditer(source)
    ]
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if called in _QUERY_CALLS and any(
            k.arg and re.fullmatch(r"(\w+__)?role(__in)?", k.arg) for k in node.keywords
        ):
            found.append(f"{name}:{node.lineno} queries by role")
    return found


def test_no_module_outside_the_kernel_reads_its_internals_or_asks_memberships_by_role():
    reach_ins = [
        hit
        for path, parts in _production_modules()
        if parts[0] != "organisation"
        for hit in kernel_reach_ins(path.read_text(encoding="utf-8"), "/".join(parts))
    ]
    assert reach_ins == [], "ask the kernel (organisation/access.py, access_people.py) instead"


@pytest.mark.parametrize(
    "source",
    [
        "Membership.objects.filter(unit=unit)",
        "rows = Thing.objects.filter(memberships__role='supervisor')",
        "User.objects.filter(memberships__unit_id=1)",
        "request.user.memberships.all()",
        "any(g.is_organisation_wide for g in access.grants(actor))",
        "from omavalvonta.organisation.access import grants",
        "roles = [r for r, p in access.ROLE_PERMISSIONS.items()]",
        "qs.filter(role__in=[Role.SUPERVISOR])",
        "qs.exclude(role='employee')",
        "Q(role=Role.QUALITY_DIRECTOR, unit__isnull=True)",
    ],
)
def test_the_scan_catches_a_reach_in(source):
    assert kernel_reach_ins(source)


def test_the_scan_lets_the_kernels_questions_through():
    source = (
        "from omavalvonta.organisation import access, access_people\n"
        "people = access_people.memberships_of([Role.SUPERVISOR], unit=unit)\n"
        "own = access.own_unit_ids(actor, access.P_MEETING_MANAGE)\n"
        "form = RoleForm(role='supervisor')\n"
    )
    assert kernel_reach_ins(source) == []


# --- Module size ------------------------------------------------------------------------------

MAX_MODULE_LINES = 500
# Still over the limit, to be split along their seams (issue 14). The list only
# shrinks: a module that comes under the limit must leave it.
_STILL_TOO_LONG: set[str] = set()


def _module_lines() -> dict[str, int]:
    return {
        "/".join(parts): len(path.read_text(encoding="utf-8").splitlines()) for path, parts in _production_modules()
    }


def test_no_production_module_is_over_500_lines():
    sizes = _module_lines()
    too_long = sorted(
        f"{name}: {lines} lines" for name, lines in sizes.items() if lines > MAX_MODULE_LINES and name not in _STILL_TOO_LONG
    )
    assert not too_long, "Split these along their seams (a package re-exporting the names callers use): " + ", ".join(
        too_long
    )


def test_the_list_of_modules_still_too_long_only_shrinks():
    sizes = _module_lines()
    done = sorted(name for name in _STILL_TOO_LONG if sizes.get(name, 0) <= MAX_MODULE_LINES)
    assert not done, "These are no longer over the limit; remove them from _STILL_TOO_LONG: " + ", ".join(done)
