"""In a burst, one job files many waiting emails, read by the engine together; nothing is lost
when a job is, and two workers never take the same email."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.test import override_settings
from django.utils import timezone

from heard.desk.models import Direction, Message
from heard.engine import read, read_many
from heard.mail import filing, kinds
from heard.mail.filing import processing
from heard.mail.models import Intake, OutboundEmail, RawEmail
from heard.mail.tests.test_processing import email
from heard.schedule import periodic_jobs
from heard.test import BaseTestCase, present

WORRIED = "I can't log in and my presentation to the board starts in an hour. Please help!"


@override_settings(HEARD_SUPPORT_ADDRESS="support@heard.localhost")
class BatchTest(BaseTestCase):
    def store(self, n: int, large: int | None = None) -> list[int]:
        """Emails received while no job ran (their jobs are still queued, or were lost); the
        one numbered `large` carries a long log pasted in."""
        with mock.patch("heard.jobs._dispatch"), self.captureOnCommitCallbacks(execute=True):
            return [
                filing.receive(
                    email(
                        f"{WORRIED} (attempt {i})"
                        + ("\nerror 500 at login" * 200 if i == large else ""),
                        sender=f"Customer {i} <c{i}@example.org>",
                    ),
                    source="smtp",
                ).pk
                for i in range(n)
            ]

    def file(self, raw_id: int) -> int:
        with self.captureOnCommitCallbacks(execute=True):
            return processing.file_waiting(raw_id)

    def test_one_job_files_the_waiting_emails_oldest_first_reading_them_in_one_call(self) -> None:
        ids = self.store(5)
        with mock.patch.object(processing, "read_many", wraps=read_many) as reader:
            self.assertEqual(self.file(ids[2]), 5)
        reader.assert_called_once()
        self.assertEqual(len(reader.call_args.args[0]), 5)
        raws = RawEmail.objects.filter(pk__in=ids).order_by("pk")
        self.assertEqual({raw.intake for raw in raws}, {Intake.THREADED})
        tickets = [raw.ticket_id for raw in raws]
        self.assertEqual(tickets, sorted(tickets), "filed in the order they arrived")
        for raw in raws:  # read before filing: the ticket's mood is there at once
            message = present(raw.message)
            self.assertEqual(message.emotion, str(read(message.text).emotion))
            self.assertEqual(present(raw.ticket).mood, message.emotion)
        self.assertEqual(
            OutboundEmail.objects.filter(
                kind=kinds.ACKNOWLEDGEMENT.code, ticket__in=tickets
            ).count(),
            5,
        )
        self.assertEqual(self.file(ids[4]), 0, "the job of an email filed already finds nothing")

    def test_a_batch_is_at_most_BATCH_emails(self) -> None:
        ids = self.store(4)
        with mock.patch.object(processing, "BATCH", 3):
            self.assertEqual(self.file(ids[0]), 3)
            self.assertEqual(self.file(ids[1]), 1)
        self.assertFalse(RawEmail.objects.filter(intake=Intake.RECEIVED).exists())

    def test_a_large_email_is_not_taken_into_another_emails_batch(self) -> None:
        ids = self.store(3, large=1)
        small = RawEmail.objects.get(pk=ids[0])
        with mock.patch.object(processing, "BATCH_EMAIL_BYTES", small.size + 100):
            self.assertEqual(self.file(ids[0]), 2, "the two small ones")
            self.assertEqual(RawEmail.objects.get(pk=ids[1]).intake, Intake.RECEIVED)
            self.assertEqual(self.file(ids[1]), 1, "its own job files it")

    def test_an_email_claimed_by_another_worker_is_left_to_it(self) -> None:
        ids = self.store(3)
        RawEmail.objects.filter(pk=ids[0]).update(
            claimed_until=timezone.now() + timedelta(minutes=5)
        )
        self.assertEqual(self.file(ids[0]), 2, "its own job files the two others")
        self.assertEqual(RawEmail.objects.get(pk=ids[0]).intake, Intake.RECEIVED)
        RawEmail.objects.filter(pk=ids[0]).update(
            claimed_until=timezone.now() - timedelta(seconds=1)
        )  # its worker died: the claim runs out
        self.assertEqual(self.file(ids[0]), 1)
        self.assertEqual(RawEmail.objects.get(pk=ids[0]).intake, Intake.THREADED)

    def test_when_the_engine_fails_the_emails_are_filed_and_read_afterwards(self) -> None:
        ids = self.store(2)
        with (
            mock.patch.object(processing, "read_many", side_effect=RuntimeError("no model")),
            self.assertLogs("heard.mail.filing.processing", "ERROR"),
        ):
            self.assertEqual(self.file(ids[0]), 2)
        messages = Message.objects.filter(raw_email__pk__in=ids, direction=Direction.CUSTOMER)
        self.assertEqual(len(messages), 2)
        for message in messages:  # by the read job
            self.assertEqual(message.emotion, str(read(message.text).emotion))

    def test_emails_whose_job_was_lost_are_filed_by_the_periodic_job(self) -> None:
        self.assertIn(("heard.mail.tasks.file_stranded_email", 60), periodic_jobs())
        lost = self.store(2)
        RawEmail.objects.filter(pk__in=lost).update(
            received_at=timezone.now() - timedelta(minutes=2)
        )
        fresh = self.store(1)  # its job is still on its way: left to it
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(processing.file_stranded(), 2)
        self.assertEqual(
            set(RawEmail.objects.filter(pk__in=lost).values_list("intake", flat=True)),
            {Intake.THREADED},
        )
        self.assertEqual(RawEmail.objects.get(pk=fresh[0]).intake, Intake.RECEIVED)
