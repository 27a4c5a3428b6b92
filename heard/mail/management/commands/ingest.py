"""`heard ingest FILE...`: import .eml files and mbox archives as received email."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heard.mail.transports.files import ingest_files


class Command(BaseCommand):
    help = (
        "Store each message of the given .eml files and mbox archives as received email and "
        "process it; prints one line per message stored. Exit status 1 if a file failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")

    def handle(self, *args: Any, files: list[str], **options: Any) -> None:
        status = ingest_files(files, self.stdout, self.stderr)
        if status:
            sys.exit(status)
