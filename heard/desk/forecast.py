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
acknowledgement email; `expected_first_reply` gathers its inputs from the database in one query
(one more when the ticket's team is not loaded yet, and one when the team's calendar has not been
built in this process since its holidays last changed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, IntegerField
from django.db.models.expressions import RawSQL
from django.db.models.fields import Field
from django.utils import timezone

from heard.desk import sql
from heard.desk.models import ACTIVE_STATUSES, Direction, Team, Ticket
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
    staffing, ahead, replies, since = _live_queue(ticket, now)
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


def _live_queue(ticket: Ticket, now: datetime) -> tuple[int, int, int, datetime]:
    """The team's staffing, who is ahead of `ticket`, and its recent replies since when, read
    together in one query: each a subquery of the team's row, written out as SQL (built by the
    ORM, four subqueries cost several times the CPU of running them, for every acknowledgement).
    Only table names are put into the SQL; every value is a parameter."""
    adapt = connection.ops.adapt_datetimefield_value
    since = now - WINDOW
    before, before_params = _before_in_care_order(ticket)
    window: list[object] = [ticket.team_id, adapt(since), adapt(now)]
    facts: dict[str, tuple[str, list[object], Field[Any, Any]]] = {
        "staffing": (_STAFFING, [ticket.team_id], IntegerField()),
        "ahead": (
            _AHEAD.replace("%(before)s", before).replace(
                "%(active)s", ", ".join(["%s"] * len(ACTIVE_STATUSES))
            ),
            [ticket.team_id, *ACTIVE_STATUSES, ticket.pk or 0, *before_params],
            IntegerField(),
        ),
        "replies": (_REPLIES, [*window, Direction.AGENT], IntegerField()),
        "first": (_FIRST, window, DateTimeField()),
    }
    tables = sql.tables()
    row = (
        Team.objects.filter(pk=ticket.team_id)
        .annotate(
            **{
                name: RawSQL(text.format_map(tables), params, field)  # noqa: S611  (see above)
                for name, (text, params, field) in facts.items()
            }
        )
        .values(*facts)
        .get()
    )
    return row["staffing"], row["ahead"], row["replies"], max(since, row["first"] or now)


_STAFFING = (
    "SELECT COUNT(*) FROM {agents} a JOIN {agent_teams} m ON m.agent_id = a.id "
    "JOIN {users} u ON u.id = a.user_id WHERE m.team_id = %s AND u.is_active"
)
# What each reads, as EXPLAIN shows on SQLite and PostgreSQL at 100,000 tickets: _AHEAD one
# range of the `ticket_care_queue` index per active status, never the rows; _REPLIES the window
# of `message_recent`, looking up each reply's ticket for its team; _FIRST the same window in
# time order, stopping at the team's first message (its MIN, written so that the planner walks
# the index rather than aggregating the whole window). Before those indexes, _AHEAD read each of
# the team's tickets, and _REPLIES and _FIRST every message of the team's tickets. The window
# holds a week of the desk's messages, while a team's tickets grow with all its history, so the
# messages lead: CROSS JOIN makes SQLite keep the written order (also without ANALYZE
# statistics, as a fresh install has none); PostgreSQL plans it as any inner join.
_AHEAD = (
    "SELECT COUNT(*) FROM {tickets} WHERE team_id = %s AND awaiting_since IS NOT NULL "
    "AND status IN (%(active)s) AND id <> %s AND %(before)s"
)
_REPLIES = (
    "SELECT COUNT(*) FROM {messages} m CROSS JOIN {tickets} t WHERE t.id = m.ticket_id AND "
    "t.team_id = %s AND m.created_at >= %s AND m.created_at < %s AND m.direction = %s"
)
_FIRST = (
    "SELECT m.created_at FROM {messages} m CROSS JOIN {tickets} t WHERE t.id = m.ticket_id AND "
    "t.team_id = %s AND m.created_at >= %s AND m.created_at < %s ORDER BY m.created_at LIMIT 1"
)


def _before_in_care_order(ticket: Ticket) -> tuple[str, list[object]]:
    """Tickets that `TicketQuerySet.by_care()` puts before `ticket`, as SQL and its parameters.

    by_care() orders by care_at (nulls last), then created_at; an ordering cannot be reused as
    a filter, so this spells out the same keys, with the primary key to break exact ties. The
    keys are compared as one row value, `(care_at, created_at, id) < (...)`: the same as
    comparing them one by one (a null care_at is before nothing), and both databases read it
    as one range of the index rather than as alternatives.
    """
    adapt = connection.ops.adapt_datetimefield_value
    created = adapt(ticket.created_at)
    if ticket.care_at is None:
        return "(care_at IS NOT NULL OR (created_at, id) < (%s, %s))", [created, ticket.pk or 0]
    care = adapt(ticket.care_at)
    return "(care_at, created_at, id) < (%s, %s, %s)", [care, created, ticket.pk or 0]


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

