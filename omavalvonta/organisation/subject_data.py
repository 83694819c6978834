"""What the organisation holds about a person, for an access request's compile
(core.registry SUBJECT_DATA): their own details and their memberships."""

from __future__ import annotations

from django.utils.translation import gettext as _, gettext_lazy

from omavalvonta.core import registry
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.organisation.services.people import SUBJECT_ERASABLE, SUBJECT_FIELDS, person_subject_apply


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
    register_actions()


# --- Rectification and erasure (core.registry SUBJECT_ACTIONS) ---------------------------

def _keep_identity():
    return _(
        "Identifies the person in records the provider must keep (who wrote or decided: "
        "the Act on client data 703/2023; GDPR art. 17(3)(b)). It can be rectified."
    )


def person_items(*, person) -> list:
    labels = {"full_name": _("Name"), "phone": _("Phone"), "email": _("E-mail address"), "title": _("Title")}
    return [
        registry.SubjectItem(
            key=name, title=str(labels[name]), value=getattr(person, name) or "–",
            erase=name in SUBJECT_ERASABLE, rectify=True,
            keep="" if name in SUBJECT_ERASABLE else str(_keep_identity()),
        )
        for name in SUBJECT_FIELDS
    ]


def person_apply(*, actor, person, key, action, value) -> None:
    person_subject_apply(actor=actor, person=person, field=key, action=action, value=value)


def register_actions() -> None:
    registry.register(
        registry.SUBJECT_ACTIONS, "organisation.person", person_items, order=10,
        title=gettext_lazy("Person"), apply=person_apply,
    )
