"""Where a customer's request stands, and when a person will reply: honest, in their time.

The expected reply is the live queue's forecast (`heard.desk.forecast`), the same one the
acknowledgement email gives, in the same words (the acknowledgement's wording file): a middle
estimate ("around"), never a deadline. It is said only while the request waits on us; a request
waiting on the customer, answered, solved or closed says so instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from django.utils import timezone

from heard.desk import forecast
from heard.desk.models import Status, Ticket, format_reference
from heard.mail import kinds
from heard.mail.sending import acknowledge


@dataclass(frozen=True)
class Standing:
    """What the request's row and page say: a short state and a sentence or two."""

    state: str
    said: str
    waiting_on_us: bool = False


def standing(ticket: Ticket, now: datetime | None = None) -> Standing:
    """Where `ticket` stands for its customer (load it with its team, assignee and customer)."""
    now = now or timezone.now()
    zone = ticket.customer.zone()
    if ticket.merged_into_id is not None:
        into = format_reference(ticket.merged_into_id)
        return Standing("Merged", f"It was joined to {into}: the conversation goes on there.")
    if ticket.status == Status.CLOSED:
        when = day(ticket.closed_at or ticket.updated_at, zone)
        said = f"Closed on {when}. Writing here starts a new request that follows on from it."
        return Standing("Closed", said)
    if ticket.status == Status.SOLVED:
        when = day(ticket.solved_at or ticket.updated_at, zone)
        return Standing("Solved", f"Solved on {when}. If it isn't, write here: it opens again.")
    if ticket.status == Status.PENDING:
        return Standing("Waiting for your answer", "We are waiting for your answer.")
    if ticket.needs_person():
        said = f"A person from our {ticket.team.name} team will look at it."
        return Standing("With our team", said)
    if ticket.awaiting_since is None:
        return Standing("Answered", "We have answered you. Write here if you need anything else.")
    return Standing("Waiting for our reply", expected_reply(ticket, now, zone), waiting_on_us=True)


def expected_reply(ticket: Ticket, now: datetime, zone: tzinfo) -> str:
    """'Someone from our Billing team will reply to you in about 2 hours. That is worked out
    from our queue as it is now: …' and, when true, that it is later than we aim."""
    words = kinds.ACKNOWLEDGEMENT.words()
    expected = forecast.expected_first_reply(ticket, now)
    at = forecast.describe(expected.at, now, zone)
    when = words["when"].format(who=acknowledge.who(ticket), when=at)
    said = [when[0].upper() + when[1:], words["basis"].format(basis=expected.basis)]
    due = ticket.reply_due_at
    if due is not None and due <= now:
        said.append(f"We meant to reply by {day(due, zone)}, {clock(due, zone)}: we're sorry.")
    elif due is not None and expected.at > due:
        said.append(words["late"].format(target=forecast.describe(due, now, zone)))
    return " ".join(said)


def day(at: datetime, zone: tzinfo) -> str:
    """'3 December 2026' in the customer's time zone."""
    local = at.astimezone(zone)
    return f"{local.day} {local:%B %Y}"


def clock(at: datetime, zone: tzinfo) -> str:
    return f"{at.astimezone(zone):%H:%M} (your time)"
