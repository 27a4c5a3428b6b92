"""An escalation's care bump (issue 14, item 3: "an escalation re-forecasts"): an escalated
ticket stands in care order no later than when it escalated, so it moves ahead of calm tickets
with the same target, while tickets already overdue stay ahead of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from heard.desk import actions
from heard.desk.care_order import CareSignals, care_at
from heard.desk.models import Ticket
from heard.test import BaseTestCase, make_customer

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def test_an_escalated_ticket_is_served_no_later_than_it_escalated() -> None:
    calm = CareSignals()
    assert care_at(DUE, calm) == DUE
    bumped = CareSignals(escalated_at=MONDAY_10)
    assert care_at(DUE, bumped) == MONDAY_10
    # a ticket already before that moment keeps its place
    assert care_at(MONDAY_10 - timedelta(hours=1), bumped) == MONDAY_10 - timedelta(hours=1)
    assert care_at(None, bumped) is None


class CareBumpTest(BaseTestCase):
    def calm_ticket(self, name: str, at: datetime) -> Ticket:
        return actions.open_ticket(
            customer=make_customer(name, f"{name.lower()}@example.org"),
            team=self.billing,
            subject="A question",
            text="Could you send me a copy of my invoice?",
            at=at,
        )

    def order(self) -> list[int]:
        return list(Ticket.objects.active().by_care().values_list("pk", flat=True))

    def test_the_escalated_ticket_moves_ahead_of_calm_ones_with_the_same_target(self) -> None:
        first = self.calm_ticket("Ana", MONDAY_10)
        second = self.calm_ticket("Ivo", MONDAY_10)
        writer = self.calm_ticket("Maja", MONDAY_10)
        self.assertEqual(first.reply_due_at, writer.reply_due_at)
        self.assertEqual(self.order(), [first.pk, second.pk, writer.pk])
        actions.record_customer_message(writer, "Any news?", at=MONDAY_10 + timedelta(hours=1))
        escalated_at = MONDAY_10 + timedelta(hours=1, minutes=1)
        self.assertEqual(actions.run_watchdog(now=escalated_at), 1)
        writer.refresh_from_db()
        self.assertTrue(writer.escalated)
        self.assertEqual(writer.reply_due_at, first.reply_due_at)  # the target did not move
        self.assertEqual(writer.care_at, escalated_at)
        self.assertEqual(self.order(), [writer.pk, first.pk, second.pk])

    def test_an_overdue_calm_ticket_stays_ahead_and_an_answer_ends_the_bump(self) -> None:
        overdue = self.calm_ticket("Ana", MONDAY_10 - timedelta(days=3))
        writer = self.calm_ticket("Maja", MONDAY_10)
        calm = self.calm_ticket("Ivo", MONDAY_10)
        actions.record_customer_message(writer, "Any news?", at=MONDAY_10 + timedelta(hours=1))
        actions.run_watchdog(now=MONDAY_10 + timedelta(hours=1, minutes=1))
        self.assertEqual(self.order()[:3], [overdue.pk, writer.pk, calm.pk])
        actions.post_agent_reply(writer, self.alice, "Hello Maja, here it is.")
        actions.record_customer_message(writer, "Thanks, one more thing.")
        writer.refresh_from_db()
        self.assertFalse(writer.escalated)
        self.assertEqual(writer.care_at, writer.reply_due_at)  # no bump left over

    def test_a_request_for_a_manager_bumps_it_too(self) -> None:
        calm = self.calm_ticket("Ana", MONDAY_10 - timedelta(minutes=5))
        asking = actions.open_ticket(
            customer=make_customer("Maja", "maja@example.org"),
            team=self.billing,
            subject="My invoice",
            text="My invoice is wrong. Let me speak to a manager.",
            at=MONDAY_10,
        )
        read_at = MONDAY_10 + timedelta(minutes=1)
        with time_machine.travel(read_at, tick=False):
            actions.read_customer_messages(asking.messages.all())
        asking.refresh_from_db()
        self.assertTrue(asking.escalated)
        self.assertEqual(asking.escalation_reason, actions.MANAGER_REASON)
        self.assertEqual(asking.care_at, read_at)
        self.assertEqual(self.order(), [asking.pk, calm.pk])
