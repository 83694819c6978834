"""Writes of the data-protection area."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from omavalvonta.privacy.models import LogReview
from omavalvonta.privacy.selectors import require_review

NOTE_MAX = 1000


def log_review_record(*, actor, entry, note: str = "") -> LogReview:
    """Mark a read in the access log reviewed, with the reviewer's note. An
    entry is reviewed once: a second review is refused (the first one stands)."""
    require_review(actor)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("Write at most %(n)s characters.") % {"n": NOTE_MAX}})
    try:
        with transaction.atomic():
            return LogReview.objects.create(entry=entry, reviewed_by=actor, note=note)
    except IntegrityError:
        raise ValidationError(_("This read has already been reviewed.")) from None
