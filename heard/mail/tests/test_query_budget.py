"""What filing and acknowledging an email costs in SQL, pinned so that it cannot creep back.

Counted as `bench.mail_bench --per-email` counts them: the statements that read or write rows,
from the stored bytes to the acknowledgement handed to the mail backend (transaction control,
BEGIN/COMMIT/SAVEPOINT, is left out: here every transaction is a savepoint of the test's own).
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any
from unittest import mock

from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from heard import jobs
from heard.desk import actions
from heard.desk.models import Agent, Direction, Ticket, TicketEvent
from heard.mail import filing, kinds
from heard.mail.filing import processing
from heard.mail.models import Delivery, Intake, OutboundEmail, RawEmail
from heard.test import BaseTestCase, present

_TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")

# The ceilings: what one email's job costs today, filed alone (as emails arriving one at a time
# are), and the average over a burst, whose jobs take 16 emails at a time. Alone, a new request
# costs: its claim 3, the look-ups 4 (duplicates, sender, routing table, reply targets), filing
# 7, the acknowledgement 6, sending 3; here one more builds the team's calendar (once per
# process and version of its holidays). A reply that reads urgent raises the ticket's priority.
# On PostgreSQL, a new request takes two locks SQLite needs no statement for (it lets one
# transaction write at a time): the team's row for round-robin, the address's for the caps.
LOCKS = 2 if connection.vendor == "postgresql" else 0
NEW_REQUEST_ALONE = 23 + LOCKS
REPLY_ALONE = 17
# The target is 15 on the bench's mix (`bench.mail_bench --per-email`); here each reply,
# written before any answer, reads urgent and raises its ticket's priority (a look-up of the
# team's reply targets and a history row more).
BURST_AVERAGE = 15.5


def request(n: int, reply_to: int | None = None) -> bytes:
    """Customer n's new request; with `reply_to`, customer `reply_to` writing again as a reply
    to their own first email."""
    sender = n if reply_to is None else reply_to
    message = EmailMessage()
    message["From"] = f"Customer {sender} <customer{sender}@example.org>"
    message["To"] = "support@heard.localhost"
    message["Subject"] = f"{'Re: ' if reply_to is not None else ''}Order {n} has not arrived"
    message["Message-ID"] = f"<budget.{n}.{reply_to}@example.org>"
    if reply_to is not None:
        message["In-Reply-To"] = f"<budget.{reply_to}.None@example.org>"
    if reply_to is None:
        message.set_content(f"Hello, my order {n} has not arrived and I need it by Friday.\n")
    else:
        message.set_content("One more thing: the tracking number is 4711. Thank you.\n")
    return bytes(message)


@override_settings(HEARD_SUPPORT_ADDRESS="support@heard.localhost")
class QueryBudgetTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.billing.auto_assign = True  # round-robin among Alice, Bob and Lena, as desks do
        self.billing.is_triage = True
        self.billing.save()

    def store(self, data: bytes) -> RawEmail:
        with mock.patch("heard.jobs._dispatch"):  # stored as the receiver does, job not run
            return filing.receive(data, source="smtp")

    def file(self, *raws: RawEmail) -> int:
        """Run each email's job, as the worker would; returns the row statements they cost."""
        with (
            CaptureQueriesContext(connection) as captured,
            self.captureOnCommitCallbacks(execute=True),
            jobs.inline(),
        ):
            for raw in raws:
                processing.file_waiting(raw.pk)
        statements = [q["sql"].lstrip().upper() for q in captured.captured_queries]
        return sum(not sql.startswith(_TRANSACTION) for sql in statements)

    def test_a_new_request_is_filed_acknowledged_and_sent_within_its_budget(self) -> None:
        raw = self.store(request(1))
        spent = self.file(raw)
        raw.refresh_from_db()
        ticket = present(raw.ticket)
        self.assertIsNotNone(ticket.assignee_id)  # round-robin ran
        ack = OutboundEmail.objects.get(ticket=ticket, kind=kinds.ACKNOWLEDGEMENT.code)
        self.assertEqual(ack.delivery, Delivery.SENT)
        self.assertEqual(ack.in_reply_to, "budget.1.None@example.org")  # threads to theirs
        self.assertEqual(present(ack.message).direction, Direction.SYSTEM)  # kept on the ticket
        self.assertEqual(len(mail.outbox), 1)
        self.assertLessEqual(spent, NEW_REQUEST_ALONE)

    def test_a_reply_threads_within_its_budget(self) -> None:
        self.file(self.store(request(1)))
        reply = self.store(request(2, reply_to=1))
        spent = self.file(reply)
        reply.refresh_from_db()
        self.assertEqual(reply.intake, Intake.THREADED)
        self.assertEqual(Ticket.objects.count(), 1)
        self.assertEqual(Ticket.objects.get().unanswered_count, 2)
        self.assertLessEqual(spent, REPLY_ALONE)

    def test_a_burst_costs_about_fifteen_queries_an_email(self) -> None:
        new = [self.store(request(n)) for n in range(20)]
        replies = [self.store(request(100 + n, reply_to=n)) for n in range(10)]
        spent = self.file(*new, *replies)
        self.assertEqual(Ticket.objects.count(), 20)
        self.assertEqual(RawEmail.objects.filter(intake=Intake.THREADED).count(), 30)
        self.assertEqual(len(mail.outbox), 20)  # every new request acknowledged and sent
        self.assertLessEqual(spent / 30, BURST_AVERAGE + LOCKS * 20 / 30)

    def test_round_robin_still_gives_each_new_ticket_to_the_next_agent(self) -> None:
        self.file(*(self.store(request(n)) for n in range(3)))
        assignees = list(Ticket.objects.order_by("pk").values_list("assignee", flat=True))
        agents = Agent.objects.filter(teams=self.billing)
        self.assertEqual(sorted(assignees), sorted(agents.values_list("pk", flat=True)))

    def test_a_new_tickets_history_is_written_in_order(self) -> None:
        raw = self.store(request(1))
        self.file(raw)
        raw.refresh_from_db()
        events = TicketEvent.objects.filter(ticket=raw.ticket_id).order_by("pk")
        self.assertEqual(
            [e.what for e in events], ["created", "assignee", "routed", "promise"]
        )

    def test_an_acknowledgement_that_fails_leaves_the_filing_whole(self) -> None:
        raw = self.store(request(1))
        promise = actions.record_promise

        def promise_then_fail(*args: Any, **kwargs: Any) -> bool:
            promise(*args, **kwargs)  # its row and history row are written, then it fails
            raise RuntimeError("the acknowledgement broke")

        with mock.patch("heard.desk.actions.record_promise", side_effect=promise_then_fail):
            self.file(raw)
        raw.refresh_from_db()
        self.assertEqual(raw.intake, Intake.THREADED)
        self.assertFalse(OutboundEmail.objects.exists())
        self.assertIsNone(present(raw.ticket).promised_reply_at)
        self.assertEqual(present(raw.ticket).messages.count(), 1)  # theirs, no system message
        events = TicketEvent.objects.filter(ticket=raw.ticket_id)
        self.assertFalse(events.filter(what="promise").exists())  # undone with the rest
        self.assertIn("could not write it", events.get(what="acknowledgement").note)
        self.assertEqual(len(mail.outbox), 0)
