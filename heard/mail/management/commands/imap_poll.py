"""`heard imap-poll`: fetch new messages from the IMAP mailbox once, or every few seconds."""

from __future__ import annotations

import argparse
import signal
import threading
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from heard.mail.transports import imap


class Command(BaseCommand):
    help = (
        "Store the new messages of the IMAP mailbox (HEARD_IMAP_*, or the flags) and print how "
        "many; with --loop, poll every HEARD_IMAP_SECONDS. Polling twice stores nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.HEARD_IMAP_HOST)
        parser.add_argument("--port", type=int, default=settings.HEARD_IMAP_PORT)
        parser.add_argument("--user", default=settings.HEARD_IMAP_USER)
        parser.add_argument("--password", default=settings.HEARD_IMAP_PASSWORD)
        parser.add_argument("--mailbox", default=settings.HEARD_IMAP_MAILBOX)
        parser.add_argument(
            "--no-ssl",
            dest="ssl",
            action="store_false",
            default=settings.HEARD_IMAP_SSL,
            help="plain IMAP (only for a server on this machine or a trusted network)",
        )
        parser.add_argument(
            "--since",
            type=_day,
            default=settings.HEARD_IMAP_SINCE,
            metavar="YYYY-MM-DD",
            help="only messages that reached the mailbox on or after this day",
        )
        parser.add_argument("--loop", action="store_true", help="poll until stopped")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["host"]:
            raise CommandError("No IMAP host: set HEARD_IMAP_HOST or pass --host.")
        box = imap.Mailbox(
            options["host"],
            options["port"],
            options["ssl"],
            options["user"],
            options["password"],
            options["mailbox"],
            options["since"],
        )
        if options["loop"]:
            self.loop(box)
        else:
            self.stdout.write(self.poll_once(box))

    def poll_once(self, box: imap.Mailbox) -> str:
        try:
            stored = imap.poll(box)
        except imap.ImapError as error:
            raise CommandError(str(error)) from error
        return f"Stored {stored} new email{'' if stored == 1 else 's'} from {box}"

    def loop(self, box: imap.Mailbox) -> None:
        """A long-running worker: a failed poll is reported and the next one comes on time."""
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        while not stop.is_set():
            close_old_connections()
            try:
                self.stdout.write(self.poll_once(box))
            except CommandError as error:
                self.stderr.write(str(error))
            stop.wait(settings.HEARD_IMAP_SECONDS)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from None
