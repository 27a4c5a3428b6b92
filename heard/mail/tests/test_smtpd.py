"""The SMTP receiver end to end: the real aiosmtpd server on a loopback port, smtplib as sender.

These are TransactionTestCases because the receiver stores each message from its own worker
thread, on its own database connection, as it does in production.
"""

from __future__ import annotations

import smtplib
import socket
from pathlib import Path
from unittest import mock

from django.db import OperationalError
from django.test import TransactionTestCase, override_settings

from heard.mail import filing
from heard.mail.models import RawEmail
from heard.mail.transports.smtp import Receiver

FIXTURES = Path(__file__).parent / "fixtures"
SUPPORT = "support@heard.localhost"
MAX_BYTES = 64 * 1024


def free_port() -> int:
    """A loopback port nobody listens on right now (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fixture(name: str) -> bytes:
    """A fixture as it travels over SMTP: CRLF line endings."""
    return (FIXTURES / name).read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


@override_settings(HEARD_SUPPORT_ADDRESS=SUPPORT)
class SmtpdTestCase(TransactionTestCase):
    def setUp(self) -> None:
        super().setUp()
        # filing is tested elsewhere
        process = mock.patch("heard.mail.filing.processing.file_waiting")
        self.process = process.start()
        self.addCleanup(process.stop)
        self.receiver = Receiver("127.0.0.1", free_port(), max_bytes=MAX_BYTES)
        self.receiver.start()
        self.addCleanup(self.receiver.stop)

    def smtp(self) -> smtplib.SMTP:
        client = smtplib.SMTP(self.receiver.hostname, self.receiver.port, timeout=10)
        self.addCleanup(client.close)
        return client

    def test_it_stores_the_exact_bytes_before_answering_250(self) -> None:
        data = fixture("customer-gmail-reply.eml")  # has a line starting with "." (dot-stuffed)
        refused = self.smtp().sendmail(
            "maya.chen@example.com", [SUPPORT, "billing@heard.localhost"], data
        )
        self.assertEqual(refused, {})
        raw = RawEmail.objects.get()  # committed by the time 250 came back
        self.assertEqual(bytes(raw.data), data)
        self.assertEqual(raw.sha256, RawEmail.checksum(data))
        self.assertEqual(raw.size, len(data))
        self.assertEqual(raw.source, "smtp")
        self.assertEqual(raw.envelope_from, "maya.chen@example.com")
        self.assertEqual(raw.recipients(), [SUPPORT, "billing@heard.localhost"])
        self.assertIn("[127.0.0.1]", raw.origin)
        self.process.assert_called_once_with(raw.pk)

    def test_it_answers_with_the_stored_email_id(self) -> None:
        client = self.smtp()
        client.ehlo()
        client.mail("maya.chen@example.com")
        client.rcpt(SUPPORT)
        code, reply = client.data(fixture("customer-french-gmail.eml"))
        self.assertEqual(code, 250)
        self.assertIn(f"stored as email {RawEmail.objects.get().pk}".encode(), reply)

    def test_it_records_the_null_sender_as_empty(self) -> None:
        self.smtp().sendmail("", [SUPPORT], fixture("bounce-postfix-dsn.eml"))
        self.assertEqual(RawEmail.objects.get().envelope_from, "")

    def test_it_answers_451_when_storage_is_down(self) -> None:
        for error in (filing.StorageError("database is down"), OperationalError("gone")):
            with (
                self.subTest(error=type(error).__name__),
                mock.patch("heard.mail.filing.receive", side_effect=error),
                self.assertLogs("heard.mail.transports.smtp", "ERROR"),
                self.assertRaises(smtplib.SMTPDataError) as caught,
            ):
                self.smtp().sendmail("maya.chen@example.com", [SUPPORT], b"Subject: hi\r\n")
            self.assertEqual(caught.exception.smtp_code, 451)  # the sender keeps it and retries
        self.assertFalse(RawEmail.objects.exists())

    def test_it_refuses_to_relay_to_other_domains(self) -> None:
        with self.assertRaises(smtplib.SMTPRecipientsRefused) as caught:
            self.smtp().sendmail("spammer@example.net", ["victim@example.org"], b"Subject: x")
        code, reply = caught.exception.recipients["victim@example.org"]
        self.assertEqual(code, 550)
        self.assertIn(b"Relaying denied", reply)
        self.assertFalse(RawEmail.objects.exists())

    def test_it_accepts_the_message_for_its_own_recipients_only(self) -> None:
        refused = self.smtp().sendmail(
            "maya.chen@example.com", [SUPPORT, "someone@example.org"], b"Subject: hi\r\n\r\nx\r\n"
        )
        self.assertEqual(refused["someone@example.org"][0], 550)
        self.assertEqual(RawEmail.objects.get().recipients(), [SUPPORT])

    def test_it_refuses_a_message_over_the_size_limit(self) -> None:
        big = b"Subject: big\r\n\r\n" + (b"x" * 998 + b"\r\n") * (MAX_BYTES // 1000 + 2)
        with self.assertRaises(smtplib.SMTPSenderRefused) as caught:  # declared with SIZE=
            self.smtp().sendmail("maya.chen@example.com", [SUPPORT], big)
        self.assertEqual(caught.exception.smtp_code, 552)
        client = self.smtp()  # and a sender that does not declare the size
        client.ehlo()
        client.mail("maya.chen@example.com")
        client.rcpt(SUPPORT)
        self.assertEqual(client.data(big)[0], 552)
        self.assertFalse(RawEmail.objects.exists())

    def test_it_accepts_lines_longer_than_rfc_5321_allows(self) -> None:
        data = b"Subject: long\r\n\r\n" + b"<p>" + b"a" * 5000 + b"</p>\r\n"
        self.smtp().sendmail("maya.chen@example.com", [SUPPORT], data)
        self.assertEqual(bytes(RawEmail.objects.get().data), data)
