"""Demo county access: one person of the purchasing county that received the
most statutory notifications signs in to the county's own view (printed with
the other demo sign-ins). No API token is made: a token is a secret, made by an
administrator at /hallinta/api-avaimet/ (docs/api.md)."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count

from omavalvonta.demo.builder import DEMO_DOMAIN, DEMO_PASSWORD, LOGIN_EMAIL
from omavalvonta.deviations.models import StatutoryNotification
from omavalvonta.organisation import services as org_services
from omavalvonta.organisation.models import Role, User, WellbeingCounty

# In the demo domain, so that `load_demo --reset` removes the person with the others.
COUNTY_LOGIN_EMAIL = f"hyvinvointialue.valvoja@{DEMO_DOMAIN}"
COUNTY_LOGIN_NAME = "Kaisa Valvoja"


def county_login_description() -> str:
    """The county person's line among the demo sign-ins, or "" when there is none."""
    county = (
        User.objects.filter(email=COUNTY_LOGIN_EMAIL, county_accesses__revoked_at__isnull=True)
        .values_list("county_accesses__county__name", flat=True)
        .first()
    )
    return f"hyvinvointialueen valvoja, {county}" if county else ""


@transaction.atomic
def build(*, log=print) -> dict:
    busiest = (
        StatutoryNotification.objects.filter(county__isnull=False)
        .values("county_id")
        .annotate(n=Count("id"))
        .order_by("-n", "county_id")
        .first()
    )
    county = (
        WellbeingCounty.objects.get(pk=busiest["county_id"]) if busiest else WellbeingCounty.objects.order_by("pk").first()
    )
    if county is None:
        return {}
    person = User.objects.create(
        email=COUNTY_LOGIN_EMAIL, full_name=COUNTY_LOGIN_NAME, title="Valvontasuunnittelija",
        password=make_password(DEMO_PASSWORD),
    )
    admin = User.objects.get(email=LOGIN_EMAIL[Role.ADMINISTRATOR])
    org_services.county_access_grant(actor=admin, person=person, county=county)
    log(f"  county: {COUNTY_LOGIN_EMAIL} sees {county.name}")
    return {"county people": 1}
