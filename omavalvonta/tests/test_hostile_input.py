"""Hostile input never makes a server error.

The pages of a small demo organisation are crawled as several people; every form
found (list filters and edit forms alike) is sent again with out-of-range dates,
huge integers and non-ASCII digits in each field, and every page's URL again
with such values in its path. Each must answer with a form error, a 404 or the
page itself: never a 500."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from omavalvonta.demo import builder
from omavalvonta.organisation.models import Role, User

# Out-of-range and odd values, by the kind of field they are aimed at.
DATES = ["0001-01-01", "9999-12-31", "99999-01-01"]
DATETIMES = ["0001-01-01T00:00", "9999-12-31T23:59"]
NUMBERS = ["99999999999999999999999", "-99999999999999999999999", "²", "١٢", "①"]
# Typed into every text-like field too: a number parsed from a text box must fail cleanly.
TEXTS = ["99999999999999999999999", "²"]

# Not crawled: signing out (would end the crawl), the language switch, Django's
# admin, static files, and PDFs (slow to render, and they take no input).
SKIP_PREFIXES = ("/accounts/logout", "/i18n/", "/django-admin/", "/static/", "/media/", "/accounts/")
MAX_PER_ROUTE = 2




class _Page(HTMLParser):
    """The links and forms of one page."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form["fields"].append({"name": a["name"], "type": kind, "value": None, "option": a.get("value")})
                return
            self._form["fields"].append({"name": a["name"], "type": kind, "value": a.get("value", "")})
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "type": "select", "value": None, "first": None, "multiple": "multiple" in a}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if "selected" in a:
                self._select["value"] = value
            if value and self._select["first"] is None:
                self._select["first"] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "type": "textarea", "value": ""}
            self._form["fields"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _route(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def _route_kind(path: str):
    """The route and its word arguments (a scope level, a slug): pages that differ
    in those are different kinds of page; in record ids they are not."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route, tuple(str(v) for v in match.kwargs.values() if not str(v).isdigit())


def _base_values(fields) -> list[tuple[str, str]]:
    values = []
    for f in fields:
        if f["type"] == "select":
            value = f["value"] if f["value"] is not None else (f["first"] or "")
            values.append((f["name"], value))
        elif f["value"] is not None:
            values.append((f["name"], f["value"]))
    return values


def _variants(fields):
    """(label, data) pairs: the form's own values with one kind of hostile value
    in every field of the matching type."""
    base = _base_values(fields)
    names = {f["name"]: f for f in fields}

    def replaced(match, value):
        data = [(n, v) for n, v in base if not match(names[n])]
        for f in fields:
            if match(f):
                data.append((f["name"], value))
        return data

    # Each kind of field: its label, which fields it is, and its hostile values.
    kinds = (
        ("date", lambda f: f["type"] == "date", DATES),
        ("datetime", lambda f: f["type"] == "datetime-local", DATETIMES),
        (
            "number",
            lambda f: f["name"] != "csrfmiddlewaretoken" and f["type"] in ("number", "select", "hidden", "checkbox", "radio"),
            NUMBERS,
        ),
        ("text", lambda f: f["type"] in ("text", "search", "textarea"), TEXTS),
    )
    for label, match, values in kinds:
        if any(match(f) for f in fields):
            for v in values:
                yield f"{label}={v}", replaced(match, v)


def _hostile_paths(path: str):
    """The page's path with each argument replaced by a hostile value."""
    try:
        match = resolve(path)
    except Resolver404:
        return
    for name in match.kwargs:
        for value in ("²", "①", "99999999999999999999999", "0"):
            kwargs = {**{k: str(v) for k, v in match.kwargs.items()}, name: value}
            try:
                yield reverse(match.view_name, kwargs=kwargs)
            except Exception:  # the converter refuses the value: nothing to send
                continue


def _crawl_and_fuzz(client: Client) -> list[str]:
    problems: list[str] = []
    queue = ["/"]
    seen_urls: set[str] = set()
    per_route: Counter = Counter()
    sent_forms: set[tuple] = set()

    def check(response, what):
        if response.status_code >= 500:
            problems.append(f"{response.status_code} {what}")

    def request(method, url, data=None):
        try:
            if method == "post":
                grouped: dict[str, list[str]] = {}
                for name, value in data or []:
                    grouped.setdefault(name, []).append(value)
                response = client.post(url, grouped)
            else:
                response = client.get(url)
            if response.streaming:  # a CSV export fails mid-stream, if at all
                response.content_read = b"".join(response.streaming_content)
            return response
        except Exception as exc:  # noqa: BLE001 - every exception is the finding
            problems.append(f"{type(exc).__name__}: {exc} <- {method.upper()} {url} {data!r}"[:400])
            return None

    while queue:
        url = queue.pop(0)
        if url in seen_urls:
            continue
        seen_urls.add(url)
        response = request("get", url)
        if response is None:
            continue
        check(response, f"GET {url}")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
                continue
            if parts.path.endswith((".pdf", "/pdf/")):
                continue
            route = _route_kind(parts.path)
            if route is None:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen_urls or per_route[route] >= MAX_PER_ROUTE:
                continue
            per_route[route] += 1
            queue.append(target)
        for form in page.forms:
            action = form["action"] or urlsplit(url).path
            action_path = urlsplit(action).path
            if action_path.startswith(SKIP_PREFIXES):
                continue
            key = (form["method"], _route(action_path), tuple(sorted(f["name"] for f in form["fields"])))
            if key in sent_forms:
                continue
            sent_forms.add(key)
            for label, data in _variants(form["fields"]):
                if form["method"] == "post":
                    response = request("post", action, data)
                else:
                    query = [*parse_qsl(urlsplit(action).query), *data]
                    response = request("get", action_path + "?" + urlencode(query))
                if response is None:
                    continue
                check(response, f"{form['method'].upper()} {action} {label}")
                # Links on the answer that carry the hostile filters on (the CSV
                # export of a filtered list).
                if form["method"] == "get" and response.status_code == 200 and not response.streaming:
                    answer = _Page()
                    answer.feed(response.content.decode())
                    for href in answer.links:
                        parts = urlsplit(href)
                        if (
                            parts.query and parts.path.startswith("/") and parts.path != action_path
                            and not parts.path.startswith(SKIP_PREFIXES) and href not in seen_urls
                        ):
                            seen_urls.add(href)
                            followed = request("get", href)
                            if followed is not None:
                                check(followed, f"GET {href} ({label})")
        for hostile in _hostile_paths(urlsplit(url).path):
            if hostile and hostile not in seen_urls:
                seen_urls.add(hostile)
                response = request("get", hostile)
                if response is not None:
                    check(response, f"GET {hostile}")
    assert len(seen_urls) > 20, "the crawl found too few pages to mean anything"
    return problems


# A director's crawl sends some thousands of requests: near the suite's 300 s
# per test on a busy two-core machine (PostgreSQL, two workers), so it has more.
@pytest.mark.timeout(900)
@pytest.mark.parametrize(
    "role",
    [Role.QUALITY_DIRECTOR, Role.SUPERVISOR, Role.RESPONSIBLE_PERSON, Role.ADMINISTRATOR, Role.EMPLOYEE],
)
def test_no_form_or_page_answers_hostile_input_with_a_server_error(small_demo, db, role):
    client = Client(raise_request_exception=True)
    client.force_login(User.objects.get(email=builder.LOGIN_EMAIL[role]))
    problems = _crawl_and_fuzz(client)
    if problems:
        pytest.fail("\n".join(sorted(set(problems))), pytrace=False)


# --- The cases an outside probe found, one by one ----------------------------------------------


def _as(client, role):
    client.force_login(User.objects.get(email=builder.LOGIN_EMAIL[role]))
    return client


@pytest.mark.parametrize("query", ["date_to=9999-12-31", "date_from=0001-01-01", "date_from=9999-12-31&date_to=9999-12-31"])
def test_out_of_range_dates_on_the_deviation_list_are_a_form_error(small_demo, db, client, query):
    response = _as(client, Role.QUALITY_DIRECTOR).get(f"/poikkeamat/?{query}")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "Enter a date between 1.1.1900 and 31.12.2999." in response.content.decode()


@pytest.mark.parametrize("query", ["date_to=9999-12-31", "date_from=0001-01-01"])
def test_the_csv_export_with_out_of_range_dates_is_complete(small_demo, db, client, query):
    response = _as(client, Role.QUALITY_DIRECTOR).get(f"/poikkeamat/vienti.csv?{query}")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    # The malformed filter is ignored: every report the director sees is exported.
    assert len(lines) > 2


@pytest.mark.parametrize("key", ["²", "①", "١٢", "99999999999999999999999"])
def test_non_ascii_digits_in_a_scope_address_are_a_404(small_demo, db, client, key):
    assert _as(client, Role.QUALITY_DIRECTOR).get(f"/palaute/koonti/region/{key}/").status_code == 404


def test_a_meeting_in_the_year_1_is_a_form_error(small_demo, db, client):
    page = _as(client, Role.SUPERVISOR).get("/kokoukset/uusi/")
    unit = page.context["form"].fields["unit"].queryset.first()
    response = client.post(
        "/kokoukset/uusi/", {"kind": "team", "unit": unit.pk, "title": "Tiimi", "starts_at": "0001-01-01T10:00"}
    )
    assert response.status_code == 200
    assert "starts_at" in response.context["form"].errors


@pytest.mark.parametrize("value", ["99999999999999999999999", "²"])
def test_a_huge_number_in_a_multiple_choice_is_an_invalid_choice(small_demo, db, client, value):
    page = _as(client, Role.ADMINISTRATOR).get("/hallinta/yksikot/uusi/")
    region = page.context["form"].fields["region"].queryset.first()
    response = client.post(
        "/hallinta/yksikot/uusi/",
        {"name": "Uusi koti", "service_type": "substitute_care", "region": region.pk, "places": 5, "counties": [value]},
    )
    assert response.status_code == 200
    assert "counties" in response.context["form"].errors
