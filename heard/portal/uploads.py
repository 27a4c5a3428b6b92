"""Files a customer attaches in the portal: how many, how large, of which types.

The type is decided by the file's name (the browser's word for it is the customer's), must be
one of `HEARD_PORTAL_FILE_TYPES`, and the first bytes must agree for the types that have a
signature (images, PDF); text must be UTF-8. Whatever passes is still served only as a download
(`heard.lib.downloads`), so a file that lies cannot run in anyone's browser.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

from heard.lib import downloads
from heard.mail.transports.web import Upload

LABELS = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "application/pdf": "PDF",
    "text/plain": "plain text",
    "text/csv": "CSV",
}
_EXTENSIONS = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".txt": "text/plain"}


def allowed() -> str:
    """'PNG, JPEG, … and CSV': what the forms say they take."""
    labels = [LABELS.get(kind, kind) for kind in settings.HEARD_PORTAL_FILE_TYPES]
    return ", ".join(labels[:-1]) + (" and " if len(labels) > 1 else "") + labels[-1]


def type_of(name: str) -> str:
    extension = "." + name.rpartition(".")[2].lower() if "." in name else ""
    return _EXTENSIONS.get(extension) or mimetypes.guess_type(name)[0] or ""


def check(files: Sequence[UploadedFile]) -> list[Upload]:
    """The files as uploads, or a ValidationError that says what to change."""
    limit = settings.HEARD_PORTAL_MAX_FILES
    if len(files) > limit:
        raise ValidationError(f"You can attach up to {limit} files to one message.")
    total_limit = settings.HEARD_SMTPD_MAX_BYTES * 3 // 4  # room for the email's encoding
    total = sum(file.size or 0 for file in files)
    if total > total_limit:
        raise ValidationError(
            f"Together the files are {filesizeformat(total)}; one message can carry up to "
            f"{filesizeformat(total_limit)}."
        )
    return [_checked(file) for file in files]


def _checked(file: UploadedFile) -> Upload:
    name = downloads.safe_filename(file.name or "")
    size, limit = file.size or 0, settings.HEARD_MAX_ATTACHMENT_BYTES
    if size > limit:
        raise ValidationError(
            f"“{name}” is {filesizeformat(size)}; each file can be up to {filesizeformat(limit)}."
        )
    kind = type_of(name)
    if kind not in settings.HEARD_PORTAL_FILE_TYPES:
        raise ValidationError(f"“{name}” is a kind of file we can't take here. {_what_fits()}")
    content = file.read()
    if not _looks_like(kind, content):
        raise ValidationError(
            f"“{name}” doesn't look like the {LABELS.get(kind, kind)} file its name says it is."
        )
    return Upload(filename=name, content_type=kind, content=content)


def _what_fits() -> str:
    return f"You can attach {allowed()} files."


def _looks_like(kind: str, content: bytes) -> bool:
    if kind in downloads.SAFE_IMAGE_TYPES:
        return downloads.sniff_image(content[:12]) == kind
    if kind == "application/pdf":
        return content.startswith(b"%PDF-")
    if kind.startswith("text/"):
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return False
    return True
