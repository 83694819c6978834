"""Uploaded attachments: which files are accepted (images and PDF), checked by
extension AND by their first bytes, within size and count limits, how they are
stored (random names, no URL) and how they are downloaded. Every area that takes
attachments (deviations, guidance, the quality calendar) uses this one home."""

import re
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
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


# --- Storing and serving ----------------------------------------------------------------------
#
# Every uploaded file is stored under a random name (never the uploader's: "IMG_Eeva.jpg"
# names a person) in MEDIA_ROOT, which no URL serves: MEDIA_URL is not routed, and
# PrivateFileStorage has no URLs at all. A file leaves only through its area's download view,
# which checks access through the kernel, writes an access-log row and answers with
# `attachment_response`.

_RANDOM_NAME = re.compile(r"[0-9a-f]{32}(\.[a-z0-9]{1,8})?")


def random_name(prefix: str, filename: str) -> str:
    """A storage path `<prefix>/<32 random hex>.<ext>` for an upload called `filename`."""
    ext = attachment_extension(filename)
    ext = ext if re.fullmatch(r"[a-z0-9]{1,8}", ext or "") else "bin"
    return f"{prefix}/{uuid.uuid4().hex}.{ext}"


def has_random_name(path: str) -> bool:
    return bool(_RANDOM_NAME.fullmatch(PurePosixPath(path or "").name))


class PrivateFileStorage(FileSystemStorage):
    """MEDIA_ROOT without URLs: a template that tried `file.url` would hand out a
    link around the access check, so it fails loudly instead."""

    def url(self, name):
        raise NotImplementedError("Uploaded files have no URL: link to the area's download view.")


def attachment_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    """The download of a stored file: always as an attachment (never shown inline
    in the product's origin), its type not to be guessed by the browser. 404 when
    the file is gone."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type or "application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
