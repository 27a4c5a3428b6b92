"""Notices to staff: their own policy (a digest after N an hour), never the customers' cap, and
nothing held back without a word on the ticket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import time_machine
from django.core import mail
from django.test import override_settings

from heard.desk import actions
from heard.desk.models import Notification, Ticket
from heard.jobs import registered
from heard.mail import kinds, tasks
from heard.mail.models import HeldNotice, OutboundEmail
from heard.mail.sending import digest, outbound
from heard.schedule import periodic_jobs
from heard.test import BaseTestCase

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
WARN = datetime(2026, 11, 23, 16, 24, tzinfo=UTC)  # 20% of 8 business hours left


@override_settings(
    HEARD_AUTOMAIL_PER_HOUR=3,
    HEARD_AUTOMAIL_PER_DAY=8,
    HEARD_STAFF_NOTICES_PER_HOUR=6,
    HEARD_STAFF_DIGEST_MINUTES=15,
)
class StaffNoticeTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.lena = self.lead.user.email

    def to(self, address: str) -> list[mail.EmailMessage]:
        return [m for m in mail.outbox if m.to == [address]]

    def notice(self, ticket: Ticket, to: str | None = None) -> OutboundEmail | None:
        with self.captureOnCommitCallbacks(execute=True):
            return outbound.queue_automatic(
                ticket=ticket,
                kind=kinds.NOTICE,
                to_address=to or self.lena,
                subject=f"[{ticket.reference}] escalated",
                text="Escalated.",
            )

    def burst(self, count: int = 20) -> list[Ticket]:
        """`count` tickets escalated in one watchdog pass: one notice each for Lena."""
        with time_machine.travel(MONDAY_10, tick=False):
            tickets = [self.open_ticket(at=MONDAY_10) for _ in range(count)]
        with time_machine.travel(WARN, tick=False), self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(actions.run_watchdog(now=WARN), count)
        return tickets

    def test_a_burst_of_escalations_reaches_the_lead_in_the_app_by_email_and_in_a_digest(
        self,
    ) -> None:
        tickets = self.burst(20)
        notices = Notification.objects.filter(recipient=self.lead.user)
        self.assertEqual(notices.count(), 20)  # every one in the app at once
        self.assertEqual(len(self.to(self.lena)), 6)  # the staff limit, not the customers' 3
        held = HeldNotice.objects.filter(to_address=self.lena, digest=None)
        self.assertEqual(held.count(), 14)
        for ticket in Ticket.objects.filter(held_notices__in=held):
            event = ticket.events.get(what="email held back")
            self.assertIn(f"staff notice to {self.lena} held back", event.note)
            self.assertIn("6 notices to this address in the last hour", event.note)
            self.assertIn("next digest", event.note)

        later = WARN + timedelta(minutes=1)
        with time_machine.travel(later, tick=False), self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(digest.send_due_digests(), 1)
        emails = self.to(self.lena)
        self.assertEqual(len(emails), 7)
        summary = emails[-1]
        self.assertIn("14", summary.subject)
        notified = OutboundEmail.objects.filter(kind=kinds.NOTICE.code).select_related("ticket")
        emailed = {e.ticket.reference for e in notified if e.ticket is not None}
        self.assertEqual(len(emailed), 6)
        for ticket in tickets:
            if ticket.reference not in emailed:
                self.assertIn(ticket.reference, summary.body)
        self.assertEqual(summary.body.count("escalated because first response target at risk"), 14)
        parsed = message_from_bytes(summary.message().as_bytes(), policy=policy.default)
        self.assertEqual(parsed["Auto-Submitted"], "auto-generated")
        self.assertFalse(HeldNotice.objects.filter(digest=None).exists())
        for ticket in Ticket.objects.filter(held_notices__isnull=False):
            self.assertIn("sent in a digest of 14", ticket.events.get(what="email digest").note)

    def test_the_digest_job_run_twice_sends_one_digest(self) -> None:
        self.burst(10)
        later = WARN + timedelta(minutes=1)
        with time_machine.travel(later, tick=False), self.captureOnCommitCallbacks(execute=True):
            tasks.send_staff_digests()
            tasks.send_staff_digests()
        self.assertEqual(OutboundEmail.objects.filter(kind=kinds.DIGEST.code).count(), 1)
        self.assertEqual(len(self.to(self.lena)), 7)

    def test_digests_go_at_most_once_per_interval(self) -> None:
        tickets = self.burst(7)
        with time_machine.travel(WARN + timedelta(minutes=1), tick=False):
            self.assertEqual(digest.send_due_digests(), 1)
        with time_machine.travel(WARN + timedelta(minutes=2), tick=False):
            self.notice(tickets[0])  # still over the hour's limit: waits for the digest
            self.assertEqual(digest.send_due_digests(), 0)  # the last went a minute ago
        with time_machine.travel(WARN + timedelta(minutes=16, seconds=1), tick=False):
            self.assertEqual(digest.send_due_digests(), 1)
            self.assertEqual(digest.send_due_digests(), 0)  # nothing left waiting
        self.assertEqual(OutboundEmail.objects.filter(kind=kinds.DIGEST.code).count(), 2)

    def test_staff_notices_are_not_held_by_the_customers_cap(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        with time_machine.travel(MONDAY_10, tick=False):
            for _ in range(6):
                self.assertIsNotNone(self.notice(ticket))
            self.assertIsNone(self.notice(ticket))
        self.assertEqual(len(self.to(self.lena)), 6)
        with time_machine.travel(MONDAY_10 + timedelta(hours=1, seconds=1), tick=False):
            self.assertIsNotNone(self.notice(ticket))  # the hour slid on

    def test_a_customers_fourth_acknowledgement_in_an_hour_is_still_held(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        customer = self.customer.primary_email()
        with time_machine.travel(MONDAY_10, tick=False):
            for kind in (kinds.ACKNOWLEDGEMENT, kinds.UPDATE, kinds.UPDATE, kinds.ACKNOWLEDGEMENT):
                with self.captureOnCommitCallbacks(execute=True):
                    outbound.queue_automatic(
                        ticket=ticket, kind=kind, to_address=customer, subject="Hi", text="Hi"
                    )
        self.assertEqual(len(self.to(customer)), 3)
        event = ticket.events.get(what="email held back")
        self.assertIn(
            "acknowledgement to aleks@example.com held back: 3 automatic emails to this address "
            "in the last hour (the cap is 3)",
            event.note,
        )
        self.assertFalse(HeldNotice.objects.exists())  # customers' mail never waits for a digest

    def test_nothing_is_held_back_without_an_event_on_its_ticket(self) -> None:
        tickets = self.burst(9)  # 3 notices wait for the digest
        customer = self.customer.primary_email()
        held = 0
        with time_machine.travel(WARN, tick=False):
            for ticket in tickets[:5]:  # the customer's cap holds back two of five
                with self.captureOnCommitCallbacks(execute=True):
                    email = outbound.queue_automatic(
                        ticket=ticket,
                        kind=kinds.UPDATE,
                        to_address=customer,
                        subject="Hi",
                        text="Hi",
                    )
                held += email is None
            self.assertIsNone(self.notice(tickets[0], to="no-reply@shop.example"))
        self.assertEqual(held, 2)
        events = sum(t.events.filter(what="email held back").count() for t in tickets)
        self.assertEqual(events, 3 + held + 1)

    def test_the_digest_is_a_periodic_job(self) -> None:
        self.assertIn("heard.mail.tasks.send_staff_digests", registered())
        self.assertIn(("heard.mail.tasks.send_staff_digests", 60), periodic_jobs())
