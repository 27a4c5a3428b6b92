"""`heard parse FILE...` as a function: one JSON line per mail file, and never a database.

Each line: {"path", "from": [addresses], "subject", "text", "new_text", "attachments":
[{"filename", "content_type", "size", "text"}], "automated", "automated_reason", "error"}.
A file that cannot be read or parsed gets its line with "error" set, and the exit status is 1.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from heard.mail.parsing.message import InboundEmail
from heard.mail.parsing.parse import DEFAULT_MAX_ATTACHMENT_BYTES, parse_email


def parse_files(
    paths: Iterable[str], out: TextIO, *, max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES
) -> int:
    """Write one JSON line per path to `out`; return 1 if any file had an error, else 0."""
    status = 0
    for path in paths:
        row = as_row(path, _read(path, max_attachment_bytes))
        status = 1 if row["error"] else status
        out.write(json.dumps(row) + "\n")
    return status


def as_row(path: str, email: InboundEmail) -> dict[str, object]:
    """The command-line contract's JSON object for one parsed file."""
    return {
        "path": path,
        "from": [address.address for address in email.from_],
        "subject": email.subject,
        "text": email.text,
        "new_text": email.new_text,
        "attachments": [
            {
                "filename": attachment.filename,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "text": attachment.text,
            }
            for attachment in email.attachments
        ],
        "automated": email.automated is not None,
        "automated_reason": email.automated.reason if email.automated else None,
        "error": email.error,
    }


def _read(path: str, max_attachment_bytes: int) -> InboundEmail:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return InboundEmail(error=f"cannot read the file: {exc.strerror or exc}")
    return parse_email(raw, max_attachment_bytes=max_attachment_bytes)
