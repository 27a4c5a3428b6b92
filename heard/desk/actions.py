"""Desk workflows that touch several objects or cause side effects.

`check_*` functions validate and authorise; the others perform the write. Views, commands, jobs and
tests all call these, never `.save()` on a ticket directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from heard.desk import care_order, signals
from heard.desk.errors import DeskError as DeskError  # re-exported: callers catch actions.DeskError
from heard.desk.errors import ErrorCode as ErrorCode
from heard.desk.errors import NotFound as NotFound
from heard.desk.errors import SevereFinding as SevereFinding
from heard.desk.models import (
    ACTIVE_STATUSES,
    Agent,
    Attachment,
    Consent,
    ConsentKind,
    Customer,
    CustomerEmail,
    Direction,
    Emotion,
    Message,
    Notification,
    Priority,
    Role,
    SlaPolicy,
    SlaStage,
    Status,
    Team,
    Ticket,
    TicketEvent,
    TicketQuerySet,
)
from heard.jobs import enqueue

if TYPE_CHECKING:
    from heard.engine import Coaching, Reading

log = logging.getLogger(__name__)

AT_RISK_FRACTION = 0.8  # escalate when only 20% of the reply window is left


#: Who acts: the agent (a person at our end, whatever their role) on whose behalf an action runs,
#: from a page, the API or a command. Actions that Heard itself may run (a job, the watchdog,
#: mail intake) take `Actor | None`, None being Heard itself; where a row stores who acted as a
#: `User`, `_user_of` converts.
Actor = Agent


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _user_of(actor: Actor | None) -> User | None:
    """The user an actor's rows record (TicketEvent.actor, …); None for Heard itself."""
    return actor.user if actor is not None else None


def record_event(
    ticket: Ticket,
    actor: Actor | None,
    what: str,
    before: object = "",
    after: object = "",
    note: str = "",
    at: datetime | None = None,
) -> None:
    TicketEvent.objects.create(
        ticket=ticket,
        actor=_user_of(actor),
        what=what,
        before=str(before),
        after=str(after),
        note=note[:300],
        created_at=_now(at),
    )


# --- customers' consent ----------------------------------------------------------------------


def record_consent(
    customer: Customer,
    kind: str,
    given: bool,
    source: str,
    by: User | None = None,
    at: datetime | None = None,
) -> Consent:
    """Record that the customer gave (`given=True`) or withdrew one consent, and how (`source`:
    "portal", "email", "agent", "admin", "demo", …; `by` the person at our end who recorded it).
    The one way any app changes a consent: each change is a new row, so the history stays. The
    state already in force is not recorded again (the date it was first given stays true);
    the row in force is returned."""
    if kind not in ConsentKind.values:
        raise DeskError(f"There is no consent called {kind!r}.", ErrorCode.INVALID)
    source = source.strip()
    if not source:
        raise DeskError("Say how the consent was given or withdrawn (its source).", ErrorCode.EMPTY)
    with transaction.atomic():
        Customer.objects.select_for_update().filter(pk=customer.pk).first()  # one change at a time
        current = (
            Consent.objects.filter(customer=customer, kind=kind).order_by("-at", "-pk").first()
        )
        if current is not None and current.given == given:
            return current
        change = Consent.objects.create(
            customer=customer, kind=kind, given=given, source=source[:32], by=by, at=_now(at)
        )
        in_force = f"{kind}_consent"
        if current is None or (change.at, change.pk) > (current.at, current.pk):
            setattr(customer, in_force, change)
        else:  # a change recorded late, dated before the one in force: history only
            setattr(customer, in_force, current)
        Customer.objects.filter(pk=customer.pk).update(**{in_force: getattr(customer, in_force)})
    return change


# --- the reply clock -------------------------------------------------------------------------


def _start_clock(ticket: Ticket, start: datetime, target: timedelta) -> None:
    """Set the running reply target `target` business time after `start`, and its check times."""
    calendar = ticket.team.calendar()
    due = calendar.add(start, target)
    ticket.reply_due_at = due
    ticket.sla_warn_at = calendar.point_in(start, due, AT_RISK_FRACTION)
    ticket.sla_check_at = ticket.sla_warn_at
    ticket.sla_stage = SlaStage.RUNNING
    ticket.sla_paused_remaining = None


def _stop_clock(ticket: Ticket) -> None:
    ticket.reply_due_at = None
    ticket.sla_warn_at = None
    ticket.sla_check_at = None
    ticket.sla_stage = SlaStage.RUNNING


def _pause_clock(ticket: Ticket, at: datetime) -> None:
    if ticket.reply_due_at is None:
        return
    ticket.sla_paused_remaining = ticket.team.calendar().between(at, ticket.reply_due_at)
    stage = ticket.sla_stage
    _stop_clock(ticket)
    ticket.sla_stage = stage


def _resume_clock(ticket: Ticket, at: datetime) -> None:
    remaining = ticket.sla_paused_remaining
    if remaining is None:
        return
    stage = ticket.sla_stage
    calendar = ticket.team.calendar()
    due = calendar.add(at, remaining)
    ticket.reply_due_at = due
    ticket.sla_warn_at = calendar.point_in(at, due, AT_RISK_FRACTION)
    ticket.sla_paused_remaining = None
    ticket.sla_stage = stage
    # A stage already escalated is not escalated again after the pause.
    ticket.sla_check_at = {
        SlaStage.RUNNING: ticket.sla_warn_at,
        SlaStage.AT_RISK: due,
    }.get(SlaStage(stage))


def _target(ticket: Ticket) -> timedelta:
    first = ticket.first_responded_at is None
    return SlaPolicy.targets(ticket.team, ticket.priority, first=first)


# --- opening tickets and customer messages ---------------------------------------------------


@transaction.atomic
def open_ticket(
    *,
    customer: Customer,
    team: Team,
    subject: str,
    text: str,
    html: str = "",
    channel: str = "email",
    priority: str = Priority.NORMAL,
    at: datetime | None = None,
    follow_up_of: Ticket | None = None,
    reading: Reading | None = None,
    needs_person: str = "",
) -> Ticket:
    """Open a ticket with the customer's first message, start its clock and assign it.

    `reading` is the engine's reading of `text` when the caller has it already (mail intake
    reads a burst of emails together); otherwise a job reads the message.

    `needs_person` ("this email could not be read") opens a ticket for an agent to look at
    rather than a customer waiting on a reply: no reply clock, no round-robin, nothing read by
    the engine, after every customer in care order, and the row says why ("needs a person: this
    email could not be read"). Once its sender writes words we can read, it is timed as usual.
    """
    at = _now(at)
    ticket = Ticket.objects.create(
        customer=customer,
        team=team,
        subject=subject.strip()[:300] or "(no subject)",
        channel=channel,
        priority=priority,
        created_at=at,
        updated_at=at,
        follow_up_of=follow_up_of,
    )
    message = _customer_message(ticket, text, html, at, reading)
    if needs_person:
        ticket.care_cues = [care_order.needs_person(needs_person)]
    else:
        ticket.awaiting_since = at
        ticket.unanswered_count = 1
        _start_clock(ticket, at, _target(ticket))
        ticket.first_response_due_at = ticket.reply_due_at
        _follow_mood(ticket, message, first=True)
        _escalate_if_asked_for_manager(ticket, at)
    ticket.save()
    record_event(ticket, None, "created", after=ticket.reference, at=at)
    if needs_person:
        note = f"{ticket.care_reason}: no reply clock and no round-robin"
        record_event(ticket, None, "care", note=note, at=at)
    elif team.auto_assign:
        assign_round_robin(ticket, at=at)
    ticket.first_message = message  # type: ignore[attr-defined]  # spares the caller a query
    return ticket


@transaction.atomic
def record_customer_message(
    ticket: Ticket,
    text: str,
    html: str = "",
    at: datetime | None = None,
    reading: Reading | None = None,
) -> Message:
    """Add what the customer wrote; reopens solved tickets and resumes a paused clock.

    A message on a closed ticket opens a follow-up ticket instead, so history stays intact.
    `reading` is as for `open_ticket`.
    """
    at = _now(at)
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket.pk)
    if ticket.merged_into_id is not None:  # a duplicate: its conversation goes on in the other
        merged_into = ticket.merged_into
        assert merged_into is not None
        return record_customer_message(merged_into, text, html, at, reading)
    if ticket.status == Status.CLOSED:
        follow_up = open_ticket(
            customer=ticket.customer,
            team=ticket.team,
            subject=ticket.subject,
            text=text,
            html=html,
            channel=ticket.channel,
            priority=ticket.priority,
            at=at,
            follow_up_of=ticket,
            reading=reading,
        )
        return follow_up.first_message  # type: ignore[attr-defined,no-any-return]
    message = _customer_message(ticket, text, html, at, reading)
    if ticket.needs_person():  # its sender wrote words we can read: now they wait on a reply
        ticket.care_cues = [c for c in ticket.care_cues if c != ticket.needs_person()]
    before = ticket.status
    if ticket.status in (Status.SOLVED, Status.PENDING):
        ticket.status = Status.OPEN
        ticket.solved_at = None
        record_event(ticket, None, "status", before, ticket.status, "the customer wrote", at=at)
    if ticket.awaiting_since is None:
        ticket.awaiting_since = at
    ticket.unanswered_count += 1
    if ticket.sla_paused_remaining is not None:
        _resume_clock(ticket, at)
    elif ticket.reply_due_at is None:
        _start_clock(ticket, at, _target(ticket))
        if ticket.first_responded_at is not None:
            ticket.next_response_due_at = ticket.reply_due_at
    ticket.updated_at = at
    _follow_mood(ticket, message)
    _escalate_if_asked_for_manager(ticket, at)
    ticket.save()
    return message


def _customer_message(
    ticket: Ticket, text: str, html: str, at: datetime, reading: Reading | None
) -> Message:
    read = {}
    if reading is not None:
        reading = in_conversation(ticket, reading, at)
        read = {"reading": reading_as_json(reading), "emotion": str(reading.emotion)}
    return Message.objects.create(
        ticket=ticket, direction=Direction.CUSTOMER, text=text, html=html, created_at=at, **read
    )


def _follow_mood(ticket: Ticket, message: Message, first: bool = False) -> None:
    """The ticket's mood follows the customer's words: set here (the caller saves the ticket)
    when they came read, else once a job has read them."""
    if not message.emotion:
        from heard.desk.tasks import read_message  # tasks import this module

        enqueue(read_message, message.pk)
        return
    previous = None if first else _read_messages(ticket).exclude(pk=message.pk).first()
    _set_mood(ticket, message, previous)


# --- reading the customer --------------------------------------------------------------------

#: How far back a message's conversation is looked at for its context.
CONTEXT_LOOKBACK = 20


def in_conversation(
    ticket: Ticket, reading: Reading, at: datetime, message_id: int | None = None
) -> Reading:
    """`reading` of a customer message written at `at` on `ticket`, moved by the conversation
    before it as the engine's `in_context` says: the previous customer message's stored scores,
    and how many customer messages were already waiting for an answer."""
    from heard.engine import in_context

    earlier = ticket.messages.filter(direction__in=(Direction.CUSTOMER, Direction.AGENT))
    if message_id is None:
        earlier = earlier.filter(created_at__lte=at)
    else:
        earlier = earlier.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=message_id))
    waiting, answered, previous = 0, False, None
    rows = earlier.order_by("-created_at", "-pk").values_list("direction", "reading")
    for direction, stored in rows[:CONTEXT_LOOKBACK]:
        if direction == Direction.AGENT:
            answered = True
            continue
        waiting += not answered
        if previous is None and stored and stored.get("scores"):
            previous = stored["scores"]
        if answered and previous is not None:
            break
    return in_context(reading, previous, waiting)


# Writing again is not among them: the row tells it from the count of unanswered messages.
CARE_CUE_KINDS = ("time_pressure", "money", "blocked", "leaving", "loyalty")


def reading_as_json(reading: Reading) -> dict[str, object]:
    """What a message keeps of the engine's reading (enough to show and to re-rank)."""
    return {
        "scores": {str(k): round(v, 4) for k, v in reading.scores.items()},
        "confidence": round(reading.confidence, 4),
        "urgent": reading.urgent,
        "urgency": round(reading.urgency, 4),
        "churn_risk": round(reading.churn_risk, 4),
        "cues": [
            {"start": c.start, "end": c.end, "label": c.label, "kind": c.kind, "weight": c.weight}
            for c in reading.cues
        ],
        "language_supported": reading.language_supported,
        "note": reading.note,
    }


def read_customer_message(message_id: int) -> None:
    """Read one customer message with the engine and let the ticket's mood follow."""
    read_customer_messages(Message.objects.filter(pk=message_id, direction=Direction.CUSTOMER))


def read_customer_messages(messages: QuerySet[Message], batch: int = 64) -> int:
    """Read many customer messages, committing a batch at a time; returns how many were read.

    An agent's correction is never overwritten by a reading that arrives later.
    """
    from heard.engine import read_many

    done = 0
    pending = list(
        messages.filter(emotion_corrected_at__isnull=True)
        .select_related("ticket")
        .order_by("created_at", "pk")
    )
    for start in range(0, len(pending), batch):
        chunk = pending[start : start + batch]
        readings = read_many([message.text for message in chunk])
        with transaction.atomic():
            tickets = set()
            for message, reading in zip(chunk, readings, strict=True):
                reading = in_conversation(message.ticket, reading, message.created_at, message.pk)
                done += Message.objects.filter(
                    pk=message.pk, emotion_corrected_at__isnull=True
                ).update(reading=reading_as_json(reading), emotion=str(reading.emotion))
                tickets.add(message.ticket_id)
            for ticket_id in sorted(tickets):
                refresh_mood(ticket_id)
    return done


@transaction.atomic
def correct_emotion(message: Message, agent: Actor, emotion: str) -> Message:
    """An agent's reading of the customer wins over the engine's and re-ranks the ticket."""
    if emotion not in Emotion.values:
        raise DeskError(
            f"'{emotion}' is not one of the emotions Heard tells apart.", ErrorCode.INVALID
        )
    if message.direction != Direction.CUSTOMER:
        raise DeskError("Only the customer's own messages carry an emotion.", ErrorCode.INVALID)
    before = message.emotion or "unread"
    message.emotion = emotion
    message.emotion_corrected_by = agent.user
    message.emotion_corrected_at = timezone.now()
    message.save(update_fields=["emotion", "emotion_corrected_by", "emotion_corrected_at"])
    record_event(message.ticket, agent, "mood corrected", before, emotion)
    refresh_mood(message.ticket_id)
    return message


def refresh_mood(ticket_id: int) -> None:
    """Set the ticket's mood, trend, urgency and churn risk from its latest read messages, and
    escalate it if a message just read asks for a manager."""
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket_id)
    read = list(_read_messages(ticket)[:2])
    if not read:
        return
    raised = _set_mood(ticket, read[0], read[1] if len(read) > 1 else None)
    escalated = _escalate_if_asked_for_manager(ticket, timezone.now())
    ticket.save(
        update_fields=MOOD_FIELDS
        + (MANAGER_ESCALATION_FIELDS if escalated else [])
        + (PRIORITY_FIELDS if raised else [])
    )


MOOD_FIELDS = ["mood", "mood_confidence", "mood_trend", "urgency", "churn_risk", "care_cues"]
PRIORITY_FIELDS = [
    "priority",
    "reply_due_at",
    "sla_warn_at",
    "sla_check_at",
    "sla_stage",
    "sla_paused_remaining",
    "first_response_due_at",
    "next_response_due_at",
]


def _read_messages(ticket: Ticket) -> QuerySet[Message]:
    """The customer's messages that carry an emotion, latest first."""
    return (
        ticket.messages.filter(direction=Direction.CUSTOMER)
        .exclude(emotion="")
        .order_by("-created_at", "-pk")
    )


def _set_mood(ticket: Ticket, latest: Message, previous: Message | None) -> bool:
    """Set the ticket's mood from its latest read message; a message that reads urgent raises
    a lower priority to high, so that what the acknowledgement says of it is true. Returns
    whether it did (the caller saves the ticket)."""
    reading = latest.reading or {}
    ticket.mood = latest.emotion
    ticket.mood_confidence = latest.emotion_confidence()
    answered = previous is not None and (
        ticket.messages.filter(
            direction=Direction.AGENT,
            created_at__gte=previous.created_at,
            created_at__lte=latest.created_at,
        ).exists()
    )
    ticket.mood_trend = care_order.mood_trend(
        previous.emotion_scores() if previous else None,
        latest.emotion_scores(),
        answered=answered,
    )
    ticket.urgency = float(reading.get("urgency", 0.0))
    ticket.churn_risk = float(reading.get("churn_risk", 0.0))
    cues = [c for c in reading.get("cues", []) if c.get("kind") in CARE_CUE_KINDS]
    kept = [ticket.needs_person()] if ticket.needs_person() else []  # a message read again
    ticket.care_cues = kept + [c["label"] for c in sorted(cues, key=lambda c: -c.get("weight", 0))]
    return _raise_if_urgent(ticket, latest)


URGENT_PRIORITIES = (Priority.HIGH, Priority.URGENT)


def _raise_if_urgent(ticket: Ticket, latest: Message) -> bool:
    """An urgent reading (not an agent's correction) raises the priority to high, audited."""
    urgent = bool((latest.reading or {}).get("urgent")) and latest.emotion_corrected_at is None
    if not urgent or ticket.priority in URGENT_PRIORITIES or latest.direction != Direction.CUSTOMER:
        return False
    before = ticket.priority
    _retarget(ticket, Priority.HIGH)
    note = "the customer's message reads urgent"
    record_event(ticket, None, "priority", before, ticket.priority, note)
    return True


# --- agents' words ---------------------------------------------------------------------------


def check_ticket_access(
    actor: Actor, ticket_id: int, tickets: QuerySet[Ticket] | None = None
) -> Ticket:
    """The ticket `ticket_id` if the actor may see and work on it: it is in one of their teams
    (an administrator's, any team). Otherwise `NotFound` (code "not_found"), the same for
    another team's ticket as for no ticket at all, so nobody learns that it exists.

    `tickets` is the query to load it with (its joins and annotations, say); it is narrowed here
    to what the actor may see, in the same single query."""
    query = tickets if tickets is not None else Ticket.objects.all()
    ticket = (query & Ticket.objects.visible_to(actor)).filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound("No such ticket in your teams.")
    return ticket


def check_can_reply(ticket: Ticket, actor: Actor, text: str) -> None:
    if not text.strip():
        raise DeskError(
            "The reply is empty: write something for the customer first.", ErrorCode.EMPTY
        )
    limit = settings.HEARD_MAX_REPLY_CHARS
    if len(text) > limit:
        raise DeskError(
            f"The reply is {len(text):,} characters long; one reply may carry at most "
            f"{limit:,}. Nothing was sent: shorten it (a long log or document can go as a link).",
            ErrorCode.TOO_LONG,
        )
    if ticket.status == Status.CLOSED:
        raise DeskError(
            f"{ticket.reference} is closed; the customer's next message opens a follow-up.",
            ErrorCode.CLOSED,
        )


def check_send(ticket: Ticket, actor: Actor, text: str, send_anyway: bool = False) -> Coaching:
    """Whether this reply may go out, and the coach's judgement of it.

    First `check_can_reply` (empty, too long, closed: refused before the coach reads it). Then
    the coach: a reply with a severe finding (severity high) is held once, `SevereFinding`
    (code "severe_finding") carrying the coaching and those findings, unless the agent chose to
    `send_anyway`; `post_agent_reply` then records which findings it was sent despite."""
    from heard.desk.coach import coach_draft, severe_findings  # the engine loads on first use

    check_can_reply(ticket, actor, text)
    coaching = coach_draft(ticket, text)
    severe = severe_findings(coaching)
    if severe and not send_anyway:
        raise SevereFinding(coaching, severe)
    return coaching


@transaction.atomic
def post_agent_reply(
    ticket: Ticket,
    agent: Actor,
    text: str,
    *,
    status: str | None = None,
    html: str = "",
    at: datetime | None = None,
    send_anyway: bool = False,
) -> Message:
    """Send the customer an agent's reply: stops the clock and clears the escalation.

    Every reply passes `check_send`, whoever sends it: a severe finding of the coach holds it
    (`SevereFinding`) unless `send_anyway`, and then the history records which findings it was
    sent despite."""
    at = _now(at)
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket.pk)
    from heard.desk.coach import severe_findings

    coaching = check_send(ticket, agent, text, send_anyway)
    despite = sorted({f.code for f in severe_findings(coaching)})
    if status is not None:
        check_status_change(ticket, status, allow_same=True)
    message = Message.objects.create(
        ticket=ticket,
        direction=Direction.AGENT,
        author=agent.user,
        text=text,
        html=html,
        created_at=at,
    )
    if ticket.first_responded_at is None:
        ticket.first_responded_at = at
    ticket.awaiting_since = None
    ticket.unanswered_count = 0
    ticket.repeat_escalated = False
    ticket.manager_escalated = False
    ticket.next_response_due_at = None
    ticket.sla_paused_remaining = None
    _stop_clock(ticket)
    if ticket.escalated:
        record_event(ticket, agent, "escalation", ticket.escalation_reason, "", "answered", at=at)
        ticket.escalated = False
        ticket.escalation_reason = ""
    if ticket.assignee_id is None:
        record_event(ticket, agent, "assignee", "", agent, at=at)
        ticket.assignee = agent
    new_status = status or (Status.OPEN if ticket.status == Status.NEW else ticket.status)
    _set_status(ticket, agent, new_status, at)
    ticket.updated_at = at
    ticket.save()
    if despite:
        note = "sent anyway, despite: " + ", ".join(despite)
        record_event(ticket, agent, "coach", note=note, at=at)
    signals.agent_replied.send(sender=Message, message=message)
    return message


@transaction.atomic
def add_internal_note(
    ticket: Ticket, agent: Actor, text: str, at: datetime | None = None
) -> Message:
    if not text.strip():
        raise DeskError("The note is empty.", ErrorCode.EMPTY)
    at = _now(at)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=at)
    return Message.objects.create(
        ticket=ticket, direction=Direction.NOTE, author=agent.user, text=text, created_at=at
    )


# --- status, priority, assignment ------------------------------------------------------------


def check_status_change(ticket: Ticket, status: str, *, allow_same: bool = False) -> None:
    if status not in Status.values:
        raise DeskError(f"'{status}' is not a ticket status.", ErrorCode.INVALID)
    if allow_same and status == ticket.status:
        return
    if not ticket.can_move_to(status):
        raise DeskError(
            f"{ticket.reference} cannot go from {Status(ticket.status).label.lower()} to "
            f"{Status(status).label.lower()}.",
            ErrorCode.TRANSITION,
        )


def _set_status(ticket: Ticket, actor: Actor | None, status: str, at: datetime) -> None:
    before = ticket.status
    if status == before:
        return
    ticket.status = status
    if status == Status.PENDING:
        _pause_clock(ticket, at)
    elif before == Status.PENDING and status == Status.OPEN:
        _resume_clock(ticket, at)
    if status in (Status.SOLVED, Status.CLOSED):
        _stop_clock(ticket)
        ticket.sla_paused_remaining = None
        ticket.escalated = False
    ticket.solved_at = at if status == Status.SOLVED else ticket.solved_at
    if status == Status.CLOSED:
        ticket.closed_at = at
    record_event(ticket, actor, "status", before, status, at=at)


@transaction.atomic
def change_status(
    ticket: Ticket, actor: Actor | None, status: str, at: datetime | None = None
) -> Ticket:
    at = _now(at)
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket.pk)
    check_status_change(ticket, status)
    _set_status(ticket, actor, status, at)
    ticket.updated_at = at
    ticket.save()
    return ticket


@transaction.atomic
def update_ticket(
    ticket: Ticket, actor: Actor | None, status: str, priority: str, assignee: Agent | None
) -> Ticket:
    """The ticket form: what changed of status, priority and assignee, all or none of it."""
    if status != ticket.status:
        ticket = change_status(ticket, actor, status)
    if priority != ticket.priority:
        ticket = change_priority(ticket, actor, priority)
    if assignee != ticket.assignee:
        ticket = assign(ticket, actor, assignee)
    return ticket


@transaction.atomic
def change_priority(
    ticket: Ticket, actor: Actor | None, priority: str, at: datetime | None = None
) -> Ticket:
    """Re-triage: a new priority recomputes the running reply target from when the wait began."""
    if priority not in Priority.values:
        raise DeskError(f"'{priority}' is not a priority.", ErrorCode.INVALID)
    at = _now(at)
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket.pk)
    before = ticket.priority
    if before == priority:
        return ticket
    _retarget(ticket, Priority(priority))
    record_event(ticket, actor, "priority", before, priority, at=at)
    ticket.updated_at = at
    ticket.save()
    return ticket


def _retarget(ticket: Ticket, priority: Priority) -> None:
    """Set the priority and recompute the running reply target from when the wait began (the
    caller saves the ticket)."""
    ticket.priority = priority
    if ticket.reply_due_at is not None and ticket.awaiting_since is not None:
        _start_clock(ticket, ticket.awaiting_since, _target(ticket))
        if ticket.first_responded_at is None:
            ticket.first_response_due_at = ticket.reply_due_at
        else:
            ticket.next_response_due_at = ticket.reply_due_at


def check_assignee(ticket: Ticket, agent: Agent | None) -> None:
    if agent is not None and not agent.teams.filter(pk=ticket.team_id).exists():
        raise DeskError(f"{agent} is not in the {ticket.team} team.", ErrorCode.NOT_IN_TEAM)


@transaction.atomic
def assign(
    ticket: Ticket, actor: Actor | None, agent: Agent | None, at: datetime | None = None
) -> Ticket:
    """Manual (re)assignment; None unassigns."""
    check_assignee(ticket, agent)
    at = _now(at)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    before = ticket.assignee
    if before == agent:
        return ticket
    ticket.assignee = agent
    ticket.updated_at = at
    ticket.save(update_fields=["assignee", "updated_at"])
    record_event(ticket, actor, "assignee", before or "", agent or "", at=at)
    return ticket


def check_move(ticket: Ticket, team: Team, agent: Actor) -> None:
    """An agent of the ticket's team or of the new one, or a lead or administrator, may move an
    open ticket to another team."""
    if (
        agent.role not in (Role.LEAD, Role.ADMIN)
        and not agent.teams.filter(pk__in=[ticket.team_id, team.pk]).exists()
    ):
        raise DeskError(
            f"Only an agent of {ticket.team} or {team}, or a lead, may move it.",
            ErrorCode.NOT_ALLOWED,
        )
    if team.pk == ticket.team_id:
        raise DeskError(f"{ticket.reference} is in the {team} team already.", ErrorCode.SAME_TEAM)
    if ticket.status == Status.CLOSED:
        raise DeskError(
            f"{ticket.reference} is closed; it stays where it was answered.", ErrorCode.CLOSED
        )


@transaction.atomic
def move_ticket(
    ticket: Ticket, team: Team, agent: Actor, reason: str = "", at: datetime | None = None
) -> Ticket:
    """Re-route a ticket to another team: its running reply clock is recomputed from when the
    wait began with the new team's calendar and targets, an assignee who is not in the new team
    is cleared (and the new team's round-robin picks someone if it assigns automatically), and
    the move is audited with its reason."""
    at = _now(at)
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket.pk)
    check_move(ticket, team, agent)
    before = ticket.team
    ticket.team = team
    _retarget(ticket, Priority(ticket.priority))  # the new team's calendar and SLA policy
    ticket.updated_at = at
    foreign = (
        ticket.assignee_id is not None and not team.agents.filter(pk=ticket.assignee_id).exists()
    )
    if foreign:
        record_event(ticket, agent, "assignee", ticket.assignee, "", f"not in {team}", at=at)
        ticket.assignee = None
    ticket.save()  # care_at follows the new target
    record_event(ticket, agent, "team", before, team, reason.strip(), at=at)
    if (
        ticket.assignee_id is None
        and team.auto_assign
        and ticket.is_active()
        and not ticket.needs_person()
    ):
        assign_round_robin(ticket, at=at)
    return ticket


def open_ticket_counts(team: Team) -> dict[int, int]:
    from django.db.models import Count, Q

    rows = Agent.objects.filter(teams=team).annotate(
        open_count=Count("tickets", filter=Q(tickets__status__in=ACTIVE_STATUSES))
    )
    return {agent.pk: agent.open_count for agent in rows}  # type: ignore[attr-defined]


@transaction.atomic
def assign_round_robin(ticket: Ticket, at: datetime | None = None) -> Agent | None:
    """Give the ticket to the team's agent assigned longest ago who still has capacity.

    The team row is locked so two tickets arriving at once go to two different agents.
    """
    at = _now(at)
    Team.objects.select_for_update().filter(pk=ticket.team_id).first()
    counts = open_ticket_counts(ticket.team)
    candidates = Agent.objects.filter(
        teams=ticket.team, accepts_assignments=True, user__is_active=True
    ).order_by(F("last_assigned_at").asc(nulls_first=True), "pk")
    for agent in candidates:
        if counts.get(agent.pk, 0) < agent.max_open_tickets:
            Agent.objects.filter(pk=agent.pk).update(last_assigned_at=at)
            Ticket.objects.filter(pk=ticket.pk).update(assignee=agent)
            ticket.assignee = agent
            record_event(ticket, None, "assignee", "", agent, "round-robin", at=at)
            return agent
    return None


# --- escalation and the watchdog -------------------------------------------------------------


WATCHDOG_BATCH = 500
EscalationRule = Callable[[Ticket, datetime], str]  # updates the ticket, returns why


# care_at and care_reason: the escalation's care bump (heard.desk.care_order), also written by
# the watchdog's bulk update, which does not go through Ticket.save().
ESCALATION_FIELDS = [
    "priority",
    "escalated",
    "escalation_reason",
    "escalated_at",
    "care_at",
    "care_reason",
]


def _apply_escalation(
    ticket: Ticket, reason: str, at: datetime
) -> tuple[list[TicketEvent], list[Notification]]:
    """Escalate in memory; return the audit row and the lead's notice, still to be written.

    The priority goes up one step without moving the running reply target, and the ticket gets
    the care bump: it stands in care order no later than now (heard.desk.care_order), so the
    forecast made afterwards (the update email) counts only who is still before it."""
    before = ticket.priority
    ticket.priority = Priority(before).raised()
    ticket.escalated = True
    ticket.escalation_reason = reason[:300]
    ticket.escalated_at = at
    ticket.refresh_care()
    event = TicketEvent(
        ticket=ticket,
        what="escalated",
        before=before,
        after=ticket.priority,
        note=reason[:300],
        created_at=at,
    )
    lead = ticket.team.lead
    notices = []
    if lead is not None:
        notices.append(
            Notification(
                recipient=lead,
                ticket=ticket,
                text=f"{ticket.reference} escalated: {reason}"[:300],
                created_at=at,
            )
        )
    return [event], notices


def _notify_escalations(events: list[TicketEvent], notices: list[Notification]) -> None:
    """Write the audit rows and the leads' notices, and announce each escalation (the mail app
    emails the lead, once the transaction commits)."""
    TicketEvent.objects.bulk_create(events)
    Notification.objects.bulk_create(notices)
    for notice in notices:
        reason = notice.ticket.escalation_reason  # type: ignore[union-attr]
        signals.ticket_escalated.send(
            sender=Ticket, ticket_id=notice.ticket_id, lead_id=notice.recipient_id, reason=reason
        )


def _in_team_time(ticket: Ticket, moment: datetime) -> str:
    """'Mon 30 Nov 17:00 CET': a time written into a reason, in the team's own zone (the lead
    reads it as the team lives it, never in UTC)."""
    try:
        zone = ZoneInfo(ticket.team.time_zone or "UTC")
    except (ValueError, ZoneInfoNotFoundError):
        zone = ZoneInfo("UTC")
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %H:%M} {local.tzname()}"


def _sla_escalation(ticket: Ticket, now: datetime) -> str:
    """Move the clock's watch to its next stage and say why it escalates now."""
    due = ticket.reply_due_at
    kind = "first response" if ticket.first_responded_at is None else "next response"
    if due is None or now >= due:
        ticket.sla_check_at, ticket.sla_stage = None, SlaStage.BREACHED
        when = f" (was due {_in_team_time(ticket, due)})" if due else ""
        return f"{kind} target breached{when}"
    ticket.sla_check_at, ticket.sla_stage = due, SlaStage.AT_RISK
    return f"{kind} target at risk: less than 20% of the time left"


def _repeat_escalation(ticket: Ticket, now: datetime) -> str:
    ticket.repeat_escalated = True
    return f"the customer wrote {ticket.unanswered_count} times without an answer"


MANAGER_REASON = "the customer asked for a manager"
MANAGER_ESCALATION_FIELDS = ["manager_escalated", *ESCALATION_FIELDS]


def _escalate_if_asked_for_manager(ticket: Ticket, at: datetime) -> bool:
    """Escalate at once (the caller saves the locked ticket) when a message the customer is still
    waiting on us to answer asks for a manager; returns whether it did.

    It fires once until an agent answers, like the watchdog's reasons, so a message read again
    (a job run twice, `heard reread`) or a second request in the same wait never escalates twice,
    and an answered request is never escalated again.
    """
    if not ticket.may_escalate_for_manager():
        return False
    unanswered = ticket.messages.filter(
        direction=Direction.CUSTOMER, created_at__gte=ticket.awaiting_since
    ).only("reading")
    if not any(message.asks_for_manager() for message in unanswered):
        return False
    ticket.manager_escalated = True
    _notify_escalations(*_apply_escalation(ticket, MANAGER_REASON, at))
    return True


def _escalate_batch(
    candidates: TicketQuerySet, rule: EscalationRule, fields: list[str], now: datetime
) -> int:
    """Claim up to WATCHDOG_BATCH candidates and escalate them; returns how many.

    Rows are locked with SKIP LOCKED, so a second watchdog running at the same moment takes
    other rows, and the candidate filter is evaluated again under the lock, so a row another
    pass already escalated is no longer a candidate. (SQLite serialises write transactions.)
    """
    with transaction.atomic():
        batch = list(
            candidates.select_for_update(skip_locked=True, of=("self",))
            .select_related("team__lead")
            .order_by("pk")[:WATCHDOG_BATCH]
        )
        events: list[TicketEvent] = []
        notices: list[Notification] = []
        for ticket in batch:
            reason = rule(ticket, now)
            more_events, more_notices = _apply_escalation(ticket, reason, now)
            events += more_events
            notices += more_notices
        Ticket.objects.bulk_update(batch, fields + ESCALATION_FIELDS)
        _notify_escalations(events, notices)
        if rule is _repeat_escalation and batch:
            signals.written_again_unanswered.send(
                sender=Ticket, ticket_ids=[ticket.pk for ticket in batch]
            )
    return len(batch)


def run_watchdog(now: datetime | None = None) -> int:
    """One watchdog pass over every active ticket; returns how many escalations fired.

    (a) the customer wrote again with no reply since their previous message;
    (b) the reply clock has less than 20% of its time left, or is breached.
    Each fires once per episode, also with two watchdogs running at once.
    """
    now = _now(now)
    fired = 0
    rules = [
        (Ticket.objects.written_again_unanswered(), _repeat_escalation, ["repeat_escalated"]),
        (Ticket.objects.sla_due_for_check(now), _sla_escalation, ["sla_check_at", "sla_stage"]),
    ]
    for candidates, rule, fields in rules:
        while count := _escalate_batch(candidates, rule, fields, now):
            fired += count
    return fired


@transaction.atomic
def merge_tickets(
    duplicate: Ticket, into: Ticket, agent: Actor, at: datetime | None = None
) -> Ticket:
    """Move a duplicate's conversation into another ticket of the same customer and close it;
    whatever the customer writes to the duplicate later lands in the other ticket."""
    at = _now(at)
    locked = (
        Ticket.objects.select_for_update().select_related("team").in_bulk([duplicate.pk, into.pk])
    )
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    if duplicate.pk == into.pk:
        raise DeskError("A ticket cannot be merged into itself.", ErrorCode.BAD_MERGE)
    if duplicate.customer_id != into.customer_id:
        raise DeskError("Only tickets of the same customer can be merged.", ErrorCode.BAD_MERGE)
    if Status.CLOSED in (duplicate.status, into.status):
        raise DeskError("A closed ticket cannot be merged.", ErrorCode.CLOSED)
    Message.objects.filter(ticket=duplicate).update(ticket=into)
    if duplicate.awaiting_since is not None:
        into.awaiting_since = min(filter(None, [into.awaiting_since, duplicate.awaiting_since]))
        into.unanswered_count += duplicate.unanswered_count
        # A request for a manager the duplicate was escalated for is not escalated again.
        into.manager_escalated = into.manager_escalated or duplicate.manager_escalated
        if into.reply_due_at is None and into.sla_paused_remaining is None:
            _start_clock(into, into.awaiting_since, _target(into))
    into.updated_at = at
    into.save()
    record_event(into, agent, "merged", duplicate.reference, into.reference, at=at)
    duplicate.merged_into = into
    _set_status(duplicate, agent, Status.CLOSED, at)
    duplicate.awaiting_since, duplicate.unanswered_count = None, 0
    duplicate.save()
    record_event(duplicate, agent, "merged", duplicate.reference, into.reference, at=at)
    signals.tickets_merged.send(sender=Ticket, duplicate_id=duplicate.pk, into_id=into.pk)
    refresh_mood(into.pk)
    return Ticket.objects.get(pk=into.pk)


def close_solved_tickets(now: datetime | None = None) -> int:
    """Close tickets solved more than HEARD_AUTO_CLOSE_DAYS ago."""
    now = _now(now)
    cutoff = now - timedelta(days=settings.HEARD_AUTO_CLOSE_DAYS)
    closed = 0
    for pk in Ticket.objects.filter(status=Status.SOLVED, solved_at__lte=cutoff).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().filter(pk=pk, status=Status.SOLVED).first()
            if ticket is None:
                continue
            _set_status(ticket, None, Status.CLOSED, now)
            ticket.save()
            closed += 1
    return closed


# --- what other apps write on the desk (they never write its rows themselves) ------------------


def find_or_create_customer(address: str, name: str, time_zone: str = "UTC") -> Customer:
    """The customer with this address; an address never seen becomes a new customer, `name`d,
    with it as their primary address. Two jobs filing the same new sender at once make one."""
    address = address.strip().lower()
    known = CustomerEmail.objects.select_related("customer").filter(address=address).first()
    if known is not None:
        return known.customer
    try:
        with transaction.atomic():
            customer = Customer.objects.create(
                name=name.strip()[:200] or address[:200], time_zone=time_zone
            )
            CustomerEmail.objects.create(customer=customer, address=address, is_primary=True)
            return customer
    except IntegrityError:  # made by the other job in the meantime
        return CustomerEmail.objects.select_related("customer").get(address=address).customer


UNKNOWN_SENDER = "Unknown sender"


def find_or_create_unknown_sender() -> Customer:
    """The one customer that stands for senders nobody could read (unreadable email)."""
    customer, _ = Customer.objects.get_or_create(
        name=UNKNOWN_SENDER, defaults={"notes": "Emails whose sender could not be read."}
    )
    return customer


def mark_addresses_bouncing(addresses: Iterable[str]) -> int:
    """Customers' addresses that mail bounced from: no automatic mail goes to them any more.
    Returns how many known addresses were marked."""
    lowered = [address.strip().lower() for address in addresses]
    return CustomerEmail.objects.filter(address__in=lowered).update(bouncing=True)


def default_team() -> Team:
    """Where work nobody routed waits: the triage team, else the first team, else (a desk with
    no team yet) a team "Support" made for it."""
    team = Team.objects.order_by("-is_triage", "pk").first()
    if team is None:
        team, _ = Team.objects.get_or_create(slug="support", defaults={"name": "Support"})
    return team


def add_attachment(
    message: Message, filename: str, content_type: str, size: int, content: bytes | None
) -> Attachment:
    """Keep a file that came with a customer's message; `content` None lists one too large to
    keep by name and size alone (the raw email still holds it)."""
    name = (filename or "attachment").replace("/", "_")[:200]
    attachment = Attachment(message=message, filename=name, content_type=content_type, size=size)
    if content is not None:
        attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def record_system_message(ticket: Ticket, text: str, at: datetime | None = None) -> Message:
    """Keep on the ticket what Heard itself wrote to the customer (an acknowledgement, an
    update): it shows in the conversation, and moves no clock."""
    return Message.objects.create(
        ticket=ticket, direction=Direction.SYSTEM, text=text, created_at=_now(at)
    )


def notify(
    recipient_ids: Iterable[int | None],
    ticket: Ticket | None,
    text: str,
    at: datetime | None = None,
) -> list[Notification]:
    """An in-app notice to each of these users (ids; None and repeats are skipped), e.g. the
    people who helped on a ticket whose customer answered a survey unhappily."""
    at = _now(at)
    ids = list(dict.fromkeys(pk for pk in recipient_ids if pk is not None))
    return Notification.objects.bulk_create(
        Notification(recipient_id=pk, ticket=ticket, text=text[:300], created_at=at) for pk in ids
    )


def mark_notifications_read(user: User, at: datetime | None = None) -> int:
    """Mark every unread notice of this user read; returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return unread.update(read_at=_now(at))
