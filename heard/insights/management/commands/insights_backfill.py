"""`heard insights-backfill`: roll up past days (all history by default), with a progress bar."""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heard.insights import rollup

BAR = 30


class Command(BaseCommand):
    help = (
        "Write the insights figures of past days: every day since the first ticket, or "
        "--days N (the last N days, today included), or --since YYYY-MM-DD. Days already "
        "rolled up are computed again; running it twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, help="only the last N days, today included")
        parser.add_argument("--since", type=date.fromisoformat, help="from this day on")

    def handle(self, *args: Any, days: int | None, since: date | None, **options: Any) -> None:
        today = timezone.localdate()
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more.")
        first = since or (today - timedelta(days=days - 1) if days else rollup.first_day())
        if first is None:
            self.stdout.write("No tickets yet: nothing to roll up.")
            return
        if first > today:
            raise CommandError(f"{first} is in the future.")
        started = time.monotonic()
        self.stdout.write(f"Rolling up {first} to {today}:")
        rows = rollup.backfill(first, today, progress=self._progress(started))
        self.stdout.write(
            f"\nWrote {rows:,} rows of figures in {time.monotonic() - started:.1f} s."
        )

    def _progress(self, started: float) -> Any:
        live = self.stdout.isatty() if hasattr(self.stdout, "isatty") else sys.stdout.isatty()

        def show(done: int, total: int, day: date) -> None:
            filled = BAR * done // total
            elapsed = time.monotonic() - started
            left = elapsed / done * (total - done)
            line = (f"[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} days  {day}  "
                    f"{elapsed:.0f} s, about {left:.0f} s left")
            if live:
                self.stdout.write("\r" + line, ending="")
                self.stdout.flush()
            elif done == total or done % max(1, total // 10) == 0:
                self.stdout.write(line)

        return show
