"""The coach at the agent's elbow: the engine's coach over a draft reply to the ticket's customer
(its result is the coaching: score, dimensions, findings, suggestion; see the README's glossary)."""

from __future__ import annotations

from heard.desk.models import Direction, Ticket
from heard.engine import Coaching, Finding, coach

#: Findings that make Heard ask once before a reply goes out.
SEVERE = "high"


def coach_draft(ticket: Ticket, draft: str) -> Coaching:
    """Coach `draft` as a reply to the customer's latest message on `ticket`, with the emotion
    read in it (an agent's correction included) and the name to greet them with."""
    latest = (
        ticket.messages.filter(direction=Direction.CUSTOMER).order_by("-created_at", "-pk").first()
    )
    reading = latest if latest is not None and latest.emotion else None
    return coach(
        draft,
        customer_message=latest.text if latest else None,
        customer_name=ticket.customer.address_name() or None,
        reading=reading,
    )


def severe_findings(coaching: Coaching) -> list[Finding]:
    return [f for f in coaching.findings if f.severity == SEVERE]
