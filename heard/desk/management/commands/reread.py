"""`heard reread`: read customer messages again, e.g. after upgrading the model."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heard.desk.actions import read_customer_messages
from heard.desk.models import Direction, Message


class Command(BaseCommand):
    help = (
        "Read the customer messages that have no reading yet (or, with --all, every one) and "
        "update each ticket's mood and care order. Agents' corrections are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all", action="store_true", dest="everything", help="read every customer message"
        )

    def handle(self, *args: Any, everything: bool, **options: Any) -> None:
        messages = Message.objects.filter(direction=Direction.CUSTOMER)
        if not everything:
            messages = messages.filter(emotion="")
        count = read_customer_messages(messages)
        self.stdout.write(f"Read {count} message{'s' if count != 1 else ''}.")
