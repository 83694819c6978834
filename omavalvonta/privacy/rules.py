"""What makes a read of personal data unusual (the flags of the access-log
review). Each rule is a database expression over `core.AccessLogEntry`, so the
review page can filter by it as well as show it."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Count, DateTimeField, ExpressionWrapper, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.models import AccessLogEntry
from omavalvonta.organisation import access_unit

# Many reads in a short time: this many reads by one person within the window
# (counting the read itself) flags the read.
BURST_READS = 30
BURST_WINDOW = dt.timedelta(minutes=10)

# The reads of a protected reporter's identity (deviations.identity.reporter_display).
PROTECTED_WHAT = ("deviation.reporter",)

FLAGS = {
    "outside": _("Outside the reader's own units"),
    "burst": _("Many reads in a short time"),
    "protected": _("A protected reporter's identity"),
}


def _burst_count():
    window_start = ExpressionWrapper(OuterRef("at") - Value(BURST_WINDOW), output_field=DateTimeField())
    earlier = (
        AccessLogEntry.objects.filter(actor_id=OuterRef("actor_id"), at__lte=OuterRef("at"), at__gt=window_start)
        .order_by()
        .values("actor_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(earlier, output_field=IntegerField()), 0)


def with_flags(queryset):
    """`queryset` of access-log entries with a boolean per flag and `flagged`."""
    # A reader without an account (a social worker's download) has no own units to be outside of.
    outside = Q(actor__isnull=False) & access_unit.outside_own_units_q(user_field="actor", unit_field="unit")
    protected = Q(what__in=PROTECTED_WHAT)
    return queryset.annotate(
        reads_in_window=_burst_count(),
        flag_outside=ExpressionWrapper(outside, output_field=BooleanField()),
        flag_protected=ExpressionWrapper(protected, output_field=BooleanField()),
    ).annotate(
        flag_burst=ExpressionWrapper(Q(reads_in_window__gte=BURST_READS), output_field=BooleanField()),
    )


def flag_q(flag: str) -> Q:
    """The entries that carry `flag` ("any": one of them), on a `with_flags` queryset."""
    if flag == "any":
        return Q(flag_outside=True) | Q(flag_protected=True) | Q(flag_burst=True)
    return Q(**{f"flag_{flag}": True})


__all__ = ["BURST_READS", "BURST_WINDOW", "FLAGS", "flag_q", "with_flags"]
