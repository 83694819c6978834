"""A record's certificate file, the same for a qualification and a training:
stored with the record when it is recorded, downloaded by the record's person
or by someone who reads competence in a unit where the person is on the staff
(404 for anyone else; every download writes an access-log row)."""

from __future__ import annotations

from django.http import Http404

from omavalvonta.core.attachments import ATTACHMENT_EXTENSIONS, attachment_extension, attachment_response
from omavalvonta.core.services import access_log_record
from omavalvonta.organisation import access, access_people
from omavalvonta.people.orientation_selectors import STAFF_ROLES


def certificate_attach(record, accepted) -> None:
    """Put the one accepted upload (`check_one_certificate`'s result) on the
    unsaved `record`; nothing when none was given."""
    if accepted:
        upload = accepted[0][0]
        record.certificate_name = (upload.name or "")[-200:]
        record.certificate.save(upload.name, upload, save=False)


def certificate_record_get(queryset, *, actor, pk, what: str, request=None):
    """The record of `queryset` with `pk` whose certificate `actor` may
    download, its read logged as `what`. 404 otherwise."""
    try:
        record = queryset.select_related("person").get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not record.certificate:
        raise Http404
    if record.person_id != actor.pk:
        units = access.units_for(actor, access.P_COMPETENCE_VIEW)
        if not access_people.memberships_of(STAFF_ROLES, units=units, user=record.person).exists():
            raise Http404
    access_log_record(actor=actor, target=record, what=what, right=access.P_COMPETENCE_VIEW, request=request)
    return record


def certificate_response(record):
    """The download of the record's certificate under the name it was uploaded with."""
    name = record.certificate_name or record.certificate.name
    content_type = ATTACHMENT_EXTENSIONS.get(attachment_extension(name), "application/octet-stream")
    return attachment_response(record.certificate, filename=name, content_type=content_type)
