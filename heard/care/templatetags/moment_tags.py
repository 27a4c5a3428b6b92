"""A customer's greetings on a ticket's page: `{% moments_on_ticket ticket %}`, and `money`."""

from __future__ import annotations

from typing import Any

from django import template

from heard.care.models import Greeting
from heard.care.models import money as _money
from heard.care.moments import overview
from heard.desk.models import ConsentKind, Ticket

register = template.Library()


@register.inclusion_tag("care/_moments.html")
def moments_on_ticket(ticket: Ticket) -> dict[str, Any]:
    """Each greeting still to be sent to the ticket's customer ("Birthday on Friday: greeting
    held while this is open"). Only a customer who agreed to greetings can have one, so for the
    others it asks nothing (the console loads the consent with the ticket)."""
    customer = ticket.customer
    if not customer.has_consent(ConsentKind.BIRTHDAY):
        return {"lines": []}
    greetings = (
        Greeting.objects.filter(customer=customer)
        .open()
        .select_related("moment", "customer")
        .order_by("occasion_date", "pk")
    )
    return {
        "lines": [(overview.on_ticket(g, ticket), g.state == "held") for g in greetings],
    }


@register.filter
def money(cents: int | None, currency: str) -> str:
    """`{{ cents|money:"EUR" }}` → '€3.00'."""
    return _money(cents or 0, currency)
