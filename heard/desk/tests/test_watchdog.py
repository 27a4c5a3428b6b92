from __future__ import annotations

import threading
import unittest
import unittest.mock
from datetime import UTC, datetime, timedelta

from django.core import mail
from django.db import connection
from django.test import TransactionTestCase

from heard.desk import actions
from heard.desk.actions import escalation
from heard.desk.models import Notification, Priority, SlaStage
from heard.test import BaseTestCase, make_agent, make_customer

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
WARN = datetime(2026, 11, 23, 16, 24, tzinfo=UTC)  # 20% of 8 business hours left
DUE = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


class WrittenAgainTestCase(BaseTestCase):
    def test_it_escalates_when_the_customer_writes_again_unanswered(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        self.assertEqual(actions.run_watchdog(now=MONDAY_10 + timedelta(minutes=1)), 0)
        actions.record_customer_message(
            ticket, "Hello?? Anyone?", at=MONDAY_10 + timedelta(hours=1)
        )
        with self.captureOnCommitCallbacks(execute=True):
            fired = actions.run_watchdog(now=MONDAY_10 + timedelta(hours=1, minutes=1))
        self.assertEqual(fired, 1)
        ticket.refresh_from_db()
        self.assertTrue(ticket.escalated)
        self.assertEqual(ticket.priority, Priority.HIGH)
        self.assertIn("wrote 2 times without an answer", ticket.escalation_reason)
        notice = Notification.objects.get(recipient=self.lead.user)
        self.assertIn(ticket.reference, notice.text)
        by_recipient = {tuple(m.to): m for m in mail.outbox}
        self.assertEqual(len(mail.outbox), 2)  # the lead is told, and so is the customer
        to_lead = by_recipient[(self.lead.user.email,)]
        self.assertIn("escalated", to_lead.subject)
        self.assertIn(
            f"{ticket.reference} was escalated because the customer wrote 2 times without an "
            "answer.",
            to_lead.body.replace("\n", " "),
        )
        to_customer = by_recipient[(self.customer.primary_email(),)]
        self.assertIn("You've written to us twice", to_customer.body)

    def test_it_never_fires_twice_for_the_same_reason(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        actions.record_customer_message(ticket, "Hello?", at=MONDAY_10 + timedelta(minutes=30))
        actions.run_watchdog(now=MONDAY_10 + timedelta(minutes=31))
        actions.record_customer_message(ticket, "HELLO?", at=MONDAY_10 + timedelta(minutes=40))
        self.assertEqual(actions.run_watchdog(now=MONDAY_10 + timedelta(minutes=41)), 0)
        ticket.refresh_from_db()
        self.assertEqual(ticket.priority, Priority.HIGH)
        self.assertEqual(ticket.events.filter(what="escalated").count(), 1)

    def test_an_agent_reply_clears_it_so_a_new_episode_can_escalate(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        actions.record_customer_message(ticket, "Hello?", at=MONDAY_10 + timedelta(minutes=5))
        actions.run_watchdog(now=MONDAY_10 + timedelta(minutes=6))
        actions.post_agent_reply(ticket, self.alice, "On it.", at=MONDAY_10 + timedelta(minutes=7))
        ticket.refresh_from_db()
        self.assertFalse(ticket.escalated)
        actions.record_customer_message(ticket, "Still?", at=MONDAY_10 + timedelta(minutes=8))
        self.assertEqual(actions.run_watchdog(now=MONDAY_10 + timedelta(minutes=9)), 0)
        actions.record_customer_message(ticket, "Again?", at=MONDAY_10 + timedelta(minutes=10))
        self.assertEqual(actions.run_watchdog(now=MONDAY_10 + timedelta(minutes=11)), 1)


class SlaEscalationTestCase(BaseTestCase):
    def test_it_escalates_at_risk_then_breached_once_each(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        self.assertEqual(actions.run_watchdog(now=WARN - timedelta(minutes=1)), 0)
        self.assertEqual(actions.run_watchdog(now=WARN), 1)
        ticket.refresh_from_db()
        self.assertEqual(ticket.sla_stage, SlaStage.AT_RISK)
        self.assertIn("at risk", ticket.escalation_reason)
        self.assertEqual(ticket.priority, Priority.HIGH)
        self.assertEqual(actions.run_watchdog(now=WARN + timedelta(minutes=5)), 0)
        self.assertEqual(actions.run_watchdog(now=DUE), 1)
        ticket.refresh_from_db()
        self.assertEqual(ticket.sla_stage, SlaStage.BREACHED)
        self.assertIn("breached", ticket.escalation_reason)
        self.assertEqual(ticket.priority, Priority.URGENT)
        self.assertEqual(actions.run_watchdog(now=DUE + timedelta(days=3)), 0)

    def test_a_watchdog_that_was_down_fires_breach_only(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        self.assertEqual(actions.run_watchdog(now=DUE + timedelta(hours=2)), 1)
        ticket.refresh_from_db()
        self.assertIn("breached", ticket.escalation_reason)
        self.assertEqual(ticket.events.filter(what="escalated").count(), 1)

    def test_pending_tickets_are_not_escalated(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        actions.change_status(ticket, None, "pending", at=MONDAY_10 + timedelta(hours=1))
        self.assertEqual(actions.run_watchdog(now=DUE + timedelta(days=2)), 0)

    def test_a_second_pass_finds_nothing_left_to_do(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        actions.record_customer_message(ticket, "Hello?", at=MONDAY_10 + timedelta(minutes=1))
        self.assertEqual(actions.run_watchdog(now=WARN), 2)
        self.assertEqual(actions.run_watchdog(now=WARN), 0)
        self.assertEqual(ticket.events.filter(what="escalated").count(), 2)

    def test_it_works_through_more_tickets_than_one_batch(self) -> None:
        with unittest.mock.patch.object(escalation, "WATCHDOG_BATCH", 3):
            for _ in range(7):
                self.open_ticket(at=MONDAY_10)
            self.assertEqual(actions.run_watchdog(now=WARN), 7)
        self.assertEqual(Notification.objects.filter(recipient=self.lead.user).count(), 7)


@unittest.skipUnless(connection.vendor == "postgresql", "real concurrency needs PostgreSQL")
class ConcurrentWatchdogTestCase(TransactionTestCase):
    def test_two_watchdogs_in_parallel_threads_fire_once_per_ticket(self) -> None:
        from heard.desk.models import Team

        team = Team.objects.create(name="Ops", slug="ops", auto_assign=False)
        make_agent("lina", [team])
        customer = make_customer()
        tickets = [
            actions.open_ticket(
                customer=customer, team=team, subject=f"t{i}", text="help", at=MONDAY_10
            )
            for i in range(20)
        ]
        counts: list[int] = []
        barrier = threading.Barrier(2)

        def watch() -> None:
            barrier.wait()
            try:
                counts.append(actions.run_watchdog(now=WARN))
            finally:
                connection.close()

        threads = [threading.Thread(target=watch) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sum(counts), len(tickets))
        for ticket in tickets:
            self.assertEqual(ticket.events.filter(what="escalated").count(), 1)
