"""`heard parse FILE...`: parse mail files and write one JSON line per file; no database.

The contract (exact, other tools are built on it) is in `heard.mail.parsing.json_lines`.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heard.mail.parsing.json_lines import parse_files
from heard.mail.parsing.parse import DEFAULT_MAX_ATTACHMENT_BYTES


class Command(BaseCommand):
    help = (
        'Parse mail files; write one JSON line per file with "path", "from", "subject", "text", '
        '"new_text", "attachments", "automated", "automated_reason" and "error". '
        "Exit status 1 if a file could not be read or parsed."
    )
    requires_system_checks: list[str] = []  # must run without a database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--max-attachment-bytes",
            type=int,
            default=DEFAULT_MAX_ATTACHMENT_BYTES,
            help="attachments bigger than this are listed with their size, content dropped",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sys.exit(
            parse_files(
                options["files"], sys.stdout, max_attachment_bytes=options["max_attachment_bytes"]
            )
        )
