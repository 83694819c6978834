"""The registers' privacy notices (issue 21 item 12): drafted and published by
the data-protection officer in Finnish and Swedish, frozen once published,
shown on the public site in the reader's language."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omavalvonta.privacy import notices
from omavalvonta.privacy.models import NoticeState, PrivacyNoticeVersion

pytestmark = pytest.mark.django_db

FI = "Rekisterinpitäjä: Demo Oy.\n\nOikeutesi: voit pyytää pääsyä tietoihisi."
SV = "Personuppgiftsansvarig: Demo Ab.\n\nDina rättigheter: du kan begära tillgång."


def test_a_notice_is_published_in_both_languages_and_a_new_version_says_what_changed(dpo):
    draft = notices.notice_draft_save(actor=dpo, key="deviations", text_fi=FI, text_sv="")
    with pytest.raises(ValidationError) as error:
        notices.notice_publish(actor=dpo, key="deviations")
    assert set(error.value.message_dict) == {"text_sv"}
    notices.notice_draft_save(actor=dpo, key="deviations", text_fi=FI, text_sv=SV)
    first = notices.notice_publish(actor=dpo, key="deviations")
    assert (first.pk, first.number, first.state) == (draft.pk, 1, NoticeState.PUBLISHED)
    # The next draft starts as version 2; publishing it needs a note of what changed.
    notices.notice_draft_save(actor=dpo, key="deviations", text_fi=FI + " Muutos.", text_sv=SV)
    with pytest.raises(ValidationError) as error:
        notices.notice_publish(actor=dpo, key="deviations")
    assert set(error.value.message_dict) == {"change_summary"}
    notices.notice_draft_save(actor=dpo, key="deviations", text_fi=FI + " Muutos.", text_sv=SV, change_summary="Säilytysajat")
    second = notices.notice_publish(actor=dpo, key="deviations")
    assert second.number == 2 and notices.notice_published("deviations") == second
    first.refresh_from_db()
    assert first.text_fi == FI  # the published version is frozen
    with pytest.raises(ValidationError):
        notices.notice_publish(actor=dpo, key="deviations")  # no draft
    with pytest.raises(ValidationError):
        notices.notice_draft_save(actor=dpo, key="nothing", text_fi=FI, text_sv=SV)


def test_only_the_dpo_and_administrators_manage_notices(client, administrator, quality_director, supervisor_a):
    notices.notice_draft_save(actor=administrator, key="staff", text_fi=FI, text_sv=SV)
    for person in (quality_director, supervisor_a):
        with pytest.raises(PermissionDenied):
            notices.notice_draft_save(actor=person, key="staff", text_fi=FI, text_sv=SV)
        client.force_login(person)
        assert client.get(reverse("privacy:notices")).status_code == 403
        assert client.get(reverse("privacy:notice", args=["staff"])).status_code == 403


def test_the_page_keeps_what_was_typed_and_publishes(client, dpo):
    client.force_login(dpo)
    url = reverse("privacy:notice", args=["feedback"])
    assert client.get(reverse("privacy:notice", args=["nothing"])).status_code == 404
    bad = client.post(url, {"text_fi": FI, "text_sv": "", "action": "publish"}, headers={"accept-language": "fi"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Rekisterinpitäjä: Demo Oy." in body and "Kirjoita seloste ruotsiksi." in body
    assert client.post(url, {"text_fi": FI, "text_sv": SV, "action": "publish"}).status_code == 302
    overview = client.get(reverse("privacy:notices")).content.decode()
    assert url in overview
    assert PrivacyNoticeVersion.objects.get(register="feedback").state == NoticeState.PUBLISHED


def test_the_public_site_shows_the_notice_in_force_in_the_readers_language(client, dpo):
    index = reverse("public:privacy_notices")
    assert client.get(index).status_code == 200
    assert client.get(reverse("public:privacy_notice", args=["clients"])).status_code == 404  # not published
    notices.notice_draft_save(actor=dpo, key="clients", text_fi=FI, text_sv=SV)
    notices.notice_publish(actor=dpo, key="clients")
    notices.notice_draft_save(actor=dpo, key="clients", text_fi="Luonnos, ei vielä julki.", text_sv=SV)
    page = reverse("public:privacy_notice", args=["clients"])
    assert page in client.get(index).content.decode()
    fi = client.get(page, headers={"accept-language": "fi"}).content.decode()
    assert "Rekisterinpitäjä: Demo Oy." in fi and "Luonnos" not in fi
    sv = client.get(page, headers={"accept-language": "sv"}).content.decode()
    assert "Personuppgiftsansvarig: Demo Ab." in sv


def test_the_overview_reads_in_a_fixed_number_of_queries(dpo, django_assert_max_num_queries):
    for register in notices.REGISTERS:
        notices.notice_draft_save(actor=dpo, key=register.key, text_fi=FI, text_sv=SV)
        notices.notice_publish(actor=dpo, key=register.key)
    with django_assert_max_num_queries(4):
        rows = notices.notice_overview(actor=dpo)
    assert all(row["current"] for row in rows)


def test_a_draft_saved_meanwhile_is_not_overwritten_unseen(client, dpo, administrator):
    draft = notices.notice_draft_save(actor=dpo, key="staff", text_fi=FI, text_sv=SV)
    opened_at = draft.edit_version
    notices.notice_draft_save(actor=administrator, key="staff", text_fi=FI + " Ylläpitäjän lisäys.", text_sv=SV,
                              expected_version=opened_at)
    client.force_login(dpo)
    stale = client.post(reverse("privacy:notice", args=["staff"]), {
        "text_fi": "Tietosuojavastaavan versio.", "text_sv": SV, "action": "save", "edit_version": opened_at})
    assert stale.status_code == 400
    assert "Tietosuojavastaavan versio." in stale.content.decode()  # nothing typed is lost
    assert notices.notice_draft("staff").text_fi.endswith("Ylläpitäjän lisäys.")
