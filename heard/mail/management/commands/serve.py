"""`heard serve`: everything the embedded set-up needs in one process (here, in the mail app,
because it also starts the SMTP receiver; the desk knows nothing of mail)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard.scheduler import Scheduler


class Command(BaseCommand):
    help = (
        "Serve the web app and, when no Celery broker is configured, run the periodic jobs "
        "(watchdog, auto-close) on the in-process scheduler; with --smtp, receive email too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--smtp",
            metavar="ADDR:PORT",
            help="also receive email over SMTP on this address, e.g. 127.0.0.1:2525",
        )

    def handle(self, *args: Any, addrport: str, smtp: str | None, **options: Any) -> None:
        if settings.CELERY_BROKER_URL:
            self.stdout.write("Periodic jobs run on Celery beat (CELERY_BROKER_URL is set).")
        else:
            Scheduler().start_thread()
            self.stdout.write("In-process scheduler started (watchdog every minute).")
        if smtp:
            self.start_smtp(smtp)
        # CSS and JavaScript come from WhiteNoise (in MIDDLEWARE), as in production; runserver's
        # own static handler sits outside Django's error handling (a ../ path was a 500).
        call_command("runserver", addrport, use_reloader=False, use_static_handler=False)

    def start_smtp(self, addrport: str) -> None:
        """The receiver runs in its own thread with its own event loop, beside the web app."""
        from heard.mail.transports.smtp import Receiver

        host, _, port = addrport.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(f"--smtp wants ADDR:PORT, such as 127.0.0.1:2525, not {addrport!r}")
        receiver = Receiver(host.strip("[]"), int(port))
        receiver.start()
        self.stdout.write(f"Receiving email on {receiver.url}")
