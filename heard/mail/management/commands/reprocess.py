"""heard reprocess: file again the received emails whose processing failed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heard.mail.filing import processing
from heard.mail.models import Intake, RawEmail


class Command(BaseCommand):
    help = "Process again received emails whose processing failed (or the ids given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="raw email ids (default: all failed)")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = RawEmail.objects.filter(intake=Intake.FAILED)
        if options["ids"]:
            rows = rows.filter(pk__in=options["ids"])
        for raw_id in rows.order_by("pk").values_list("pk", flat=True):
            processing.process(raw_id)
            raw = RawEmail.objects.get(pk=raw_id)
            self.stdout.write(f"{raw_id}: {raw.intake}{f' ({raw.error})' if raw.error else ''}")
