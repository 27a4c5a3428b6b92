"""An email Heard could not read needs a person, not a reply target (issue 14, item 7): it gets
no clock and no round-robin assignee, never stands before a customer in care order, and its row
and page say why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine
from django.test import override_settings
from django.urls import reverse

from heard.desk import actions
from heard.desk.models import Priority, Ticket
from heard.mail import filing
from heard.mail.filing import processing
from heard.mail.models import RawEmail
from heard.test import BaseTestCase, make_customer, present

FIXTURES = Path(__file__).parent / "fixtures"
SATURDAY_10 = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # two days later
REASON = "needs a person: this email could not be read"


@override_settings(HEARD_SUPPORT_ADDRESS="support@heard.localhost")
class UnreadableEmailTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.billing.auto_assign = True  # where unreadable mail waits: the first team
        self.billing.save()

    def receive_unreadable(self) -> Ticket:
        data = (FIXTURES / "malformed-not-an-email.eml").read_bytes()
        with (
            time_machine.travel(MONDAY_10, tick=False),
            self.captureOnCommitCallbacks(execute=True),
        ):
            raw = filing.receive(data, source="smtp")
        return present(RawEmail.objects.select_related("ticket").get(pk=raw.pk).ticket)

    def test_it_gets_no_reply_clock_and_no_assignee(self) -> None:
        ticket = self.receive_unreadable()
        self.assertEqual(ticket.subject, processing.UNREADABLE_SUBJECT)
        self.assertIsNone(ticket.reply_due_at)
        self.assertIsNone(ticket.first_response_due_at)
        self.assertIsNone(ticket.sla_check_at)
        self.assertIsNone(ticket.assignee)
        self.assertIsNone(ticket.care_at)
        self.assertEqual(ticket.needs_person(), REASON)
        self.assertEqual(ticket.care_reason, REASON)
        self.assertFalse(ticket.events.filter(what="assignee").exists())
        self.assertIn(REASON, ticket.events.get(what="care").note)
        # nothing for the watchdog to escalate, however long it waits
        self.assertEqual(actions.run_watchdog(now=MONDAY_10 + timedelta(days=9)), 0)

    def test_a_customer_waiting_two_days_comes_first(self) -> None:
        waiting = actions.open_ticket(
            customer=make_customer("Ana Horvat", "ana@example.org"),
            team=self.billing,
            subject="Where is my refund?",
            text="I asked for my refund and nothing has happened.",
            priority=Priority.LOW,  # a far target: its care_at is days away
            at=SATURDAY_10,
        )
        unreadable = self.receive_unreadable()
        later = actions.open_ticket(
            customer=make_customer("Ivo Kranjc", "ivo@example.org"),
            team=self.billing,
            subject="Question",
            text="Can I pay by bank transfer?",
            priority=Priority.LOW,
            at=MONDAY_10 + timedelta(minutes=5),
        )
        order = list(Ticket.objects.active().by_care().values_list("pk", flat=True))
        self.assertEqual(order, [waiting.pk, later.pk, unreadable.pk])

    def test_the_row_and_the_page_say_why(self) -> None:
        ticket = self.receive_unreadable()
        self.login(self.alice)
        row = self.client.get(reverse("console:queue")).content.decode()
        self.assertIn(REASON, row)
        self.assertIn("no reply target: it needs a person", row)
        page = self.client.get(reverse("console:ticket", args=[ticket.pk])).content.decode()
        self.assertIn("Needs a person: this email could not be read.", page)

    def test_read_again_it_still_needs_a_person_and_a_readable_reply_starts_the_clock(
        self,
    ) -> None:
        ticket = self.receive_unreadable()
        actions.read_customer_messages(ticket.messages.all())  # `heard reread`
        ticket.refresh_from_db()
        self.assertEqual(ticket.needs_person(), REASON)
        self.assertIsNone(ticket.care_at)
        actions.record_customer_message(ticket, "Sorry, here is my question again: my bill?")
        ticket.refresh_from_db()
        self.assertEqual(ticket.needs_person(), "")
        self.assertIsNotNone(ticket.reply_due_at)
        self.assertIsNotNone(ticket.care_at)
