"""Header values as text, addresses, Message-IDs and dates, read tolerantly.

Values are read raw (`Message.raw_items()`) and decoded here rather than through the email
package's structured headers, so that every fallback is explicit: 8-bit bytes in a header go
through `decode_bytes` (UTF-8, then windows-1252), and RFC 2047 encoded-words are decoded even
when broken: bad base64 padding, unknown charsets, a missing "?=" at the end, or a multibyte
character split across two adjacent words.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from heard.mail.parsing.charsets import decode_bytes
from heard.mail.parsing.message import Address

_ENCODED_WORD = re.compile(
    r"=\?(?P<charset>[^?\s*]+)(?:\*[^?\s]*)?\?(?P<encoding>[bBqQ])\?(?P<text>[^?]*)(?:\?=|$)"
)
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
_BARE_ID = re.compile(r"[^\s<>,;\"]+@[^\s<>,;\"]+")
_MAILTO = re.compile(r"\[mailto:([^\]\s]+)\]", re.IGNORECASE)
MAX_ADDRESS = 254  # RFC 5321 4.5.3.1: a path is at most 256 octets with its angle brackets


def raw_values(msg: Message, name: str) -> list[str]:
    """Every value of header `name`, unfolded, with 8-bit bytes decoded; encoded-words kept."""
    return [_text(value) for value in _byte_values(msg, name)]


def header_text(msg: Message, name: str) -> str | None:
    """The first value of header `name` as readable text, or None when there is none."""
    values = _byte_values(msg, name)
    return " ".join(decode_words(values[0]).split()) if values else None


def header_addresses(msg: Message, name: str) -> tuple[Address, ...]:
    """The addresses in every `name` header (e.g. all To: lines), display names decoded."""
    return parse_addresses(_byte_values(msg, name))


def parse_addresses(values: list[str]) -> tuple[Address, ...]:
    """Addresses from header-style text; Outlook's "Name [mailto:a@b]" is understood too. An
    address longer than RFC 5321 allows (`MAX_ADDRESS`) is no address anyone can write back
    to, and is left out."""
    pairs = getaddresses([_MAILTO.sub(r"<\1>", value) for value in values])
    return tuple(
        Address(" ".join(decode_words(name).split()), _text(address.strip()))
        for name, address in pairs
        if address.strip()
        and not any(ch.isspace() for ch in address.strip())
        and len(address.strip()) <= MAX_ADDRESS
    )


def header_ids(msg: Message, name: str) -> tuple[str, ...]:
    """The Message-IDs in header `name`, in order, without angle brackets or repeats."""
    return message_ids(" ".join(raw_values(msg, name)))


def message_ids(value: str) -> tuple[str, ...]:
    """Message-IDs in `value`: the bracketed ones, else bare tokens that contain an "@"."""
    found = _MESSAGE_ID.findall(value) or _BARE_ID.findall(value)
    return tuple(dict.fromkeys(found))


def header_date(msg: Message) -> datetime | None:
    """The Date header as an aware datetime (UTC when it names no zone), None when unreadable."""
    value = header_text(msg, "date")
    if not value:
        return None
    try:
        date = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return date if date.tzinfo else date.replace(tzinfo=UTC)


def decode_words(value: str) -> str:
    """`value` with RFC 2047 encoded-words decoded; words that cannot be decoded stay as written.

    Adjacent words in the same charset are joined before decoding, because encoders split
    multibyte characters across them; the whitespace between adjacent words is dropped.
    """
    pieces: list[tuple[str | None, bytes]] = []  # (charset, bytes); charset None: plain text
    cursor = 0
    for match in _ENCODED_WORD.finditer(value):
        between = value[cursor : match.start()]
        data = _word_bytes(match["encoding"], match["text"])
        if data is None:
            continue  # not decodable: left in place as plain text
        if between and not (between.isspace() and pieces and pieces[-1][0] is not None):
            pieces.append((None, _plain(between)))
        _append_word(pieces, match["charset"].lower(), data)
        cursor = match.end()
    pieces.append((None, _plain(value[cursor:])))
    return "".join(decode_bytes(data, charset).text for charset, data in pieces)


def _plain(text: str) -> bytes:
    """`text` as the bytes it came as: 8-bit bytes the parser kept as surrogates come back."""
    return text.encode("utf-8", "surrogateescape")


def _append_word(pieces: list[tuple[str | None, bytes]], charset: str, data: bytes) -> None:
    if pieces and pieces[-1][0] == charset:
        data = pieces.pop()[1] + data
    pieces.append((charset, data))


def _word_bytes(encoding: str, text: str) -> bytes | None:
    if encoding in "qQ":  # raw 8-bit bytes inside a word are bytes of its charset too
        return binascii.a2b_qp(_plain(text), header=True)
    compact = "".join(text.split())
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4))
    except (binascii.Error, ValueError):
        return None


def _byte_values(msg: Message, name: str) -> list[str]:
    """Every value of header `name`, unfolded, 8-bit bytes still as the parser's surrogates, so
    that an encoded-word's raw bytes can be read in the charset it declares."""
    wanted = name.lower()
    return [_FOLD.sub("", value).strip() for key, value in msg.raw_items() if key.lower() == wanted]


def _text(value: str) -> str:
    """A header value with the bytes the parser smuggled in as surrogates decoded."""
    return decode_bytes(_plain(value), None).text
