"""Which notification links the product will follow or print.

A notification's `link` points somewhere inside the product. Only a plain
relative path is accepted: "//evil.example" (scheme-relative), "/\\evil.example"
(browsers read the backslash as a slash), "http://..." or anything with control
characters would turn the inbox into an open redirect."""

from django.utils.http import url_has_allowed_host_and_scheme

MAX_LINK_LENGTH = 300  # Notification.link max_length


def is_safe_link(link: str) -> bool:
    """Is `link` a relative path inside this site ("/poikkeamat/12/")?"""
    if not isinstance(link, str) or not link.startswith("/") or len(link) > MAX_LINK_LENGTH:
        return False
    if link[1:2] in ("/", "\\") or "\\" in link:
        return False
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in link):
        return False
    return url_has_allowed_host_and_scheme(link, allowed_hosts=set())
