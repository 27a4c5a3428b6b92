"""A stored email becomes a ticket, a message on its ticket, or a filed automated mail."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from heard.desk import actions
from heard.desk.models import CustomerEmail, Direction, Status, Ticket
from heard.engine import coach
from heard.mail import filing, kinds
from heard.mail.filing import processing
from heard.mail.models import Delivery, Intake, OutboundEmail, RawEmail
from heard.mail.sending import signing
from heard.test import BaseTestCase, present

FIXTURES = Path(__file__).parent / "fixtures"


def email(
    text: str,
    *,
    sender: str = "Maja Novak <maja@example.org>",
    subject: str = "My invoice is wrong",
    to: str = "support@heard.localhost",
    **headers: str,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="example.org")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return bytes(message)


@override_settings(HEARD_SUPPORT_ADDRESS="support@heard.localhost")
class ProcessingTest(BaseTestCase):
    def receive(self, data: bytes, **kwargs: object) -> RawEmail:
        with self.captureOnCommitCallbacks(execute=True):
            raw = filing.receive(data, source="smtp", **kwargs)  # type: ignore[arg-type]
        raw.refresh_from_db()
        return raw

    def test_a_new_sender_becomes_a_customer_with_a_ticket_and_an_acknowledgement(self) -> None:
        raw = self.receive(
            email(
                "Hello, I was charged twice for my March invoice. Please refund one of them.\n\n"
                "On Mon, 2 Mar 2026, Acme wrote:\n> Your invoice is attached.\n"
            )
        )
        self.assertEqual(raw.intake, Intake.THREADED)
        ticket = present(raw.ticket)
        self.assertEqual(ticket.customer.name, "Maja Novak")
        self.assertEqual(ticket.customer.primary_email(), "maja@example.org")
        self.assertEqual(ticket.subject, "My invoice is wrong")
        # the quoted history is left out
        self.assertNotIn("Your invoice is attached", present(raw.message).text)
        ack = OutboundEmail.objects.get(ticket=ticket, kind=kinds.ACKNOWLEDGEMENT.code)
        self.assertEqual(ack.to_address, "maja@example.org")
        self.assertIn("Hi Maja,", ack.text)
        self.assertIn("charged twice for your March invoice", ack.text)
        self.assertIn(ticket.reference, ack.text)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].extra_headers.get("Auto-Submitted"), "auto-replied")
        kept = ticket.messages.get(direction=Direction.SYSTEM)
        self.assertEqual(kept.text, ack.text)  # the agent sees what the customer was told

    def test_the_acknowledgement_greets_the_person_however_their_name_was_written(self) -> None:
        signed = {
            '"Smith, John" <john@example.org>': "Hi John,",
            "JANE DOE <jane@example.org>": "Hi Jane,",
            "Acme Ltd Accounts <accounts@example.org>": "Hello,",
        }
        for sender, greeting in signed.items():
            raw = self.receive(email("I was charged twice for my March invoice.", sender=sender))
            ack = OutboundEmail.objects.get(ticket=raw.ticket, kind=kinds.ACKNOWLEDGEMENT.code)
            self.assertEqual(ack.text.splitlines()[0], greeting)

    def test_a_new_customer_gets_the_time_zone_their_email_was_written_in(self) -> None:
        raw = self.receive(email("Where is my parcel?", Date="Mon, 23 Nov 2026 09:00:00 +0200"))
        self.assertEqual(present(raw.ticket).customer.time_zone, "Etc/GMT-2")
        half_hour = self.receive(
            email("Hello?", sender="r@example.in", Date="Mon, 23 Nov 2026 09:00:00 +0530")
        )
        self.assertEqual(present(half_hour.ticket).customer.time_zone, "UTC")

    def test_the_acknowledgement_raises_no_harmful_finding_from_the_coach(self) -> None:
        raw = self.receive(
            email("This is the THIRD time I write. My account is locked and I can't work!")
        )
        ack = OutboundEmail.objects.get(ticket=raw.ticket, kind=kinds.ACKNOWLEDGEMENT.code)
        codes = {f.code for f in coach(ack.text, present(raw.message).text, "Maja").findings}
        self.assertFalse(codes & {"blame", "rtfm", "policy_wall", "dismissive", "robotic",
                                  "curt_closing", "shouting", "no_name"}, ack.text)  # fmt: skip

    def test_an_email_written_days_ago_is_filed_without_an_acknowledgement(self) -> None:
        raw = self.receive(email("Old complaint.", Date="Mon, 02 Mar 2026 09:00:00 +0000"))
        self.assertEqual(raw.intake, Intake.THREADED)
        self.assertFalse(OutboundEmail.objects.exists())
        event = present(raw.ticket).events.get(what="acknowledgement")
        self.assertIn("written 2026-03-02", event.note)

    def test_one_acknowledgement_per_sender_per_day(self) -> None:
        self.receive(email("My invoice is wrong, please check it."))
        second = self.receive(email("Also my password reset mail never arrives.", subject="Reset"))
        self.assertEqual(Ticket.objects.count(), 2)
        self.assertEqual(OutboundEmail.objects.filter(kind=kinds.ACKNOWLEDGEMENT.code).count(), 1)
        self.assertTrue(present(second.ticket).events.filter(what="acknowledgement").exists())

    def test_a_reply_to_our_email_threads_by_its_signed_message_id(self) -> None:
        first = self.receive(email("My invoice is wrong, please check it."))
        ours = OutboundEmail.objects.get(ticket=first.ticket)
        reply = self.receive(
            email("Any news?", subject="Re: other", In_Reply_To=f"<{ours.header_message_id}>")
        )
        self.assertEqual(reply.ticket, first.ticket)
        customer_messages = present(first.ticket).messages.filter(direction=Direction.CUSTOMER)
        self.assertEqual(customer_messages.count(), 2)

    def test_a_reply_to_the_tagged_reply_address_threads_even_without_headers(self) -> None:
        first = self.receive(email("My invoice is wrong, please check it."))
        reply = self.receive(
            email("Still wrong.", subject="no reference here"),
            envelope_to=[signing.reply_address(present(first.ticket_id))],
        )
        self.assertEqual(reply.ticket, first.ticket)

    def test_a_forged_message_id_does_not_thread(self) -> None:
        first = self.receive(email("My invoice is wrong, please check it."))
        forged = signing.new_message_id(first.ticket_id).replace(".", "x", 1)
        stranger = self.receive(
            email("Let me in", sender="Mallory <m@evil.example>", In_Reply_To=f"<{forged}>")
        )
        self.assertNotEqual(stranger.ticket, first.ticket)

    def test_the_subject_reference_threads_only_for_the_tickets_customer(self) -> None:
        first = self.receive(email("My invoice is wrong, please check it."))
        subject = f"Re: [{present(first.ticket).reference}] invoice"
        same = self.receive(email("Any news?", subject=subject))
        stranger = self.receive(email("Hi", sender="m@evil.example", subject=subject))
        self.assertEqual(same.ticket, first.ticket)
        self.assertNotEqual(stranger.ticket, first.ticket)

    def test_references_to_the_customers_own_earlier_email_thread(self) -> None:
        first = self.receive(email("My invoice is wrong, please check it."))
        again = self.receive(
            email("Forgot to say: it's invoice 4471.", subject="Re: My invoice is wrong",
                  References=f"<{first.header_message_id}>")
        )  # fmt: skip
        self.assertEqual(again.ticket, first.ticket)

    def test_writing_to_a_closed_ticket_opens_a_follow_up(self) -> None:
        first = self.receive(email("My invoice is wrong, please check it."))
        Ticket.objects.filter(pk=present(first.ticket_id)).update(status=Status.CLOSED)
        subject = f"Re: [{present(first.ticket).reference}]"
        later = self.receive(email("It happened again.", subject=subject))
        self.assertNotEqual(later.ticket, first.ticket)
        self.assertEqual(present(later.ticket).follow_up_of, first.ticket)

    def test_an_out_of_office_reply_is_filed_on_its_ticket_without_an_answer(self) -> None:
        first = self.receive(email("My invoice is wrong, please check it."))
        ours = OutboundEmail.objects.get(ticket=first.ticket)
        sent = len(mail.outbox)
        ooo = self.receive(
            email("I am out of the office until Monday.", subject="Automatic reply",
                  Auto_Submitted="auto-replied", In_Reply_To=f"<{ours.header_message_id}>")
        )  # fmt: skip
        self.assertEqual(ooo.intake, Intake.AUTOMATED)
        self.assertIn("auto-reply", ooo.automated)
        self.assertEqual(ooo.ticket, first.ticket)
        customer_messages = present(first.ticket).messages.filter(direction=Direction.CUSTOMER)
        self.assertEqual(customer_messages.count(), 1)
        self.assertTrue(present(first.ticket).events.filter(what="automated mail").exists())
        self.assertEqual(len(mail.outbox), sent)  # never answer a robot

    def test_automated_mail_without_a_ticket_is_only_filed(self) -> None:
        raw = self.receive((FIXTURES / "list-mailman3.eml").read_bytes())
        self.assertEqual(raw.intake, Intake.AUTOMATED)
        self.assertIsNone(raw.ticket)
        self.assertEqual(Ticket.objects.count(), 0)
        self.assertEqual(len(mail.outbox), 0)

    def test_a_bounce_marks_the_address_and_the_email_it_returns(self) -> None:
        data = (FIXTURES / "bounce-postfix-dsn.eml").read_bytes()
        parsed = processing.parse_email(data)
        customer_address = parsed.bounced_recipients[0]
        CustomerEmail.objects.create(customer=self.customer, address=customer_address)
        ticket = self.open_ticket()
        returned = OutboundEmail.objects.create(
            ticket=ticket, kind=kinds.REPLY.code, from_header="x", to_address=customer_address,
            subject="s", header_message_id=present(parsed.original_message_id), text="t",
            delivery=Delivery.SENT,
        )  # fmt: skip
        raw = self.receive(data, envelope_from="")
        self.assertEqual(raw.intake, Intake.AUTOMATED)
        self.assertTrue(CustomerEmail.objects.get(address=customer_address).bouncing)
        returned.refresh_from_db()
        self.assertEqual(returned.delivery, Delivery.FAILED)
        self.assertIn("bounced", returned.last_error)

    def test_bytes_that_are_not_an_email_become_a_ticket_marked_unreadable(self) -> None:
        data = (FIXTURES / "malformed-not-an-email.eml").read_bytes()
        raw = self.receive(data)
        self.assertEqual(raw.intake, Intake.UNREADABLE)
        self.assertEqual(present(raw.ticket).subject, processing.UNREADABLE_SUBJECT)
        self.assertEqual(bytes(raw.data), data)  # nothing lost
        self.assertTrue(raw.error)
        self.assertEqual(len(mail.outbox), 0)

    def test_the_same_email_received_twice_files_once(self) -> None:
        data = email("My invoice is wrong, please check it.")
        self.receive(data)
        second = self.receive(data)
        self.assertEqual(second.intake, Intake.DUPLICATE)
        self.assertEqual(Ticket.objects.count(), 1)
        self.assertEqual(RawEmail.objects.count(), 2)  # both kept as received

    def test_a_failure_while_filing_keeps_the_email_for_reprocessing(self) -> None:
        with mock.patch.object(actions, "open_ticket", side_effect=RuntimeError("db hiccup")):
            raw = self.receive(email("My invoice is wrong, please check it."))
        self.assertEqual(raw.intake, Intake.FAILED)
        self.assertIn("db hiccup", raw.error)
        self.assertEqual(Ticket.objects.count(), 0)
        call_command("reprocess", stdout=mock.MagicMock())
        raw.refresh_from_db()
        self.assertEqual(raw.intake, Intake.THREADED)
        self.assertEqual(raw.error, "")

    def test_processing_twice_changes_nothing(self) -> None:
        raw = self.receive(email("My invoice is wrong, please check it."))
        processing.process(raw.pk)
        self.assertEqual(Ticket.objects.count(), 1)
        customer_messages = Ticket.objects.get().messages.filter(direction=Direction.CUSTOMER)
        self.assertEqual(customer_messages.count(), 1)
        self.assertLessEqual(present(raw.processed_at), timezone.now())

    def test_an_email_asking_for_a_manager_escalates_once_however_often_processed(self) -> None:
        first = self.receive(email("My invoice is wrong, please check it."))
        ours = OutboundEmail.objects.get(ticket=first.ticket)
        raw = self.receive(
            email(
                "Still wrong. Let me speak to a manager.",
                subject="Re: My invoice is wrong",
                In_Reply_To=f"<{ours.header_message_id}>",
            )
        )
        with self.captureOnCommitCallbacks(execute=True):
            processing.process(raw.pk)
        ticket = Ticket.objects.get(pk=present(first.ticket).pk)
        self.assertEqual(ticket.escalation_reason, "the customer asked for a manager")
        self.assertEqual(ticket.notifications.get().recipient, self.lead.user)
        to_lead = OutboundEmail.objects.get(ticket=ticket, kind=kinds.NOTICE.code)
        self.assertEqual(to_lead.to_address, self.lead.user.email)

    def test_a_team_address_routes_to_its_team(self) -> None:
        self.tech.email = "tech@heard.localhost"
        self.tech.save()
        raw = self.receive(email("The API returns 500.", to="tech@heard.localhost"))
        self.assertEqual(present(raw.ticket).team, self.tech)


    def test_a_reply_to_a_merged_duplicate_lands_in_the_ticket_it_was_merged_into(self) -> None:
        first = self.receive(email("My invoice is wrong, please check it."))
        duplicate = self.receive(email("Invoice still wrong!", subject="Invoice"))
        actions.merge_tickets(present(duplicate.ticket), present(first.ticket), self.alice)
        their_id = f"<{signing.new_message_id(duplicate.ticket_id)}>"
        reply = self.receive(email("Hello?", subject="Re: x", In_Reply_To=their_id))
        self.assertEqual(reply.ticket, first.ticket)
        acknowledged = present(first.ticket).events.filter(what="acknowledgement")
        self.assertFalse(acknowledged.exists())  # not a new ticket
        duplicate.refresh_from_db()
        self.assertEqual(duplicate.ticket, first.ticket)  # its email follows the merge
