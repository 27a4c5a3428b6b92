from __future__ import annotations

import os
import time
import unittest
import unittest.mock
from datetime import UTC, datetime, timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings

from heard import jobs
from heard.desk import actions, tasks
from heard.desk.models import Team, Ticket
from heard.scheduler import Scheduler
from heard.test import BaseTestCase, make_customer

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class SchedulerTestCase(BaseTestCase):
    def test_it_runs_the_watchdog_and_then_waits_for_its_interval(self) -> None:
        ticket = self.open_ticket(at=MONDAY_10)
        scheduler = Scheduler()
        with time_machine.travel(MONDAY_10 + timedelta(days=1), tick=False):
            ran = scheduler.run_due(now=100.0)
            self.assertIn("heard.desk.tasks.watchdog", ran)
            self.assertEqual(scheduler.run_due(now=110.0), [])
            self.assertIn("heard.desk.tasks.watchdog", scheduler.run_due(now=161.0))
        self.assertTrue(Ticket.objects.get(pk=ticket.pk).escalated)

    def test_a_failing_job_does_not_stop_the_others(self) -> None:
        scheduler = Scheduler()
        with unittest.mock.patch.object(tasks.actions, "run_watchdog", side_effect=RuntimeError):
            ran = scheduler.run_due(now=0.0)
        self.assertIn("heard.desk.tasks.close_solved", ran)


class EnqueueTestCase(BaseTestCase):
    def test_it_runs_after_commit(self) -> None:
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            jobs.enqueue(tasks.watchdog)
        self.assertEqual(len(callbacks), 1)

    def test_it_refuses_an_unregistered_function(self) -> None:
        with self.assertRaisesMessage(LookupError, "is not a registered job"):
            jobs.enqueue(print)


class CommandTestCase(BaseTestCase):
    def test_watchdog_command_reports_escalations(self) -> None:
        self.open_ticket(at=MONDAY_10 - timedelta(days=7))
        out = StringIO()
        call_command("watchdog", stdout=out)
        self.assertEqual(out.getvalue().strip(), "1 escalation")

    def test_scheduler_once_runs_every_job(self) -> None:
        out = StringIO()
        call_command("scheduler", "--once", stdout=out)
        self.assertIn("ran heard.desk.tasks.watchdog", out.getvalue())
        self.assertIn("ran heard.desk.tasks.close_solved", out.getvalue())


@unittest.skipUnless(os.environ.get("CELERY_BROKER_URL"), "needs a Celery broker (CI has Redis)")
class CeleryTestCase(TransactionTestCase):
    def test_a_job_travels_through_the_broker_to_a_worker(self) -> None:
        from celery.contrib.testing.worker import start_worker

        from heard.celery import app

        team = Team.objects.create(name="Ops", slug="ops", auto_assign=False)
        actions.open_ticket(
            customer=make_customer(),
            team=team,
            subject="Down",
            text="Site down",
            at=MONDAY_10 - timedelta(days=7),
        )
        with (
            override_settings(HEARD_JOBS_EAGER=False),
            start_worker(app, perform_ping_check=False, pool="solo"),
        ):
            jobs._dispatch("heard.desk.tasks.watchdog", ())
            deadline = time.monotonic() + 20
            while not Ticket.objects.filter(escalated=True).exists():
                self.assertLess(time.monotonic(), deadline, "the worker never ran the job")
                time.sleep(0.1)
        self._close_worker_connections()

    def _close_worker_connections(self) -> None:
        """The worker thread keeps its own connection open; end it so the test DB can go."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
