"""The open API: tokens (a county's, a public integration's, revoked), the
county's scope, the rate limit, paging, CSV/XLSX and the OpenAPI schema."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from omavalvonta.core.models import AccessLogEntry
from omavalvonta.organisation import services as org_services
from omavalvonta.organisation.models import ApiToken

pytestmark = pytest.mark.django_db


def _auth(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _get(client, path, raw, **params):
    return client.get(f"/api/v1{path}", params, **_auth(raw))


def test_a_countys_token_reads_its_notifications_only(client, token_x, report_x, grievance_x, report_y):
    _token, raw = token_x
    body = _get(client, "/county/notifications", raw).json()
    numbers = {r["number"] for r in body["results"]}
    assert numbers == {report_x.number, grievance_x.number}
    assert body["count"] == 2
    grievance = next(r for r in body["results"] if r["number"] == grievance_x.number)
    assert grievance["is_grievance"] is True and grievance["unit_name"] == "Lastenkoti Kataja"
    assert "reporter" not in json.dumps(body) and report_x.description not in json.dumps(body)
    # Another county's report is absent from the list and 404 on its own.
    assert _get(client, f"/county/notifications/{report_y.pk}", raw).status_code == 404
    detail = _get(client, f"/county/notifications/{report_x.pk}", raw)
    assert detail.status_code == 200 and detail.json()["subject"] == "Kataja: puute hoidossa"


def test_a_countys_token_reads_its_units_and_figures(client, token_x, unit_x, unit_y):
    _token, raw = token_x
    units = _get(client, "/county/units", raw).json()
    assert [u["name"] for u in units["results"]] == ["Lastenkoti Kataja"]
    figures = _get(client, "/county/figures", raw, start="2026-01-01", end="2026-06-30")
    assert figures.status_code == 200
    assert figures.json()["units"] == 1 and figures.json()["period_start"] == "2026-01-01"


def test_bad_input_is_a_clear_422(client, token_x):
    _token, raw = token_x
    assert _get(client, "/county/figures", raw, start="2026-06-01", end="2026-01-01").status_code == 422
    assert _get(client, "/county/figures", raw, start="ei päivä").status_code == 422
    assert _get(client, "/units", raw, page=0).status_code == 422
    assert _get(client, "/units", raw, page_size=1000).status_code == 422
    assert _get(client, "/units", raw, format="pdf").status_code == 422


def _code(response):
    return response.json()["code"]


def test_errors_speak_the_callers_language_and_keep_a_stable_code(client, token_x, token_public, report_y):
    _token, raw = token_x
    bad_period = {"start": "2026-06-01", "end": "2026-01-01"}

    def get(path, language, token=raw, **params):
        headers = _auth(token) if token else {}
        if language:
            headers["HTTP_ACCEPT_LANGUAGE"] = language
        return client.get(f"/api/v1{path}", params, **headers)

    fi = get("/county/figures", "fi-FI,fi;q=0.9,en;q=0.5", **bad_period)
    sv = get("/county/figures", "sv", **bad_period)
    en = get("/county/figures", "", **bad_period)  # no header: English, the API's documented language
    assert {_code(r) for r in (fi, sv, en)} == {"invalid_period"}
    assert [r["Content-Language"] for r in (fi, sv, en)] == ["fi", "sv", "en"]
    assert en.json()["detail"] == "start must not be after end."
    assert fi.json()["detail"] != en.json()["detail"] != sv.json()["detail"] != fi.json()["detail"]
    assert "alku" in fi.json()["detail"].lower() and "början" in sv.json()["detail"].lower()
    # An unsupported language falls to the next one asked for, else English.
    assert get("/units", "de, sv;q=0.5", page=0).json() == {"code": "invalid_page", "detail": get("/units", "sv", page=0).json()["detail"]}
    assert get("/units", "de", page=0)["Content-Language"] == "en"
    # Every error path: the code, and a Finnish detail that is not the English one.
    cases = [
        (get("/units", "fi", token=""), 401, "unauthorized"),
        (get("/units", "fi", token="ovk_wrong"), 401, "unauthorized"),
        (get("/units", "fi", page_size=1000), 422, "invalid_page_size"),
        (get("/units", "fi", format="pdf"), 422, "invalid_request"),
        (get("/county/figures", "fi", start="ei päivä"), 422, "invalid_request"),
        (get("/county/figures", "fi", start="2020-01-01", end="2026-01-01"), 422, "period_too_long"),
        (get("/county/notifications", "fi", token=token_public[1]), 403, "public_token"),
        (get(f"/county/notifications/{report_y.pk}", "fi"), 404, "not_found"),
    ]
    for response, status, code in cases:
        assert response.status_code == status and response.json()["code"] == code, (status, code)
        assert response["Content-Language"] == "fi"
    english = get("/units", "en", format="pdf").json()
    assert english["detail"] != cases[3][0].json()["detail"]
    assert english["errors"] and english["errors"][0]["loc"][-1] == "format"


def test_the_rate_limit_answer_is_translated_too(client, settings, token_x):
    settings.API_RATE_LIMIT = 1
    _token, raw = token_x
    _get(client, "/units", raw)
    limited = client.get("/api/v1/units", **_auth(raw), HTTP_ACCEPT_LANGUAGE="fi")
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert limited["Retry-After"] in limited.json()["detail"] and "Too many" not in limited.json()["detail"]


def test_a_public_token_reads_public_data_but_no_countys(client, token_public, report_x):
    _token, raw = token_public
    assert _get(client, "/units", raw).status_code == 200
    assert _get(client, "/plans", raw).status_code == 200
    assert _get(client, "/followup-reports", raw).status_code == 200
    for path in ("/county/units", "/county/notifications", f"/county/notifications/{report_x.pk}", "/county/figures"):
        assert _get(client, path, raw).status_code == 403, path


def test_without_a_token_or_with_a_revoked_one_401(client, admin, token_x):
    token, raw = token_x
    assert client.get("/api/v1/units").status_code == 401
    assert _get(client, "/units", "ovk_wrong").status_code == 401
    assert _get(client, "/units", raw).status_code == 200
    org_services.api_token_revoke(actor=admin, token=token)
    assert _get(client, "/units", raw).status_code == 401
    assert _get(client, "/county/notifications", raw).status_code == 401


def test_only_the_digest_is_kept_and_the_last_use_recorded(client, token_x):
    token, raw = token_x
    assert raw not in {token.digest, token.prefix} and raw.startswith(token.prefix)
    assert token.last_used_at is None
    _get(client, "/units", raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_the_rate_limit_answers_429_with_retry_after(client, settings, token_x, token_public):
    settings.API_RATE_LIMIT = 3
    _token, raw = token_x
    for _i in range(3):
        assert _get(client, "/units", raw).status_code == 200
    limited = _get(client, "/units", raw)
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 61
    # Per token: another token is not limited by this one's calls.
    assert _get(client, "/units", token_public[1]).status_code == 200


def test_lists_are_paged(client, token_x, unit_x, county_x):
    from omavalvonta.county.tests.conftest import _notified

    for _i in range(5):
        _notified(unit_x, county_x)
    _token, raw = token_x
    first = _get(client, "/county/notifications", raw, page_size=2).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["previous"] is None
    assert "page=2" in first["next"]
    third = _get(client, "/county/notifications", raw, page_size=2, page=3).json()
    assert len(third["results"]) == 1 and third["next"] is None and "page=2" in third["previous"]
    seen = {r["id"] for p in (1, 2, 3) for r in _get(client, "/county/notifications", raw, page_size=2, page=p).json()["results"]}
    assert len(seen) == 5
    beyond = _get(client, "/county/notifications", raw, page_size=2, page=9).json()
    assert beyond["results"] == [] and beyond["count"] == 5


def test_csv_and_xlsx_hold_the_same_rows(client, token_x, report_x, grievance_x):
    from openpyxl import load_workbook

    _token, raw = token_x
    response = _get(client, "/county/notifications", raw, format="csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert {r["number"] for r in rows} == {report_x.number, grievance_x.number}
    assert rows[0]["unit_name"] == "Lastenkoti Kataja"
    response = _get(client, "/county/notifications", raw, format="xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:3] == ("id", "number", "kind")
    assert {v[1] for v in values[1:]} == {report_x.number, grievance_x.number}


def test_a_cell_that_looks_like_a_formula_is_text():
    from omavalvonta.county import exports

    response = exports.csv_response([{"a": "=HYPERLINK(1)"}], ["a"], "x")
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


def test_county_reads_are_logged_with_the_token_as_reader(client, token_x, report_x):
    token, raw = token_x
    before = AccessLogEntry.objects.count()
    _get(client, "/county/notifications", raw)
    _get(client, f"/county/notifications/{report_x.pk}", raw)
    rows = list(AccessLogEntry.objects.order_by("pk")[before:])
    assert [r.what for r in rows] == ["api.county_notifications", "county.notification"]
    assert all(r.actor is None and f"#{token.pk}" in r.reader for r in rows)


def test_the_openapi_schema_validates(client):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert {"/api/v1/units", "/api/v1/county/notifications", "/api/v1/county/figures"} <= set(schema["paths"])


def test_public_lists_show_approved_plans(client, token_public, unit_x):
    _token, raw = token_public
    body = _get(client, "/units", raw).json()
    assert body["count"] == 0  # no approved plan yet: not on the public list


@pytest.mark.parametrize("extra", [0, 6])
def test_api_lists_take_a_fixed_number_of_queries(
    client, settings, token_x, unit_x, county_x, extra, django_assert_max_num_queries
):
    """The database's own queries (the rate limit's counter lives in the shared
    cache: a database table without Redis, counted apart here)."""
    from omavalvonta.county.tests.conftest import _notified

    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    for _i in range(extra):
        _notified(unit_x, county_x)
    _token, raw = token_x
    _get(client, "/units", raw)  # the last use is written once a minute
    for path in ("/units", "/plans", "/followup-reports", "/county/units", "/county/notifications", "/county/figures"):
        with django_assert_max_num_queries(6):
            assert _get(client, path, raw).status_code == 200, path


def test_the_admin_makes_and_revokes_tokens(client, admin, county_x):
    client.force_login(admin)
    response = client.post(reverse("organisation:api_token_list"), {"name": "Pirkanmaa", "county": county_x.pk}, follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get()
    html = response.content.decode()
    assert token.prefix in html and "ovk_" in html
    # Shown once: the next page view no longer has it.
    again = client.get(reverse("organisation:api_token_list")).content.decode()
    assert "The new token" not in again and "Uusi avain" not in again
    client.post(reverse("organisation:api_token_revoke", args=[token.pk]))
    assert ApiToken.objects.get().revoked_at is not None


def test_the_token_form_keeps_what_was_typed_on_an_error(client, admin):
    client.force_login(admin)
    response = client.post(reverse("organisation:api_token_list"), {"name": "", "county": "999"})
    assert response.status_code == 200 and not ApiToken.objects.exists()
