import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.notifications.services import notification_enqueue

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")


def notify(person, subject="Uusi toimenpide", link="", minutes_ago=0, **extra):
    n = notification_enqueue(recipient=person, kind="test", subject=subject, body="Tee se.", link=link, **extra)
    if minutes_ago:
        Notification.objects.filter(pk=n.pk).update(created_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    return n


def open_url(n):
    return reverse("notifications:open", args=[n.pk])


@pytest.fixture
def signed_in(client, person):
    client.force_login(person)
    return client


def test_the_inbox_lists_only_my_in_app_notifications_newest_first(signed_in, person, other_person):
    notify(person, "Vanhempi", minutes_ago=10)
    notify(person, "Uudempi")
    notify(other_person, "Jonkun muun")
    notification_enqueue(recipient=person, kind="k", subject="Vain sähköposti", body="b", in_app=False)

    response = signed_in.get(INBOX)

    assert response.status_code == 200
    subjects = [n.subject for n in response.context["page_obj"]]
    assert subjects == ["Uudempi", "Vanhempi"]
    assert b"Jonkun muun" not in response.content
    assert b"Vain s\xc3\xa4hk\xc3\xb6posti" not in response.content


def test_unread_notifications_are_highlighted(signed_in, person):
    unread = notify(person, "Lukematon")
    read = notify(person, "Luettu")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())

    html = signed_in.get(INBOX).content.decode()

    assert f'data-notification="{unread.pk}" data-unread' in html
    assert f'data-notification="{read.pk}">' in html
    assert response_unread_count(signed_in) == 1


def response_unread_count(client):
    return client.get(INBOX).context["unread_count"]


def test_the_inbox_shows_twenty_a_page(signed_in, person):
    for i in range(25):
        notify(person, f"Viesti {i}")
    assert len(signed_in.get(INBOX).context["page_obj"]) == 20
    assert len(signed_in.get(INBOX, {"page": 2}).context["page_obj"]) == 5


def test_an_empty_inbox_says_so(signed_in):
    response = signed_in.get(INBOX)
    assert response.status_code == 200
    assert b'class="empty"' in response.content


def test_opening_marks_read_and_follows_the_link(signed_in, person):
    n = notify(person, link="/poikkeamat/12/")
    response = signed_in.get(open_url(n))
    assert response.status_code == 302
    assert response["Location"] == "/poikkeamat/12/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_opening_by_post_works_too_and_without_a_link_returns_to_the_inbox(signed_in, person):
    n = notify(person)
    response = signed_in.post(open_url(n))
    assert response["Location"] == INBOX
    n.refresh_from_db()
    assert n.read_at is not None


def test_opening_someone_elses_notification_is_404_and_changes_nothing(signed_in, other_person):
    theirs = notify(other_person, link="/poikkeamat/1/")
    assert signed_in.get(open_url(theirs)).status_code == 404
    assert signed_in.post(open_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_an_email_only_row_addressed_to_me_is_404(signed_in, person):
    n = notification_enqueue(recipient=person, kind="k", subject="s", body="b", in_app=False)
    assert signed_in.get(open_url(n)).status_code == 404


@pytest.mark.parametrize(
    "link",
    ["//evil.example/x", "http://evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_an_unsafe_link_returns_to_the_inbox(signed_in, person, link):
    # Written directly: enqueue refuses such links, but old rows must not redirect either.
    n = Notification.objects.create(
        recipient=person, kind="k", subject="s", body="b", link=link, state=DeliveryState.NOT_EMAILED
    )
    response = signed_in.get(open_url(n))
    assert response.status_code == 302
    assert response["Location"] == INBOX
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_all_read_marks_only_mine(signed_in, person, other_person):
    mine = [notify(person, f"Oma {i}") for i in range(3)]
    theirs = notify(other_person)

    response = signed_in.post(INBOX)

    assert response.status_code == 302
    assert response["Location"] == INBOX
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_signing_in_is_required(client, person):
    n = notify(person)
    for url in (INBOX, open_url(n)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert Notification.objects.get(pk=n.pk).read_at is None


def test_the_inbox_declares_its_access():
    from omavalvonta.notifications import views
    from omavalvonta.organisation.access import AUTHENTICATED

    assert views.inbox.access_permission == AUTHENTICATED
    assert views.open_notification.access_permission == AUTHENTICATED


def test_inbox_queries_stay_flat_as_rows_grow(signed_in, person):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert signed_in.get(INBOX).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        notify(person, f"Viesti {i}")
    few = count_queries()
    for i in range(27):
        notify(person, f"Lisää {i}", link=f"/poikkeamat/{i}/")
    many = count_queries()
    assert many == few
