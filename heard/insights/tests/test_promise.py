"""The honest-promise record: the acknowledgement keeps on the ticket when it told the customer
a person would reply (the time it said), once, through the desk's `record_promise`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

from django.test import override_settings

from heard.desk import actions
from heard.desk.forecast import Forecast
from heard.desk.models import Ticket
from heard.mail import filing
from heard.mail.models import OutboundEmail, RawEmail
from heard.mail.tests.test_processing import email
from heard.test import BaseTestCase, present

PROMISED = datetime(2026, 12, 7, 10, 30, tzinfo=UTC)


@override_settings(HEARD_SUPPORT_ADDRESS="support@heard.localhost")
class PromiseTestCase(BaseTestCase):
    def receive(self, text: str) -> Ticket:
        forecast = Forecast(PROMISED, 2, 1, 4.0, "2 people are ahead of you")
        with (
            mock.patch("heard.desk.forecast.expected_first_reply", return_value=forecast),
            self.captureOnCommitCallbacks(execute=True),
        ):
            raw = filing.receive(email(text), source="smtp")
        return present(RawEmail.objects.select_related("ticket").get(pk=raw.pk).ticket)

    def test_the_acknowledgement_records_the_time_it_gave(self) -> None:
        ticket = self.receive("Could you send me a copy of my March invoice? Thanks.")
        ticket.refresh_from_db()
        self.assertEqual(ticket.promised_reply_at, PROMISED)
        ack = OutboundEmail.objects.get(ticket=ticket, kind="ack")
        self.assertIn("Monday morning, around 10:30", ack.text)  # the same time, as they read it
        event = ticket.events.get(what="promise")
        self.assertIn("a first reply by", event.note)

    def test_only_the_first_promise_before_the_first_reply_counts(self) -> None:
        ticket = self.open_ticket()
        self.assertTrue(actions.record_promise(ticket, PROMISED))
        self.assertFalse(actions.record_promise(ticket, PROMISED + timedelta(hours=3)))
        ticket.refresh_from_db()
        self.assertEqual(ticket.promised_reply_at, PROMISED)
        answered = self.open_ticket()
        actions.post_agent_reply(answered, self.alice, "Hi Aleksandar, I refunded it today.")
        self.assertFalse(actions.record_promise(answered, PROMISED))
        answered.refresh_from_db()
        self.assertIsNone(answered.promised_reply_at)

    def test_no_acknowledgement_sent_means_no_promise(self) -> None:
        self.customer.emails.all().delete()  # nowhere to send it
        ticket = self.open_ticket()
        from heard.mail.sending import acknowledge

        self.assertIsNone(acknowledge.acknowledge(ticket.pk))
        ticket.refresh_from_db()
        self.assertIsNone(ticket.promised_reply_at)
