"""Every sentence the acknowledgement sends is true: the urgency it claims, the time it gives
against the ticket's own reply target, the customer's own deadline (issue 14, item 3)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.core import mail
from django.test import override_settings

from heard.desk.models import Priority, Ticket
from heard.mail import filing
from heard.mail.models import RawEmail
from heard.mail.tests.test_processing import email
from heard.test import BaseTestCase

URGENT = (
    "My card was charged twice and my rent is due. "
    "I need the duplicate refunded by tomorrow noon, urgently."
)


@override_settings(HEARD_SUPPORT_ADDRESS="support@heard.localhost")
class PromisesTest(BaseTestCase):
    def receive(self, text: str) -> Ticket:
        with self.captureOnCommitCallbacks(execute=True):
            raw = filing.receive(email(text), source="smtp")
        return RawEmail.objects.select_related("ticket").get(pk=raw.pk).ticket  # type: ignore[return-value]

    def acknowledgement(self) -> str:
        [sent] = [m for m in mail.outbox if "maja@example.org" in m.to]
        return str(sent.body)

    def test_a_message_that_reads_urgent_is_marked_so_and_the_email_says_it_truly(self) -> None:
        ticket = self.receive(URGENT)
        self.assertIn(ticket.priority, (Priority.HIGH, Priority.URGENT))
        event = ticket.events.get(what="priority")
        self.assertEqual(event.note, "the customer's message reads urgent")
        self.assertIn(
            f"marked {ticket.get_priority_display().lower()} priority", self.acknowledgement()
        )

    def test_a_calm_message_is_never_said_to_be_marked_urgent(self) -> None:
        ticket = self.receive("Could you send me a copy of my March invoice? Thanks.")
        self.assertEqual(ticket.priority, Priority.NORMAL)
        self.assertNotIn("urgent", self.acknowledgement())

    def test_the_customers_own_deadline_is_acknowledged_in_their_words(self) -> None:
        self.receive(URGENT)
        self.assertIn("“by tomorrow noon”", self.acknowledgement())

    def test_a_day_merely_named_is_not_told_back_as_their_deadline(self) -> None:
        texts = (
            "I ordered this morning and the confirmation email never came.",
            "Tomorrow I'm away, so please email rather than call: the invoice is wrong.",
            "I called you today and nobody answered. My card was charged twice.",
        )
        for n, text in enumerate(texts):
            with self.subTest(text=text), self.captureOnCommitCallbacks(execute=True):
                filing.receive(email(text, sender=f"c{n}@example.org"), source="smtp")
            [sent] = [m for m in mail.outbox if f"c{n}@example.org" in m.to]
            self.assertNotIn("timing matters", str(sent.body))

    def test_a_forecast_later_than_the_target_says_so(self) -> None:
        def late(ticket: Ticket, now: object = None) -> object:
            from heard.desk.forecast import Forecast

            assert ticket.reply_due_at is not None
            return Forecast(
                ticket.reply_due_at + timedelta(days=2), 40, 1, 1.0, "40 requests ahead"
            )

        with mock.patch("heard.desk.forecast.expected_first_reply", side_effect=late):
            self.receive("Could you send me a copy of my March invoice? Thanks.")
        body = self.acknowledgement()
        self.assertIn("That is later than we aim to reply to you", body)

    def test_a_forecast_within_the_target_says_nothing_of_it(self) -> None:
        self.receive("Could you send me a copy of my March invoice? Thanks.")
        self.assertNotIn("later than we aim", self.acknowledgement())
