"""The care app's answers to what the desk announces (connected in CareConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

FORGOTTEN = "[removed at the customer's request]"


def forget_customer_care(
    sender: Any, customer_id: int, ticket_ids: list[int], **kwargs: Any
) -> None:
    """A forgotten customer's own words in surveys and follow-ups go; their greetings still to
    come are skipped (sent ones stay, without words of theirs, for the budget's figures)."""
    from heard.care.models import FollowUp, Greeting, Survey
    from heard.care.models.moment import OPEN_STATES, GreetingState
    from heard.care.moments import audit

    Survey.objects.filter(ticket__in=ticket_ids).exclude(comment="").update(comment=FORGOTTEN)
    FollowUp.objects.filter(ticket__in=ticket_ids).exclude(words="").update(words=FORGOTTEN)
    now = timezone.now()
    for greeting in Greeting.objects.filter(customer=customer_id, state__in=OPEN_STATES):
        audit.move(
            greeting,
            GreetingState.SKIPPED,
            from_states=OPEN_STATES,
            at=now,
            why="the customer asked to be forgotten",
        )
