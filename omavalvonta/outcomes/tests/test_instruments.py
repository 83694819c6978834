"""The instruments as data: the default instrument, drafts, publishing, and
versions frozen once published and once used."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omavalvonta.outcomes import selectors, services
from omavalvonta.outcomes.defaults import CODE
from omavalvonta.outcomes.models import Instrument, Item, VersionStatus
from omavalvonta.outcomes.tests.helpers import record


def test_the_default_instrument_has_eight_domains_in_three_languages(db):
    version = selectors.current_version()
    assert version.instrument.code == CODE and version.status == VersionStatus.PUBLISHED
    items = list(version.items.all())
    assert [i.domain for i in items] == [
        "daily_routines", "school_or_work", "relationships", "emotions_mood",
        "behaviour", "independence", "safety", "participation",
    ]
    for item in items:
        for field in ("domain", "child", "worker", "low", "high"):
            assert all(getattr(item, f"{field}_{lang}") for lang in ("fi", "sv", "en")), (item.domain, field)


def test_a_published_version_is_frozen_and_a_used_draft_too(rehab_director, employee_a, make_placement):
    version = selectors.current_version()
    item = version.items.first()
    with pytest.raises(ValidationError, match="published version cannot be changed"):
        services.item_update(actor=rehab_director, item=item, child_fi="Uusi sanamuoto")
    draft = services.version_draft_create(actor=rehab_director, version=version)
    draft_item = draft.items.get(domain=item.domain)
    services.item_update(actor=rehab_director, item=draft_item, child_fi="Miten päiväsi menevät?")
    draft_item.refresh_from_db()
    assert draft_item.child_fi == "Miten päiväsi menevät?"
    # A draft someone measured with (e.g. through the shell or an import) is frozen as well.
    draft.status = VersionStatus.PUBLISHED
    draft.save()
    record(employee_a, make_placement(), on=draft.created_at.date())
    draft.status = VersionStatus.DRAFT
    draft.save()
    with pytest.raises(ValidationError, match="used in measurements"):
        services.item_update(actor=rehab_director, item=draft_item, child_fi="Taas uusi")
    draft_item.refresh_from_db()
    assert draft_item.child_fi == "Miten päiväsi menevät?"


def test_editing_a_used_version_through_the_page_is_refused(client, rehab_director, employee_a, make_placement):
    version = selectors.current_version()
    record(employee_a, make_placement(), on=make_placement().starts_on)
    item = version.items.first()
    client.force_login(rehab_director)
    page = client.get(reverse("outcomes:version", args=[version.pk])).content.decode()
    assert "This version is frozen" in page and reverse("outcomes:item_edit", args=[item.pk]) not in page
    response = client.post(
        reverse("outcomes:item_edit", args=[item.pk]),
        {"domain_fi": "Arki", "child_fi": "Uusi", "worker_fi": "Uusi", "age_min": 7, "age_max": 25},
    )
    assert response.status_code == 200
    assert "cannot be changed" in response.content.decode()
    assert Item.objects.get(pk=item.pk).child_fi != "Uusi"


def test_the_rehabilitation_director_makes_edits_and_publishes_a_draft(client, rehab_director):
    version = selectors.current_version()
    client.force_login(rehab_director)
    assert client.get(reverse("outcomes:instruments")).status_code == 200
    response = client.post(reverse("outcomes:version_draft", args=[version.pk]))
    draft = Instrument.objects.get(code=CODE).versions.get(status=VersionStatus.DRAFT)
    assert response.url == reverse("outcomes:version", args=[draft.pk]) and draft.number == 2
    item = draft.items.get(domain="safety")
    # Bad input: a clear message, the typed text kept, nothing saved.
    response = client.post(
        reverse("outcomes:item_edit", args=[item.pk]),
        {"domain_fi": "Turvallisuus", "child_fi": "Tunnetko olosi turvalliseksi?", "worker_fi": "", "age_min": 12, "age_max": 9},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Tunnetko olosi turvalliseksi?" in page
    assert "Give an age range" in page or "required" in page
    response = client.post(
        reverse("outcomes:item_edit", args=[item.pk]),
        {
            "domain_fi": "Turvallisuus",
            "child_fi": "Tunnetko olosi turvalliseksi?",
            "worker_fi": "Nuori on turvassa.",
            "age_min": 10,
            "age_max": 25,
        },
    )
    assert response.status_code == 302
    client.post(reverse("outcomes:version_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert selectors.current_version() == draft


def test_only_those_who_keep_instruments_may_change_them(client, employee_a, quality_director):
    version = selectors.current_version()
    with pytest.raises(PermissionDenied):
        services.version_draft_create(actor=employee_a, version=version)
    client.force_login(employee_a)
    assert client.get(reverse("outcomes:instruments")).status_code == 403
    assert client.post(reverse("outcomes:version_draft", args=[version.pk])).status_code == 403


def test_the_menu_offers_the_instruments_to_the_rehabilitation_director_only(client, rehab_director, employee_a):
    client.force_login(rehab_director)
    assert reverse("outcomes:instruments") in client.get(reverse("home")).content.decode()
    client.force_login(employee_a)
    assert reverse("outcomes:instruments") not in client.get(reverse("home")).content.decode()


def test_a_second_edit_of_an_item_opened_at_the_same_time_is_refused(rehab_director):
    from omavalvonta.organisation.models import Role
    from omavalvonta.outcomes.forms import ItemForm
    from omavalvonta.testing.concurrency import race
    from omavalvonta.testing.factories import member

    other = member(Role.REHABILITATION_DIRECTOR, full_name="Kalle Kuntoutus", email="kalle@omavalvonta.example")
    draft = services.version_draft_create(actor=rehab_director, version=selectors.current_version())
    item = draft.items.first()
    common = {name: getattr(item, name) for name in ItemForm.FIELDS}
    result = race(
        first_user=rehab_director, second_user=other, url=reverse("outcomes:item_edit", args=[item.pk]),
        first_data={**common, "child_fi": "Miten arkesi sujuu nyt?"},
        second_data={**common, "child_fi": "Kuinka tavalliset päivät menevät?"},
    )
    assert "Miten arkesi sujuu nyt?" in result.refused_page, "the stored text is shown beside the typed one"
    item.refresh_from_db()
    assert item.child_fi == "Kuinka tavalliset päivät menevät?"


@pytest.mark.django_db
def test_the_rehabilitation_director_sets_the_reliable_change_threshold(client, rehab_director, supervisor_a):
    from decimal import Decimal

    from omavalvonta.outcomes.models import Instrument

    instrument = Instrument.objects.first()
    url = reverse("outcomes:instrument_threshold", args=[instrument.pk])
    client.force_login(supervisor_a)
    assert client.post(url, {"reliable_change": "2"}).status_code == 403
    client.force_login(rehab_director)
    refused = client.post(url, {"reliable_change": "abc\x00"})
    assert refused.status_code == 400 and "Give a number from" in refused.content.decode()
    assert 'value="abc' in refused.content.decode()  # what was typed is kept
    assert client.post(url, {"reliable_change": "0"}).status_code == 400
    assert client.post(url, {"reliable_change": "NaN"}).status_code == 400
    assert client.post(url, {"reliable_change": "2,25"}).status_code == 302
    instrument.refresh_from_db()
    assert instrument.reliable_change == Decimal("2.25")
    assert client.post(reverse("outcomes:instrument_threshold", args=[999999]), {"reliable_change": "1"}).status_code == 404
