"""The data-protection officer's review of the access log: filters, the flags
for unusual reads, marking a flag reviewed; only the DPO and administrators."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core.models import AccessLogEntry
from omavalvonta.core.services import access_log_page_record
from omavalvonta.privacy import rules, selectors, services
from omavalvonta.privacy.models import LogReview

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


def read(actor, what="deviation.detail", unit=None, at=None, detail=""):
    entry = access_log_page_record(actor=actor, what=what, right="deviation.view", unit=unit, detail=detail)
    if at is not None:
        AccessLogEntry.objects.filter(pk=entry.pk).update(at=at)
    return entry


def flags(actor, entry):
    row = selectors.access_log_review(actor=actor).get(pk=entry.pk)
    return {name for name in rules.FLAGS if getattr(row, f"flag_{name}")}


def test_reads_in_own_units_are_not_flagged_and_wide_role_reads_are(
    dpo, supervisor_a, regional_director_a, quality_director, unit_a, unit_b
):
    assert flags(dpo, read(supervisor_a, unit=unit_a)) == set()
    assert flags(dpo, read(supervisor_a, unit=unit_b)) == {"outside"}  # another unit (e.g. as a report's named handler)
    assert flags(dpo, read(regional_director_a, unit=unit_a)) == set()  # the unit is in their region
    assert flags(dpo, read(regional_director_a, unit=unit_b)) == {"outside"}
    assert flags(dpo, read(quality_director, unit=unit_a)) == {"outside"}  # an organisation-wide role has no own units
    assert flags(dpo, read(quality_director, what="deviation.list")) == set()  # a list read names no unit


def test_a_protected_reporters_identity_is_flagged(dpo, supervisor_a, unit_a):
    assert flags(dpo, read(supervisor_a, what="deviation.reporter", unit=unit_a)) == {"protected"}


def test_many_reads_in_a_short_time_are_flagged_from_the_threshold_on(dpo, supervisor_a, unit_a):
    start = timezone.now() - dt.timedelta(hours=1)
    entries = [read(supervisor_a, unit=unit_a, at=start + dt.timedelta(seconds=10 * i)) for i in range(rules.BURST_READS)]
    assert flags(dpo, entries[-2]) == set()  # 29 within the window
    assert flags(dpo, entries[-1]) == {"burst"}  # the 30th
    later = read(supervisor_a, unit=unit_a, at=start + rules.BURST_WINDOW + dt.timedelta(minutes=5))
    assert flags(dpo, later) == set()  # the window has moved on


def test_filters(dpo, supervisor_a, quality_director, unit_a, unit_b):
    a = read(supervisor_a, unit=unit_a, at=timezone.now() - dt.timedelta(days=3))
    b = read(quality_director, unit=unit_b, what="deviation.reporter")
    c = read(quality_director, what="deviation.list")

    def ids(**filters):
        return set(selectors.access_log_review(actor=dpo, filters=filters).values_list("pk", flat=True))

    assert ids(reader="laura") == {b.pk, c.pk}
    assert ids(unit=unit_a.name.split()[-1].lower()) == {a.pk}
    assert ids(what="deviation.reporter") == {b.pk}
    assert ids(date_to=timezone.localdate() - dt.timedelta(days=1)) == {a.pk}
    assert ids(flag="protected") == {b.pk}
    assert ids(flag="any") == {b.pk}
    services.log_review_record(actor=dpo, entry=b, note="Vastuuhenkilö pyysi")
    assert ids(flag="unreviewed") == set()


def test_a_read_is_reviewed_once_with_a_note(dpo, supervisor_a, unit_b):
    entry = read(supervisor_a, unit=unit_b)
    services.log_review_record(actor=dpo, entry=entry, note="  Sijaisuus yksikössä  ")
    review = LogReview.objects.get(entry=entry)
    assert review.reviewed_by == dpo and review.note == "Sijaisuus yksikössä"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.log_review_record(actor=dpo, entry=entry, note="again")
    with pytest.raises(ValidationError):
        services.log_review_record(actor=dpo, entry=read(supervisor_a, unit=unit_b), note="x" * 1001)


def test_the_page_shows_flags_and_marks_reviewed(client, dpo, quality_director, unit_a):
    entry = read(quality_director, unit=unit_a, what="deviation.reporter")
    client.force_login(dpo)
    page = client.get(reverse("privacy:log"), {"flag": "unreviewed"}).content.decode()
    assert "Laura Laatujohtaja" in page and "A protected reporter&#x27;s identity" in page
    assert "Outside the reader&#x27;s own units" in page and "Mark reviewed" in page
    back = reverse("privacy:log") + "?flag=unreviewed"
    response = client.post(reverse("privacy:log_mark", args=[entry.pk]), {"note": "Tarkistettu", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert LogReview.objects.get(entry=entry).note == "Tarkistettu"
    page = client.get(reverse("privacy:log")).content.decode()
    assert "Reviewed" in page and "Tarkistettu" in page
    # A second review and an outside address are refused without a server error.
    again = client.post(reverse("privacy:log_mark", args=[entry.pk]), {"note": "x", "next": "https://evil.example/"}, follow=True)
    assert again.status_code == 200 and "already been reviewed" in again.content.decode()
    # Reading the log is itself logged.
    assert AccessLogEntry.objects.filter(actor=dpo, what="access_log.review").exists()


def test_bad_filter_input_is_kept_and_explained(client, dpo):
    client.force_login(dpo)
    response = client.get(reverse("privacy:log"), {"date_from": "2026-12-10", "date_to": "2026-12-01", "reader": "Matti"})
    page = response.content.decode()
    assert response.status_code == 200 and "The end of the period is before its start." in page and 'value="Matti"' in page


@pytest.mark.parametrize(
    "who", ["employee_a", "supervisor_a", "responsible_a", "regional_director_a", "quality_director", "safety_manager"]
)
def test_only_the_dpo_and_administrators_reach_it(client, request, who, administrator, supervisor_a, unit_a):
    entry = read(supervisor_a, unit=unit_a)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("privacy:log")).status_code == 403
    assert client.post(reverse("privacy:log_mark", args=[entry.pk]), {"note": "x"}).status_code == 403
    client.force_login(administrator)
    assert client.get(reverse("privacy:log")).status_code == 200


def test_query_count_does_not_grow_with_rows(client, dpo, supervisor_a, quality_director, unit_a, unit_b, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    read(quality_director, unit=unit_a)
    client.force_login(dpo)
    client.get(reverse("privacy:log"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("privacy:log"))
    for i in range(30):
        read(
            supervisor_a if i % 2 else quality_director,
            unit=unit_a if i % 3 else unit_b,
            what="deviation.reporter" if i % 5 == 0 else "deviation.detail",
        )
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("privacy:log"))


def test_a_reader_without_an_account_is_named_found_and_not_flagged_as_outside(client, dpo, supervisor_a, unit_a):
    """A child's social worker who downloaded a document with a one-time code:
    the row has no actor, names the reader and is filtered by their name."""
    from omavalvonta.core.services import access_log_outside_record

    own = read(supervisor_a, unit=unit_a)
    outside = access_log_outside_record(
        reader="Sanna Sosiaalityöntekijä <sanna@kunta.example>", target=unit_a, what="placement.social_worker_download",
        right="one-time code", unit=unit_a, address="not an address",
    )
    assert outside.actor_id is None and outside.ip_address is None
    assert flags(dpo, outside) == set()
    ids = set(selectors.access_log_review(actor=dpo, filters={"reader": "sanna"}).values_list("pk", flat=True))
    assert ids == {outside.pk} and own.pk not in ids
    client.force_login(dpo)
    page = client.get(reverse("privacy:log")).content.decode()
    assert "Sanna Sosiaalityöntekijä &lt;sanna@kunta.example&gt;" in page
    assert "A child&#x27;s document downloaded by the social worker" in page
