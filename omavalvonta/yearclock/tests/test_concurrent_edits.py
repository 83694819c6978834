"""Two quality directors editing the same duty template at once: the later save
is refused with both versions shown and the typed values kept."""

import pytest
from django.urls import reverse

from omavalvonta.organisation.models import Role
from omavalvonta.testing.concurrency import race
from omavalvonta.testing.factories import member
from omavalvonta.yearclock import services
from omavalvonta.yearclock.models import ObligationTemplate

pytestmark = pytest.mark.django_db

FORM = {"kind": "other", "recurrence": "yearly", "start_month": "6", "owner_role": "supervisor",
        "remind_days_before": "21", "unit_scope": "all", "is_active": "on"}


def test_a_second_save_of_a_duty_opened_at_the_same_time_is_refused(quality_director, unit_a):
    other = member(Role.QUALITY_DIRECTOR, full_name="Olli Toinen", email="olli@omavalvonta.example")
    template = services.obligation_template_save(
        actor=quality_director, title="Lääkehoitosuunnitelman tarkistus", kind="other", recurrence="yearly",
        start_month=6, interval_months=12, months=[], owner_role="supervisor", remind_days_before=21,
        unit_scope="all", service_types=[], units=[], is_active=True, description="",
    )

    result = race(
        first_user=quality_director, second_user=other,
        url=reverse("yearclock:template_edit", args=[template.pk]),
        first_data={**FORM, "title": "Lääkehoitosuunnitelman tarkistus", "description": "Farmaseutti mukana."},
        second_data={**FORM, "title": "Lääkehoidon vuositarkistus", "start_month": "9",
                     "description": "Tarkistetaan syksyllä."},
    )

    assert "Farmaseutti mukana." in result.refused_page
    assert quality_director.full_name in result.refused_page
    stored = ObligationTemplate.objects.get(pk=template.pk)
    assert (stored.title, stored.start_month) == ("Lääkehoidon vuositarkistus", 9)
