"""What the improvement tests share: dates from today and a new action."""

import datetime as dt

from django.utils import timezone

from omavalvonta.improvement import services


def in_days(n):
    return timezone.localdate() + dt.timedelta(days=n)


def new_action(actor, unit, owner, **kw):
    """An action `actor` decides in `unit` for `owner`, due in ten days unless told."""
    kw.setdefault("title", "Lääkekaapin avaimet")
    kw.setdefault("due_date", in_days(10))
    return services.action_create(actor=actor, unit=unit, owner=owner, **kw)
