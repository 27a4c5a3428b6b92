"""Messages forwarded inline, in the body text, as each mail client writes them.

Gmail ("---------- Forwarded message ---------"), Thunderbird ("-------- Forwarded Message
--------"), Apple Mail ("Begin forwarded message:") and their translations mark a forward
explicitly. Outlook marks a forward like a reply ("-----Original Message-----" or a line of
underscores, then From:/Sent:), so those count only when the subject says "FW:"/"Fwd:". Each
marker is followed by a block of From/Date/Subject/To lines, then the forwarded text.
"""

from __future__ import annotations

import re

from heard.mail.parsing.headers import parse_addresses
from heard.mail.parsing.message import Forwarded

_EXPLICIT_MARKER = re.compile(
    r"^[ \t]*(?:-{3,}[ \t]*(?:forwarded message|weitergeleitete nachricht|message transf[ée]r[ée]"
    r"|mensaje reenviado|doorgestuurd bericht)[ \t]*-{3,}|begin forwarded message:"
    r"|anfang der weitergeleiteten nachricht:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_OUTLOOK_MARKER = re.compile(
    r"^[ \t]*(?:-{3,}[ \t]*original message[ \t]*-{3,}|_{10,})[ \t]*$", re.IGNORECASE | re.MULTILINE
)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|wg|tr|rv|enc|doorst)\s*:", re.IGNORECASE)
_FIELD = re.compile(r"^[ \t]*\*?([^\W\d_]+)\*?[ \t]*:[ \t]*(.*?)[ \t]*$")
_FIELD_NAMES = {
    **dict.fromkeys(("from", "von", "de"), "from"),
    **dict.fromkeys(("date", "datum", "sent", "gesendet", "envoyé", "enviado"), "date"),
    **dict.fromkeys(("subject", "betreff", "objet", "asunto", "onderwerp"), "subject"),
    **dict.fromkeys(("to", "an", "à", "para", "aan", "cc"), "to"),  # read past, not kept
}


def inline_forwards(text: str, subject: str) -> tuple[Forwarded, ...]:
    """The messages forwarded inside `text`, outermost first."""
    markers = list(_EXPLICIT_MARKER.finditer(text))
    if _FORWARD_SUBJECT.match(subject):
        markers = sorted([*markers, *_OUTLOOK_MARKER.finditer(text)], key=lambda m: m.start())
    found = []
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        fields, body = _fields(text[marker.end() : end])
        if "from" in fields:
            found.append(
                Forwarded(
                    from_=parse_addresses([fields["from"]]),
                    subject=fields.get("subject", ""),
                    date=fields.get("date"),
                    text=body,
                )
            )
    return tuple(found)


def _fields(block: str) -> tuple[dict[str, str], str]:
    """The From/Date/Subject/To lines at the start of `block`, and the text after them."""
    lines = block.strip("\n").split("\n")
    fields: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = _FIELD.match(line)
        name = _FIELD_NAMES.get(match[1].lower()) if match else None
        if match is None or name is None:
            return fields, "\n".join(lines[index:]).strip()
        fields.setdefault(name, match[2])
    return fields, ""
