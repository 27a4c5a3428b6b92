"""Who must not be greeted now: a cheerful email to someone upset with us reads as not listening.

A customer is held while a ticket of theirs is open and its mood is negative (angry, frustrated,
anxious or disappointed: `heard.desk.care_order.NEGATIVE`), or while their latest message (on
any ticket, open or not) was read as negative. The greeting waits; each run looks again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from heard.desk.care_order import ADJECTIVE, NEGATIVE
from heard.desk.models import (
    ACTIVE_STATUSES,
    Customer,
    Direction,
    Message,
    Ticket,
    format_reference,
)

CHUNK = 500  # customers per query


@dataclass(frozen=True)
class Hold:
    why: str
    ticket_id: int


def holds(customer_ids: Iterable[int]) -> dict[int, Hold]:
    """Why each of these customers must wait, for those who must (a few queries per 500)."""
    found: dict[int, Hold] = {}
    for chunk in _chunks(list(dict.fromkeys(customer_ids))):
        found |= _open_and_unhappy(chunk)
        found |= _latest_negative([pk for pk in chunk if pk not in found])
    return found


def _open_and_unhappy(customer_ids: list[int]) -> dict[int, Hold]:
    tickets = (
        Ticket.objects.filter(
            customer__in=customer_ids,
            status__in=ACTIVE_STATUSES,
            mood__in=NEGATIVE,
            merged_into__isnull=True,
        )
        .order_by("-updated_at", "-pk")
        .values_list("customer_id", "pk", "mood")
    )
    found: dict[int, Hold] = {}
    for customer_id, pk, mood in tickets:
        why = f"{format_reference(pk)} is open and the customer is {ADJECTIVE[mood]}"
        found.setdefault(customer_id, Hold(why, pk))
    return found


def _latest_negative(customer_ids: list[int]) -> dict[int, Hold]:
    if not customer_ids:
        return {}
    latest = Message.objects.filter(
        ticket__customer=OuterRef("pk"), direction=Direction.CUSTOMER
    ).order_by("-created_at", "-pk")
    rows = (
        Customer.objects.filter(pk__in=customer_ids)
        .annotate(latest_ticket=Subquery(latest.values("ticket_id")[:1]))
        .values_list("pk", "latest_ticket")
    )
    by_ticket = {ticket: customer for customer, ticket in rows if ticket is not None}
    moods = Ticket.objects.filter(pk__in=by_ticket, mood__in=NEGATIVE).values_list("pk", "mood")
    found = {}
    for pk, mood in moods:
        why = f"their latest message ({format_reference(pk)}) reads {ADJECTIVE[mood]}"
        found[by_ticket[pk]] = Hold(why, pk)
    return found


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]
