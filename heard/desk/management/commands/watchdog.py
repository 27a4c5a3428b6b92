"""`heard watchdog`: one escalation pass, or a loop with --loop."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from heard.desk.actions import run_watchdog


class Command(BaseCommand):
    help = "Escalate tickets whose customer wrote again unanswered or whose SLA is at risk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running every minute")

    def handle(self, *args: Any, loop: bool, **options: Any) -> None:
        while True:
            fired = run_watchdog()
            self.stdout.write(f"{fired} escalation{'s' if fired != 1 else ''}")
            if not loop:
                return
            close_old_connections()
            time.sleep(settings.HEARD_WATCHDOG_SECONDS)
