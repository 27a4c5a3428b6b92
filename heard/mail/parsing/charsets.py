"""Bytes to text with explicit fallbacks, because mail lies about its charset.

The order, for a declared charset:

1. A single-byte charset (us-ascii, iso-8859-*, windows-125x, koi8-*) is tried *after* UTF-8:
   bytes that are valid UTF-8 and not plain ASCII are UTF-8 whatever the label says (real
   Latin-1 or KOI8 text is practically never valid UTF-8).
2. The declared charset, through an alias table for names mail software invents (utf8mb4,
   gb2312 that is really GBK, iso-8859-1 that is really windows-1252).
3. UTF-8, then windows-1252, then Latin-1, which cannot fail.

Unknown names ("x-unknown", "unknown-8bit", a typo) count as undeclared. Every fallback is
reported in `Decoded.note` so the parser can list it among the message's defects. NUL bytes are
left out of the text.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# Names seen in mail that Python does not know, or knows as a smaller charset than the one meant.
_ALIASES = {
    "utf8mb4": "utf-8",
    "utf8mb3": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "x-mac-roman": "mac-roman",
}
# Labels that say "I don't know", and codecs that are not charsets but transformations.
_UNDECLARED = {"", "x-unknown", "unknown", "unknown-8bit", "x-user-defined", "default", "none"}
_NOT_CHARSETS = {"unicode-escape", "raw-unicode-escape", "punycode", "idna", "undefined"}
_FALLBACKS = ("utf-8", "cp1252")  # then latin-1, which decodes any bytes


@dataclass(frozen=True)
class Decoded:
    text: str
    charset: str  # the codec that was used
    note: str | None  # set when that is not the declared charset


def decode_bytes(data: bytes, declared: str | None) -> Decoded:
    """`data` as text: the declared charset when it fits, else the first fallback that does."""
    label = (declared or "").strip().strip("\"'").lower()
    codec = _codec(label)
    for candidate in _candidates(codec, data):
        try:
            return _decoded(data.decode(candidate), label, codec, candidate, data)
        except (UnicodeError, LookupError):
            continue
    return _decoded(data.decode("latin-1"), label, codec, "latin-1", data)


def _decoded(text: str, label: str, codec: str | None, used: str, data: bytes) -> Decoded:
    note = None if used == codec else _note(label, codec, used, data)
    # NUL is no character of any text (PostgreSQL refuses it); the raw email keeps it.
    return Decoded(text.removeprefix("\ufeff").replace("\x00", ""), used, note)


def _codec(label: str) -> str | None:
    """The Python codec for a charset label, or None when the label names no usable charset."""
    if label in _UNDECLARED:
        return None
    name = _ALIASES.get(label, label)
    try:
        codec = codecs.lookup(name).name
    except (LookupError, ValueError):  # ValueError: a NUL byte in the name
        return None
    return None if codec in _NOT_CHARSETS else codec


def _candidates(codec: str | None, data: bytes) -> list[str]:
    if codec is None:
        return list(_FALLBACKS)
    if _single_byte(codec) and not data.isascii():
        return ["utf-8", codec, *_FALLBACKS]
    return [codec, *_FALLBACKS]


def _single_byte(codec: str) -> bool:
    return codec == "ascii" or codec.startswith(("iso8859-", "cp125", "koi8-", "mac-"))


def _note(label: str, codec: str | None, used: str, data: bytes) -> str | None:
    if not label:
        return None if data.isascii() else f"no charset declared; read as {used}"
    if codec is None:
        return f"unknown charset {label!r}; read as {used}"
    return f"declared charset {label!r} does not fit the bytes; read as {used}"
