"""A customer who asks for a manager: escalated at once, the lead told, the queue row says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core import mail
from django.urls import reverse

from heard.desk import actions
from heard.desk.models import Message, Notification, Priority, Ticket
from heard.engine import read
from heard.test import BaseTestCase

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
ASKS = "That's the second time you've refused my refund. Let me speak to a manager."
ASKS_AGAIN = "Nobody called. I want to file a formal complaint."


class ManagerRequestTestCase(BaseTestCase):
    def write(self, ticket: Ticket, text: str, minutes: int, *, read_now: bool = True) -> Message:
        """The customer writes `minutes` after Monday 10:00, read as mail intake reads it (or,
        with read_now=False, by the job that reads messages that came unread)."""
        with self.captureOnCommitCallbacks(execute=True):
            return actions.record_customer_message(
                ticket,
                text,
                at=MONDAY_10 + timedelta(minutes=minutes),
                reading=read(text) if read_now else None,
            )

    def lead_mail(self) -> list[mail.EmailMessage]:
        return [m for m in mail.outbox if m.to == [self.lead.user.email]]

    def test_it_escalates_at_once_and_tells_the_lead_in_the_app_and_by_email(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        self.write(ticket, ASKS, 60)
        ticket.refresh_from_db()
        self.assertTrue(ticket.escalated)
        self.assertEqual(ticket.escalation_reason, "the customer asked for a manager")
        event = ticket.events.get(what="escalated")  # one step up from where it stood
        self.assertEqual(event.after, Priority(event.before).raised())
        self.assertEqual(ticket.priority, event.after)
        self.assertEqual(event.note, "the customer asked for a manager")
        notice = Notification.objects.get(recipient=self.lead.user)
        self.assertEqual(
            notice.text, f"{ticket.reference} escalated: the customer asked for a manager"
        )
        [to_lead] = self.lead_mail()
        self.assertIn("escalated", to_lead.subject)
        self.assertIn(
            f"{ticket.reference} was escalated because the customer asked for a manager.",
            to_lead.body.replace("\n", " "),
        )

    def test_the_queue_row_says_the_customer_asked_for_a_manager(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        self.write(ticket, ASKS, 60)
        ticket.refresh_from_db()
        self.assertIn("asked for a manager", ticket.care_reason.split(" · "))
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("console:queue")), "asked for a manager")

    def test_a_first_message_asking_for_a_manager_escalates_the_new_ticket(self) -> None:
        text = "Put me through to someone in charge, your courier broke my door."
        with self.captureOnCommitCallbacks(execute=True):
            ticket = self.open_ticket(text, at=MONDAY_10, reading=read(text))
        ticket.refresh_from_db()
        self.assertTrue(ticket.escalated)
        self.assertEqual(Notification.objects.filter(recipient=self.lead.user).count(), 1)
        self.assertEqual(len(self.lead_mail()), 1)

    def test_a_message_read_by_the_job_escalates_too(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        self.write(ticket, ASKS, 60, read_now=False)
        ticket.refresh_from_db()
        self.assertEqual(ticket.escalation_reason, "the customer asked for a manager")
        self.assertEqual(len(self.lead_mail()), 1)

    def test_the_same_message_read_twice_escalates_once(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        message = self.write(ticket, ASKS, 60, read_now=False)
        with self.captureOnCommitCallbacks(execute=True):
            actions.read_customer_message(message.pk)  # the job ran twice
            actions.read_customer_messages(Message.objects.all())  # heard reread --all
        self.assertEqual(ticket.events.filter(what="escalated").count(), 1)
        self.assertEqual(Notification.objects.filter(recipient=self.lead.user).count(), 1)
        self.assertEqual(len(self.lead_mail()), 1)
        ticket.refresh_from_db()  # raised once for reading urgent, once for the escalation
        self.assertEqual(ticket.priority, Priority.URGENT)
        self.assertEqual(ticket.events.filter(what="priority").count(), 1)

    def test_asking_again_before_an_answer_does_not_escalate_again(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        self.write(ticket, ASKS, 60)
        self.write(ticket, ASKS_AGAIN, 70)
        self.assertEqual(ticket.events.filter(what="escalated").count(), 1)
        self.assertEqual(len(self.lead_mail()), 1)

    def test_after_an_answer_a_new_request_escalates_again_but_the_old_one_never(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        self.write(ticket, ASKS, 60)
        actions.post_agent_reply(ticket, self.alice, "I'm sorry, Aleksandar: my lead will call.")
        ticket.refresh_from_db()
        self.assertFalse(ticket.escalated)
        self.assertNotIn("asked for a manager", ticket.care_reason)
        with self.captureOnCommitCallbacks(execute=True):  # the answered request read again
            actions.read_customer_messages(Message.objects.all())
        self.assertEqual(ticket.events.filter(what="escalated").count(), 1)
        self.write(ticket, ASKS_AGAIN, 120)
        ticket.refresh_from_db()
        self.assertTrue(ticket.escalated)
        self.assertEqual(ticket.priority, Priority.URGENT)
        self.assertEqual(ticket.events.filter(what="escalated").count(), 2)
        self.assertEqual(len(self.lead_mail()), 2)

    def test_a_merged_duplicate_does_not_escalate_its_request_twice(self) -> None:
        first = self.open_ticket(at=MONDAY_10)
        duplicate = self.open_ticket("Same refund, again.", at=MONDAY_10 + timedelta(minutes=5))
        self.write(duplicate, ASKS, 60)
        with self.captureOnCommitCallbacks(execute=True):
            actions.merge_tickets(duplicate, first, self.alice)
        self.assertEqual(Notification.objects.filter(recipient=self.lead.user).count(), 1)
        first.refresh_from_db()
        self.assertIn("asked for a manager", first.care_reason)

    def test_mentioning_a_manager_is_not_asking_for_one(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        self.write(ticket, "My manager asked me to contact you about the renewal quote.", 60)
        self.write(ticket, "Also, the account manager feature doesn't load for me.", 70)
        ticket.refresh_from_db()
        self.assertFalse(ticket.escalated)
        self.assertFalse(Notification.objects.exists())
        self.assertNotIn("manager", ticket.care_reason)

    def test_the_watchdog_still_escalates_for_its_own_reasons(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        self.write(ticket, ASKS, 60)
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(actions.run_watchdog(now=MONDAY_10 + timedelta(minutes=61)), 1)
        ticket.refresh_from_db()
        self.assertIn("wrote 2 times without an answer", ticket.escalation_reason)
        self.assertEqual(ticket.events.filter(what="escalated").count(), 2)
