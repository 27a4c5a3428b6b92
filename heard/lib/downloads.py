"""Files that strangers sent, handed to a browser so that it saves them and never runs them.

Threat model: an attachment's name, declared type and bytes all come from whoever wrote the
email. A name may hold a path ("../../etc/passwd"), quotes, CR/LF (header injection) or a
right-to-left override that disguises "fdp.exe" as "exe.pdf"; a type may be text/html or
image/svg+xml, both of which run script when rendered on our origin. So:

- the name is cleaned (`safe_filename`) and sent RFC 6266/5987-encoded (`content_disposition`);
- everything is served as `application/octet-stream` with `Content-Disposition: attachment`,
  except the raster image types in `SAFE_IMAGE_TYPES`, which keep their type;
- only those may be shown inline (a preview), and only when their first bytes really are that
  image (`sniff_image`), under a CSP that allows nothing but the image itself;
- every response says `X-Content-Type-Options: nosniff` and `Cache-Control: private`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import IO, Literal
from urllib.parse import quote

from django.http import FileResponse

SAFE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
DOWNLOAD_TYPE = "application/octet-stream"
DOWNLOAD_CSP = "default-src 'none'; sandbox"
PREVIEW_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
MAX_NAME_CHARS = 150
_UNSAFE_CHARS = re.compile(r'[<>:"|?*;\\]')
_DOTS = re.compile(r"\.{2,}")
_SPACES = re.compile(r"\s+")
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def media_type(content_type: str) -> str:
    """The type without parameters, lower-cased: `Image/PNG; name=x` → `image/png`."""
    return content_type.split(";", 1)[0].strip().lower()


def is_safe_image(content_type: str) -> bool:
    return media_type(content_type) in SAFE_IMAGE_TYPES


def served_type(content_type: str) -> str:
    """The Content-Type to send: a safe raster image's own, anything else as opaque bytes."""
    return media_type(content_type) if is_safe_image(content_type) else DOWNLOAD_TYPE


def sniff_image(head: bytes) -> str | None:
    """The safe image type these first bytes (12 are enough) begin, if any."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in _SIGNATURES if head.startswith(magic)), None)


def safe_filename(name: str) -> str:
    """A name to offer for saving: no folders, control or formatting characters, quotes or
    leading dots, at most `MAX_NAME_CHARS` characters (keeping the extension)."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if not unicodedata.category(c).startswith("C"))
    name = _DOTS.sub(".", _SPACES.sub(" ", _UNSAFE_CHARS.sub("_", name))).strip(" .")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: MAX_NAME_CHARS - len(extension) - 1].rstrip(" .") + "." + extension
        else:
            name = name[:MAX_NAME_CHARS].rstrip(" .")
    return name or "attachment"


def content_disposition(disposition: Literal["attachment", "inline"], filename: str) -> str:
    """`attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 § 4.3: the
    plain form for old clients, the encoded one, which wins, for everyone else)."""
    name = safe_filename(filename)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = ascii_name.replace("%", "_").strip(" .") or "attachment"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def serve(
    file: IO[bytes], *, filename: str, content_type: str, inline: bool = False
) -> FileResponse:
    """Stream a stranger's file: a download, or (`inline`, safe images only) a preview."""
    if inline and not is_safe_image(content_type):
        raise ValueError(f"{content_type!r} is never shown inline")
    response = FileResponse(file, content_type=served_type(content_type))
    response["Content-Disposition"] = content_disposition(
        "inline" if inline else "attachment", filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PREVIEW_CSP if inline else DOWNLOAD_CSP
    response["Cache-Control"] = "private, max-age=3600"
    return response
