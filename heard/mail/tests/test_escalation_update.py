"""An escalation re-forecasts (issue 14, item 3): the update a customer gets after the watchdog
escalated their ticket is written once the escalation (and its care bump) is committed, so the
time it gives counts only who still stands before them; and, like the acknowledgement, it never
gives a time later than the ticket's reply target without saying so."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.test import override_settings

from heard.desk import actions, forecast
from heard.desk.models import Priority, Ticket
from heard.mail import filing
from heard.mail.models import RawEmail
from heard.mail.sending.acknowledge import wording
from heard.mail.tests.test_processing import email
from heard.test import BaseTestCase, make_customer, present

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
FRIDAY_14 = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
LATE = "That is later than we aim to reply to you"
CALM = "Could you send me a copy of my March invoice? Thanks."


@override_settings(HEARD_SUPPORT_ADDRESS="support@heard.localhost")
class EscalationUpdateTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.forecasts: list[tuple[datetime, forecast.Forecast]] = []

    @contextmanager
    def recording(self) -> Iterator[None]:
        """Record each forecast the emails are written from, with the moment it was made."""
        real = forecast.expected_first_reply

        def record(ticket: Ticket, now: datetime | None = None) -> forecast.Forecast:
            made = real(ticket, now)
            self.forecasts.append((datetime.now(UTC), made))
            return made

        with mock.patch("heard.desk.forecast.expected_first_reply", side_effect=record):
            yield

    def calm_tickets_ahead(self, count: int) -> None:
        """Calm requests from Friday afternoon, due at 14:00 today: ahead of Maja in care order
        even once her writing again counts, until her escalation bumps her."""
        for n in range(count):
            actions.open_ticket(
                customer=make_customer(f"Customer {n}", f"c{n}@example.org"),
                team=self.billing,
                subject="A question",
                text="Could you send me a copy of my invoice?",
                at=FRIDAY_14,
            )

    def journey(self, *, writes_again_after: timedelta) -> tuple[Ticket, str, str]:
        """Maja writes in at 10:00, writes again unanswered, the watchdog escalates; returns her
        ticket, the acknowledgement and the update."""
        with self.recording():
            with (
                time_machine.travel(MONDAY_10, tick=False),
                self.captureOnCommitCallbacks(execute=True),
            ):
                raw = filing.receive(email(CALM), source="smtp")
            ticket = present(RawEmail.objects.get(pk=raw.pk).ticket)
            later = MONDAY_10 + writes_again_after
            with time_machine.travel(later, tick=False):
                # not read yet (its job comes later): the watchdog may well be first
                actions.record_customer_message(ticket, "Any news on this?", at=later)
                with self.captureOnCommitCallbacks(execute=True):
                    self.assertEqual(actions.run_watchdog(now=later), 1)
        ticket.refresh_from_db()
        self.assertTrue(ticket.escalated)
        to_maja = [str(m.body) for m in mail.outbox if "maja@example.org" in m.to]
        self.assertEqual(len(to_maja), 2, to_maja)
        acknowledgement, update = to_maja
        self.assertEqual(len(self.forecasts), 2)
        return ticket, acknowledgement, update

    def says(self, body: str, ticket: Ticket, made: tuple[datetime, forecast.Forecast]) -> None:
        """The email gives the forecast's time, and says so when it is past the target."""
        now, expected = made
        self.assertIn(forecast.describe(expected.at, now, ZoneInfo("UTC")), body)
        due = present(ticket.reply_due_at)
        self.assertEqual(LATE in body, expected.at > due, body)

    def test_the_update_gives_an_earlier_time_than_the_acknowledgement(self) -> None:
        self.calm_tickets_ahead(24)
        ticket, acknowledgement, update = self.journey(writes_again_after=timedelta(minutes=10))
        (_, promised), (_, updated) = self.forecasts
        self.assertEqual(promised.ahead, 24)
        self.assertEqual(updated.ahead, 0)  # the escalation's care bump put her first
        self.assertLess(updated.at, promised.at)
        self.assertEqual(ticket.priority, Priority.HIGH)  # raised one step from normal
        self.assertIn("We've raised the priority of your request", update)
        self.says(acknowledgement, ticket, self.forecasts[0])
        self.says(update, ticket, self.forecasts[1])

    def test_with_nobody_ahead_the_update_gives_the_same_time(self) -> None:
        ticket, _, update = self.journey(writes_again_after=timedelta(0))
        (_, promised), (_, updated) = self.forecasts
        self.assertEqual(updated.ahead, 0)
        self.assertEqual(updated.at, promised.at)
        self.says(update, ticket, self.forecasts[1])

    def test_an_update_later_than_the_target_says_so(self) -> None:
        def late(ticket: Ticket, now: object = None) -> forecast.Forecast:
            due = present(ticket.reply_due_at)
            return forecast.Forecast(due + timedelta(days=2), 40, 1, 1.0, "40 people are ahead")

        ticket = self.open_ticket(at=MONDAY_10)
        actions.record_customer_message(ticket, "Any news?", at=MONDAY_10)
        with (
            time_machine.travel(MONDAY_10, tick=False),
            mock.patch("heard.desk.forecast.expected_first_reply", side_effect=late),
            self.captureOnCommitCallbacks(execute=True),
        ):
            actions.run_watchdog(now=MONDAY_10)
        [update] = [m.body for m in mail.outbox if self.customer.primary_email() in m.to]
        self.assertIn("We've raised the priority", update)
        target = forecast.describe(present(ticket.reply_due_at), MONDAY_10, ZoneInfo("UTC"))
        self.assertIn(wording()["late"].format(target=target), " ".join(update.split()))
