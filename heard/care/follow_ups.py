"""Follow-ups: one short, personal "is it better now?" some days after a ticket is solved.

Who is asked. A customer who agreed to follow-ups (a `Consent` of kind follow_up in force,
recorded by `heard.desk.actions.record_consent`; never asked is no) gets one check-in on a
solved ticket of a team that sends them (`Team.follow_up_days`; empty: none). The days are
calendar days as the customer lives them: a ticket solved on a Monday, at whatever hour, with 3
days, is asked on the Thursday from 09:00 in the customer's time zone, and never in their night
(`FRIENDLY_HOURS`). A ticket is asked once, and not at all when
- it was reopened since it was solved (or merged into another);
- the customer already confirmed it works: their latest message, written after an agent
  answered, reads as happiness ("Thanks, that did it!"), or they were already sent the survey
  on it (asked how it went; twice would be a pest);
- the check-in would come more than `OFFER_WITHIN` late (a desk that turns follow-ups on, or a
  customer who agrees later, does not get emails about old history).

The email (`kinds.FOLLOW_UP`) names what was solved (the ticket's subject), is signed by the
agent who helped (the assignee's first name, else the team), and offers three answers; each link
opens a page where pressing Send answers, because mail scanners follow links. It is automatic
mail: capped, never to a bouncing address, and replying to it reopens the ticket. It ends with
why it was sent (the day they agreed) and a link that withdraws the consent.

Answers (`answer`).
- Better now: a solved ticket is closed (a desk action), and only then may the satisfaction
  survey come: `heard.care.surveys.due` holds it until a follow-up is answered "better", and
  the survey's job offers it at its next run.
- Not yet, still broken: the answer and the customer's words become their message on the ticket
  (read by the engine like any), which reopens it (a closed one goes on in a follow-up ticket,
  the desk's rule for closed tickets). It goes back to the agent who helped while they are
  active in the team (else as the team assigns new work), is escalated (the care bump, and its
  lead told) and the agent is notified in the app.
- Answering twice: the customer may change their answer while the links work
  (`HEARD_FOLLOW_UP_DAYS_OPEN`), each change in the ticket's history. A worse answer always
  reaches the agent again; a later "better" closes only a ticket that is still solved, never
  one that is open again (the agent is told and decides). The same answer with the same words
  again (a double click) changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from heard.care import kinds, signals
from heard.care.models import Answer, FollowUp
from heard.care.offers import offer_each
from heard.desk import actions
from heard.desk.models import (
    ACTIVE_STATUSES,
    Agent,
    ConsentKind,
    Direction,
    Message,
    Status,
    Team,
    Ticket,
    TicketEvent,
)
from heard.engine import Emotion
from heard.mail.sending import outbound

OFFER_WITHIN = timedelta(days=3)  # after it is due; later than that it is not sent
FRIENDLY_HOURS = range(9, 20)  # the customer's local hours a check-in may go out in
EVENT = "follow-up"  # what the ticket's history calls it
_SALT = "heard.care.follow_up"
_ZONE_SLACK = timedelta(days=1)  # how far a customer's calendar day is from UTC's, and more


class FollowUpError(Exception):
    """A follow-up answer that cannot be taken; the message is for the customer."""


def wording() -> dict[str, Any]:
    return kinds.FOLLOW_UP.words()


# --- who is asked, and when ------------------------------------------------------------------


def said_it_works() -> Exists:
    """The ticket's latest customer message came after an agent answered and reads as happiness
    ("Thanks, that did it!"): they confirmed it works. Mirrors `said_it_works_in`."""
    later = Message.objects.filter(
        ticket=OuterRef("ticket"),
        direction=Direction.CUSTOMER,
        created_at__gt=OuterRef("created_at"),
    )
    return Exists(
        Message.objects.filter(
            ticket=OuterRef("pk"),
            direction=Direction.CUSTOMER,
            emotion=Emotion.HAPPINESS,
            created_at__gt=OuterRef("first_responded_at"),
        ).exclude(Exists(later))
    )


def said_it_works_in(ticket: Ticket, messages: Iterable[Message]) -> bool:
    """`said_it_works` over the ticket's messages already loaded (a page's conversation)."""
    theirs = [m for m in messages if m.direction == Direction.CUSTOMER]
    latest = max(theirs, key=lambda m: (m.created_at, m.pk), default=None)
    answered = ticket.first_responded_at
    return (
        latest is not None
        and latest.emotion == Emotion.HAPPINESS
        and answered is not None
        and latest.created_at > answered
    )


def expected() -> Q:
    """Tickets that get (or got) a follow-up before any survey: the team sends them, the
    customer agreed, and they did not already confirm it works."""
    return Q(team__follow_up_days__isnull=False, customer__follow_up_consent__given=True) & ~Q(
        said_it_works()
    )


def eligible() -> QuerySet[Ticket]:
    """Solved (or since closed) tickets that get a follow-up, whenever: every rule but time."""
    reopened = TicketEvent.objects.filter(
        ticket=OuterRef("pk"),
        what="status",
        after__in=ACTIVE_STATUSES,
        created_at__gt=OuterRef("solved_at"),
    )
    return Ticket.objects.filter(
        expected(),
        status__in=[Status.SOLVED, Status.CLOSED],
        solved_at__isnull=False,  # closed without being solved: nothing to ask about
        merged_into__isnull=True,
        follow_up__isnull=True,
        survey__isnull=True,
    ).exclude(Exists(reopened))


def candidates(now: datetime) -> QuerySet[Ticket]:
    """The eligible tickets that may be due a follow-up about now: every rule but the
    customer's own calendar day and hour (`is_due`)."""
    return eligible().filter(_solved_in_time(now))


def _solved_in_time(now: datetime) -> Q:
    """Solved long enough ago to be due in some time zone, and not so long that it is past
    OFFER_WITHIN anywhere: one condition per number of days the teams wait (a few)."""
    waits = Team.objects.values_list("follow_up_days", flat=True).distinct().order_by()
    solved = Q(pk__in=[])
    for days in [days for days in waits if days is not None]:
        due_in_utc = now - timedelta(days=days)
        solved |= Q(
            team__follow_up_days=days,
            solved_at__lte=due_in_utc + _ZONE_SLACK,
            solved_at__gt=due_in_utc - OFFER_WITHIN - _ZONE_SLACK,
        )
    return solved


def due_at(ticket: Ticket) -> datetime | None:
    """From when the ticket's follow-up may go: the start of the friendly hours on the
    `follow_up_days`th calendar day after the day it was solved, in the customer's time zone;
    None when it gets none (not solved, or a team that sends none)."""
    days = ticket.team.follow_up_days
    if days is None or ticket.solved_at is None:
        return None
    zone = ticket.customer.zone()
    day = ticket.solved_at.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, time(FRIENDLY_HOURS.start), tzinfo=zone)


def is_due(ticket: Ticket, now: datetime) -> bool:
    """Its day has come (and not passed by OFFER_WITHIN), at an hour the customer is awake."""
    at = due_at(ticket)
    local_hour = now.astimezone(ticket.customer.zone()).hour
    return at is not None and at <= now < at + OFFER_WITHIN and local_hour in FRIENDLY_HOURS


def due(now: datetime | None = None) -> list[Ticket]:
    """The tickets whose follow-up should go now, those solved longest ago first."""
    now = now or timezone.now()
    tickets = candidates(now).select_related("customer", "team").order_by("solved_at", "pk")
    return [ticket for ticket in tickets if is_due(ticket, now)]


# --- sending ---------------------------------------------------------------------------------


def send_due(now: datetime | None = None) -> int:
    """Send the follow-up on every ticket due one; returns how many were sent. A ticket whose
    follow-up fails is logged and left for the next run, never holding back the others."""
    now = now or timezone.now()
    return offer_each("follow-up", [ticket.pk for ticket in due(now)], offer, now)[0]


@transaction.atomic
def offer(ticket_id: int, now: datetime | None = None) -> FollowUp | None:
    """Create the ticket's follow-up and email it, if the ticket is (still) due one."""
    now = now or timezone.now()
    ticket = (
        candidates(now)
        .select_for_update(of=("self",))
        .select_related("customer__follow_up_consent", "team", "assignee__user")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None or not is_due(ticket, now):
        return None  # reopened, asked meanwhile, consent withdrawn, or not its hour
    follow_up = FollowUp.objects.create(ticket=ticket, created_at=now)
    address = ticket.customer.primary_email()
    if address:
        follow_up.email = outbound.queue_automatic(
            kinds.FOLLOW_UP,
            ticket=ticket,
            to_address=address,
            subject=ticket.subject,
            text=check_in_text(follow_up),
        )
        follow_up.save(update_fields=["email"])
    note = "sent by email" if follow_up.email else "not sent: see the history for why"
    actions.record_event(ticket, None, EVENT, note=note if address else "no address", at=now)
    return follow_up


def helper_name(ticket: Ticket) -> str:
    """Who helped, as the customer knows them: the assignee's first name, else the team."""
    if ticket.assignee is not None:
        return ticket.assignee.first_name()
    return f"the {ticket.team.name} team"


def check_in_text(follow_up: FollowUp) -> str:
    ticket, words = follow_up.ticket, wording()
    name = ticket.customer.address_name()
    greeting = words["greeting_named"].format(name=name) if name else words["greeting_plain"]
    assert ticket.solved_at is not None  # only solved tickets are asked
    solved = ticket.solved_at.astimezone(ticket.customer.zone())
    helper = helper_name(ticket)
    team = f"{ticket.team.name} team at {settings.HEARD_SUPPORT_NAME}"
    signature = f"{helper} and the {team}" if ticket.assignee is not None else f"The {team}"
    choices = [
        words["choice"].format(label=choice.label, link=link(follow_up, choice))
        for choice in Answer
    ]
    body = words["body"].format(
        solved=f"{solved.day} {solved:%B}", subject=ticket.subject, reference=ticket.reference
    )
    return "\n\n".join(
        [
            greeting,
            body,
            words["choices"].format(helper=helper),
            "\n".join(choices),
            words["reply"].format(helper=helper),
            words["signoff"].format(signature=signature),
        ]
    )


def link(follow_up: FollowUp, choice: Answer | None = None) -> str:
    """The answer page's address, signed so nobody can answer someone else's follow-up."""
    path = reverse("portal:follow_up", args=[signing.dumps(follow_up.pk, salt=_SALT)])
    query = f"?answer={choice.value}" if choice else ""
    return f"{settings.SITE_URL.rstrip('/')}{path}{query}"


def from_token(token: str) -> FollowUp | None:
    """The follow-up a link names, or None if the link was altered."""
    try:
        pk = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    related = ("ticket__customer", "ticket__team", "ticket__assignee__user")
    return FollowUp.objects.select_related(*related).filter(pk=pk).first()


# --- answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answered:
    """What an answer did: where the request goes on (the ticket, or the follow-up ticket a
    closed one goes on in)."""

    follow_up: FollowUp
    ticket: Ticket

    def helper(self) -> str:
        return helper_name(self.ticket)


@transaction.atomic
def answer(
    follow_up: FollowUp, choice: str, words: str = "", now: datetime | None = None
) -> Answered:
    """Record the customer's answer and act on it (see the module's docstring)."""
    now = now or timezone.now()
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("ticket__customer", "ticket__team", "ticket__assignee__user")
        .get(pk=follow_up.pk)
    )
    if not follow_up.is_open(now):
        raise FollowUpError(closed_message(follow_up))
    if choice not in Answer.values:
        raise FollowUpError("Please choose one of the three answers.")
    words = words.strip()[:4000]
    if (choice, words) == (follow_up.answer, follow_up.words):  # sent twice: nothing new
        return Answered(follow_up, follow_up.ticket)
    before = follow_up.get_answer_display() if follow_up.answer else ""
    follow_up.answer, follow_up.words, follow_up.answered_at = choice, words, now
    follow_up.save(update_fields=["answer", "words", "answered_at"])
    label = follow_up.get_answer_display()
    actions.record_event(follow_up.ticket, None, EVENT, before, label, words[:300], now)
    better = follow_up.is_better()
    goes_on = _better(follow_up, now) if better else _not_better(follow_up, label, now)
    signals.follow_up_answered.send(sender=FollowUp, follow_up=follow_up, ticket=goes_on)
    return Answered(follow_up, goes_on)


def closed_message(follow_up: FollowUp) -> str:
    until = follow_up.open_until()
    return f"This check-in closed on {until.day} {until:%B %Y}. Thank you all the same."


def _better(follow_up: FollowUp, now: datetime) -> Ticket:
    """Close a ticket still solved (the survey may follow); a ticket open again stays with its
    agent, who is told."""
    ticket = Ticket.objects.select_related("customer", "team", "assignee__user").get(
        pk=follow_up.ticket_id
    )
    said = f": “{follow_up.words[:120]}”" if follow_up.words else ""
    text = f"{ticket.reference}: {ticket.customer.name} answered the follow-up “Better now”{said}"
    if ticket.is_active():
        _tell(ticket, f"{text}. It is open again, so it stays open for you to close.", now)
        return ticket
    if ticket.status == Status.SOLVED:
        ticket = actions.change_status(ticket, None, Status.CLOSED, at=now)
    if follow_up.words:  # a kind word reaches the person who helped
        _tell(ticket, text, now)
    return ticket


def _not_better(follow_up: FollowUp, label: str, now: datetime) -> Ticket:
    """The answer and words as the customer's message (reopening the ticket), back to the
    agent who helped, escalated, and the agent told; returns where the request goes on."""
    helper = follow_up.ticket.assignee
    said = f"Answered the follow-up: “{label}”."
    text = f"{said}\n\n{follow_up.words}" if follow_up.words else said
    message = actions.record_customer_message(follow_up.ticket, text, at=now)
    ticket = Ticket.objects.select_related("team").get(pk=message.ticket_id)
    ticket = _give_back(ticket, helper, now)
    actions.escalate(ticket, f"the customer answered the follow-up “{label}”", at=now)
    ticket = Ticket.objects.select_related("customer", "team", "assignee__user").get(pk=ticket.pk)
    quoted = f": “{follow_up.words[:120]}”" if follow_up.words else ""
    customer = ticket.customer.name
    _tell(ticket, f"{ticket.reference}: {customer} answered the follow-up “{label}”{quoted}", now)
    return ticket


def _give_back(ticket: Ticket, helper: Agent | None, now: datetime) -> Ticket:
    """To the agent who helped while they are active in the ticket's team; else as the team
    assigns new work (round-robin, or the queue)."""
    if helper is not None and _active_in(helper, ticket.team_id):
        return actions.assign(ticket, None, helper, at=now)
    if ticket.assignee is not None and not _active_in(ticket.assignee, ticket.team_id):
        ticket = actions.assign(ticket, None, None, at=now)
    if ticket.assignee_id is None and ticket.team.auto_assign:
        actions.assign_round_robin(ticket, at=now)
    return ticket


def _active_in(agent: Agent, team_id: int) -> bool:
    return agent.user.is_active and agent.teams.filter(pk=team_id).exists()


def _tell(ticket: Ticket, text: str, now: datetime) -> None:
    """An in-app notice to the ticket's agent (none when nobody has it: the queue shows it)."""
    if ticket.assignee is not None:
        actions.notify([ticket.assignee.user_id], ticket, text, at=now)


# --- on the ticket page ----------------------------------------------------------------------


@dataclass(frozen=True)
class OnTicket:
    """The ticket's follow-up as its agent needs to know it: `state` is one of answered, asked,
    not_sent, due, after_solve, unsolved, no_team, no_consent, said_it_works, surveyed,
    too_late."""

    state: str
    follow_up: FollowUp | None = None
    due: date | None = None
    days: int | None = None


def on_ticket(
    ticket: Ticket,
    follow_up: FollowUp | None,
    messages: Iterable[Message] | None = None,
    now: datetime | None = None,
) -> OnTicket | None:
    """What the ticket page says of its follow-up; None when there is nothing to say (a
    merged ticket). `messages`: its conversation if loaded (else it is read)."""
    now = now or timezone.now()
    if follow_up is not None:
        state = "answered" if follow_up.answer else "asked" if follow_up.email_id else "not_sent"
        return OnTicket(state, follow_up)
    days = ticket.team.follow_up_days
    if ticket.merged_into_id is not None:
        return None
    if days is None:
        return OnTicket("no_team")
    if not ticket.customer.has_consent(ConsentKind.FOLLOW_UP):
        return OnTicket("no_consent")
    at = due_at(ticket)
    if ticket.is_active():
        return OnTicket("after_solve", days=days)
    if at is None:
        return OnTicket("unsolved")
    if getattr(ticket, "survey", None) is not None:
        return OnTicket("surveyed")
    if said_it_works_in(ticket, ticket.messages.all() if messages is None else messages):
        return OnTicket("said_it_works")
    if now >= at + OFFER_WITHIN:
        return OnTicket("too_late")
    return OnTicket("due", due=at.date())
