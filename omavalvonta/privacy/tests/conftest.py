import datetime as dt

import pytest

from omavalvonta.deviations.services import deviation_submit
from omavalvonta.organisation.models import Role
from omavalvonta.privacy import retention, services
from omavalvonta.testing.factories import deviation_kwargs, member


@pytest.fixture
def staff_member(unit_a):
    return member(Role.EMPLOYEE, unit=unit_a, full_name="Ville Virtanen", email="ville@omavalvonta.example")


@pytest.fixture
def three_reports(staff_member, unit_a, supervisor_a):
    """Ville reported two deviations; a colleague's § 29 grievance (a protected
    reporter) names him in its text."""
    colleague = member(Role.EMPLOYEE, unit=unit_a, full_name="Kaisa Kollega", email="kaisa@omavalvonta.example")
    first = deviation_submit(actor=staff_member, **deviation_kwargs(unit_a, description="Ovi jäi lukitsematta.")).deviation
    second = deviation_submit(
        actor=staff_member, **deviation_kwargs(unit_a, kind="near_miss", description="Liukas porras.")
    ).deviation
    naming = deviation_submit(actor=colleague, **deviation_kwargs(
        unit_a, kind="grievance",
        description="Ville Virtanen jätti lapsen yksin iltavuorossa, vaikka ohje kieltää sen.",
    )).deviation
    return {"first": first, "second": second, "naming": naming, "colleague": colleague}


def day(n: int, start=dt.date(2026, 1, 5)) -> dt.date:
    return start + dt.timedelta(days=n)


def destroyed_in_one_run(dpo, *, due, kept=()) -> None:
    """A destruction run proposed, approved by `dpo` and carried out by the
    worker; it proposed every (record_type, id) of `due` and none of `kept`."""
    run = retention.propose()
    proposed = set(run.items.values_list("record_type", "record_id"))
    assert set(due) <= proposed
    assert not set(kept) & proposed
    services.destruction_run_approve(actor=dpo, run=run)
    retention.retention_job()
