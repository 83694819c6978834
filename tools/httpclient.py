"""A small browser for the fault scenarios: one person's cookies, forms read
from the page (the CSRF token, hidden fields), no redirects followed. Standard
library only; every request goes to 127.0.0.1."""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode


@dataclass
class Response:
    status: int
    body: str
    location: str = ""


class Browser:
    def __init__(self, port: int, *, cookies: dict | None = None, timeout: float = 30):
        self.port = port
        self.cookies: dict[str, str] = dict(cookies or {})
        self.timeout = timeout
        self.last_page = ""

    def _request(self, method: str, path: str, body: str | None = None) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Host": "127.0.0.1", "Connection": "close", "Accept-Language": "fi"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            text = raw.read().decode("utf-8", "replace")
            for header in raw.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            return Response(raw.status, text, raw.headers.get("Location", ""))
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            # The server is not answering (restarting, refused): what a person sees as "no connection".
            return Response(0, f"{type(exc).__name__}: {exc}")
        finally:
            conn.close()

    def get(self, path: str) -> Response:
        response = self._request("GET", path)
        if response.status == 200:
            self.last_page = response.body
        return response

    def post(self, path: str, data: dict) -> Response:
        """Post `data` with the CSRF token of the page last opened."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.last_page)
        fields = dict(data)
        if token:
            fields["csrfmiddlewaretoken"] = token.group(1)
        return self._request("POST", path, urlencode(fields, doseq=True))


def hidden_value(page: str, name: str) -> str | None:
    """The value of the hidden input `name` on a page (e.g. an edit form's version)."""
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag:
            match = re.search(r'value="([^"]*)"', tag)
            return match.group(1) if match else None
    return None
