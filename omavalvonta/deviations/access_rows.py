"""The deviation page's table of who has read the report (selectors.deviation_access_log),
written out once in Python: fifty rows, each with a date filter, were some five
thousand template lookups. The markup is the template's loop's."""

from __future__ import annotations

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from omavalvonta.core.lib.formhtml import escape


def moment_text(value, zone) -> str:
    """`value|date:"j.n.Y G.i"` of an aware time, in time zone `zone` (the current one)."""
    value = value.astimezone(zone)
    return f"{value.day}.{value.month}.{value.year} {value.hour}.{value.minute:02d}"


def access_log_html(rows) -> str:
    """The table's rows (access-log entries, newest first) as deviations/detail.html shows them."""
    # The translations not escaped, as {% translate %} does not escape them.
    what = {True: _("The reporter's identity"), False: _("The report")}
    zone = timezone.get_current_timezone()
    return mark_safe(  # noqa: S308 -- every value escaped
        "".join(
            f"\n              <tr><td>{moment_text(row.at, zone)}</td><td>{escape(row.reader_name)}</td>"
            f"<td>{what[row.what == 'deviation.reporter']}</td><td><code>{escape(row.right)}</code></td></tr>"
            "\n              "
            for row in rows
        )
    )
