"""Two schedulers at once, as two real processes on PostgreSQL: the budget is never exceeded,
no voucher code is given twice and no greeting goes twice.

CI runs the suite on PostgreSQL (`.ci/run`); on SQLite one transaction writes at a time, so the
same code is safe there by construction and these tests are skipped.
"""

from __future__ import annotations

import multiprocessing
import unittest
from datetime import UTC, date, datetime, timedelta
from multiprocessing.synchronize import Barrier

from django.db import connection, connections
from django.test import TransactionTestCase

from heard.care import kinds
from heard.care.models import Greeting, GreetingState, Moment, Voucher
from heard.care.moments import approve, budget, gifts, plan, send
from heard.care.tests.moment_helpers import NOW, birthday_moment
from heard.desk import actions
from heard.desk.models import Agent, ConsentKind, Role, Status, Team
from heard.mail.models import OutboundEmail
from heard.test import make_agent, make_customer

WAITING = 12
MORNING = datetime(2026, 11, 26, 9, 1, tzinfo=UTC)


def _approve(
    moment_id: int,
    agent_id: int,
    barrier: Barrier,
    results: multiprocessing.Queue,  # type: ignore[type-arg]
) -> None:
    connections.close_all()  # the parent's connection is not this process's to use
    try:
        barrier.wait(timeout=30)
        moment, agent = Moment.objects.get(pk=moment_id), Agent.objects.get(pk=agent_id)
        results.put(len(approve.approve_batch(moment, agent, now=NOW).approved))
    finally:
        connections.close_all()


def _send(barrier: Barrier, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    connections.close_all()
    try:
        barrier.wait(timeout=30)
        results.put(send.send_due(MORNING))
    finally:
        connections.close_all()


@unittest.skipUnless(connection.vendor == "postgresql", "two processes need PostgreSQL")
class TwoSchedulersTestCase(TransactionTestCase):
    def setUp(self) -> None:
        team = Team.objects.create(name="Billing", slug="billing", auto_assign=False)
        self.lead = make_agent("lena", [team], Role.LEAD)
        agent = make_agent("alice", [team])
        self.moment = birthday_moment(team=team, monthly_budget_cents=5 * 300)
        gifts.add_vouchers(self.moment, [f"BDAY-{n:04}" for n in range(WAITING)])
        for n in range(WAITING):
            customer = make_customer(f"Friend {n}", f"friend{n}@example.com")
            customer.birthday = date(1980, 11, 26)
            customer.save()
            actions.record_consent(customer, ConsentKind.BIRTHDAY, True, "portal")
            ticket = actions.open_ticket(
                customer=customer, team=team, subject="Roaming", text="Roaming?",
                at=NOW - timedelta(days=40),
            )  # fmt: skip
            actions.post_agent_reply(ticket, agent, "On now.", status=Status.SOLVED)
        plan.plan_moment(self.moment, NOW)
        self.assertEqual(Greeting.objects.awaiting().count(), WAITING)

    def run_twice(self, target: object, *args: object) -> list[int]:
        context = multiprocessing.get_context("fork")
        barrier, results = context.Barrier(2), context.Queue()
        connection.close()  # each process opens its own
        processes = [
            context.Process(target=target, args=(*args, barrier, results))  # type: ignore[arg-type]
            for _ in range(2)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)
            self.assertEqual(process.exitcode, 0)
        return [results.get(timeout=5) for _ in processes]

    def test_two_processes_approving_at_once_never_exceed_the_budget(self) -> None:
        approved = self.run_twice(_approve, self.moment.pk, self.lead.pk)
        self.assertEqual(sum(approved), 5, approved)
        self.assertEqual(budget.committed_cents(self.moment.pk, date(2026, 11, 1)), 1500)
        self.assertEqual(Greeting.objects.filter(state=GreetingState.APPROVED).count(), 5)
        self.assertEqual(Greeting.objects.awaiting().count(), WAITING - 5)

    def test_two_processes_sending_at_once_give_each_code_and_greeting_once(self) -> None:
        Moment.objects.filter(pk=self.moment.pk).update(monthly_budget_cents=WAITING * 300)
        self.moment.refresh_from_db()
        approve.approve_batch(self.moment, self.lead, now=NOW)
        sent = self.run_twice(_send)
        self.assertEqual(sum(sent), WAITING, sent)
        emails = OutboundEmail.objects.filter(kind=kinds.GREETING.code)
        self.assertEqual(emails.count(), WAITING)
        self.assertEqual(len(set(emails.values_list("to_address", flat=True))), WAITING)
        codes = list(Greeting.objects.values_list("gift_code", flat=True))
        self.assertEqual(len(set(codes)), WAITING, "no code given twice")
        self.assertEqual(Voucher.objects.filter(assigned_at__isnull=False).count(), WAITING)
