"""Multipart messages whose declared boundary is missing or is not the one the body uses.

The email package then sees no parts at all and hands back the whole body as one string. When
the body does contain MIME delimiter lines (a "--token" line followed by a Content- header),
the raw bytes are parsed again behind a corrected Content-Type header, which wins because the
parser reads the first one; when there are none, the caller reads the body as text.
"""

from __future__ import annotations

import re
from email.message import Message

from heard.mail.parsing.headers import raw_values
from heard.mail.parsing.mime import parse_bytes

_DELIMITER = re.compile(
    r"^--([\x21\x23-\x7e]{1,70}?)(?:--)?[ \t]*\r?\n(?=content-)", re.IGNORECASE | re.MULTILINE
)
_BOUNDARY_PARAM = re.compile(r";\s*boundary\s*=\s*(?:\"[^\"]*\"|[^;\s]*)", re.IGNORECASE)


def repair_boundary(raw: bytes, msg: Message) -> tuple[Message, str] | None:
    """`raw` parsed again with the boundary found in its body, and a note saying so; or None."""
    if msg.get_content_maintype() != "multipart" or msg.is_multipart():
        return None
    body = msg.get_payload(decode=True)
    found = _DELIMITER.search(body.decode("latin-1")) if isinstance(body, bytes) else None
    declared = msg.get_boundary()
    if found is None or found[1] == declared:
        return None
    content_type = _BOUNDARY_PARAM.sub("", raw_values(msg, "content-type")[0])
    header = f'Content-Type: {content_type}; boundary="{found[1]}"\n'
    reparsed = parse_bytes(header.encode("utf-8", "surrogateescape") + raw)
    if not reparsed.is_multipart():
        return None
    return reparsed, f"boundary {declared!r} is not in the body; read with {found[1]!r}"
