"""The server's side of the installable web app (core/offline.py): the service
worker and its release, the queue key, the offline pages rendered for nobody,
and the manifest."""

import base64
import json
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from omavalvonta.core import offline

pytestmark = pytest.mark.django_db


def worker_config(response) -> dict:
    match = re.search(r"^var CONFIG = (\{.*\});$", response.content.decode(), re.M)
    assert match, "the worker's configuration is missing"
    return json.loads(match.group(1))


def test_the_worker_is_served_from_the_root_and_named_by_the_release(client, employee_a, settings):
    settings.OMAVALVONTA_RELEASE = "2026.12.1"
    client.force_login(employee_a)
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"  # a new release is found on the next visit
    config = worker_config(response)
    assert config["cacheName"] == "omavalvonta-2026.12.1"
    # It keeps the offline pages and static files, nothing else.
    assert set(config["offlinePages"]) == {reverse("offline_shell"), reverse("deviations:new_offline")}
    others = [u for u in config["precache"] if u not in config["offlinePages"]]
    assert others and all(u.startswith(settings.STATIC_URL) for u in others)
    assert config["fallbacks"] == {reverse("deviations:new"): reverse("deviations:new_offline")}


def test_without_a_release_setting_the_cache_is_named_by_the_code(settings):
    settings.OMAVALVONTA_RELEASE = ""
    name = offline.cache_name()
    assert re.fullmatch(r"omavalvonta-[0-9a-f]{12}", name)
    assert offline.cache_name() == name  # stable while the code is


def test_signed_out_the_worker_and_the_key_are_not_given(client):
    assert client.get("/sw.js").status_code == 302
    assert client.get(reverse("offline_queue_key")).status_code == 302
    assert client.get(reverse("deviations:new_offline")).status_code == 302


def test_each_person_has_their_own_stable_queue_key(client, employee_a, colleague_a):
    client.force_login(employee_a)
    first = client.get(reverse("offline_queue_key"))
    again = client.get(reverse("offline_queue_key")).json()
    client.force_login(colleague_a)
    other = client.get(reverse("offline_queue_key")).json()

    assert "no-store" in first["Cache-Control"]
    mine = first.json()
    assert len(base64.b64decode(mine["key"])) == 32  # AES-256
    assert mine == again
    assert other["key"] != mine["key"] and other["owner"] != mine["owner"]
    assert employee_a.email not in json.dumps(mine)


@pytest.mark.parametrize("url_name", ["offline_shell", "deviations:new_offline"])
def test_an_offline_page_holds_nothing_personal(client, employee_a, unit_a, url_name):
    client.force_login(employee_a)
    response = client.get(reverse(url_name))
    page = response.content.decode()
    assert response.status_code == 200
    assert response[offline.OFFLINE_PAGE_HEADER] == "1"
    assert response["Cache-Control"] == "private, no-cache"
    for personal in (employee_a.email, employee_a.full_name, employee_a.get_short_name(), unit_a.name):
        assert personal not in page
    assert reverse("notifications:inbox") not in page  # no menu, no counts
    # The person is still signed in: the page only did not show it.
    assert client.get(reverse("account_settings")).status_code == 200


def test_the_offline_form_gets_its_units_as_json(client, employee_a, unit_a):
    client.force_login(employee_a)
    data = client.get(reverse("deviations:offline_units")).json()
    assert data == {"choices": [[unit_a.pk, unit_a.name]], "initial": unit_a.pk}


def test_every_signed_in_page_shows_the_queue_and_links_the_manifest(client, employee_a):
    client.force_login(employee_a)
    page = client.get(reverse("home")).content.decode()
    assert "data-offline-queue" in page and 'data-owner="' + offline.owner_tag(employee_a) + '"' in page
    assert 'rel="manifest"' in page and "offline-queue.js" in page
    assert "data-offline-signout" in page


def test_a_signed_out_page_has_no_queue(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/accounts/login/").content.decode()
    assert "data-offline-queue" not in page


def test_the_manifest_names_the_app_and_its_icons():
    with open(finders.find("app-manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    assert manifest["name"] == "Omavalvonta" and manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        path = finders.find(icon["src"])
        assert path, icon["src"]
        width, height = (int(n) for n in icon["sizes"].split("x"))
        from PIL import Image

        with Image.open(path) as image:
            assert image.size == (width, height)
    assert all(finders.find(p) for p in offline.SHELL_STATIC)
