"""make lint: no function of the application over the complexity limit.

Every function and method under omavalvonta/ (not its migrations, tests or
demo data) must have a cyclomatic complexity (radon's, as `radon cc` reports
it) of at most MAX_COMPLEXITY: a longer chain of decisions is split into
well-named helpers (small pure functions, a table where the logic is data,
early returns). Prints every function over the limit and exits 1.

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


def main() -> int:
    found = over_limit(REPO / "omavalvonta")
    for name, complexity in sorted(found.items()):
        print(f"{name}: cyclomatic complexity {complexity} > {MAX_COMPLEXITY}")
    if found:
        print(f"Split the function(s) above into well-named helpers (at most {MAX_COMPLEXITY} each).")
        return 1
    print(f"Complexity: no function over {MAX_COMPLEXITY}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
