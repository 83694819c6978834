"""Uploaded attachments: which files are accepted (images and PDF), checked by
extension AND by their first bytes, within size and count limits. Every area that
takes attachments (deviations, guidance, feedback) uses this one check."""

from django.conf import settings
from django.utils.translation import gettext as _

MAX_ATTACHMENTS = 5

# Extension -> the content type its bytes must show.
ATTACHMENT_EXTENSIONS = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heic": "image/heic",
    "heif": "image/heic",
    "pdf": "application/pdf",
}
# ISO-BMFF brands of HEIC/HEIF stills (phones); other ftyp files (video) are refused.
_HEIC_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
SNIFF_BYTES = 16


def attachment_extension(filename: str) -> str:
    name = (filename or "").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def sniff_content_type(head: bytes) -> str | None:
    """The content type the first bytes of a file show, among the allowed ones."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIC_BRANDS:
        return "image/heic"
    return None


def attachment_content_type(filename: str, head: bytes) -> str | None:
    """The content type of an acceptable attachment, or None: the extension and
    the bytes must both be allowed and agree (a renamed file is refused)."""
    expected = ATTACHMENT_EXTENSIONS.get(attachment_extension(filename))
    if expected is None:
        return None
    return expected if sniff_content_type(head) == expected else None


def check_attachments(files) -> tuple[list[tuple[object, str, str]], list[str]]:
    """(file, content type, extension) for each acceptable file, and the problems
    (translated, one per refused file)."""
    accepted, problems = [], []
    files = [f for f in (files or ()) if f]
    if len(files) > MAX_ATTACHMENTS:
        problems.append(_("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS})
        return accepted, problems
    max_bytes = settings.ATTACHMENT_MAX_BYTES
    for f in files:
        name = getattr(f, "name", "") or ""
        size = getattr(f, "size", None)
        f.seek(0)
        head = f.read(SNIFF_BYTES)
        if size is None:
            f.seek(0, 2)
            size = f.tell()
        f.seek(0)
        ctype = attachment_content_type(name, head)
        if ctype is None:
            problems.append(
                _("%(name)s: only images (JPEG, PNG, HEIC, WebP) and PDF files can be attached.") % {"name": name}
            )
        elif size == 0:
            problems.append(_("%(name)s is empty.") % {"name": name})
        elif size > max_bytes:
            problems.append(
                _("%(name)s is too large: at most %(mb)s MB per file.")
                % {"name": name, "mb": round(max_bytes / (1024 * 1024), 1)}
            )
        else:
            accepted.append((f, ctype, attachment_extension(name)))
    return accepted, problems
