import datetime as dt

import pytest
from django.utils import timezone

from omavalvonta.deviations.services import deviation_submit
from omavalvonta.guidance.services import guidance_register
from omavalvonta.improvement.services.actions import action_create
from omavalvonta.meetings.services import agenda_item_add, agenda_item_decide, meeting_create
from omavalvonta.testing.factories import deviation_kwargs


def report(actor, unit, description, **extra):
    if extra.get("kind") == "medication":
        extra.setdefault("medication_stage", "giving")
    if extra.get("kind") == "threat_or_violence":
        extra.setdefault("violence_target", "staff")
    extra.setdefault("immediate_actions", "")
    return deviation_submit(actor=actor, **deviation_kwargs(unit, description=description, **extra)).deviation


@pytest.fixture
def texts(unit_a, unit_b, employee_a, supervisor_a, supervisor_b, quality_director, authority):
    """A report in each unit about medicines (in different inflections), one
    about a door, and an action, an agenda decision and a guidance letter that
    speak of medicines too."""
    employee_b = supervisor_b
    found = {
        "a_medicine": report(employee_a, unit_a, "Lapsi sai väärän lääkkeen iltavuorossa."),
        "a_door": report(employee_a, unit_a, "Ulko-ovi jäi lukitsematta yöllä."),
        "b_medicines": report(employee_b, unit_b, "Kaapista puuttui lääkkeitä, lääke annettiin myöhässä."),
    }
    found["action"] = action_create(
        actor=supervisor_a, unit=unit_a, title="Lääkehoitosuunnitelman päivitys", owner=supervisor_a,
        due_date=timezone.localdate() + dt.timedelta(days=14), description="Lääkkeiden jakamisen ohje uusitaan.",
    )
    meeting = meeting_create(
        actor=supervisor_a, kind="team", title="Tiimipalaveri", unit=unit_a,
        starts_at=timezone.now() + dt.timedelta(days=1), chair=supervisor_a,
    )
    item = agenda_item_add(actor=supervisor_a, meeting=meeting, title="Lääkkeenjaon kaksoistarkistus")
    found["item"] = agenda_item_decide(actor=supervisor_a, item=item, decision="Lääke tarkistetaan aina kahdestaan.")
    found["guidance"] = guidance_register(
        actor=quality_director, kind="guidance", title="Ohje lääkkeiden säilytyksestä", content="Lääkkeet lukittuun kaappiin.",
        received_on=timezone.localdate(), authority=authority, units=[unit_a],
    )
    return found
