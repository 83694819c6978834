import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from omavalvonta.guidance import services
from omavalvonta.guidance.models import Kind

PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture
def client(client):
    # Pages are asserted in their English msgids.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def register_kwargs(*, authority=None, county=None, units=(), **overrides):
    data = {
        "kind": Kind.INFORMATION_REQUEST,
        "authority": authority,
        "county": county,
        "sender_reference": "LVV/1234/2026",
        "received_on": timezone.localdate(),
        "title": "Selvityspyyntö lastenkodin henkilöstömitoituksesta",
        "content": "Pyydämme selvitystä yövuorojen henkilöstömitoituksesta.",
        "deadline": timezone.localdate() + dt.timedelta(days=30),
        "units": list(units),
    }
    data.update(overrides)
    return data


@pytest.fixture
def register(authority):
    def _register(actor, *, units=(), **overrides):
        overrides.setdefault("authority", authority if "county" not in overrides else None)
        return services.guidance_register(actor=actor, **register_kwargs(units=units, **overrides))

    return _register
