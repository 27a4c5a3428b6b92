"""Headers read tolerantly: encoded-words (also broken ones), addresses, Message-IDs, dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from heard.mail.parsing.headers import decode_words, message_ids, parse_addresses
from heard.mail.parsing.parse import parse_email

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    ("value", "decoded"),
    [
        ("=?utf-8?Q?caf=C3=A9?=", "caf\u00e9"),
        ("=?UTF-8?B?Y2Fmw6k=?=", "caf\u00e9"),
        ("=?utf-8?B?Y2Fmw6k?=", "caf\u00e9"),  # padding missing
        ("=?utf-8?Q?a?= =?utf-8?Q?b?=", "ab"),  # whitespace between words is dropped
        ("=?utf-8?Q?a?=\t =?iso-8859-1?Q?b?=", "ab"),
        ("=?utf-8?Q?a?= x =?utf-8?Q?b?=", "a x b"),  # other text between words is kept
        ("=?utf-8?B?w6k=?==?utf-8?B?w6k=?=", "\u00e9\u00e9"),
        ("=?utf-8?B?Y2Fmw?= rest", "=?utf-8?B?Y2Fmw?= rest"),  # invalid base64 stays as written
        ("=?utf-8?Q?R=C3=BCckruf", "R\u00fcckruf"),  # "?=" missing at the end
        ("=?x-unknown?Q?caf=E9?=", "caf\u00e9"),  # unknown charset: fallbacks
        ("=?utf-8*de?Q?Gr=C3=BC=C3=9Fe?=", "Gr\u00fc\u00dfe"),  # RFC 2231 language tag
        ("no words here", "no words here"),
        ("=?utf-8?Z?unknown-encoding?=", "=?utf-8?Z?unknown-encoding?="),
    ],
)
def test_it_decodes_encoded_words_even_broken_ones(value: str, decoded: str) -> None:
    assert decode_words(value) == decoded


def test_a_multibyte_character_split_across_two_words_is_joined() -> None:
    data = "\u00e9t\u00e9".encode()
    first, second = data[:1], data[1:]  # splits the first "é" in two
    import base64

    words = [f"=?utf-8?B?{base64.b64encode(part).decode()}?=" for part in (first, second)]
    assert decode_words(" ".join(words)) == "\u00e9t\u00e9"


@pytest.mark.parametrize(
    ("values", "addresses"),
    [
        (['"Doe, Jane" <jane@example.com>'], [("Doe, Jane", "jane@example.com")]),
        (["=?utf-8?Q?Doe=2C_J=C3=B6rg?= <j@example.com>"], [("Doe, J\u00f6rg", "j@example.com")]),
        (["a@example.com, B <b@example.com>"], [("", "a@example.com"), ("B", "b@example.com")]),
        (["Bob Smith [mailto:bob@example.com]"], [("Bob Smith", "bob@example.com")]),
        (
            ["MAILER-DAEMON@mx.example (Mail Delivery System)"],
            [("Mail Delivery System", "MAILER-DAEMON@mx.example")],
        ),
        (["undisclosed-recipients:;"], []),
        ([""], []),
    ],
)
def test_it_parses_addresses(values: list[str], addresses: list[tuple[str, str]]) -> None:
    assert [(a.name, a.address) for a in parse_addresses(values)] == addresses


@pytest.mark.parametrize(
    ("value", "ids"),
    [
        ("<a@x> <b@y>\n <a@x>", ("a@x", "b@y")),
        ("<a@x> (Jane's message of Monday)", ("a@x",)),
        ("bare.id@legacy.example", ("bare.id@legacy.example",)),
        ("", ()),
    ],
)
def test_it_reads_message_ids(value: str, ids: tuple[str, ...]) -> None:
    assert message_ids(value) == ids


@pytest.mark.parametrize(
    ("date_header", "expected"),
    [
        (
            "Mon, 3 Mar 2025 10:40:55 +0100",
            datetime(2025, 3, 3, 10, 40, 55, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("Mon, 3 Mar 2025 10:40:55 -0000", datetime(2025, 3, 3, 10, 40, 55, tzinfo=UTC)),
        ("yesterday afternoon", None),
        ("Mon, 99 Foo 2025 99:99:99", None),
    ],
)
def test_it_reads_dates_as_aware_datetimes_or_none(
    date_header: str, expected: datetime | None
) -> None:
    raw = (FIXTURES / "customer-first-contact-fastmail.eml").read_bytes()
    email = parse_email(f"Date: {date_header}\n".encode() + raw)
    assert email.date == expected
