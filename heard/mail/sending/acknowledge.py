"""The automatic emails a customer gets while waiting: an acknowledgement, then honest updates.

The acknowledgement of a new request uses their name, restates their problem in their own words
(what happened to them, never what they did or want: the coach's `acknowledgement()`), fits its
opening to the emotion read in their email, and says when a person will reply, computed from the
live queue (`heard.desk.forecast`). At most one goes to an address in 24 hours, and every
automatic email counts against the per-recipient caps (`outbound.queue_automatic`). Each is also
kept on the ticket as a system message, so the agent sees exactly what the customer was told.
The wording lives in data/acknowledgement.toml.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from heard.desk import actions, forecast
from heard.desk.models import Direction, Message, Priority, Ticket
from heard.engine import read
from heard.engine.coaching import acknowledgement
from heard.lib.words import times
from heard.mail import kinds
from heard.mail.kinds import EmailKind
from heard.mail.models import OutboundEmail
from heard.mail.sending import outbound

ONCE_PER = timedelta(hours=24)  # one acknowledgement per sender in this window


def wording() -> dict[str, Any]:
    return kinds.ACKNOWLEDGEMENT.words()


@transaction.atomic
def acknowledge(ticket_id: int) -> OutboundEmail | None:
    """Acknowledge a new ticket by email, unless its sender was acknowledged in the last day."""
    ticket = _ticket(ticket_id)
    first = ticket.messages.filter(direction=Direction.CUSTOMER).order_by("created_at").first()
    return acknowledge_opened(ticket, first, ticket.customer.primary_email())


def acknowledge_opened(
    ticket: Ticket, first: Message | None, address: str, *, answers: str | None = None
) -> OutboundEmail | None:
    """Acknowledge `ticket`, opened by the customer's message `first`, at `address` (their
    primary one), unless that address had an acknowledgement in the last day.

    Filing calls it in the transaction that opens the ticket, with everything loaded (the
    customer, team and assignee with its user); `answers` is the Message-ID of their email
    (`outbound.queue_automatic`). What the checks need is read once, under the address's lock.
    """
    if not address:
        return None
    kind = kinds.ACKNOWLEDGEMENT
    recipient = outbound.recipient_facts(kind, address, ticket.customer)
    last = recipient.last_of_kind
    if last is not None and last >= timezone.now() - ONCE_PER:
        actions.record_event(
            ticket, None, "acknowledgement", note="not sent: this address had one in the last 24 h"
        )
        return None
    expected = forecast.expected_first_reply(ticket)
    text = acknowledgement_text(ticket, first, expected)
    email = _send(ticket, kind, address, text, recipient=recipient, answers=answers)
    if email is not None:  # what it told them, for the honest-promise record (heard.insights)
        actions.record_promise(ticket, expected.at, at=email.created_at)
    return email


@transaction.atomic
def update(ticket_id: int) -> OutboundEmail | None:
    """One honest update for a customer who wrote again unanswered, never a repeated text."""
    ticket = _ticket(ticket_id)
    address = ticket.customer.primary_email()
    if not address or ticket.awaiting_since is None:
        return None
    sent = OutboundEmail.objects.filter(ticket=ticket, kind=kinds.UPDATE.code).values_list(
        "text", flat=True
    )
    for variant in wording()["update"]:
        text = _update_text(ticket, variant["text"])
        if not any(email.startswith(text) for email in sent):  # sent: with its reason line
            return _send(ticket, kinds.UPDATE, address, text)
    actions.record_event(ticket, None, "update", note="not sent: every wording was used already")
    return None


def _ticket(ticket_id: int) -> Ticket:
    """The ticket with what the emails need: customer and addresses, team, assignee."""
    return (
        Ticket.objects.select_related("customer", "team", "assignee__user")
        .prefetch_related("customer__emails")
        .get(pk=ticket_id)
    )


def acknowledgement_text(
    ticket: Ticket, first: Message | None, expected: forecast.Forecast | None = None
) -> str:
    words = wording()
    emotion, urgent = _reading_of(first)
    opening = acknowledgement(
        first.text if first else None, emotion, words["opening"], words["opening_plain"]
    )
    expected = expected or forecast.expected_first_reply(ticket)
    when = words["when"].format(who=who(ticket), when=_when(ticket, expected.at))
    when = when[0].upper() + when[1:]
    promise = [when, words["basis"].format(basis=expected.basis), *_late(ticket, expected.at)]
    paragraphs = [
        _greeting(ticket),
        opening,
        *_deadline(first, words),
        " ".join(promise),
        *_urgency(ticket, urgent, words),
        words["next"].format(reference=ticket.reference),
        _signoff(ticket),
    ]
    return "\n\n".join(paragraphs)


def _update_text(ticket: Ticket, template: str) -> str:
    """The update, re-forecast from the queue as it stands now: it is written after the
    escalation that sends it was committed, so the escalation's care bump (the ticket stands no
    later than now in care order) already counts in who is ahead."""
    expected = forecast.expected_first_reply(ticket)
    body = template.format(
        times=times(ticket.unanswered_count),
        subject=f"“{ticket.subject}”",
        who=who(ticket),
        when=_when(ticket, expected.at),
    )
    body = " ".join([body, *_late(ticket, expected.at)])
    return "\n\n".join([_greeting(ticket), body, _signoff(ticket)])


def _late(ticket: Ticket, expected: datetime) -> list[str]:
    """The "later than we aim" sentence, only when true: the time an email gives is later than
    the ticket's own reply target (the acknowledgement and every update say it alike)."""
    due = ticket.reply_due_at
    if due is None or expected <= due:
        return []
    return [wording()["late"].format(target=_when(ticket, due))]


def _send(
    ticket: Ticket,
    kind: EmailKind,
    address: str,
    text: str,
    *,
    recipient: outbound.Recipient | None = None,
    answers: str | None = None,
) -> OutboundEmail | None:
    """Queue the email (the caps may hold it back) and keep what it said on the ticket."""
    return outbound.queue_automatic(
        kind,
        ticket=ticket,
        to_address=address,
        subject=ticket.subject,
        text=text,
        recipient=recipient,
        keep_on_ticket=True,
        answers=answers,
    )


def _reading_of(message: Message | None) -> tuple[str, bool]:
    """The emotion and urgency of the reading of the customer's email (read now if the job has
    not yet)."""
    if message is None:
        return "neutral", False
    if message.emotion and message.reading is not None:
        return message.emotion, bool(message.reading.get("urgent"))
    reading = read(message.text)
    return str(reading.emotion), reading.urgent


def _deadline(message: Message | None, words: dict[str, Any]) -> list[str]:
    """The customer's own deadline, in their words, when the reading found one."""
    cues = (message.reading or {}).get("cues", []) if message is not None else []
    for cue in cues:
        if cue.get("kind") == "time_pressure" and cue.get("label") in DEADLINE_LABELS:
            text = message.text  # type: ignore[union-attr]
            end = cue["end"]
            if clock := _CLOCK.match(text, end):  # "by tomorrow" + " noon"
                end = clock.end()
            said = text[cue["start"] : end].strip()
            return [words["deadline"].format(deadline=said)] if said else []
    return []


_CLOCK = re.compile(
    r"[ \t]+(?:at[ \t]+)?(?:noon|midday|midnight|morning|afternoon|evening|night|"
    r"\d{1,2}(?:[:.]\d{2})?[ \t]*(?:am|pm)?(?![\w:]))",
    re.IGNORECASE,
)
# Time-pressure cues that set a time (not "asap" or "urgently", nor "today" or "tomorrow"
# merely named: "I ordered this morning"), so they can be quoted back as the customer's own.
DEADLINE_LABELS = frozenset(
    {
        "deadline within hours",
        "needed today",
        "before a fixed event",
        "deadline",
        "by tomorrow",
    }
)


def _urgency(ticket: Ticket, urgent: bool, words: dict[str, Any]) -> list[str]:
    """What the email says of urgency: that the queue marks it so only when its priority does
    (the desk raises the priority of a message that reads urgent)."""
    if not urgent:
        return []
    if ticket.priority in (Priority.HIGH, Priority.URGENT):
        return [words["urgent"].format(priority=ticket.get_priority_display().lower())]
    return [words["urgent_seen"]]


def _greeting(ticket: Ticket) -> str:
    name = ticket.customer.address_name()
    words = wording()
    return words["greeting_named"].format(name=name) if name else words["greeting_plain"]


def who(ticket: Ticket) -> str:
    """'Alice from our Billing team': who will reply, as the customer is told."""
    if ticket.assignee is not None:
        first = ticket.assignee.user.first_name or ticket.assignee.user.get_username()
        return f"{first} from our {ticket.team.name} team"
    return f"someone from our {ticket.team.name} team"


def _when(ticket: Ticket, at: datetime) -> str:
    return forecast.describe(at, timezone.now(), ticket.customer.zone())


def _signoff(ticket: Ticket) -> str:
    return wording()["signoff"].format(team=ticket.team.name, company=settings.HEARD_SUPPORT_NAME)
