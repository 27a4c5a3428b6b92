"""What the training studio does when the desk or Django announce something."""

from __future__ import annotations

from typing import Any

from heard import jobs
from heard.desk.models import Message


def coach_sent_reply(message: Message, **_: Any) -> None:
    """Record the coach's judgement of a reply that went out, after the desk's commit."""
    from heard.training import tasks

    jobs.enqueue(tasks.coach_sent_reply, message.pk)


def load_cases(using: str = "default", **_: Any) -> None:
    """Keep the shipped cases in step with data/cases/ after every migrate."""
    from heard.training import actions

    actions.load_shipped_cases(using=using)
