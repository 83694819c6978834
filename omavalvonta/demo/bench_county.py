"""The bench's purchasing counties (issue 19, items 5 and 6): the statutory
notifications sent to the counties (one in every NOTIFIED_EVERY critical
reports: a message to the county's address and one to its lead official, as
the deviations area sends them), a county supervisor of the measured unit's
county, and an API token of that county and a public integration's; the
pages measured: the county's own home and notifications list, and the API's
list endpoints."""

from __future__ import annotations

from django.db import transaction

from omavalvonta.deviations.choices import NotificationRecipient
from omavalvonta.deviations.models import Deviation, StatutoryNotification
from omavalvonta.organisation import access_county
from omavalvonta.organisation.models import ApiToken, CountyAccess, Unit, User

NOTIFIED_EVERY = 4  # of the critical reports, one in four went to the county (about 2 % of all)
BATCH = 5000
SUPERVISOR_EMAIL = "valvoja@hva.bench.example"
TOKEN_NAME = "bench"


def build(*, organisation, log) -> None:
    """Once for a bench dataset: the notifications and the county supervisor."""
    if StatutoryNotification.objects.exists():
        return
    units = Unit.objects.filter(region__organisation=organisation)
    county_of = dict(Unit.counties.through.objects.filter(unit__in=units).values_list("unit_id", "wellbeingcounty_id"))
    rows = (
        Deviation.objects.filter(unit__in=units, is_critical=True)
        .order_by("pk")
        .values_list("pk", "unit_id", "number", "submitted_at", "classified_at", "handler_id")
    )
    made = 0
    batch = []
    with transaction.atomic():
        for i, (pk, unit_id, number, submitted, classified, handler_id) in enumerate(rows.iterator(chunk_size=BATCH)):
            if i % NOTIFIED_EVERY or unit_id not in county_of or handler_id is None:
                continue
            sent = classified or submitted
            for kind in (NotificationRecipient.COUNTY, NotificationRecipient.LEAD_OFFICIAL):
                batch.append(StatutoryNotification(
                    deviation_id=pk, unit_id=unit_id, recipient_kind=kind, county_id=county_of[unit_id],
                    legal_basis="SHL 741/2023 29 §", recipient_name="Hyvinvointialue",
                    recipient_email="kirjaamo@hva.bench.example",
                    subject=f"Ilmoitus: poikkeama {number}",
                    body="Yksikössä sattui vakava poikkeama. Tiedot ilman henkilötietoja.",
                    sent_by_id=handler_id, sent_at=sent,
                ))
            if len(batch) >= BATCH:
                StatutoryNotification.objects.bulk_create(batch)
                made += len(batch)
                batch = []
        StatutoryNotification.objects.bulk_create(batch)
        made += len(batch)
    log(f"  {made} statutory notifications to the counties")


def county_supervisor(unit) -> User:
    """A county supervisor of `unit`'s county (made once)."""
    county_id = Unit.counties.through.objects.filter(unit=unit).values_list("wellbeingcounty_id", flat=True).first()
    user, _created = User.objects.get_or_create(
        email=SUPERVISOR_EMAIL, defaults={"full_name": "Ville Valvoja", "title": "sosiaalihuollon valvoja"}
    )
    # The measured unit may change between runs (its reports grow): the access follows its county.
    CountyAccess.objects.filter(user=user, revoked_at__isnull=True).exclude(county_id=county_id).delete()
    if not CountyAccess.objects.filter(user=user, revoked_at__isnull=True).exists():
        CountyAccess.objects.create(user=user, county_id=county_id)
    access_county.forget_county(user)
    return user


def fresh_tokens(county) -> tuple[str, str]:
    """A county token and a public integration's for this run (the raw tokens are
    never stored: the previous run's are replaced)."""
    ApiToken.objects.filter(name__startswith=TOKEN_NAME).delete()
    raws = []
    for name, of in ((f"{TOKEN_NAME} county", county), (f"{TOKEN_NAME} public", None)):
        raw = access_county.token_new()
        ApiToken.objects.create(name=name, county=of, digest=access_county.token_digest(raw), prefix=raw[:10])
        raws.append(raw)
    return raws[0], raws[1]


def pages(cast, get, log=None) -> list:
    from django.test import Client

    person = county_supervisor(cast.unit)
    county = access_county.county_of(person)
    county_raw, public_raw = fresh_tokens(county)
    first = StatutoryNotification.objects.filter(county=county).order_by("-sent_at").values_list(
        "deviation_id", flat=True
    ).first()
    if log:
        count = StatutoryNotification.objects.filter(county=county).values("deviation_id").distinct().count()
        log(f"  county {county.name}: {count} reports notified, "
            f"{Unit.objects.filter(counties=county).count()} units")
    api = Client(raise_request_exception=False)

    def call(path, raw):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        return lambda i: api.get(f"/api/v1{path}", **auth).status_code

    out = [
        ("county home (county supervisor)", get(person, lambda i: "/hyvinvointialue/"), {200}),
        ("county notifications list (county supervisor)", get(person, lambda i: "/hyvinvointialue/ilmoitukset/"), {200}),
        ("county notifications page 5 (county supervisor)",
         get(person, lambda i: "/hyvinvointialue/ilmoitukset/?page=5"), {200}),
        ("county unit page (county supervisor)", get(person, lambda i: f"/hyvinvointialue/yksikot/{cast.unit.pk}/"), {200}),
    ]
    if first:
        out.append(("county notification detail (county supervisor)",
                    get(person, lambda i: f"/hyvinvointialue/ilmoitukset/{first}/"), {200}))
    out += [
        ("API /units (public token)", call("/units", public_raw), {200}),
        ("API /plans (public token)", call("/plans", public_raw), {200}),
        ("API /followup-reports (public token)", call("/followup-reports", public_raw), {200}),
        ("API /county/units (county token)", call("/county/units", county_raw), {200}),
        ("API /county/notifications (county token)", call("/county/notifications", county_raw), {200}),
        ("API /county/notifications page 5 (county token)", call("/county/notifications?page=5", county_raw), {200}),
        ("API /county/figures (county token)", call("/county/figures", county_raw), {200}),
    ]
    return out
