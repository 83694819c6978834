"""The open API's error answers (county/api.py): every error is
`{"code": ..., "detail": ...}`, the code stable and machine-readable, the
detail in the language of Accept-Language (docs/api.md, "Errors")."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja.errors import AuthenticationError, HttpError, ValidationError

#
# The language is the best of Accept-Language among settings.LANGUAGES (fi, sv,
# en); without the header (or with none of them) English, the language of this
# API's documentation. The codes never change with the language.

API_DEFAULT_LANGUAGE = "en"


def api_language(request) -> str:
    supported = {code for code, _name in settings.LANGUAGES}
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            break
        for candidate in (code.lower(), code.lower().split("-")[0]):
            if candidate in supported:
                return candidate
    return API_DEFAULT_LANGUAGE


class ApiError(Exception):
    """An error answer: HTTP `status`, a stable `code` and a translatable message
    (a lazy string, %-formatted with `params` in the caller's language)."""

    def __init__(self, status: int, code: str, message, **params):
        super().__init__(code)
        self.status, self.code, self.message, self.params = status, code, message, params


ERROR_MESSAGES = {
    "unauthorized": _("A valid API token is needed: Authorization: Bearer <token>. The token may have been revoked."),
    "not_found": _("Not found."),
    "invalid_request": _("The request has a parameter that is missing or not valid."),
}


def _error_response(api, request, status: int, code: str, message, *, extra: dict | None = None, **params):
    language = api_language(request)
    with translation.override(language):
        detail = str(message) % params if params else str(message)
    response = api.create_response(request, {"code": code, "detail": detail, **(extra or {})}, status=status)
    response["Content-Language"] = language
    return response


def install(api, rate_limited_exception) -> None:
    """The API's exception handlers (`rate_limited_exception`: the throttle's)."""

    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return _error_response(api, request, exc.status, exc.code, exc.message, **exc.params)

    @api.exception_handler(rate_limited_exception)
    def _rate_limited(request, exc):
        response = _error_response(
            api, request, 429, "rate_limited", _("Too many requests. Try again in %(seconds)s seconds."),
            seconds=exc.retry_after,
        )
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(AuthenticationError)
    def _unauthorized(request, exc):
        return _error_response(api, request, 401, "unauthorized", ERROR_MESSAGES["unauthorized"])

    @api.exception_handler(ValidationError)
    def _invalid(request, exc: ValidationError):
        # Which parameter failed stays in `errors` (pydantic's own, English, machine-readable).
        errors = [{"loc": list(e.get("loc", ())), "type": e.get("type", "")} for e in exc.errors]
        return _error_response(
            api, request, 422, "invalid_request", ERROR_MESSAGES["invalid_request"], extra={"errors": errors}
        )

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return _error_response(api, request, 404, "not_found", ERROR_MESSAGES["not_found"])

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        # Left for ninja's own raises: the status names the code.
        return _error_response(api, request, exc.status_code, f"http_{exc.status_code}", str(exc))
