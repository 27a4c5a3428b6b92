"""Mail in, through the real transports, to a ticket and an acknowledgement in the customer's inbox.

The SMTP test runs the aiosmtpd receiver on a loopback port; the IMAP test polls a throwaway
Dovecot (skipped where /usr/sbin/dovecot is missing; `.ci/run` installs it). Nothing is patched
between the socket and the outgoing email.
"""

from __future__ import annotations

import smtplib
import unittest
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

from django.core import mail
from django.test import TestCase, TransactionTestCase, override_settings

from heard.desk.models import Ticket
from heard.mail import kinds
from heard.mail.models import Intake, OutboundEmail, RawEmail
from heard.mail.tests import dovecot
from heard.mail.tests.test_smtpd import SUPPORT, free_port
from heard.mail.transports import imap
from heard.mail.transports.smtp import Receiver


def customer_email() -> bytes:
    message = EmailMessage()
    message["From"] = "Aleksandar Petrović <aleks@example.com>"
    message["To"] = SUPPORT
    message["Subject"] = "Locked out before my presentation"
    message["Message-ID"] = "<first-contact-1@example.com>"
    message["Date"] = format_datetime(datetime.now(UTC))  # an old email gets no acknowledgement
    message.set_content(
        "Hello,\n\nI can't log in to my account and my presentation starts in an hour. "
        "I already reset my password twice.\n\nAleksandar\n"
    )
    return bytes(message)


def assert_heard(test: unittest.TestCase) -> None:
    raw = RawEmail.objects.get()
    test.assertEqual(raw.intake, Intake.THREADED)
    ticket = Ticket.objects.get()
    test.assertEqual(raw.ticket, ticket)
    test.assertEqual(ticket.customer.name, "Aleksandar Petrović")
    test.assertEqual(ticket.subject, "Locked out before my presentation")
    ack = OutboundEmail.objects.get(ticket=ticket, kind=kinds.ACKNOWLEDGEMENT.code)
    [sent] = mail.outbox
    test.assertEqual(sent.to, ["aleks@example.com"])
    test.assertEqual(sent.extra_headers["Auto-Submitted"], "auto-replied")
    test.assertIn(ticket.reference, sent.subject)
    test.assertIn("Hi Aleksandar,", sent.body)
    test.assertIn(ticket.reference, sent.body)
    test.assertEqual(ack.delivery, "sent")


@override_settings(HEARD_SUPPORT_ADDRESS=SUPPORT)
class SmtpToAcknowledgementTest(TransactionTestCase):
    def test_an_email_sent_to_the_receiver_is_acknowledged(self) -> None:
        receiver = Receiver("127.0.0.1", free_port())
        receiver.start()
        self.addCleanup(receiver.stop)
        with smtplib.SMTP(receiver.hostname, receiver.port, timeout=10) as client:
            client.sendmail("aleks@example.com", [SUPPORT], customer_email())
        assert_heard(self)


@unittest.skipUnless(
    dovecot.available(), "needs Debian's dovecot-imapd at /usr/sbin/dovecot (.ci/run installs it)"
)
@override_settings(HEARD_SUPPORT_ADDRESS=SUPPORT)
class ImapToAcknowledgementTest(TestCase):
    def test_an_email_in_the_mailbox_is_acknowledged_once(self) -> None:
        server = dovecot.Dovecot()
        server.start()
        self.addCleanup(server.stop)
        server.append("INBOX", customer_email())
        box = imap.Mailbox(server.host, server.port, False, server.user, dovecot.PASSWORD)
        for _ in range(2):  # polling twice files and answers once
            with self.captureOnCommitCallbacks(execute=True):
                imap.poll(box)
        assert_heard(self)
