"""`heard smtpd`: receive customers' email over SMTP until stopped (SIGTERM or Ctrl-C)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from heard.mail.transports.smtp import Receiver


class Command(BaseCommand):
    help = (
        "Receive email over SMTP for the support address's domain; each message is stored "
        "before it is acknowledged (250), and refused for later (451) while storage is down."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.HEARD_SMTPD_HOST)
        parser.add_argument("--port", type=int, default=settings.HEARD_SMTPD_PORT)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        stop = threading.Event()
        # SIGTERM (systemd, docker stop) ends the loop like Ctrl-C, closing the listener cleanly.
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        receiver = Receiver(host, port)
        receiver.start()
        self.stdout.write(f"Receiving email on {receiver.url}")
        try:
            while not stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            receiver.stop()
