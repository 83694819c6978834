"""Browser tests wait for the page a click opens before they read it.

Playwright's `click()` returns as soon as the click is dispatched; a form's
submission or a link's page has not started loading yet. `wait_for_load_state()`
right after it returns at once (the old page is loaded) and `page.content()`
then reads the old page or, mid-navigation, an empty string: a test that passes
on a quiet machine and fails on a loaded CI runner. A click that opens a page is
written `with page.expect_navigation(): ...click()`. This test keeps the racy
shapes out of the suite.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RACY_NEXT_LINE = re.compile(r"^\s*(\w+\.wait_for_load_state\(\)|assert .* in \w+\.content\(\))\s*$")


def test_no_click_is_followed_by_a_read_of_a_page_that_may_not_have_loaded():
    found = []
    for path in sorted(ROOT.rglob("tests/test_*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, (before, line, following) in enumerate(zip([""] + lines, lines, lines[1:], strict=False), start=1):
            waited = "expect_navigation(" in before or "expect_navigation(" in line
            if line.rstrip().endswith(".click()") and not waited and RACY_NEXT_LINE.match(following):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert not found, "wrap these clicks in `with page.expect_navigation():`\n" + "\n".join(found)
