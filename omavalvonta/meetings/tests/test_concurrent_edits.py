"""Two people writing the same minutes at once: the later decision save is
refused with both texts shown and the typed one kept."""

import pytest
from django.urls import reverse

from omavalvonta.meetings import services
from omavalvonta.meetings.models import AgendaItem
from omavalvonta.meetings.tests.helpers import team_meeting
from omavalvonta.testing.concurrency import race

pytestmark = pytest.mark.django_db


def test_a_second_decision_on_an_item_opened_at_the_same_time_is_refused(supervisor_a, responsible_a, unit_a):
    meeting = team_meeting(supervisor_a, unit_a)
    item = services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Lääkehoidon ohje")
    field = f"d{item.pk}-decision"

    result = race(
        first_user=supervisor_a, second_user=responsible_a,
        url=reverse("meetings:item_decide", args=[meeting.pk, item.pk]),
        form_url=reverse("meetings:detail", args=[meeting.pk]),
        first_data={field: "Ohje käydään läpi jokaisessa vuorossa."},
        second_data={field: "Ohje päivitetään ennen seuraavaa kokousta."},
        version_field=f"d{item.pk}-edit_version",
    )

    assert "Ohje käydään läpi jokaisessa vuorossa." in result.refused_page
    assert supervisor_a.full_name in result.refused_page
    assert AgendaItem.objects.get(pk=item.pk).decision == "Ohje päivitetään ennen seuraavaa kokousta."
