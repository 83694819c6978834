"""The deviation page's table of who has read the report (selectors.deviation_access_log),
written out once in Python: fifty rows, each with a date filter, were some five
thousand template lookups. The markup is the template's loop's."""

from __future__ import annotations

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from omavalvonta.core.lib.formhtml import escape
from omavalvonta.deviations.list_rows import datetime_text


def access_log_html(rows) -> str:
    """The table's rows (access-log entries, newest first) as deviations/detail.html shows them."""
    # The translations not escaped, as {% translate %} does not escape them.
    what = {True: _("The reporter's identity"), False: _("The report")}
    return mark_safe(  # noqa: S308 -- every value escaped
        "".join(
            f"\n              <tr><td>{datetime_text(row.at)}</td><td>{escape(row.reader_name)}</td>"
            f"<td>{what[row.what == 'deviation.reporter']}</td><td><code>{escape(row.right)}</code></td></tr>"
            "\n              "
            for row in rows
        )
    )
