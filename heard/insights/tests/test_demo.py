"""The demo's insights: every demo email ticket gets the promise an acknowledgement would have
made, some kept and some not, and once the demo commits every day of its history is rolled up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from heard.desk import actions
from heard.desk.models import Status
from heard.insights import demo
from heard.insights.models import DayFigures, RolledDay
from heard.test import BaseTestCase

NOW = datetime(2026, 3, 20, 15, 0, tzinfo=UTC)


class DemoInsightsTestCase(BaseTestCase):
    def test_promises_are_recorded_and_every_day_is_rolled_up_after_the_commit(self) -> None:
        billing = self.billing  # its slug is the demo's Billing team's
        tickets = []
        for day in range(10):
            opened = datetime(2026, 3, 9, 9, tzinfo=UTC) + timedelta(days=day, hours=day % 4)
            if opened.weekday() >= 5:
                continue
            ticket = self.open_ticket(team=billing, at=opened)
            actions.post_agent_reply(ticket, self.alice, "Hi Aleksandar, I refunded it today.",
                                     status=Status.SOLVED,
                                     at=opened + timedelta(minutes=30 + 40 * day))
            tickets.append(ticket)
        with self.captureOnCommitCallbacks(execute=True):
            demo.seed_insights(now=NOW)
        for ticket in tickets:
            ticket.refresh_from_db()
        promised = [t for t in tickets if t.promised_reply_at is not None]
        self.assertEqual(len(promised), len(tickets))
        kept = [t for t in promised if t.first_responded_at <= t.promised_reply_at]  # type: ignore[operator]
        self.assertTrue(0 < len(kept) < len(promised), "some promises kept, some not")
        self.assertTrue(all(t.promised_reply_at.minute % 15 == 0 for t in promised))  # type: ignore[union-attr]
        first = min(t.created_at for t in tickets).date()
        self.assertEqual(RolledDay.objects.count(), (NOW.date() - first).days + 1)
        self.assertTrue(DayFigures.objects.filter(agent=self.alice).exists())
