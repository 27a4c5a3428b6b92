"""heard reprocess: file again the received emails whose processing failed.

The exit status is 1 when any of them still could not be filed (each keeps its "could not be
filed" ticket), so that a script or an operator sees it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard.mail.filing import processing
from heard.mail.models import Intake, RawEmail


class Command(BaseCommand):
    help = (
        "Process again received emails whose processing failed (or the ids given); exit status "
        "1 if any still fails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="raw email ids (default: all failed)")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = RawEmail.objects.filter(intake=Intake.FAILED)
        if options["ids"]:
            rows = rows.filter(pk__in=options["ids"])
        failing = 0
        for raw_id in rows.order_by("pk").values_list("pk", flat=True):
            processing.process(raw_id)
            raw = RawEmail.objects.get(pk=raw_id)
            failing += raw.intake == Intake.FAILED
            self.stdout.write(f"{raw_id}: {raw.intake}{f' ({raw.error})' if raw.error else ''}")
        if failing:
            emails = "email" if failing == 1 else "emails"
            raise CommandError(f"{failing} {emails} could not be filed: see the errors above")
