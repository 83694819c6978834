"""Writes to the outbox and its delivery.

Callers enqueue inside their own transaction: the row commits with the change
that caused it, or not at all (a transactional outbox). The `worker` command then
delivers due rows:

* **Claiming.** A worker claims a batch by moving rows to `sending` with
  `claimed_until` a little in the future and `attempts + 1`, in one short
  transaction: `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, a conditional
  UPDATE per row on SQLite (one writer at a time). Other workers see claimed rows
  as not due, so two workers never send the same row.
* **The claim is also a token.** `claimed_until` is renewed just before each
  send and every later write is conditional on it: a worker that was slower than
  its claim (and whose row another worker has since taken) notices and does not
  overwrite the other worker's result.
* **Crashes.** A worker that dies mid-batch leaves rows in `sending`; when their
  `claimed_until` passes they are due again. The attempt counted at claim time
  stays counted, so a message that kills its worker every time still ends in
  `failed` instead of looping for ever.
* **Failures.** A failed send keeps the row `pending` with exponential backoff
  and the error text; after MAX_ATTEMPTS it is `failed` (kept, with its error).
  When the failure is the server's (down, refusing connections, temporarily
  rejecting), the rest of the batch is handed back untouched: one unreachable
  server costs one attempt per pass, not one per queued message.
* **The database going away.** Every write after a send (marking it sent, a
  retry, handing rows back) is retried on a fresh database connection for up to
  CLAIM_SECONDS before anything else happens, so a database restart while a
  message is on the wire does not send it twice. Rows of a batch the worker could
  not finish are handed back as soon as the database answers again (at once in
  the same pass, or first thing in the next one), instead of waiting out their
  claim.
* **One SMTP connection per batch**, opened at the first send and reused.
* **A stable Message-ID per row** (`<outbox-<id>.<created>@<host>>`): a message
  that is sent twice is the same message to the mail client, which shows it once.
* Delivery is at least once: a worker killed (SIGKILL, power loss) after the
  mail server accepted a message but before the row was marked sent will send it
  again after the claim expires: at most one duplicate per killed worker (the one
  message it was sending), folded by the Message-ID. E-mail offers nothing
  better; the in-app copy is not duplicated.
* In-app-only rows (`not_emailed`) are never claimed.
"""

import datetime as dt
import logging
import smtplib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from omavalvonta.notifications.links import is_safe_link
from omavalvonta.notifications.models import DeliveryState, DigestFrequency, DigestPreference, Notification

log = logging.getLogger(__name__)

# Backoff doubles from one minute up to six hours between tries, so sixteen
# attempts span roughly two days: long enough to ride out a mail server outage.
MAX_ATTEMPTS = 16
BACKOFF_MAX_MINUTES = 360
# How long a claim protects a row (OUTBOX_CLAIM_SECONDS, 120 by default). Renewed
# before each send, so it only has to cover one send (EMAIL_TIMEOUT, 20 s by
# default) with a wide margin.
CLAIM_SECONDS = settings.OUTBOX_CLAIM_SECONDS

_KIND_MAX = Notification._meta.get_field("kind").max_length
_SUBJECT_MAX = Notification._meta.get_field("subject").max_length


def _checked_message(kind, subject, body, link, email) -> tuple[str, str, str, str, str]:
    """The message's parts cleaned; ValueError for a malformed call."""
    kind = (kind or "").strip()
    if not kind or len(kind) > _KIND_MAX:
        raise ValueError(f"A notification needs a kind of 1–{_KIND_MAX} characters.")
    # A line break in a subject would be a header injection (and BadHeaderError
    # at send time, retried in vain); collapse all whitespace instead.
    subject = " ".join(str(subject or "").split())
    if not subject:
        raise ValueError("A notification needs a subject.")
    link = link or ""
    if link and not is_safe_link(link):
        raise ValueError(f"A notification link must be a relative path inside the product, not {link!r}.")
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValueError(f"Not an e-mail address: {email!r}") from None
    return kind, subject, str(body or ""), link, email


def _checked_channels(*, recipient, email: str, send_email: bool, in_app: bool | None) -> bool:
    """Whether the message shows in the product; ValueError when it goes nowhere."""
    if recipient is None and not email:
        raise ValueError("A notification needs a recipient or an e-mail address.")
    if in_app is None:
        in_app = recipient is not None
    elif in_app and recipient is None:
        raise ValueError("An in-app notification needs a recipient.")
    if not send_email and not in_app:
        raise ValueError("A notification neither e-mailed nor shown in the product goes nowhere.")
    return in_app


def notification_enqueue(
    *,
    kind: str,
    subject: str,
    body: str,
    recipient=None,
    email: str = "",
    link: str = "",
    send_email: bool = True,
    in_app: bool | None = None,
    digestible: bool = False,
) -> Notification:
    """Queue one message and return its outbox row.

    `recipient` (a user) gets it in the product and by e-mail at their address;
    `email` alone addresses someone outside the product (a county's registry).
    Given both, the e-mail goes to `email`. `link` is a relative path inside the
    product ("/poikkeamat/12/"). `digestible=True` (reminders, never urgent
    notices) lets the e-mail wait for the recipient's daily or weekly digest when
    they chose one (`DigestPreference`). `send_email=False` makes an in-app-only row;
    `in_app` defaults to "when there is a recipient". A deactivated recipient is
    not e-mailed at their own address.

    Call it inside the transaction of the change that causes the message: the
    worker sees the row only once that transaction commits. Raises ValueError
    for a malformed call (these are programming errors, not user input).
    """
    kind, subject, body, link, email = _checked_message(kind, subject, body, link, email)
    in_app = _checked_channels(recipient=recipient, email=email, send_email=send_email, in_app=in_app)
    address = email
    if not address and recipient is not None and recipient.is_active:
        address = recipient.email or ""
    emailed = bool(send_email and address)
    state = DeliveryState.PENDING if emailed else DeliveryState.NOT_EMAILED
    if emailed and digestible and not email and wants_digest(recipient):
        state = DeliveryState.HELD
    return Notification.objects.create(
        recipient=recipient,
        email=address if emailed else "",
        kind=kind,
        subject=subject[:_SUBJECT_MAX],
        body=body,
        link=link,
        in_app=in_app,
        state=state,
    )


def wants_digest(recipient) -> bool:
    """Has `recipient` chosen a daily or weekly digest?"""
    return DigestPreference.objects.filter(user=recipient).exclude(frequency=DigestFrequency.IMMEDIATE).exists()


def notification_mark_read(*, actor, notification: Notification) -> None:
    """Mark one of the actor's own in-app notifications read (idempotent)."""
    if notification.recipient_id is None or notification.recipient_id != actor.pk:
        raise PermissionError("Not your notification.")
    if notification.read_at is None:
        now = timezone.now()
        # Conditional: opening the same notification in two tabs keeps the first time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now


def notification_mark_all_read(*, actor) -> int:
    """Mark all the actor's unread in-app notifications read; returns how many."""
    return Notification.objects.filter(recipient=actor, in_app=True, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Delivery -----------------------------------------------------------------------


@dataclass
class DeliveryStats:
    """What one delivery pass did."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0  # failed this time, will be retried after backoff
    failed: int = 0  # gave up: MAX_ATTEMPTS reached
    released: int = 0  # claimed but handed back unsent (server down, worker stopping)
    lost: int = 0  # claim expired and taken over by another worker


def _backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after `attempts` tries: 1, 2, 4 ... minutes, at most six hours."""
    return dt.timedelta(minutes=min(2 ** min(max(attempts - 1, 0), 16), BACKOFF_MAX_MINUTES))


def _due_q(now) -> Q:
    return (
        Q(state=DeliveryState.PENDING, next_attempt_at__lte=now)
        # A claim that has run out: its worker died or hung.
        | Q(state=DeliveryState.SENDING, claimed_until__lt=now)
        | Q(state=DeliveryState.SENDING, claimed_until__isnull=True)
    )


def _claim_batch(limit: int) -> list[int]:
    """Claim up to `limit` due rows so that no other worker sends them; returns their ids.

    PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED, then mark them claimed in the
    same transaction: a concurrent claimer skips the locked rows and, once we
    commit, re-checks them against the filter and finds them no longer due.
    SQLite allows one writer at a time (transactions begin IMMEDIATE); the
    conditional UPDATE per row guards any other configuration.
    """
    if limit < 1:
        return []
    now = timezone.now()
    claim = {
        "state": DeliveryState.SENDING,
        "claimed_until": now + dt.timedelta(seconds=CLAIM_SECONDS),
        "attempts": F("attempts") + 1,
    }
    due = _due_q(now)
    with transaction.atomic():
        qs = Notification.objects.filter(due).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            ids = list(qs.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
            if ids:
                Notification.objects.filter(id__in=ids).update(**claim)
            return ids
        claimed = []
        for pk in list(qs.values_list("id", flat=True)[:limit]):
            if Notification.objects.filter(due, pk=pk).update(**claim):
                claimed.append(pk)
        return claimed


def _holding(n: Notification) -> Q:
    """Rows still claimed by us: our claim token has not been replaced."""
    return Q(pk=n.pk, state=DeliveryState.SENDING, claimed_until=n.claimed_until)


def _renew(n: Notification) -> bool:
    """Extend our claim on `n` just before sending; False when it is no longer ours."""
    until = timezone.now() + dt.timedelta(seconds=CLAIM_SECONDS)
    if Notification.objects.filter(_holding(n)).update(claimed_until=until):
        n.claimed_until = until
        return True
    return False


def _with_database_retry(write: Callable[[], int], *, what: str, retried: Callable[[], int] | None = None) -> int:
    """Run one outbox write, reconnecting while the database is away.

    A connection that broke (PostgreSQL restarted, AdminShutdown) is dropped and
    the write tried again on a fresh one, with a growing pause, for up to
    CLAIM_SECONDS: our claim still protects the row meanwhile. `retried` (if
    given) replaces `write` after the first failure: the first try may have
    committed before its answer was lost. Inside a caller's transaction (tests)
    nothing can be retried and the error is raised at once."""
    deadline = time.monotonic() + CLAIM_SECONDS
    pause = 0.2
    attempt = write
    while True:
        try:
            return attempt()
        except (OperationalError, InterfaceError) as exc:
            if connection.in_atomic_block or time.monotonic() + pause > deadline:
                raise
            log.warning("The database is away while %s (%s); retrying on a new connection.", what, exc)
            try:
                connection.close()
            except Exception:  # a dead connection may fail to close; it is dropped all the same
                log.debug("Closing the broken database connection failed", exc_info=True)
            time.sleep(pause)
            pause = min(pause * 2, 5.0)
            attempt = retried or write


def _finish(n: Notification, **fields) -> bool:
    """Write the outcome of our claim; False when another worker has taken the row over."""
    fields.setdefault("claimed_until", None)
    outcome = {"state": fields["state"], **({"sent_at": fields["sent_at"]} if "sent_at" in fields else {})}

    def write():
        return Notification.objects.filter(_holding(n)).update(**fields)

    def write_again():
        # Had the lost first try committed, the row already shows our outcome.
        return write() or Notification.objects.filter(pk=n.pk, claimed_until=None, **outcome).count()

    return bool(_with_database_retry(write, what=f"recording notification {n.pk}", retried=write_again))


# Rows this process claimed but could neither finish nor hand back (the database
# was away for longer than the retries): handed back first thing in the next pass.
_unreleased: list[Notification] = []


def _release(rows: Sequence[Notification], *, patient: bool = True) -> int:
    """Hand claimed rows back unsent, without counting the attempt (retried on a
    new connection while the database is away, unless not `patient`)."""
    if not rows:
        return 0

    def write():
        return Notification.objects.filter(reduce(or_, (_holding(n) for n in rows))).update(
            state=DeliveryState.PENDING, claimed_until=None, attempts=F("attempts") - 1
        )

    if not patient:
        return write()
    return _with_database_retry(write, what=f"handing back {len(rows)} notifications")


def _release_after_failure(rows: Sequence[Notification]) -> int:
    """Hand back what a failed pass still holds (one try: the database was just
    found away); remember it for the next pass when that fails too."""
    try:
        return _release(rows, patient=False)
    except Exception:
        log.exception("Could not hand back %s claimed notifications; trying again on the next pass.", len(rows))
        _unreleased.extend(rows)
        return 0


def _affects_whole_batch(exc: Exception) -> bool:
    """Is this failure the mail server's (down, refusing, rate limiting) rather
    than this one message's? Then the rest of the batch would fail the same way."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return not codes or any(code < 500 for code in codes)  # 4xx: temporary, try later
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code < 500
    # A malformed message (bad header, encoding) is this message's own problem.
    return not isinstance(exc, ValueError)


def message_id(n: Notification) -> str:
    """The row's own Message-ID: the same at every (re)send of the row, unique
    across rows and across databases (the creation time is part of it)."""
    host = urlsplit(settings.SITE_URL).hostname or "omavalvonta.invalid"
    return f"<outbox-{n.pk}.{n.created_at:%Y%m%d%H%M%S%f}@{host}>"


def _send(n: Notification, mail_connection) -> None:
    body = n.body
    if n.link and is_safe_link(n.link):
        body = f"{body}\n\n{settings.SITE_URL}{n.link}"
    message = EmailMessage(
        subject=n.subject, body=body, to=[n.email], connection=mail_connection, headers={"Message-ID": message_id(n)}
    )
    # Opened once and kept for the batch: a connection the backend opened itself
    # would be closed again after this one message.
    mail_connection.open()
    if message.send(fail_silently=False) == 0:
        raise smtplib.SMTPException("The mail backend accepted no message.")


def _fail_abandoned(n, stats: DeliveryStats) -> None:
    """Claimed again after its worker vanished mid-send, MAX_ATTEMPTS times: failed for good."""
    error = f"The worker stopped while sending it, {MAX_ATTEMPTS} times."
    if n.last_error:
        error = f"{error} Earlier: {n.last_error}"[:2000]
    if _finish(n, state=DeliveryState.FAILED, last_error=error):
        stats.failed += 1
        log.error("Notification %s failed for good: %s", n.pk, error)


def _record_send_failure(n, exc: Exception, stats: DeliveryStats) -> None:
    """Keep the row for a retry with backoff, or mark it failed after MAX_ATTEMPTS."""
    error = f"{type(exc).__name__}: {exc}"[:2000]
    gave_up = n.attempts >= MAX_ATTEMPTS
    if gave_up:
        done = _finish(n, state=DeliveryState.FAILED, last_error=error)
    else:
        done = _finish(
            n, state=DeliveryState.PENDING, last_error=error, next_attempt_at=timezone.now() + _backoff(n.attempts)
        )
    if not done:
        stats.lost += 1
    elif gave_up:
        stats.failed += 1
        log.error("Notification %s failed for good after %s attempts: %s", n.pk, n.attempts, error)
    else:
        stats.retrying += 1
        log.warning("Notification %s not sent (attempt %s of %s): %s", n.pk, n.attempts, MAX_ATTEMPTS, error)


def notifications_deliver_due(*, limit: int = 50, should_stop: Callable[[], bool] | None = None) -> DeliveryStats:
    """Claim up to `limit` due e-mails and send them, one pass.

    A failure keeps the row for a retry with backoff; after MAX_ATTEMPTS it is
    marked failed with the error kept. A server-side failure also hands the rest
    of the batch back untouched, as does `should_stop()` turning true (the
    worker was asked to exit). Must not run inside a transaction on PostgreSQL:
    claims would stay invisible to other workers until it commits.
    """
    stats = DeliveryStats()
    if _unreleased:
        # A pass that failed left rows claimed: hand them back before claiming more.
        rows, _unreleased[:] = list(_unreleased), []
        stats.released += _release_after_failure(rows)
    ids = _claim_batch(limit)
    if not ids:
        return stats
    stats.claimed = len(ids)
    rows = list(Notification.objects.filter(pk__in=ids).order_by("next_attempt_at", "id"))
    mail_connection = get_connection(fail_silently=False)
    unstarted = 0  # rows[unstarted:] have not been put on the wire
    try:
        for index, n in enumerate(rows):
            unstarted = index
            if should_stop is not None and should_stop():
                stats.released += _release(rows[index:])
                break
            if n.attempts > MAX_ATTEMPTS:
                _fail_abandoned(n, stats)
                continue
            if not n.email:  # nothing to send to (a row written by older code)
                _finish(n, state=DeliveryState.NOT_EMAILED, attempts=F("attempts") - 1)
                continue
            if not _with_database_retry(lambda n=n: _renew(n), what=f"renewing the claim of notification {n.pk}"):
                stats.lost += 1
                log.warning("Notification %s: claim expired and was taken over; not sending it.", n.pk)
                continue
            unstarted = index + 1
            try:
                _send(n, mail_connection)
            except Exception as exc:  # any transport or message error: keep the row and retry
                _record_send_failure(n, exc, stats)
                if _affects_whole_batch(exc):
                    stats.released += _release(rows[index + 1 :])
                    break
            else:
                # An error of an earlier try is history now.
                if _finish(n, state=DeliveryState.SENT, sent_at=timezone.now(), last_error=""):
                    stats.sent += 1
                else:
                    stats.lost += 1
                    log.warning("Notification %s was sent, but its claim had been taken over meanwhile.", n.pk)
    except BaseException:
        # The database stayed away (or the worker is being stopped): hand back
        # what this batch has not finished, now rather than when the claims expire.
        stats.released += _release_after_failure(rows[unstarted:])
        raise
    finally:
        try:
            mail_connection.close()
        except Exception:  # closing a dead SMTP connection must not hide the real outcome
            log.debug("Closing the mail connection failed", exc_info=True)
    return stats


def notifications_send_due(*, limit: int = 50) -> int:
    """Send the due e-mails once (see notifications_deliver_due). Returns how many were sent."""
    return notifications_deliver_due(limit=limit).sent


# --- Retention (privacy's table, registry.RETENTION) -------------------------------------
# Only delivered messages are pruned: sent e-mail, and in-product notifications
# (counted from their creation). Waiting, held and failed ones stay for the worker.
_DELIVERED = (DeliveryState.SENT, DeliveryState.NOT_EMAILED)


def sent_due(*, cutoff, limit: int) -> list:
    """Delivered messages sent before `cutoff`: ids and dates (no unit)."""
    from django.db.models.functions import Coalesce

    from omavalvonta.core.registry import RetentionDue

    rows = (
        Notification.objects.filter(state__in=_DELIVERED)
        .annotate(dated=Coalesce("sent_at", "created_at"))
        .filter(dated__date__lt=cutoff)
        .order_by("dated", "pk").values_list("pk", "dated")[:limit]
    )
    return [RetentionDue(id=pk, dated=dated) for pk, dated in rows]


@transaction.atomic
def sent_destroy(*, ids) -> list[int]:
    """Delete delivered messages `ids` (a message waiting to be sent is kept)."""
    found = list(Notification.objects.filter(pk__in=list(ids), state__in=_DELIVERED).values_list("pk", flat=True))
    Notification.objects.filter(pk__in=found).delete()
    return found
