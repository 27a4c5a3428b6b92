"""Celery, used only when CELERY_BROKER_URL is set; the one module that imports it.

There is a single task, `heard.run_job`, that runs a registered job by name, so every job stays a
plain function that also runs in-process. Beat's schedule comes from heard.schedule.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

from heard.schedule import periodic_jobs  # noqa: E402

app = Celery("heard", broker=settings.CELERY_BROKER_URL or None)
app.conf.update(
    task_acks_late=True,  # a worker killed mid-job leaves it for another
    worker_prefetch_multiplier=1,
    task_time_limit=300,
    broker_connection_retry_on_startup=True,
    beat_schedule={
        name: {"task": "heard.run_job", "schedule": float(seconds), "args": [name, []]}
        for name, seconds in periodic_jobs()
    },
)


@app.task(name="heard.run_job")
def run_job_task(name: str, args: list[Any]) -> Any:
    from heard.jobs import run_job

    return run_job(name, args)
