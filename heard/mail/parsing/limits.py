"""Size limits applied to the raw bytes before the email package reads them.

The email package holds a part several times over while it parses and decodes it (lines, joined
payload, decoded bytes, text), and the reading after it works on the whole text: a 30 MB
plain-text email took gigabytes. So a large message is cut down first, in one linear pass over
its MIME structure, and only then parsed:

- a text part longer than `max_text_bytes` keeps its first `max_text_bytes` (cut at a line end,
  never inside a character), and is read truncated;
- any other part longer than `max_part_bytes` (an attachment Heard would not keep anyway) loses
  its content; its decoded size is kept;
- a header section over `MAX_HEADER_BYTES`, a preamble or epilogue over the text limit and
  parts beyond `MAX_PARTS` are cut the same way.

Each cut part carries a header named `Shrunk.marker` (random for each message, so no sender can
forge it) whose value is the part's size before the cut; `heard.mail.parsing.parts` reads it.
Nothing here changes what was received: the raw email is stored whole, and this is only what is
read from it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message

from heard.mail.parsing.mime import MAX_DEPTH, parse_bytes

DEFAULT_MAX_TEXT_BYTES = 1024 * 1024
MAX_HEADER_BYTES = 256 * 1024
MAX_PARTS = 500
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_BASE64_NOISE = b" \t\r\n="
_CR, _LF = 13, 10


@dataclass(frozen=True)
class Shrunk:
    raw: bytes  # what to parse: the message, or the message with its large parts cut
    marker: str | None  # the header a cut part carries (None when nothing was cut)
    notes: tuple[str, ...]  # what was cut, in words


def shrink(raw: bytes, *, max_text_bytes: int, max_part_bytes: int) -> Shrunk:
    """`raw` with every part over its limit cut (see the module docstring); unchanged when the
    whole message is within the text limit. The parts are slices of `raw` until the one copy
    that joins them."""
    if len(raw) <= max_text_bytes:
        return Shrunk(raw, None, ())
    cutter = _Cutter(f"X-Heard-Cut-{secrets.token_hex(6)}", max_text_bytes, max_part_bytes)
    cutter.entity(memoryview(raw), depth=0)
    if not cutter.notes:
        return Shrunk(raw, None, ())
    return Shrunk(b"".join(cutter.out), cutter.marker, tuple(dict.fromkeys(cutter.notes)))


def cut_size(part: Message, marker: str | None) -> int | None:
    """The size `part` had before it was cut, or None when it was not cut."""
    value = part.get(marker) if marker else None
    return int(value) if value is not None and str(value).strip().isdigit() else None


class _Cutter:
    """Walks a message once, appending what is kept of it to `out`, in order."""

    def __init__(self, marker: str, max_text_bytes: int, max_part_bytes: int) -> None:
        self.marker = marker
        self.max_text = max_text_bytes
        self.max_part = max_part_bytes
        self.parts = 0
        self.notes: list[str] = []
        self.out: list[bytes | memoryview] = []

    def entity(self, data: memoryview, *, depth: int) -> None:
        """One message or MIME part (headers, blank line, body) with its large parts cut."""
        if data[:1] == b"\n" or data[:2] == b"\r\n":  # no headers at all: a text/plain body
            at = 1 if data[:1] == b"\n" else 2
            self.out.append(data[:at])
            self._body(parse_bytes(b"\n"), data[at:], depth)
            return
        end = _HEADER_END.search(data, 0, MAX_HEADER_BYTES + 4)
        if end is None:  # headers only
            if len(data) > MAX_HEADER_BYTES:
                self.notes.append(f"a header section over {MAX_HEADER_BYTES} bytes was cut")
            self.out.append(_cut_text(data, MAX_HEADER_BYTES))
            return
        head = data[: end.start()]
        self.out += [head, b"", end[0]]
        marker_at = len(self.out) - 2  # where a cut body's marker header goes
        cut_from = self._body(parse_bytes(bytes(head) + b"\n\n"), data[end.end() :], depth)
        if cut_from is not None:
            newline = b"\r\n" if end[0].startswith(b"\r") else b"\n"
            self.out[marker_at] = newline + f"{self.marker}: {cut_from}".encode("ascii")

    def _body(self, headers: Message, body: memoryview, depth: int) -> int | None:
        """Keep the body, cut where needed; its size before a cut of its own, else None."""
        if depth < MAX_DEPTH and headers.get_content_maintype() == "multipart":
            boundary = headers.get_boundary()
            delimiters = list(_delimiters(body, boundary)) if boundary else []
            if delimiters:
                self._multipart(body, delimiters, depth)
                return None
        if depth < MAX_DEPTH and headers.get_content_type() in {"message/rfc822", "message/global"}:
            self.entity(body, depth=depth + 1)
            return None
        limit = self.max_text if _is_text(headers) else self.max_part
        if len(body) <= limit:
            self.out.append(body)
            return None
        if limit == self.max_text:
            self.notes.append(f"a text part over {self.max_text} bytes was read truncated")
            self.out.append(_cut_text(body, self.max_text))
            return len(body)
        self.notes.append(f"a part over {self.max_part} bytes was left in the raw email")
        return _decoded_size(headers, body)

    def _multipart(self, body: memoryview, delimiters: list[_Delimiter], depth: int) -> None:
        """The preamble, each part cut where needed, and the epilogue, between the delimiters."""
        cursor, closed = 0, False
        for number, (start, end, closes) in enumerate(delimiters):
            chunk = body[cursor : max(start, cursor)]
            if number:
                self.entity(chunk, depth=depth + 1)
            else:
                self._loose(chunk)
            self.out.append(body[max(start, cursor) : end])
            cursor = end
            if closes:
                closed = True
                break
            self.parts += 1
            if self.parts > MAX_PARTS:
                self.notes.append(f"parts beyond the first {MAX_PARTS} were left in the raw email")
                return
        # After the close delimiter comes the epilogue; without one, the last part runs on.
        if closed:
            self._loose(body[cursor:])
        else:
            self.entity(body[cursor:], depth=depth + 1)

    def _loose(self, chunk: memoryview) -> None:
        """A preamble or epilogue: text nobody reads, kept up to the text limit."""
        if len(chunk) > self.max_text:
            self.notes.append("a preamble or epilogue over the text limit was cut")
        self.out.append(_cut_text(chunk, self.max_text))


_Delimiter = tuple[int, int, bool]  # start, end, whether it closes the multipart


def _delimiters(body: memoryview, boundary: str) -> Iterator[_Delimiter]:
    """The delimiter lines of `boundary` in `body`, each from the line break before it (RFC 2046
    5.1.1: it belongs to the delimiter) to the end of its own line. The pattern starts with the
    literal "--boundary", which the regex engine finds fast; a match must start a line."""
    token = re.escape(boundary.encode("utf-8", "surrogateescape"))
    for match in re.finditer(rb"--" + token + rb"(--)?[ \t]*(?:\r?\n|$)", body):
        start = match.start()
        if start and body[start - 1] != _LF:
            continue
        if start:
            start -= 2 if start >= 2 and body[start - 2] == _CR else 1
        yield start, match.end(), match[1] is not None


def _is_text(headers: Message) -> bool:
    """A body text part (text/*, not an attachment), which is read into the message's text."""
    if headers.get_content_maintype() != "text":
        return False
    return headers.get_content_disposition() != "attachment" and headers.get_filename() is None


def _cut_text(data: memoryview, limit: int) -> bytes | memoryview:
    """`data` if it is within `limit`, else its first `limit` bytes at most, ending at a line
    end, else at a space, else before a multibyte character, so that what is left still decodes
    as its charset."""
    if len(data) <= limit:
        return data
    head = bytes(data[:limit])
    for stop in (b"\n", b" "):
        at = head.rfind(stop)
        if at > limit // 2:
            return head[: at + 1]
    at = len(head)
    while at > 0 and head[at - 1] >= 0x80:
        at -= 1
    return head[:at] or head


def _decoded_size(headers: Message, body: memoryview) -> int:
    """About how many bytes `body` decodes to, without decoding it (or copying it whole)."""
    encoding = str(headers.get("content-transfer-encoding", "")).strip().lower()
    if encoding != "base64":
        return len(body)
    step = 1024 * 1024
    kept = sum(
        len(bytes(body[at : at + step]).translate(None, _BASE64_NOISE))
        for at in range(0, len(body), step)
    )
    return kept * 3 // 4
