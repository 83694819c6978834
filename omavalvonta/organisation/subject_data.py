"""What the organisation holds about a person, for an access request's compile
(core.registry SUBJECT_DATA): their own details and their memberships."""

from __future__ import annotations

from django.utils.translation import gettext as _

from omavalvonta.core import registry
from omavalvonta.core.lib.dates import fi_date


def person_data(*, person) -> dict:
    memberships = person.memberships.select_related("unit", "region").order_by("created_at", "pk")
    items = [
        {
            "title": _("The person"),
            "fields": [
                [_("Name"), person.full_name],
                [_("E-mail address"), person.email],
                [_("Phone"), person.phone or "–"],
                [_("Active"), _("yes") if person.is_active else _("no")],
            ],
        }
    ]
    items += [
        {
            "title": f"{m.get_role_display()}: {m.scope_label}",
            "fields": [[_("Role"), str(m.get_role_display())], [_("Scope"), str(m.scope_label)],
                       [_("Since"), fi_date(m.created_at)]],
        }
        for m in memberships
    ]
    return {"title": _("Person and memberships"), "items": items, "targets": []}


def register() -> None:
    registry.register(registry.SUBJECT_DATA, "organisation.person", person_data, order=10)
