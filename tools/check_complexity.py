"""make lint: no function of the application over the complexity limit.

Every function and method under omavalvonta/ (not its migrations, tests or
demo data) must have a cyclomatic complexity (radon's, as `radon cc` reports
it) of at most MAX_COMPLEXITY: a longer chain of decisions is split into
well-named helpers (small pure functions, a table where the logic is data,
early returns). Prints every function over the limit and exits 1.

ALLOWED_OVER (tools/complexity_allowlist.txt) lists, for the time being, the
functions still over the limit that are being split elsewhere; each entry must
still be over it (a stale entry fails too, so the list only shrinks). The list
is meant to be empty.

    .venv/bin/python tools/check_complexity.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Function

MAX_COMPLEXITY = 15
REPO = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {"migrations", "tests", "demo"}
ALLOWLIST = REPO / "tools" / "complexity_allowlist.txt"


def source_files(root: Path):
    for path in sorted(root.rglob("*.py")):
        if not SKIPPED_DIRS.intersection(path.relative_to(root).parts):
            yield path


def function_name(block: Function) -> str:
    return f"{block.classname}.{block.name}" if block.classname else block.name


def over_limit(root: Path, *, base: Path = REPO, limit: int = MAX_COMPLEXITY) -> dict[str, int]:
    """{"path:function": complexity} of the functions and methods under `root`
    over `limit` (paths relative to `base`; closures count in their function,
    as in `radon cc`)."""
    found = {}
    for path in source_files(root):
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if isinstance(block, Function) and block.complexity > limit:
                found[f"{path.relative_to(base).as_posix()}:{function_name(block)}"] = block.complexity
    return found


def allowed_over(path: Path = ALLOWLIST) -> set[str]:
    """The entries of the allow-list: one "path:function" a line, # comments."""
    if not path.exists():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line}


def main() -> int:
    found = over_limit(REPO / "omavalvonta")
    allowed = allowed_over()
    failing = sorted(name for name in found if name not in allowed)
    stale = sorted(name for name in allowed if name not in found)
    for name in failing:
        print(f"{name}: cyclomatic complexity {found[name]} > {MAX_COMPLEXITY}")
    for name in stale:
        print(f"{name}: no longer over {MAX_COMPLEXITY} (or gone): remove it from {ALLOWLIST.relative_to(REPO)}")
    if failing:
        print(f"Split the function(s) above into well-named helpers (at most {MAX_COMPLEXITY} each).")
    if failing or stale:
        return 1
    waiting = f" outside the {len(allowed)} of {ALLOWLIST.relative_to(REPO)}" if allowed else ""
    print(f"Complexity: no function over {MAX_COMPLEXITY}{waiting}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
