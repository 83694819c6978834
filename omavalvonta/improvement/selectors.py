"""Reads of actions, always through the access kernel."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q

from omavalvonta.improvement.models import Acknowledgement, Action


def actions_for_source(*, source):
    """Actions decided from one record. The caller has already been granted the source."""
    return (
        Action.objects.filter(source_type=ContentType.objects.get_for_model(source), source_id=source.pk)
        .select_related("owner")
        .order_by("due_date", "id")
    )


def acknowledgement_progress(*, target) -> tuple[int, int]:
    """(acknowledged, asked) for one target: "12 / 15 acknowledged"."""
    counts = Acknowledgement.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).aggregate(asked=Count("id"), done=Count("id", filter=Q(acknowledged_at__isnull=False)))
    return counts["done"], counts["asked"]


def acknowledgements_pending(*, actor):
    """What `actor` has been asked to acknowledge and has not yet."""
    return Acknowledgement.objects.filter(user=actor, acknowledged_at__isnull=True).order_by("-requested_at")
