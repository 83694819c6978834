"""The sign-in lockout (django-axes): by account and by address.

* An account is locked after AXES_FAILURE_LIMIT failed sign-ins, from any
  address: someone guessing one person's password from many addresses is
  stopped as surely as from one.
* An address is locked after AXES_ADDRESS_FAILURE_LIMIT failures against any
  accounts: someone trying one password on many accounts is stopped. The limit
  is higher, because a children's home's staff share one network address and
  their own typos must not lock each other out.

While locked, even the right password is refused, on every way in: the sign-in
page, the re-authentication page (both call `authenticate()`, which axes
guards), and the Django admin, whose own login page only sends to the sign-in
page. A good sign-in clears the account's own failures, not the address's: one
valid account must not wipe the count of a password-spraying address.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The failures that count toward the lock: the account's own; once the
        address has passed its own limit, at least the account limit (locked)."""
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        by_account = _failures(recent.filter(username=username)) if username else 0
        by_address = _failures(recent.filter(ip_address=request.axes_ip_address))
        if by_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(by_account, get_failure_limit(request, credentials))
        return by_account

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
