"""When will a person reply? An honest estimate computed from the live queue.

The acknowledgement email tells a customer when to expect a reply. A fixed SLA target ("within 4
business hours") is a ceiling written for contracts, not a forecast: on a quiet morning it is far
too pessimistic, and on a swamped Monday it is a broken promise. Instead:

    wait (business time) = quiet wait + ahead / (agents x replies per agent-hour)
    reply expected at    = the calendar's `add(now, wait)`, rounded to what a person would say

* **quiet wait** is the typical time to a first reply when nobody is ahead: an agent finishes
  what they are writing, reads the message and answers it. A constant (`QUIET_WAIT`), never
  less than `MIN_WAIT`, so nobody is promised an instant answer.
* **ahead** counts the team's tickets waiting for a reply (first or next) that stand before this
  one in care order, so an angry customer who jumps the queue is counted, and a calm one who
  wrote later is not. Each of them takes one reply before ours is written.
* **agents** is the number on shift now. Heard has no per-agent shift model: every active agent
  of the team is on shift whenever the team's calendar is open, and nobody is when it is closed.
  When closed, the wait starts at the next opening with the team's staffing then (`staffing`).
* **replies per agent-hour** is how fast the team cleared waiting customers recently: every agent
  reply on its tickets in the last 7 days (first and next replies alike, since the queue ahead
  holds both and each reply clears one) per open business hour per agent. It is measured
  throughput, so in a quiet week it understates what agents can do; but then the queue is short
  and the term it divides is small, so the error stays small where it would otherwise matter.
  Thin history is blended with a prior (`handling_rate`), never switched at a threshold.

Business time makes nights, weekends and holidays fall out of the calendar: a ticket written on
Friday evening waits from Monday's opening. Tickets that arrive later and overtake this one in
care order are not foreseen; `bench/reply_time_bench.py` measures what that costs.

`estimate` is pure (no ORM) so the benchmark's simulation calls exactly the same code as the
acknowledgement email; `expected_first_reply` gathers its inputs from the database in three
queries (one more when the ticket's team is not loaded yet, and one when the team's calendar has
not been built in this process since its holidays last changed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from django.db.models import Count, Min, Q
from django.utils import timezone

from heard.desk.models import Agent, Direction, Message, Team, Ticket
from heard.desk.sla import BusinessCalendar

__all__ = [
    "MIN_WAIT",
    "PRIOR_AGENT_HOURS",
    "PRIOR_RATE",
    "QUIET_WAIT",
    "WINDOW",
    "Forecast",
    "agent_hours",
    "describe",
    "estimate",
    "expected_first_reply",
    "handling_rate",
]

QUIET_WAIT = timedelta(minutes=20)  # pick-up plus writing the reply, with nobody ahead
MIN_WAIT = timedelta(minutes=15)  # the soonest we ever promise a person's reply
PRIOR_RATE = 4.0  # replies per agent per business hour a team is assumed to manage
PRIOR_AGENT_HOURS = 16.0  # the prior weighs as much as two agent-days of observed work
WINDOW = timedelta(days=7)  # how far back the handling rate looks

_EPOCH = datetime(2000, 1, 3, tzinfo=UTC)  # a Monday midnight: grains count from here
_SHORT = timedelta(hours=3)  # up to here, say "in about ..."; beyond, name a clock time


# --- the pure core ---------------------------------------------------------------------------


def handling_rate(replies: int, agent_hours: float) -> float:
    """Replies per agent per business hour, observed history blended with `PRIOR_RATE`.

    The prior counts as `PRIOR_AGENT_HOURS` of observation at `PRIOR_RATE`, so a new team gets
    the prior, a team with a week of history gets (almost) its own rate, and every step in
    between is smooth: one more reply or one more hour never makes the rate jump.
    """
    prior_replies = PRIOR_RATE * PRIOR_AGENT_HOURS
    return (max(replies, 0) + prior_replies) / (max(agent_hours, 0.0) + PRIOR_AGENT_HOURS)


def agent_hours(calendar: BusinessCalendar, since: datetime, now: datetime, staffing: int) -> float:
    """Agent business hours worked from `since` to `now` (everyone on shift while open)."""
    return calendar.between(since, now).total_seconds() / 3600 * staffing


def estimate(
    *,
    now: datetime,
    ahead: int,
    agents_on_shift: int,
    replies_per_agent_hour: float,
    calendar: BusinessCalendar,
    staffing: int = 1,
    quiet_wait: timedelta = QUIET_WAIT,
) -> datetime:
    """When a person is expected to reply to a customer who writes at `now` (aware, UTC).

    `agents_on_shift` is who works now; when it is 0 (closed, or nobody active) the wait is
    reckoned with `staffing`, the team's agents when it next opens, and at least one.
    """
    agents = agents_on_shift if agents_on_shift > 0 else max(staffing, 1)
    clearing = timedelta(hours=max(ahead, 0) / (agents * max(replies_per_agent_hour, 0.1)))
    wait = max(MIN_WAIT, quiet_wait + clearing)
    return _round(calendar.add(now, wait), grain=_grain(wait), soonest=calendar.add(now, MIN_WAIT))


def _grain(wait: timedelta) -> timedelta:
    """The precision a person would use for a wait this long."""
    if wait <= timedelta(hours=1):
        return timedelta(minutes=15)
    if wait <= timedelta(hours=4):
        return timedelta(minutes=30)
    return timedelta(hours=1)


def _round(at: datetime, *, grain: timedelta, soonest: datetime) -> datetime:
    """`at` to the nearest `grain`, but never before `soonest`."""
    steps = round((at - _EPOCH) / grain)
    rounded = _EPOCH + steps * grain
    while rounded < soonest:
        rounded += grain
    return rounded


def describe(at: datetime, now: datetime, tz: tzinfo) -> str:
    """The expected time in words for an email, in the customer's time zone `tz`.

    It completes "... will reply to you {when}.": "in about 2 hours", "later today, around
    16:00 (your time)", "tomorrow morning, around 10:00 (your time)", "on Monday morning,
    around 09:30 (your time)", "on Monday 7 December, around 11:00 (your time)". The estimate is
    a middle one (about half the replies come sooner), so it says "about" and "around", never
    "within" or "by", which would read as a deadline."""
    wait = at - now
    if wait <= _SHORT:
        return f"in about {_duration(wait)}"
    local, today = at.astimezone(tz), now.astimezone(tz).date()
    clock = f"around {local:%H:%M} (your time)"
    days = (local.date() - today).days
    part = _part_of_day(local.hour)
    if days <= 0:
        return f"later today, {clock}"
    if days == 1:
        return f"tomorrow {part}, {clock}" if part else f"tomorrow, {clock}"
    if days >= 7:
        return f"on {local:%A} {local.day} {local:%B}, {clock}"
    return f"on {local:%A} {part}, {clock}" if part else f"on {local:%A}, {clock}"


def _duration(wait: timedelta) -> str:
    """A short wait, rounded up: "15 minutes", "an hour", "an hour and a half", "2 hours"."""
    minutes = max(wait.total_seconds() / 60, 15)
    if minutes <= 45:
        return f"{math.ceil(minutes / 15) * 15} minutes"
    halves = math.ceil(minutes / 30)
    hours, half = divmod(halves, 2)
    if hours == 1:
        return "an hour and a half" if half else "an hour"
    return f"{hours} and a half hours" if half else f"{hours} hours"


def _part_of_day(hour: int) -> str:
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 22:
        return "evening"
    return ""


# --- the live queue --------------------------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    """When a person is expected to reply, and the figures that say why."""

    at: datetime
    ahead: int
    agents_on_shift: int
    rate_per_hour: float  # replies per agent per business hour, history blended with the prior
    basis: str  # for "Right now {basis}, ...": "2 people are ahead of you and 3 agents are ..."


def expected_first_reply(ticket: Ticket, now: datetime | None = None) -> Forecast:
    """The forecast for `ticket` from the live queue of its team."""
    now = now or timezone.now()
    team = ticket.team
    calendar = team.calendar()
    staffing = _staffing(team)
    ahead = _ahead(ticket)
    replies, since = _recent_replies(team, now)
    on_shift = staffing if calendar.is_open(now) else 0
    rate = handling_rate(replies, agent_hours(calendar, since, now, staffing))
    at = estimate(
        now=now,
        ahead=ahead,
        agents_on_shift=on_shift,
        replies_per_agent_hour=rate,
        calendar=calendar,
        staffing=staffing,
    )
    return Forecast(at, ahead, on_shift, round(rate, 2), _basis(ahead, on_shift, staffing))


def _staffing(team: Team) -> int:
    """Active agents of the team: all on shift while it is open (no per-agent shifts yet)."""
    return Agent.objects.filter(teams=team, user__is_active=True).count()


def _ahead(ticket: Ticket) -> int:
    """Tickets of the same team waiting for a reply that stand before `ticket` in care order."""
    waiting = Ticket.objects.filter(team_id=ticket.team_id, awaiting_since__isnull=False)
    return waiting.active().exclude(pk=ticket.pk).filter(_before_in_care_order(ticket)).count()


def _before_in_care_order(ticket: Ticket) -> Q:
    """Tickets that `TicketQuerySet.by_care()` puts before `ticket`, as a filter.

    by_care() orders by care_at (nulls last), then created_at; an ordering cannot be reused as
    a filter, so this spells out the same keys, with the primary key to break exact ties.
    """
    same_created = Q(created_at=ticket.created_at, pk__lt=ticket.pk)
    earlier = Q(created_at__lt=ticket.created_at) | same_created
    if ticket.care_at is None:
        return Q(care_at__isnull=False) | (Q(care_at__isnull=True) & earlier)
    return Q(care_at__lt=ticket.care_at) | (Q(care_at=ticket.care_at) & earlier)


def _recent_replies(team: Team, now: datetime) -> tuple[int, datetime]:
    """Agent replies on the team's tickets in the last `WINDOW`, and when that history starts.

    History starts at the window's start, or at the team's first message in it when the team
    is newer than the window (so a new team is not judged on days it did not exist).
    """
    since = now - WINDOW
    recent = Message.objects.filter(ticket__team=team, created_at__gte=since, created_at__lt=now)
    row = recent.aggregate(
        replies=Count("pk", filter=Q(direction=Direction.AGENT)), first=Min("created_at")
    )
    return row["replies"], max(since, row["first"] or now)


def _basis(ahead: int, on_shift: int, staffing: int) -> str:
    people = _count(ahead, "person is", "people are") if ahead else "nobody is"
    if on_shift:
        return f"{people} ahead of you and {_count(on_shift, 'agent is', 'agents are')} on shift"
    if not staffing:
        return f"we are outside our working hours and {people} ahead of you"
    agents = _count(staffing, "agent", "agents")
    closed = "we are outside our working hours"
    return f"{closed}, {people} ahead of you and {agents} start when we open"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"

