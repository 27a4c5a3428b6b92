"""`parse_email` never raises: damaged copies of every corpus message still come back readable."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from heard.mail.parsing import parse
from heard.mail.parsing.parse import INTERNAL_ERROR, parse_email

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = sorted(FIXTURES.glob("*.eml"))


def damaged_copies(raw: bytes, seed: str) -> list[bytes]:
    """Truncated, bit-flipped, spliced and line-ending-mangled versions of `raw`."""
    rng = random.Random(seed)
    copies = [raw[: rng.randrange(len(raw) + 1)] for _ in range(4)]
    for _ in range(4):
        data = bytearray(raw)
        for _ in range(1 + len(data) // 200):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        copies.append(bytes(data))
    cut = rng.randrange(len(raw) + 1)
    copies.append(raw[:cut] + b"\n--\x00=?utf-8?B?\xff\xfe?=\n" + raw[cut:])
    copies.append(raw.replace(b"\n", b"\r"))
    return copies


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.name)
def test_damaged_mail_is_read_or_reported_never_raised(path: Path) -> None:
    for copy in damaged_copies(path.read_bytes(), path.name):
        email = parse_email(copy)
        assert not (email.error or "").startswith(INTERNAL_ERROR), (email.error, copy[:300])


def test_an_unexpected_failure_becomes_an_error_not_an_exception(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("walker bug")

    monkeypatch.setattr(parse, "collect_parts", broken)
    email = parse_email((FIXTURES / "customer-gmail-reply.eml").read_bytes())
    assert email.error == f"{INTERNAL_ERROR}: RuntimeError: walker bug"
    assert email.from_ == () and email.text == ""


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b"", "empty message"),
        (b" \r\n\t\n", "empty message"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not an email message: no mail headers found"),
        (b"name: Heard\nversion: 1\n", "not an email message: no mail headers found"),
    ],
)
def test_bytes_that_are_not_mail_give_an_error(raw: bytes, error: str) -> None:
    assert parse_email(raw).error == error


def nested_multiparts(levels: int) -> bytes:
    opening = "".join(
        f"Content-Type: multipart/mixed; boundary=b{n}\n\n--b{n}\n" for n in range(levels)
    )
    closing = "".join(f"--b{n}--\n" for n in reversed(range(levels)))
    return f"From: a@example.com\nSubject: bomb\n{opening}\nnot reached\n{closing}".encode()


def test_a_mime_bomb_is_cut_off_or_refused_never_raised() -> None:
    shallow = parse_email(nested_multiparts(60))
    assert shallow.error is None
    assert "MIME parts nested deeper than 20 levels were skipped" in shallow.defects
    deep = parse_email(nested_multiparts(2000))
    assert deep.error == "not readable: MIME parts nested too deeply (a MIME bomb)"


def test_the_attachment_size_limit_is_a_parameter() -> None:
    raw = (FIXTURES / "attachment-pdf-outlook.eml").read_bytes()
    (kept,) = parse_email(raw).attachments
    (dropped,) = parse_email(raw, max_attachment_bytes=kept.size - 1).attachments
    assert (kept.oversize, kept.content is not None) == (False, True)
    assert (dropped.oversize, dropped.content, dropped.size) == (True, None, kept.size)
    assert kept.content is not None and kept.content.startswith(b"%PDF-1.7")


def test_a_text_attachment_over_the_limit_has_no_text() -> None:
    raw = (FIXTURES / "attachment-csv-gmail.eml").read_bytes()
    (csv,) = parse_email(raw, max_attachment_bytes=10).attachments
    assert (csv.oversize, csv.text, csv.content) == (True, None, None)


def test_the_html_is_kept_unsanitised_for_sanitising_at_render_time() -> None:
    email = parse_email((FIXTURES / "html-only-webform.eml").read_bytes())
    assert email.html is not None and "<script>" in email.html
    assert "trackOpen" not in email.text
