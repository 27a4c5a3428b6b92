"""Faults that are quick to cause: PostgreSQL refusing the receiver, Redis cut while mail
arrives and an agent replies, and a broker that cannot be reached when a job is queued.
(kill -9 of the receiver over 1,000 emails and of a worker mid-job: bench/fault_bench.py.)"""

from __future__ import annotations

import importlib.util
import tempfile
import threading
import unittest
from pathlib import Path
from unittest import mock

from django.test import TestCase, override_settings

from heard import jobs
from heard.tests_production import faults
from heard.tests_production.shape import Shape, production_available

ran = threading.Event()


@jobs.job
def note_that_it_ran() -> None:
    ran.set()


@unittest.skipUnless(importlib.util.find_spec("celery"), "Celery is not installed")
class BrokerUnreachableTestCase(TestCase):
    @override_settings(HEARD_JOBS_EAGER=False, CELERY_BROKER_URL="redis://127.0.0.1:9/0")
    def test_a_job_runs_in_this_process_with_a_warning(self) -> None:
        from kombu.exceptions import OperationalError

        from heard.celery import app

        ran.clear()
        refused = OperationalError("Error 111 connecting to 127.0.0.1:9. Connection refused.")
        with (
            mock.patch.object(app, "send_task", side_effect=refused),
            self.assertLogs("heard.jobs", "WARNING") as logs,
            self.captureOnCommitCallbacks(execute=True),
        ):
            jobs.enqueue(note_that_it_ran)
        self.assertTrue(ran.wait(10), "the job never ran")
        self.assertIn("could not queue job", logs.output[0])
        self.assertIn("running it in this process instead", logs.output[0])


@unittest.skipUnless(production_available(), "needs PostgreSQL and Redis on 127.0.0.1 (.ci/run)")
class ProductionFaultsTestCase(unittest.TestCase):
    def test_the_receiver_answers_451_while_the_database_is_down(self) -> None:
        with tempfile.TemporaryDirectory() as tmp, Shape(Path(tmp), "heard_prod_faults") as shape:
            try:
                counts = faults.database_down(shape)
            except BaseException:
                print(shape.tails())
                raise
        self.assertEqual(counts["answers while down"], {"451": 5}, counts)
        self.assertTrue(counts["receiver alive"])
        self.assertEqual(counts["tickets before"], 5)
        self.assertEqual(counts["tickets from the retries"], 5)

    def test_jobs_run_where_they_were_queued_while_redis_is_down(self) -> None:
        outage = faults.Outage()
        broker = {"CELERY_BROKER_URL": f"{outage.url}/5"}
        with (
            tempfile.TemporaryDirectory() as tmp,
            Shape(Path(tmp), "heard_prod_faults", extra_env=broker) as shape,
        ):
            try:
                counts = faults.redis_down(shape, outage)
            except BaseException:
                print(shape.tails())
                raise
            finally:
                outage.down()
        self.assertEqual(counts["tickets"], 10, counts)
        self.assertEqual(counts["acknowledged"], 10, counts)
        self.assertEqual(counts["acknowledged twice"], 0, counts)
        self.assertEqual(counts["agent reply answered"], 302, counts)
        self.assertTrue(counts["agent reply emailed"], counts)
        self.assertTrue(counts["receiver logged the fallback"], counts)
        self.assertEqual(counts["tickets after Redis came back"], 10, counts)
