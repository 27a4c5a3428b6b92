"""Outgoing email: agent replies, automatic mail and its loop guard, sending with retries."""

from __future__ import annotations

import smtplib
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from unittest import mock

import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings
from django.urls import reverse

from heard.desk import actions
from heard.desk.models import (
    Customer,
    CustomerEmail,
    Direction,
    Notification,
    Ticket,
    TicketEvent,
)
from heard.mail import kinds
from heard.mail.kinds import EmailKind
from heard.mail.models import Delivery, OutboundEmail, RawEmail
from heard.mail.sending import compose, outbound, signing
from heard.test import BaseTestCase

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
WARN = datetime(2026, 11, 23, 16, 24, tzinfo=UTC)  # 20% of 8 business hours left
THEIR_ID = "CAF+x9q2.4471@mail.example.com"  # the customer's email that opened the ticket


def sent(index: int = -1) -> EmailMessage:
    """An email from the outbox as the recipient's mail program parses it."""
    data = mail.outbox[index].message().as_bytes()
    parsed = message_from_bytes(data, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def refused(error: Exception) -> AbstractContextManager[object]:
    """The mail server refuses every email with `error`."""
    return mock.patch.object(EmailBackend, "send_messages", side_effect=error)


@override_settings(HEARD_SUPPORT_ADDRESS="support@acme.example", HEARD_SUPPORT_NAME="Acme Support")
class OutboundTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ticket = self.open_ticket(at=MONDAY_10)
        RawEmail.objects.create(
            data=b"...",
            sha256="0" * 64,
            size=3,
            source="smtp",
            header_message_id=THEIR_ID,
            ticket=self.ticket,
            message=self.ticket.messages.get(),
        )

    def reply(self, text: str = "Hello Aleksandar,\n\nI refunded the second charge.") -> None:
        with self.captureOnCommitCallbacks(execute=True):
            actions.post_agent_reply(self.ticket, self.alice, text)

    def automatic(
        self, kind: EmailKind = kinds.UPDATE, to: str = "aleks@example.com"
    ) -> OutboundEmail | None:
        with self.captureOnCommitCallbacks(execute=True):
            return outbound.queue_automatic(
                ticket=self.ticket, kind=kind, to_address=to, subject="Charged twice", text="Hi"
            )


class ReplyEmailTestCase(OutboundTestCase):
    def test_it_emails_an_agent_reply_in_the_agents_name_threaded_to_the_customer(self) -> None:
        self.reply()
        self.assertEqual(len(mail.outbox), 1)
        email = sent()
        self.assertEqual(email["From"], "Alice at Acme Support <support@acme.example>")
        self.assertEqual(email["To"], "aleks@example.com")
        self.assertEqual(email["Subject"], f"Re: Charged twice [{self.ticket.reference}]")
        self.assertEqual(signing.ticket_from_address(email["Reply-To"]), self.ticket.pk)
        self.assertEqual(signing.ticket_from_message_id(email["Message-ID"]), self.ticket.pk)
        self.assertEqual(email["In-Reply-To"], f"<{THEIR_ID}>")
        self.assertEqual(email["References"], f"<{THEIR_ID}>")
        self.assertIsNotNone(email["Date"])
        self.assertIsNone(email["Auto-Submitted"])  # a person wrote it
        self.assertIsNone(email["X-Auto-Response-Suppress"])
        text = email.get_body(("plain",))
        html = email.get_body(("html",))
        assert text is not None and html is not None
        self.assertIn("I refunded the second charge.", text.get_content())
        self.assertIn("<p>I refunded the second charge.</p>", html.get_content())
        row = OutboundEmail.objects.get()
        self.assertEqual(
            (row.delivery, row.attempts, row.kind), (Delivery.SENT, 1, kinds.REPLY.code)
        )
        self.assertEqual(row.message, self.ticket.messages.get(direction=Direction.AGENT))
        self.assertIsNotNone(row.sent_at)

    def test_it_threads_a_second_reply_after_the_first(self) -> None:
        self.reply("First")
        first = OutboundEmail.objects.get()
        self.reply("Second")
        email = sent()
        self.assertEqual(email["In-Reply-To"], f"<{THEIR_ID}>")  # what the customer wrote
        self.assertEqual(email["References"], f"<{THEIR_ID}> <{first.header_message_id}>")

    def test_without_an_inbound_email_it_answers_our_previous_email(self) -> None:
        RawEmail.objects.all().delete()  # e.g. a ticket opened by phone
        self.reply("First")
        first = OutboundEmail.objects.get()
        self.assertEqual(first.in_reply_to, "")
        self.reply("Second")
        self.assertEqual(sent()["In-Reply-To"], f"<{first.header_message_id}>")

    def test_it_sends_nothing_when_the_customer_has_no_email_address(self) -> None:
        walk_in = Customer.objects.create(name="Walk-in Visitor")
        ticket = actions.open_ticket(
            customer=walk_in, team=self.billing, subject="Web form", text="Hi", channel="portal"
        )
        with self.captureOnCommitCallbacks(execute=True):
            actions.post_agent_reply(ticket, self.alice, "Hello!")
        self.assertEqual(OutboundEmail.objects.count(), 0)
        self.assertEqual(len(mail.outbox), 0)

    def test_it_renders_the_reply_as_safe_html(self) -> None:
        self.reply("<script>alert(1)</script> & more\n\nSee https://acme.example/help?a=1&b=2\nBye")
        html = OutboundEmail.objects.get().html
        self.assertNotIn("<script", html)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more", html)
        self.assertIn('<a href="https://acme.example/help?a=1&amp;b=2"', html)
        self.assertIn("<br>Bye</p>", html)
        self.assertNotIn("<img", html)
        self.assertNotIn("<link", html)

    def test_the_subject_has_one_re_and_the_reference_once(self) -> None:
        ref = self.ticket.reference
        cases = {
            "Re: RE: Fwd: Charged twice": f"Re: Charged twice [{ref}]",
            f"AW: [{ref}] Charged twice": f"Re: [{ref}] Charged twice",
            f"{ref.lower()} refund": f"Re: {ref.lower()} refund",
            f"{ref}0 is another ticket": f"Re: {ref}0 is another ticket [{ref}]",
            "": f"Re: (no subject) [{ref}]",
            "Line\r\nBcc: evil@example.com": f"Re: Line Bcc: evil@example.com [{ref}]",
        }
        for subject, expected in cases.items():
            with self.subTest(subject=subject):
                self.assertEqual(compose.thread_subject(subject, ref, reply=True), expected)
        self.assertEqual(len(compose.thread_subject("x" * 500, ref, reply=True)), 400)

    def test_references_keep_the_first_and_the_latest(self) -> None:
        ids = [f"m{i}@example.com" for i in range(30)] + ["bad id@x", "m3@example.com"]
        kept = compose.references(ids)
        self.assertEqual(len(kept), 20)
        self.assertEqual(kept[0], "m0@example.com")
        self.assertEqual(kept[-1], "m29@example.com")


@override_settings(HEARD_MAIL_ATTEMPTS=3, HEARD_MAIL_RETRY_SECONDS=60)
class DeliveryTestCase(OutboundTestCase):
    def test_a_failing_server_is_retried_with_backoff_then_reported(self) -> None:
        with (
            time_machine.travel(MONDAY_10, tick=False),
            refused(smtplib.SMTPServerDisconnected("gone")),
        ):
            self.reply()
            email = OutboundEmail.objects.get()
            self.assertEqual((email.delivery, email.attempts), (Delivery.RETRYING, 1))
            self.assertEqual(email.next_attempt_at, MONDAY_10 + timedelta(seconds=60))
            self.assertIn("SMTPServerDisconnected: gone", email.last_error)

            self.assertEqual(outbound.send_due(now=MONDAY_10 + timedelta(seconds=59)), 0)
            email.refresh_from_db()
            self.assertEqual(email.attempts, 1)  # not due yet

            outbound.send_due(now=MONDAY_10 + timedelta(seconds=60))
            email.refresh_from_db()
            self.assertEqual((email.delivery, email.attempts), (Delivery.RETRYING, 2))
            self.assertEqual(email.next_attempt_at, MONDAY_10 + timedelta(seconds=60 + 120))

            outbound.send_due(now=MONDAY_10 + timedelta(seconds=180))
        email.refresh_from_db()
        self.assertEqual((email.delivery, email.attempts), (Delivery.FAILED, 3))
        self.assertIsNone(email.next_attempt_at)
        self.assertEqual(len(mail.outbox), 0)
        event = self.ticket.events.get(what="email failed")
        self.assertIn("email to aleks@example.com failed: SMTPServerDisconnected", event.note)
        notice = Notification.objects.get(recipient=self.alice.user)  # she took the ticket
        self.assertIn(self.ticket.reference, notice.text)
        self.assertEqual(outbound.send_due(now=MONDAY_10 + timedelta(days=1)), 0)  # given up

        self.login(self.alice)
        page = self.client.get(reverse("console:ticket", args=[self.ticket.pk]))
        self.assertContains(page, "Email delivery:")
        self.assertContains(page, "Email to aleks@example.com failed: SMTPServerDisconnected")

    def test_the_ticket_page_shows_a_retry_and_then_the_sent_email(self) -> None:
        with refused(smtplib.SMTPServerDisconnected("gone")):
            self.reply()
        self.login(self.alice)
        url = reverse("console:ticket", args=[self.ticket.pk])
        self.assertContains(self.client.get(url), "retrying: attempt 1 failed, next try")
        email = OutboundEmail.objects.get()
        self.assertEqual(outbound.send_due(now=email.next_attempt_at), 1)
        self.assertContains(self.client.get(url), "Emailed to aleks@example.com · sent")
        self.assertEqual(len(mail.outbox), 1)

    def test_a_permanent_refusal_fails_at_once(self) -> None:
        error = smtplib.SMTPRecipientsRefused({"aleks@example.com": (550, b"no such user")})
        with refused(error):
            self.reply()
        email = OutboundEmail.objects.get()
        self.assertEqual((email.delivery, email.attempts), (Delivery.FAILED, 1))
        self.assertTrue(self.ticket.events.filter(what="email failed").exists())

    def test_an_unassigned_tickets_failure_goes_to_the_team_lead(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            email = outbound.queue_automatic(
                ticket=self.ticket, kind=kinds.UPDATE, to_address="aleks@example.com",
                subject="Charged twice", text="Still with us",
            )  # fmt: skip
        assert email is not None
        email.delivery, email.attempts = Delivery.RETRYING, 2
        email.next_attempt_at = MONDAY_10
        email.save()
        with refused(smtplib.SMTPServerDisconnected("gone")):
            outbound.send_due(now=MONDAY_10)
        self.assertTrue(Notification.objects.filter(recipient=self.lead.user).exists())

    @override_settings(HEARD_MAIL_RETRY_SECONDS=600)
    def test_send_due_picks_due_rows_only(self) -> None:
        with time_machine.travel(MONDAY_10, tick=False):
            with self.captureOnCommitCallbacks(execute=False):  # the job is lost
                actions.post_agent_reply(self.ticket, self.alice, "Queued")
            queued = OutboundEmail.objects.get()
            with refused(smtplib.SMTPServerDisconnected("gone")):
                self.reply("Retrying")
            retrying = OutboundEmail.objects.get(delivery=Delivery.RETRYING)
        self.assertEqual(outbound.send_due(now=MONDAY_10 + timedelta(seconds=30)), 0)
        self.assertEqual(outbound.send_due(now=MONDAY_10 + timedelta(seconds=61)), 1)
        queued.refresh_from_db()
        retrying.refresh_from_db()
        self.assertEqual(queued.delivery, Delivery.SENT)
        self.assertEqual(retrying.delivery, Delivery.RETRYING)
        self.assertEqual(outbound.send_due(now=retrying.next_attempt_at), 1)
        self.assertEqual(outbound.send_due(now=MONDAY_10 + timedelta(days=1)), 0)
        self.assertEqual(len(mail.outbox), 2)

    def test_an_email_is_sent_once_however_often_its_job_runs(self) -> None:
        self.reply()
        email = OutboundEmail.objects.get()
        self.assertFalse(outbound.send(email.pk))
        self.assertEqual(outbound.send_due(now=MONDAY_10 + timedelta(days=1)), 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_the_backoff_doubles_up_to_an_hour(self) -> None:
        delays = [outbound.retry_delay(n).total_seconds() for n in (1, 2, 3, 12)]
        self.assertEqual(delays, [60, 120, 240, 3600])


@override_settings(HEARD_AUTOMAIL_PER_HOUR=3, HEARD_AUTOMAIL_PER_DAY=8)
class AutomaticEmailTestCase(OutboundTestCase):
    def test_automatic_mail_is_marked_auto_submitted_and_threaded(self) -> None:
        self.automatic(kinds.ACKNOWLEDGEMENT)
        ack = sent()
        self.assertEqual(ack["Auto-Submitted"], "auto-replied")
        self.assertEqual(ack["X-Auto-Response-Suppress"], "All")
        self.assertIsNone(ack["Precedence"])
        self.assertEqual(ack["From"], "Acme Support <support@acme.example>")
        self.assertEqual(ack["Subject"], f"Re: Charged twice [{self.ticket.reference}]")
        self.assertEqual(ack["In-Reply-To"], f"<{THEIR_ID}>")
        self.assertEqual(signing.ticket_from_address(ack["Reply-To"]), self.ticket.pk)
        self.assertIsNotNone(ack.get_body(("html",)))
        self.automatic(kinds.UPDATE)
        self.assertEqual(sent()["Auto-Submitted"], "auto-replied")
        self.assertIsNone(ack["List-Unsubscribe-Post"], "updates: a link, not one-click")
        self.assertRegex(ack["List-Unsubscribe"].strip(), r"^<http://.+/unsubscribe/[^/]+/>$")
        self.automatic(kinds.NOTICE, to=self.lead.user.email)
        notice = sent()
        self.assertEqual(notice["Auto-Submitted"], "auto-generated")
        self.assertIsNone(notice["List-Unsubscribe"], "a member of staff's notice")

    def test_the_fourth_automatic_email_in_an_hour_is_held_back_but_not_a_reply(self) -> None:
        with time_machine.travel(MONDAY_10, tick=False):
            for kind in (kinds.ACKNOWLEDGEMENT, kinds.UPDATE, kinds.UPDATE):
                self.assertIsNotNone(self.automatic(kind))
            self.assertIsNone(self.automatic(kinds.UPDATE))
            event = self.ticket.events.get(what="email held back")
            self.assertIn(
                "to aleks@example.com held back: 3 automatic emails to this address in the last "
                "hour (the cap is 3)",
                event.note,
            )
            self.reply()  # a person's reply is never capped
        self.assertEqual(len(mail.outbox), 4)
        with time_machine.travel(MONDAY_10 + timedelta(hours=1, seconds=1), tick=False):
            self.assertIsNotNone(self.automatic())  # the window slid on

    def test_the_day_cap_holds_across_hours(self) -> None:
        for hour in range(8):
            with time_machine.travel(MONDAY_10 + timedelta(hours=hour), tick=False):
                self.assertIsNotNone(self.automatic())
        with time_machine.travel(MONDAY_10 + timedelta(hours=8, minutes=30), tick=False):
            self.assertIsNone(self.automatic())
        self.assertIn("last 24 hours", TicketEvent.objects.get(what="email held back").note)

    def test_it_never_mails_heard_our_domain_machines_or_a_bouncing_address(self) -> None:
        self.billing.email = "billing@partner.example"
        self.billing.save()
        CustomerEmail.objects.create(
            customer=self.customer, address="old@example.com", bouncing=True
        )
        refused_addresses = [
            "support@acme.example",
            "Support+HRD-1001.abcdefghij@acme.example",
            "sales@acme.example",
            "alerts@eu.acme.example",
            "billing@partner.example",
            "MAILER-DAEMON@example.com",
            "no-reply@shop.example",
            "old@example.com",
        ]
        for address in refused_addresses:
            with self.subTest(address=address):
                self.assertIsNone(self.automatic(kinds.NOTICE, to=address))
        self.assertEqual(OutboundEmail.objects.count(), 0)
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(
            self.ticket.events.filter(what="email held back").count(), len(refused_addresses)
        )

    def test_a_colleague_on_our_domain_may_get_a_notification(self) -> None:
        self.lead.user.email = "lena@acme.example"
        self.lead.user.save()
        self.assertIsNotNone(self.automatic(kinds.NOTICE, to="lena@acme.example"))

    def test_an_escalation_email_to_the_lead_is_auto_generated_and_threads_nowhere(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(actions.run_watchdog(now=WARN), 1)
        self.assertEqual(len(mail.outbox), 1)
        email = sent()
        self.assertEqual(email["To"], self.lead.user.email)
        self.assertEqual(email["Auto-Submitted"], "auto-generated")
        self.assertIn(f"[{self.ticket.reference}] escalated", email["Subject"])
        self.assertIsNone(signing.ticket_from_message_id(email["Message-ID"]))
        self.assertIsNone(email["Reply-To"])
        self.assertIsNone(email["In-Reply-To"])
        row = OutboundEmail.objects.get()
        self.assertEqual((row.kind, row.ticket), (kinds.NOTICE.code, Ticket.objects.get()))
