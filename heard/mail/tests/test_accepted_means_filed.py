"""Accepted means filed (issue 19): every email the receiver answered 250 for becomes a ticket or
a message an agent can see, whatever its bytes. Odd attachment names, NUL bytes, over-long
content types and addresses are cleaned (the original stays in the raw email); a failure that
cannot be filed becomes a visible "could not be filed" ticket; `heard reprocess` says, by its
exit status, whether any email still fails. Run on SQLite and on PostgreSQL, whose text columns
refuse NUL bytes and enforce lengths."""

from __future__ import annotations

import io
import tempfile
from email.message import EmailMessage
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from heard.desk.models import Attachment, Status, Ticket
from heard.mail import filing
from heard.mail.filing import processing
from heard.mail.models import Intake, RawEmail
from heard.test import BaseTestCase, present

SUPPORT = "support@heard.localhost"


def email_bytes(
    *,
    sender: str = "Maja Novak <maja@example.com>",
    text: str = "My invoice is wrong, can you look at it?",
    filename: str | None = None,
    content_type: str = "application/pdf",
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = SUPPORT
    message["Subject"] = "Invoice question"
    message.set_content(text)
    if filename is not None:
        message.add_attachment(b"%PDF-1.4 not much", maintype="application", subtype="pdf")
        attachment = next(iter(message.iter_attachments()))
        attachment.replace_header("Content-Disposition", f'attachment; filename="{filename}"')
        attachment.replace_header("Content-Type", content_type)
    return message.as_bytes()


@override_settings(HEARD_SUPPORT_ADDRESS=SUPPORT)
class AcceptedMeansFiledTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        self.enterContext(override_settings(MEDIA_ROOT=media.name))

    def receive(self, data: bytes) -> RawEmail:
        with self.captureOnCommitCallbacks(execute=True):
            raw = filing.receive(data, source="smtp", envelope_from="maja@example.com")
        return RawEmail.objects.select_related("ticket", "message").get(pk=raw.pk)

    def assert_an_agent_sees(self, raw: RawEmail) -> Ticket:
        self.assertIn(raw.intake, {Intake.THREADED, Intake.UNREADABLE}, raw.error)
        ticket = present(raw.ticket)
        self.login(self.lead)
        page = self.client.get(reverse("console:ticket", args=[ticket.pk]))
        self.assertEqual(page.status_code, 200)
        return ticket

    def test_an_attachment_named_dot_dot_is_filed(self) -> None:
        for name in ("..", ".", "../..", "..\\.."):
            with self.subTest(name=name):
                raw = self.receive(email_bytes(filename=name))
                ticket = self.assert_an_agent_sees(raw)
                attachment = Attachment.objects.get(message__ticket=ticket)
                self.assertNotIn(attachment.filename.strip("."), ("", "/"))
                self.assertEqual(attachment.file.read(), b"%PDF-1.4 not much")

    def test_a_nul_byte_in_the_body_is_filed_without_it(self) -> None:
        raw = self.receive(email_bytes(text="My invoice\x00 is wrong."))
        ticket = self.assert_an_agent_sees(raw)
        self.assertEqual(present(raw.message).text, "My invoice is wrong.")
        self.assertIn(b"\x00", bytes(raw.data))  # the original keeps it
        self.assertEqual(ticket.subject, "Invoice question")

    def test_a_content_type_over_100_characters_is_filed(self) -> None:
        long_type = "application/" + "x" * 120
        raw = self.receive(email_bytes(filename="invoice.pdf", content_type=long_type))
        ticket = self.assert_an_agent_sees(raw)
        attachment = Attachment.objects.get(message__ticket=ticket)
        self.assertEqual(attachment.content_type, "application/octet-stream")
        self.assertEqual(attachment.filename, "invoice.pdf")

    def test_a_from_address_over_254_characters_is_filed(self) -> None:
        address = "m" * 250 + "@example.com"
        raw = self.receive(email_bytes(sender=f"Maja <{address}>"))
        ticket = self.assert_an_agent_sees(raw)
        self.assertEqual(raw.intake, Intake.UNREADABLE)
        self.assertIn("no sender", raw.error)
        self.assertNotIn(address, ticket.customer.emails.values_list("address", flat=True))

    def test_a_failure_that_cannot_be_filed_becomes_a_visible_ticket(self) -> None:
        with mock.patch.object(processing, "_file", side_effect=RuntimeError("disk on fire")):
            raw = self.receive(email_bytes())
        self.assertEqual(raw.intake, Intake.FAILED)
        ticket = present(raw.ticket)
        self.assertEqual(ticket.subject, processing.UNFILED_SUBJECT)
        self.assertIn("RuntimeError: disk on fire", present(raw.message).text)
        self.assertIsNone(ticket.reply_due_at)  # a person's to look at, not a customer's clock
        self.assertEqual(ticket.customer.primary_email(), "maja@example.com")
        self.login(self.lead)
        page = self.client.get(reverse("console:ticket", args=[ticket.pk]))
        self.assertContains(page, "could not file it")
        self.assertContains(page, reverse("console:original_email", args=[ticket.pk, raw.pk]))

    def test_reprocess_files_it_later_and_the_stand_in_says_where(self) -> None:
        with mock.patch.object(processing, "_file", side_effect=RuntimeError("disk on fire")):
            first = self.receive(email_bytes())
            second = self.receive(email_bytes(text="And a second email."))
        out = io.StringIO()
        with (
            mock.patch.object(processing, "_file", side_effect=RuntimeError("still on fire")),
            self.assertRaisesMessage(CommandError, "1 email could not be filed"),
        ):
            call_command("reprocess", second.pk, stdout=out)
        self.assertIn("RuntimeError: still on fire", out.getvalue())
        self.assertEqual(Ticket.objects.filter(subject=processing.UNFILED_SUBJECT).count(), 2)
        call_command("reprocess", stdout=out)  # no error: every email is filed now
        self.assertFalse(RawEmail.objects.filter(intake=Intake.FAILED).exists())
        raw = RawEmail.objects.select_related("ticket").get(pk=first.pk)
        self.assertEqual(raw.intake, Intake.THREADED)
        filed = present(raw.ticket)
        self.assertEqual(filed.subject, "Invoice question")
        stand_in = Ticket.objects.get(pk=present(first.ticket).pk)
        self.assertIn(filed.reference, stand_in.events.get(what="filed").note)
        self.assertEqual(stand_in.status, Status.SOLVED)
