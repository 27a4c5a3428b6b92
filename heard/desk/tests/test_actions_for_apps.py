"""The desk's actions other apps call instead of writing its rows, and the escalation it
announces (heard.desk.signals.ticket_escalated) for the mail app to email the lead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.core import mail

from heard.desk import actions, signals
from heard.desk.models import Customer, CustomerEmail, Direction, Notification
from heard.engine import read
from heard.mail import receivers
from heard.test import BaseTestCase

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
ASKS = "That's the second time you've refused my refund. Let me speak to a manager."


class ActionsForAppsTestCase(BaseTestCase):
    def test_it_finds_a_customer_by_address_in_any_case(self) -> None:
        found = actions.find_or_create_customer(" ALEKS@Example.com ", "Someone Else")
        self.assertEqual(found, self.customer)
        self.assertEqual(found.name, "Aleksandar Petrović")

    def test_it_makes_one_customer_for_a_new_address(self) -> None:
        new = actions.find_or_create_customer("Maja@example.si", "Maja Novak", "Europe/Ljubljana")
        again = actions.find_or_create_customer("maja@example.si", "Maja")
        self.assertEqual(new, again)
        self.assertEqual((new.name, new.time_zone), ("Maja Novak", "Europe/Ljubljana"))
        address = CustomerEmail.objects.get(customer=new)
        self.assertEqual((address.address, address.is_primary), ("maja@example.si", True))

    def test_it_keeps_one_customer_for_unknown_senders(self) -> None:
        first = actions.find_or_create_unknown_sender()
        self.assertEqual(first, actions.find_or_create_unknown_sender())
        self.assertEqual(Customer.objects.filter(name=actions.UNKNOWN_SENDER).count(), 1)

    def test_it_marks_known_addresses_bouncing(self) -> None:
        self.assertEqual(actions.mark_addresses_bouncing(["ALEKS@example.com", "x@y.z"]), 1)
        self.assertTrue(CustomerEmail.objects.get(address="aleks@example.com").bouncing)

    def test_it_notifies_each_person_once(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        ids = [self.lead.user.pk, None, self.alice.user.pk, self.lead.user.pk]
        actions.notify(ids, ticket, "x" * 400, at=MONDAY_10)
        notices = Notification.objects.filter(ticket=ticket).order_by("recipient_id")
        self.assertEqual(
            [n.recipient_id for n in notices], sorted([self.lead.user.pk, self.alice.user.pk])
        )
        self.assertEqual({len(n.text) for n in notices}, {300})
        self.assertEqual(actions.mark_notifications_read(self.lead.user), 1)

    def test_it_keeps_what_heard_wrote_as_a_system_message(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        message = actions.record_system_message(ticket, "We got your email.", at=MONDAY_10)
        self.assertEqual((message.direction, message.ticket), (Direction.SYSTEM, ticket))
        ticket.refresh_from_db()
        self.assertIsNotNone(ticket.reply_due_at)  # moves no clock

    def escalate(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        with self.captureOnCommitCallbacks(execute=True):
            actions.record_customer_message(
                ticket, ASKS, at=MONDAY_10 + timedelta(hours=1), reading=read(ASKS)
            )

    def test_it_announces_an_escalation_and_mail_emails_the_lead(self) -> None:
        heard: list[dict[str, Any]] = []

        def listen(sender: Any, **kwargs: Any) -> None:
            heard.append(kwargs)

        signals.ticket_escalated.connect(listen, dispatch_uid="test.listen")
        self.addCleanup(signals.ticket_escalated.disconnect, dispatch_uid="test.listen")
        self.escalate()
        [said] = heard
        self.assertEqual(said["lead_id"], self.lead.user.pk)
        self.assertEqual(said["reason"], actions.MANAGER_REASON)
        self.assertEqual([m.to for m in mail.outbox], [[self.lead.user.email]])

    def test_it_announces_each_escalation_once_also_in_a_team_with_no_lead(self) -> None:
        heard: list[dict[str, Any]] = []

        def listen(sender: Any, **kwargs: Any) -> None:
            heard.append(kwargs)

        signals.ticket_escalated.connect(listen, dispatch_uid="test.listen")
        self.addCleanup(signals.ticket_escalated.disconnect, dispatch_uid="test.listen")
        ticket = self.open_ticket(team=self.tech, at=MONDAY_10)
        with self.captureOnCommitCallbacks(execute=True):
            actions.escalate(ticket, "still broken", at=MONDAY_10 + timedelta(hours=1))
            actions.escalate(ticket, "still broken", at=MONDAY_10 + timedelta(hours=2))
        self.assertEqual(
            [(said["ticket_id"], said["lead_id"], said["reason"]) for said in heard],
            [(ticket.pk, None, "still broken")],
        )
        self.assertFalse(Notification.objects.filter(ticket=ticket).exists())
        self.assertFalse([m for m in mail.outbox if "escalated" in m.subject])  # nobody to email

    def test_the_desk_sends_no_email_itself(self) -> None:
        """With mail not listening, the lead is told in the app only: the email is mail's."""
        signals.ticket_escalated.disconnect(dispatch_uid="mail.escalation")
        self.addCleanup(
            signals.ticket_escalated.connect,
            receivers.email_escalation_to_lead,
            dispatch_uid="mail.escalation",
        )
        self.escalate()
        self.assertEqual(Notification.objects.filter(recipient=self.lead.user).count(), 1)
        self.assertEqual(mail.outbox, [])
