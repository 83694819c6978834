"""factory_boy factories shared by every app's tests."""

import dataclasses
import datetime as dt

import factory
from django.utils import timezone

from omavalvonta.organisation.models import (
    Authority,
    Membership,
    Organisation,
    Region,
    Role,
    ServiceType,
    Unit,
    User,
    WellbeingCounty,
)

PASSWORD = "Testi-salasana-2026"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = "Testikonserni Oy"


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority

    name = "Lupa- ja valvontavirasto"
    email = "kirjaamo@valvonta.example"
    is_default = True


class WellbeingCountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WellbeingCounty

    name = factory.Sequence(lambda n: f"Testin hyvinvointialue {n}")
    notification_email = factory.Sequence(lambda n: f"kirjaamo{n}@hva.example")
    lead_official_name = "Johtava Viranhaltija"
    lead_official_email = factory.Sequence(lambda n: f"johtava{n}@hva.example")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Alue {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Lastenkoti {n}")
    service_type = ServiceType.SUBSTITUTE_CARE
    places = 7
    city = "Tampere"
    public_slug = factory.Sequence(lambda n: f"lastenkoti-{n}")

    @factory.post_generation
    def counties(self, create, extracted, **kwargs):
        if create and extracted:
            self.counties.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"henkilo{n}@omavalvonta.example")
    full_name = factory.Sequence(lambda n: f"Testi Henkilö {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.EMPLOYEE


def reauthenticated(client, user):
    """Mark `client`'s session as having just re-authenticated `user` (allauth's
    record of a password typed again), as before a sensitive change."""
    import time

    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "email": user.email, "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def member(role, *, unit=None, region=None, **user_fields):
    """A new user holding `role` over `unit`, `region` or (neither) the organisation."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, role=role, unit=unit, region=region)
    return user


def deviation_kwargs(unit, **overrides):
    """Valid keyword arguments for deviations.services.deviation_submit: the unit
    and a ReportInput; overrides that are not report fields (submitted_at,
    submission_key) are passed beside it."""
    from omavalvonta.deviations.services import ReportInput

    data = {
        "kind": "quality",
        "occurred_at": timezone.now() - dt.timedelta(hours=2),
        "location": "Olohuone",
        "description": "Iltalääkkeet jäivät antamatta vuoron vaihtuessa.",
        "immediate_actions": "Soitettiin päivystävälle sairaanhoitajalle.",
        "affected_child": True,
    }
    fields = {f.name for f in dataclasses.fields(ReportInput)}
    data.update({k: v for k, v in overrides.items() if k in fields})
    rest = {k: v for k, v in overrides.items() if k not in fields}
    return {"unit": unit, "report": ReportInput(**data), **rest}


def placement_kwargs(county=None, **overrides):
    """Valid keyword arguments for clients.services.placement_create (the unit aside)."""
    data = {
        "name": "Aino K.",
        "birth_year": timezone.localdate().year - 14,
        "placement_type": "substitute_care",
        "county": county,
        "social_worker_name": "Sanna Sosiaalityöntekijä",
        "social_worker_email": "sanna.sosiaalityontekija@hva.example",
        "social_worker_phone": "040 123 4567",
        "starts_on": timezone.localdate() - dt.timedelta(days=200),
        "client_plan_on": timezone.localdate() - dt.timedelta(days=190),
        "care_plan_on": timezone.localdate() - dt.timedelta(days=150),
    }
    data.update(overrides)
    return data


def handling_questions_answered(actor, deviation):
    """Answer a report's three handling questions (required before closing) as its
    handler (else `actor`): the instruction was followed, need not change, no
    outside party. Nothing when already answered or closed."""
    from omavalvonta.deviations import services

    deviation.refresh_from_db()
    if deviation.decisions_at is None and deviation.state != "closed":
        services.deviation_decide_handling(
            actor=deviation.handler or actor,
            deviation=deviation,
            instruction_followed="yes",
            must_change=False,
            outside_needed=False,
        )
