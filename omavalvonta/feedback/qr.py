"""QR codes as inline SVG, made on the server with `qrcode` (pure Python; already
installed for allauth's authenticator set-up, so no new dependency)."""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg
from django.utils.safestring import mark_safe


def qr_svg(data: str, *, label: str = "") -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    # Size by the page's CSS, not millimetres fixed by the library.
    svg = re.sub(r'\swidth="[^"]*"\sheight="[^"]*"', "", svg, count=1)
    attrs = ' class="qr" role="img"' + (f' aria-label="{_attr(label)}"' if label else "")
    return mark_safe(svg.replace("<svg", "<svg" + attrs, 1))


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
