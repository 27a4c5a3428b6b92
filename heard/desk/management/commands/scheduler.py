"""`heard scheduler`: run the periodic jobs without serving the web app."""

from __future__ import annotations

import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heard.scheduler import Scheduler


class Command(BaseCommand):
    help = "Run every periodic job at its interval (or once with --once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run each job once and exit")

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        scheduler = Scheduler()
        if once:
            for name in scheduler.run_due():
                self.stdout.write(f"ran {name}")
            return
        signal.signal(signal.SIGTERM, lambda *_: scheduler.stop())
        self.stdout.write("Scheduler running; Ctrl+C to stop.")
        try:
            scheduler.loop()
        except KeyboardInterrupt:
            scheduler.stop()
