"""Bytes to text: declared charsets when they fit, explicit fallbacks when they lie."""

from __future__ import annotations

import pytest

from heard.mail.parsing.charsets import decode_bytes

CASES = [
    # (bytes, declared charset, text, codec used, note mentions)
    ("caf\u00e9".encode(), "utf-8", "caf\u00e9", "utf-8", None),
    ("caf\u00e9".encode(), "us-ascii", "caf\u00e9", "utf-8", "'us-ascii' does not fit"),
    ("caf\u00e9".encode("latin-1"), "utf-8", "caf\u00e9", "cp1252", "'utf-8' does not fit"),
    (b"\x93quoted\x94 \x80 5", "iso-8859-1", "\u201cquoted\u201d \u20ac 5", "cp1252", None),
    ("caf\u00e9".encode(), "iso-8859-1", "caf\u00e9", "utf-8", "'iso-8859-1' does not fit"),
    ("\U0001f6b2 ok".encode(), "utf8mb4", "\U0001f6b2 ok", "utf-8", None),
    (b"\x80 10", "x-unknown", "\u20ac 10", "cp1252", "unknown charset 'x-unknown'"),
    (b"\x80 10", "no-such-charset", "\u20ac 10", "cp1252", "unknown charset"),
    (b"plain", "unicode_escape", "plain", "utf-8", "unknown charset"),
    (b"\\u0041", "raw-unicode-escape", "\\u0041", "utf-8", "unknown charset"),
    (b"\x81\x8d", None, "\x81\x8d", "latin-1", "no charset declared"),
    (b"ascii only", None, "ascii only", "utf-8", None),
    (
        "\u041f\u0440\u0438\u0432\u0435\u0442".encode("koi8-r"),
        "KOI8-R",
        "\u041f\u0440\u0438\u0432\u0435\u0442",
        "koi8-r",
        None,
    ),
    ("\u6731\u9555".encode("gb18030"), "gb2312", "\u6731\u9555", "gb18030", None),
    ("\ufeffhello".encode(), "utf-8", "hello", "utf-8", None),
    (b"hello", '"UTF-8"', "hello", "utf-8", None),
]


@pytest.mark.parametrize(("data", "declared", "text", "codec", "note"), CASES)
def test_it_decodes_with_explicit_fallbacks(
    data: bytes, declared: str | None, text: str, codec: str, note: str | None
) -> None:
    decoded = decode_bytes(data, declared)
    assert (decoded.text, decoded.charset) == (text, codec)
    if note is None:
        assert decoded.note is None
    else:
        assert decoded.note is not None and note in decoded.note
