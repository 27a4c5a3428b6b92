"""A small in-process scheduler for the embedded set-up (no broker).

It runs each periodic job at its interval on one background thread. Every periodic job claims the
rows it works on, so running this beside Celery beat, or twice, does no double work.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections

from heard.jobs import run_job
from heard.schedule import periodic_jobs

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(self) -> None:
        self._stop = threading.Event()
        self._next_run: dict[str, float] = {}

    def run_due(self, now: float | None = None) -> list[str]:
        """Run every job whose time has come; return the names that ran."""
        now = time.monotonic() if now is None else now
        ran = []
        for name, interval in periodic_jobs():
            if self._next_run.get(name, 0.0) > now:
                continue
            self._next_run[name] = now + interval
            self._run_one(name)
            ran.append(name)
        return ran

    def _run_one(self, name: str) -> None:
        try:
            run_job(name, [])
        except Exception:
            log.exception("periodic job %s failed; it will run again at its next interval", name)

    def loop(self, tick: float = 1.0) -> None:
        while not self._stop.is_set():
            # A long-lived thread must not keep a broken or stale connection between runs.
            close_old_connections()
            self.run_due()
            self._stop.wait(tick)

    def stop(self) -> None:
        self._stop.set()

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.loop, name="heard-scheduler", daemon=True)
        thread.start()
        return thread
