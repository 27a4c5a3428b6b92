"""The MIME parts of a message sorted out: readable text, HTML, attachments, attached messages.

- multipart/alternative: the text/plain part is read when it has words, else the HTML part
  (as text); the HTML part is kept either way, and attachments inside any alternative
  (inline images of the HTML) are collected.
- Other multiparts (mixed, related, signed, report...) are read in order, so Apple Mail's
  text / image / text bodies come out whole.
- A multipart whose boundary was never found arrives as one text payload and is read as text.
- message/rfc822 parts are attachments and, outside a report, forwarded messages.
- Attachments over `max_bytes` keep their name, type and size; their content is dropped.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from email.errors import InvalidBase64LengthDefect
from email.message import Message
from email.utils import collapse_rfc2231_value

from heard.mail.parsing.charsets import decode_bytes
from heard.mail.parsing.flowed import unflow
from heard.mail.parsing.headers import decode_words, header_addresses, header_text
from heard.mail.parsing.html_text import html_to_text
from heard.mail.parsing.limits import cut_size
from heard.mail.parsing.message import Attachment, Forwarded
from heard.mail.parsing.mime import MAX_DEPTH, as_bytes, children, nesting

_BODY_TYPES = frozenset({"text/plain", "text/html"})
_FORWARDED = "forwarded message: "
_PATH = re.compile(r"[\\/]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")
_MIME_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")
MAX_TYPE = 100  # longer is no real type (and more than the desk's column holds)
_CUT_TEXT = "[This part is too long to show whole ({size}): the rest is in the original email.]"


@dataclass(frozen=True)
class Parts:
    text: str
    html: str | None
    attachments: tuple[Attachment, ...]
    forwarded: tuple[Forwarded, ...]
    notes: tuple[str, ...]  # charset fallbacks and other ways the parts were read anyway


def collect_parts(msg: Message, max_bytes: int, cut_marker: str | None = None) -> Parts:
    """The parts of `msg`; attachments bigger than `max_bytes` are recorded without content.
    Parts cut before parsing carry `cut_marker` (see `heard.mail.parsing.limits`)."""
    walker = _Walker(max_bytes, cut_marker)
    walker.walk(msg, depth=0)
    return walker.parts()


class _Walker:
    def __init__(self, max_bytes: int, cut_marker: str | None = None) -> None:
        self.max_bytes = max_bytes
        self.cut_marker = cut_marker
        self.texts: list[str] = []
        self.htmls: list[str] = []
        self.attachments: list[Attachment] = []
        self.forwarded: list[Forwarded] = []
        self.notes: list[str] = []

    def parts(self) -> Parts:
        text = "\n\n".join(t.strip("\n") for t in self.texts if t.strip())
        return Parts(
            text=text,
            html="\n".join(self.htmls) or None,
            attachments=tuple(self.attachments),
            forwarded=tuple(self.forwarded),
            notes=tuple(dict.fromkeys(self.notes)),
        )

    def walk(
        self, part: Message, *, depth: int, wants_text: bool = True, in_report: bool = False
    ) -> None:
        content_type = part.get_content_type()
        if depth > MAX_DEPTH:
            self.notes.append(f"MIME parts nested deeper than {MAX_DEPTH} levels were skipped")
        elif content_type in {"message/rfc822", "message/global"}:
            self._message(part, depth=depth, in_report=in_report)
        elif part.get_content_maintype() == "message" or _is_attachment(part, content_type):
            self.attachments.append(self._attachment(part, content_type))
        elif part.is_multipart():
            self._multipart(part, depth=depth, wants_text=wants_text, in_report=in_report)
        else:
            self._body(part, content_type, wants_text=wants_text)

    def _multipart(self, part: Message, *, depth: int, wants_text: bool, in_report: bool) -> None:
        subtype = part.get_content_subtype()
        chosen = _readable_alternative(children(part)) if subtype == "alternative" else None
        in_report = in_report or subtype == "report"
        for child in children(part):
            wanted = wants_text and (chosen is None or child is chosen)
            self.walk(child, depth=depth + 1, wants_text=wanted, in_report=in_report)

    def _body(self, part: Message, content_type: str, *, wants_text: bool) -> None:
        text = self._decoded(part, content_type)
        if content_type == "text/html":
            self.htmls.append(text)
            text = html_to_text(text)
        elif _param(part, "format") == "flowed":
            text = unflow(text, delsp=_param(part, "delsp") == "yes")
        elif part.get_content_maintype() == "multipart":
            self.notes.append(f"{content_type} without a boundary found in the body; read as text")
        cut_from = cut_size(part, self.cut_marker)
        if cut_from is not None:
            text = f"{text.rstrip()}\n\n{_CUT_TEXT.format(size=_in_megabytes(cut_from))}"
        if wants_text:
            self.texts.append(text)

    def _decoded(self, part: Message, content_type: str) -> str:
        decoded = decode_bytes(_payload_bytes(part), part.get_content_charset())
        if decoded.note:
            self.notes.append(f"{content_type} part: {decoded.note}")
        return decoded.text.replace("\r\n", "\n").replace("\r", "\n")

    def _message(self, part: Message, *, depth: int, in_report: bool) -> None:
        self.attachments.append(self._attachment(part, part.get_content_type()))
        inner = children(part)
        if in_report or not inner:
            return
        walker = _Walker(self.max_bytes, self.cut_marker)
        walker.walk(inner[0], depth=depth + 1)
        found = walker.parts()
        self.notes.extend(_FORWARDED + note.removeprefix(_FORWARDED) for note in found.notes)
        self.forwarded.append(
            Forwarded(
                from_=header_addresses(inner[0], "from"),
                subject=header_text(inner[0], "subject") or "",
                date=header_text(inner[0], "date"),
                text=found.text,
                attachments=found.attachments,
            )
        )

    def _attachment(self, part: Message, content_type: str) -> Attachment:
        if nesting(part) > MAX_DEPTH:
            self.notes.append(f"a {content_type} part nests too deeply to be kept")
            return Attachment(filename=None, content_type=content_type, size=0, content=None)
        data = _payload_bytes(part)
        cut_from = cut_size(part, self.cut_marker)
        oversize = len(data) > self.max_bytes or cut_from is not None
        text = None
        if content_type.startswith("text/") and not oversize:
            text = self._decoded(part, content_type)
        content_id = header_text(part, "content-id")
        disposition = part.get_content_disposition()
        return Attachment(
            filename=_filename(part),
            content_type=self._stored_type(content_type),
            size=len(data) if cut_from is None else cut_from,
            content=None if oversize else data,
            text=text,
            oversize=oversize,
            inline=disposition == "inline" or (disposition is None and bool(content_id)),
            content_id=content_id.strip().strip("<>") if content_id else None,
        )


    def _stored_type(self, content_type: str) -> str:
        """`content_type` if it is a plain type/subtype of a sensible length, else the type
        that promises nothing about the bytes."""
        if len(content_type) <= MAX_TYPE and _MIME_TYPE.fullmatch(content_type):
            return content_type
        self.notes.append(f"a content type over {MAX_TYPE} characters or malformed was ignored")
        return "application/octet-stream"


def _is_attachment(part: Message, content_type: str) -> bool:
    """Everything but body text: other types, and text parts that are named or attached."""
    if part.get_content_maintype() == "multipart":
        return False
    named = part.get_content_disposition() == "attachment" or part.get_filename() is not None
    return content_type not in _BODY_TYPES or named


def _readable_alternative(options: list[Message]) -> Message | None:
    """The alternative to read: a text/plain part with words in it, else the first other one."""
    for option in options:
        if (
            option.get_content_type() == "text/plain"
            and decode_bytes(_payload_bytes(option), option.get_content_charset()).text.strip()
        ):
            return option
    others = [option for option in options if option.get_content_type() != "text/plain"]
    return others[0] if others else None


def _payload_bytes(part: Message) -> bytes:
    """The decoded content of a leaf part; for message/* parts, the attached message as bytes."""
    if part.is_multipart():
        return b"\n".join(as_bytes(child) for child in children(part))
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return b""
    if any(isinstance(defect, InvalidBase64LengthDefect) for defect in part.defects):
        return _truncated_base64(payload)  # the email package gave the base64 back undecoded
    return payload


def _in_megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _truncated_base64(encoded: bytes) -> bytes:
    """Base64 cut off mid-quantum: the complete quanta decoded, the dangling characters dropped."""
    data = _NOT_BASE64.sub(b"", encoded)
    return base64.b64decode(data[: len(data) // 4 * 4])


def _param(part: Message, name: str) -> str:
    return collapse_rfc2231_value(part.get_param(name, "")).strip().lower()


def _filename(part: Message) -> str | None:
    """The attachment's file name, decoded, without any directory part or control characters."""
    name = part.get_filename()
    if not name:
        return None
    name = _CONTROL.sub("", _PATH.split(decode_words(name))[-1]).strip()
    return name if name.strip(". ") else None  # "." and ".." name a directory, not a file
