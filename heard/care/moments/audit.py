"""Every change of a greeting or its gift: a conditional update, a `GreetingEvent` row, a log line.

A change names the states it may leave (`from_states`); it happens only if the greeting is still
in one of them, so two workers (two schedulers, a lead and the scheduler) never both move it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from heard.care.models import Greeting, GreetingEvent, GreetingState

log = logging.getLogger("heard.care.moments")


def move(
    greeting: Greeting,
    to: GreetingState,
    *,
    from_states: Iterable[str],
    at: datetime,
    why: str = "",
    by: User | None = None,
    what: str = "",
    **fields: Any,
) -> bool:
    """Move the greeting to `to` if it is still in one of `from_states`; True if it moved.
    `fields` are set with it (and on the object passed in)."""
    changes = {"state": to, "why": why[:300], **fields}
    with transaction.atomic():
        moved = Greeting.objects.filter(pk=greeting.pk, state__in=list(from_states)).update(
            **changes
        )
        if not moved:
            return False
        for name, value in changes.items():
            setattr(greeting, name, value)
        record(greeting, what or GreetingState(to).label.lower(), why, at=at, by=by)
    return True


def record(
    greeting: Greeting, what: str, note: str = "", *, at: datetime, by: User | None = None
) -> GreetingEvent:
    """Write down what happened to the greeting (or its gift); logged once it commits."""
    line = f"greeting {greeting.pk} of moment {greeting.moment_id}: {what}"
    log_on_commit(line + (f" ({note})" if note else ""))
    return GreetingEvent.objects.create(
        greeting=greeting, at=at, actor=by, what=what[:40], note=note[:300]
    )


def log_on_commit(line: str) -> None:
    """Log what happened once it is true: after the transaction commits."""
    transaction.on_commit(lambda: log.info("%s", line))
