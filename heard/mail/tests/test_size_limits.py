"""Size limits before parsing (issue 19): a large email is cut down before the email package
reads it, so that a 30 MB plain-text email (3.7 GB and seconds to parse before) is read in a few
megabytes: its text part is read truncated and kept whole only in the raw email, and an
attachment over the limit is listed by name and size. Memory is measured with tracemalloc."""

from __future__ import annotations

import base64
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from email.message import EmailMessage
from typing import TypeVar

from django.test import override_settings

from heard.mail import filing
from heard.mail.models import Intake, RawEmail
from heard.mail.parsing.limits import shrink
from heard.mail.parsing.parse import parse_email
from heard.test import BaseTestCase, present

T = TypeVar("T")
MB = 1_000_000
LINE = b"The export failed again and my invoice is wrong, please help me with it today. \r\n"
HEADERS = (
    b"From: Maja Novak <maja@example.com>\r\nTo: support@heard.localhost\r\n"
    b"Subject: Long log\r\nMessage-ID: <long-log@example.com>\r\n"
)


def plain_text_email(size: int) -> bytes:
    body = LINE * (size // len(LINE))
    return HEADERS + b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body


def peak(work: Callable[[], T]) -> tuple[T, float, float]:
    """What `work` returns, the most memory it held at once (bytes, by tracemalloc) and the
    seconds it took."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1], time.perf_counter() - started
    finally:
        tracemalloc.stop()


def test_a_30_mb_plain_text_email_is_read_truncated_in_bounded_memory() -> None:
    raw = plain_text_email(30 * MB)
    email, memory, seconds = peak(lambda: parse_email(raw))
    assert memory < 64 * MB, f"{memory / MB:.0f} MB"  # 3.7 GB before the limits
    assert seconds < 10
    assert email.text.startswith("The export failed again")
    assert len(email.text) < 1.1 * MB
    assert email.text.endswith("(30.0 MB): the rest is in the original email.]")
    assert any("read truncated" in defect for defect in email.defects)
    assert email.subject == "Long log"


def test_an_attachment_over_the_limit_is_listed_by_name_and_size_without_its_bytes() -> None:
    picture = b"\x89PNG" + b"\x01" * (30 * MB)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "maja@example.com", "s@x.example", "P"
    message.set_content("The photo of the broken frame.")
    message.add_attachment(picture, maintype="image", subtype="png", filename="frame.png")
    raw = message.as_bytes()
    email, memory, _ = peak(lambda: parse_email(raw, max_attachment_bytes=25 * MB))
    assert memory < 64 * MB, f"{memory / MB:.0f} MB"
    (attachment,) = email.attachments
    assert (attachment.filename, attachment.oversize) == ("frame.png", True)
    assert attachment.content is None
    assert abs(attachment.size - len(picture)) <= 3
    assert email.new_text == "The photo of the broken frame."


def test_only_the_parts_over_a_limit_are_cut() -> None:
    inner = EmailMessage()
    inner["From"], inner["Subject"] = "anna@example.com", "What Anna wrote"
    inner.set_content("Anna's words, forwarded whole.")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "maja@example.com", "s@x.example", "Log"
    message.set_content((LINE * 30_000).decode())  # 2.4 MB of text
    pdf_bytes = b"%PDF-1.4 small"
    message.add_attachment(pdf_bytes, maintype="application", subtype="pdf", filename="a.pdf")
    message.add_attachment(inner)
    email = parse_email(message.as_bytes(), max_text_bytes=1024 * 1024)
    assert len(email.text) < 1.1 * MB
    assert "the rest is in the original email" in email.text
    pdf, forwarded = email.attachments
    assert pdf.content == pdf_bytes
    assert email.forwarded[0].text == "Anna's words, forwarded whole."
    assert forwarded.content_type == "message/rfc822"


def test_a_message_within_the_limits_is_read_as_it_came() -> None:
    raw = plain_text_email(3 * MB)
    assert shrink(raw, max_text_bytes=4 * MB, max_part_bytes=4 * MB).raw is raw
    forged = HEADERS + b"X-Heard-Cut-abc: 999\r\n\r\nHello"  # the marker's name is random
    assert parse_email(forged).text == "Hello"


@override_settings(HEARD_SUPPORT_ADDRESS="support@heard.localhost")
class LargeEmailFilingTest(BaseTestCase):
    def test_a_30_mb_email_becomes_a_ticket_in_bounded_memory_and_time(self) -> None:
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        # Written long ago, so filed without an acknowledgement: this measures the filing (the
        # receiver's test below measures it all).
        raw_bytes = b"Date: Mon, 3 Mar 2025 10:00:00 +0000\r\n" + plain_text_email(30 * MB)

        def file_it() -> RawEmail:
            with override_settings(MEDIA_ROOT=media.name), self.captureOnCommitCallbacks(
                execute=True
            ):
                return filing.receive(raw_bytes, source="smtp", envelope_from="maja@example.com")

        stored, memory, seconds = peak(file_it)
        assert memory < 400 * MB, f"{memory / MB:.0f} MB"  # 3.9 GB before the limits
        assert seconds < 60  # 67 s before
        raw = RawEmail.objects.select_related("message").get(pk=stored.pk)
        self.assertEqual(raw.intake, Intake.THREADED)
        self.assertEqual(bytes(raw.data), raw_bytes)  # the whole email, as received
        text = present(raw.message).text
        self.assertLess(len(text), 1.1 * MB)
        self.assertIn("the rest is in the original email", text)


def test_a_base64_text_part_is_cut_on_a_line_and_still_decodes() -> None:
    text = "Grüße aus Köln. " * 200_000  # 3.4 MB of UTF-8
    body = base64.encodebytes(text.encode())
    raw = HEADERS + (
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    ) + body
    email = parse_email(raw, max_text_bytes=1024 * 1024)
    assert email.text.startswith("Grüße aus Köln. Grüße")
    assert not any("does not fit" in defect for defect in email.defects)
