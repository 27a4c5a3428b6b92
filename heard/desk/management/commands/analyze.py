"""`heard analyze`: read JSON lines of customer text on stdin, write readings on stdout.

The contract (exact, other tools are built on it) is implemented by the engine's
`analyze_stream`; this command only connects it to the terminal. It needs no database.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from heard.engine.cli import analyze_stream


class Command(BaseCommand):
    help = (
        'Read JSON lines with a "text" key on stdin; write each with "emotion", "scores", '
        '"urgent", "urgency", "churn_risk" and "cues" added. Exit status 1 if a line was bad.'
    )
    requires_system_checks: list[str] = []  # must run without a database

    def handle(self, *args: Any, **options: Any) -> None:
        sys.exit(analyze_stream(sys.stdin, sys.stdout))
