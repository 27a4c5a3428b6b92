"""`heard demo`: load realistic demo data (teams, agents, customers, conversations)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard import jobs
from heard.desk.demo import DEMO_PASSWORD, DemoError, load_demo, reset_demo


class Command(BaseCommand):
    help = (
        "Load the demo: three teams with their agents, 230 customers and 300+ tickets, dated "
        "relative to now. Does nothing when the demo is already loaded. Every demo login uses "
        f"the password '{DEMO_PASSWORD}'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true",
            help="first delete the demo teams, all their tickets, the demo customers and agents",
        )

    def handle(self, *args: Any, reset: bool, **options: Any) -> None:
        try:
            if reset:
                removed = reset_demo()
                self.stdout.write(f"Removed the old demo data ({removed} tickets).")
            with jobs.inline():  # every message is read before the demo is served
                load_demo(stdout=self.stdout)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
