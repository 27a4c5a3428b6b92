"""`heard serve`: everything the embedded set-up needs in one process."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from heard.scheduler import Scheduler


class Command(BaseCommand):
    help = (
        "Serve the web app and, when no Celery broker is configured, run the periodic jobs "
        "(watchdog, auto-close) on the in-process scheduler."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, addrport: str, **options: Any) -> None:
        if settings.CELERY_BROKER_URL:
            self.stdout.write("Periodic jobs run on Celery beat (CELERY_BROKER_URL is set).")
        else:
            Scheduler().start_thread()
            self.stdout.write("In-process scheduler started (watchdog every minute).")
        call_command("runserver", addrport, use_reloader=False)
