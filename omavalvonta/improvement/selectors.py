"""Reads of actions, always through the access kernel."""

from django.contrib.contenttypes.models import ContentType

from omavalvonta.improvement.models import Action


def actions_for_source(*, source):
    """Actions decided from one record. The caller has already been granted the source."""
    return (
        Action.objects.filter(source_type=ContentType.objects.get_for_model(source), source_id=source.pk)
        .select_related("owner")
        .order_by("due_date", "id")
    )
