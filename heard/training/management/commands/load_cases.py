"""`heard load_cases`: bring the shipped cases in step with heard/training/data/cases/."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heard.training import actions
from heard.training.cases import CaseError


class Command(BaseCommand):
    help = (
        "Create or update a case for every file under heard/training/data/cases/ (migrate does "
        "this too); cases made from tickets are left alone."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = actions.load_shipped_cases()
        except CaseError as exc:
            raise CommandError(str(exc)) from exc
        if not count:
            raise CommandError("The studio's tables do not exist yet: run `heard migrate`.")
        self.stdout.write(f"{count} shipped cases loaded.")
