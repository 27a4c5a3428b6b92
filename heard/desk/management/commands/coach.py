"""`heard coach`: coach draft replies given as JSON lines on stdin (no database needed).

The contract (exact) is implemented by the engine's `coach_stream`; this command only connects it
to the terminal.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from heard.engine.coaching.cli import coach_stream


class Command(BaseCommand):
    help = (
        'Read JSON lines {"draft", "customer_message"?, "customer_name"?} on stdin; write '
        '{"score", "findings", "suggestion"} for each. Exit status 1 if a line was bad.'
    )
    requires_system_checks: list[str] = []  # must run without a database

    def handle(self, *args: Any, **options: Any) -> None:
        sys.exit(coach_stream(sys.stdin, sys.stdout))
