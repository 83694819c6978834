"""Word-by-word comparison of two texts for the versioned documents (a unit's
self-supervision plan, the group programme, the information-security plan)."""

from __future__ import annotations

import difflib

from django.utils.html import escape
from django.utils.safestring import mark_safe


def word_diff(a: str, b: str) -> tuple[str, str]:
    """Both texts as HTML, with removed words in <del> (left) and added in <ins> (right)."""
    aw, bw = a.split(" "), b.split(" ")
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=aw, b=bw, autojunk=False).get_opcodes():
        a_part, b_part = escape(" ".join(aw[i1:i2])), escape(" ".join(bw[j1:j2]))
        if op == "equal":
            left.append(a_part)
            right.append(b_part)
        else:
            if a_part:
                left.append(f"<del>{a_part}</del>")
            if b_part:
                right.append(f"<ins>{b_part}</ins>")
    return mark_safe(" ".join(left)), mark_safe(" ".join(right))  # noqa: S308 - every part escaped above
