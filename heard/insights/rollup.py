"""The daily rollup: one `DayFigures` row per day, team and agent, from the desk's history.

Every figure comes from what was recorded when it happened (messages, the coach's judgement of
each sent reply, the ticket's events, survey and follow-up answers), so a past day rolled up
again gives the same rows. A day is computed with reads only, then written in one short
transaction that replaces its rows whole: safe to run twice, or two at once.

Who a figure belongs to:

- a reply (its time, its coaching, a "send anyway") to the agent who wrote it;
- a solved ticket's de-escalation to the agent who wrote the last reply before the solve;
- breaches, the backlog, incoming moods, survey and follow-up answers to the ticket's assignee
  (None: nobody holds it).

Definitions:

- **first reply**: the first agent reply on a ticket with a first-reply target; its time is the
  team's business time from the ticket's opening, within target when it came by
  `first_response_due_at`.
- **next reply**: an agent reply after at least one customer message since the previous agent
  reply; its time runs from the first of those customer messages, within target when it came by
  the team's next-response target (in business time) for the priority the ticket had then.
- **promise**: when the acknowledgement said a person would first reply
  (`Ticket.promised_reply_at`); kept when the first reply came by then.
- **backlog**: tickets new, open or pending at the end of the day (from their status history).
- **de-escalation**: a ticket solved (or closed without a solve) that day whose first customer
  message read negative (anger, frustration, disappointment, anxiety); it is calmer when the
  customer wrote again and their last message before the solve is "calming down" against the
  first (`heard.desk.care_order.mood_trend`).
- **empathy band**: the mean empathy the coach gave the replies on the ticket.
- **at risk of leaving** (the day in progress only, as it stands when rolled up): open tickets
  whose customer's messages read a churn risk of 30% or more, with the customer's tickets in
  the last 90 days (repeat contact).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone

from heard.care.models import FollowUp, Survey
from heard.desk.care_order import NEGATIVE, mood_trend, negativity
from heard.desk.models import (
    ACTIVE_STATUSES,
    Agent,
    Direction,
    Message,
    Priority,
    SlaPolicy,
    Status,
    Team,
    Ticket,
    TicketEvent,
)
from heard.insights.models import DayFigures, RolledDay
from heard.training.models import ReplyCoaching

SENT_ANYWAY = "sent anyway, despite: "  # how the desk notes a reply sent despite a severe finding
BREACHED = "target breached"  # in the watchdog's escalation reason
EXAMPLES = 3  # calmed tickets kept per row as examples
EMPATHY_BANDS = ((80, "80 to 100"), (50, "50 to 79"), (0, "under 50"))
AT_RISK = 10  # tickets kept per row of the day in progress
RISKY = 0.3  # churn risk from which a customer counts as at risk of leaving
REPEAT_WINDOW = timedelta(days=90)  # "tickets lately": opened by the customer in this window
NO_COACHING = "no coached reply"
HAPPY = (4, 5)
Key = tuple[int, int | None]  # (team id, agent id or None)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Midnight to midnight of `day` in the console's time zone, as aware datetimes."""
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), datetime.min.time()))
    return start, end


@dataclass
class _Row:
    """One row being built; the same names as `DayFigures`."""

    values: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, amount: int = 1) -> None:
        self.values[name] = self.values.get(name, 0) + amount

    def append(self, name: str, item: object) -> None:
        self.values.setdefault(name, []).append(item)

    def count(self, name: str, key: str, amount: int = 1) -> None:
        counts = self.values.setdefault(name, {})
        counts[key] = counts.get(key, 0) + amount


class _Rows(defaultdict[Key, _Row]):
    def __init__(self) -> None:
        super().__init__(_Row)

    def build(self, day: date) -> list[DayFigures]:
        return [
            DayFigures(day=day, team_id=team_id, agent_id=agent_id, **row.values)
            for (team_id, agent_id), row in sorted(self.items(), key=lambda kv: str(kv[0]))
        ]


@dataclass(frozen=True)
class _Desk:
    """What every part needs once: teams (for their calendars), targets and who is who."""

    teams: dict[int, Team]
    next_minutes: dict[tuple[int, str], int]
    agent_of_user: dict[int, int]
    live: bool = False  # rolling up the day in progress: what stands now counts too

    @classmethod
    def load(cls, live: bool = False) -> _Desk:
        teams = {team.pk: team for team in Team.objects.all()}
        minutes = {
            (team_id, priority): after
            for team_id, priority, after in SlaPolicy.objects.values_list(
                "team_id", "priority", "next_response_minutes"
            )
        }
        agents = dict(Agent.objects.values_list("user_id", "pk"))
        return cls(teams, minutes, agents, live)

    def next_due(self, team_id: int, priority: str, waiting_since: datetime) -> datetime:
        """When a next reply was due: the team's target for the priority, in business time
        from when the customer began waiting (as the desk's reply clock counts it)."""
        default = SlaPolicy.DEFAULT_MINUTES[Priority(priority)][1]
        minutes = self.next_minutes.get((team_id, priority), default)
        return self.teams[team_id].calendar().add(waiting_since, timedelta(minutes=minutes))

    def business_seconds(self, team_id: int, start: datetime, end: datetime) -> int:
        return int(self.teams[team_id].calendar().between(start, end).total_seconds())


# --- the whole day ---------------------------------------------------------------------------


def roll_up_day(day: date, now: datetime | None = None) -> int:
    """Compute `day`'s rows and replace the stored ones; returns how many rows it wrote. Today
    is rolled up as far as `now`."""
    now = now or timezone.now()
    started = time.perf_counter()
    start, midnight = day_bounds(day)
    end = min(midnight, now)
    if end <= start:
        return 0
    record_missing_coaching(start, end)
    desk = _Desk.load(live=end < midnight)
    rows = _Rows()
    for part in PARTS:
        part(rows, desk, start, end)
    with transaction.atomic():
        RolledDay.objects.get_or_create(day=day)
        RolledDay.objects.select_for_update().filter(day=day).update(
            rolled_at=now, seconds=time.perf_counter() - started
        )
        DayFigures.objects.filter(day=day).delete()
        DayFigures.objects.bulk_create(rows.build(day), batch_size=500)
    return len(rows)


def roll_up_recent(now: datetime | None = None) -> int:
    """Yesterday (complete now) and today so far: what the periodic job does."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return roll_up_day(today - timedelta(days=1), now) + roll_up_day(today, now)


def days_between(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def backfill(
    first: date,
    last: date,
    now: datetime | None = None,
    progress: Callable[[int, int, date], None] | None = None,
) -> int:
    """Roll up every day from `first` to `last`; `progress(done, total, day)` after each."""
    days = list(days_between(first, last))
    written = 0
    for number, day in enumerate(days, 1):
        written += roll_up_day(day, now)
        if progress is not None:
            progress(number, len(days), day)
    return written


def first_day() -> date | None:
    """The day of the oldest ticket: where a backfill of all history starts."""
    oldest = Ticket.objects.order_by("created_at").values_list("created_at", flat=True).first()
    return timezone.localdate(oldest) if oldest else None


def record_missing_coaching(start: datetime, end: datetime) -> int:
    """Have the training studio coach any reply sent in the window that its job has not yet
    (it coaches every sent reply after the desk's commit; this catches a job that failed or
    history from before it). Returns how many it coached."""
    from heard.training import actions

    coached = ReplyCoaching.objects.filter(message=OuterRef("pk"))
    missing = Message.objects.filter(
        direction=Direction.AGENT, created_at__gte=start, created_at__lt=end,
        author__isnull=False,
    ).filter(~Exists(coached))
    ids = list(missing.values_list("pk", flat=True))
    for message_id in ids:
        actions.record_reply_coaching(message_id)
    return len(ids)


# --- speed -----------------------------------------------------------------------------------


def _speed(rows: _Rows, desk: _Desk, start: datetime, end: datetime) -> None:
    """First and next replies sent in the window, and the promises their first replies met."""
    replied = Message.objects.filter(
        direction=Direction.AGENT, created_at__gte=start, created_at__lt=end
    ).values("ticket_id")
    tickets: dict[int, dict[str, Any]] = {
        t["pk"]: dict(t)
        for t in Ticket.objects.filter(pk__in=replied).values(
            "pk", "team_id", "created_at", "priority", "first_response_due_at",
            "promised_reply_at",
        )
    }
    conversation = Message.objects.filter(
        ticket__in=replied, created_at__lt=end, direction__in=[Direction.CUSTOMER, Direction.AGENT]
    ).order_by("ticket_id", "created_at", "pk")
    priorities = _priority_changes(replied, end)
    by_ticket = _grouped(
        conversation.values_list("ticket_id", "direction", "author_id", "created_at")
    )
    for ticket_id, messages in by_ticket.items():
        ticket = tickets[ticket_id]
        _replies_of(rows, desk, ticket, messages, priorities.get(ticket_id, []), start)


def _replies_of(
    rows: _Rows, desk: _Desk, ticket: dict[str, Any], messages: list[tuple[Any, ...]],
    priorities: list[tuple[datetime, str, str]], start: datetime,
) -> None:
    team_id = ticket["team_id"]
    waiting_since: datetime | None = None
    replied_before = False
    for _, direction, author_id, at in messages:
        if direction == Direction.CUSTOMER:
            waiting_since = waiting_since or at
            continue
        if at >= start:
            row = rows[(team_id, desk.agent_of_user.get(author_id))]
            if not replied_before:
                _first_reply(row, desk, ticket, at)
            elif waiting_since is not None:
                row.append("next_replies", desk.business_seconds(team_id, waiting_since, at))
                priority = _priority_at(priorities, waiting_since, ticket["priority"])
                row.add("next_within", int(at <= desk.next_due(team_id, priority, waiting_since)))
        replied_before = True
        waiting_since = None


def _first_reply(row: _Row, desk: _Desk, ticket: dict[str, Any], at: datetime) -> None:
    due = ticket["first_response_due_at"]
    if due is None:  # a ticket that needed a person, with no reply target
        return
    row.append("first_replies", desk.business_seconds(ticket["team_id"], ticket["created_at"], at))
    row.add("first_within", int(at <= due))
    promised = ticket["promised_reply_at"]
    if promised is not None:
        row.append("promise_gaps", int((at - promised).total_seconds()))


def _priority_changes(
    tickets: Any, end: datetime
) -> dict[int, list[tuple[datetime, str, str]]]:
    """Each ticket's priority changes (by hand, by a reading, by an escalation), oldest first."""
    events = TicketEvent.objects.filter(
        ticket__in=tickets, what__in=["priority", "escalated"], created_at__lt=end
    ).order_by("ticket_id", "created_at", "pk")
    changes: dict[int, list[tuple[datetime, str, str]]] = defaultdict(list)
    for ticket_id, at, before, after in events.values_list(
        "ticket_id", "created_at", "before", "after"
    ):
        changes[ticket_id].append((at, before, after))
    return changes


def _priority_at(changes: list[tuple[datetime, str, str]], moment: datetime, now: str) -> str:
    """The priority in force at `moment`: the first change's "before" until it happened."""
    if not changes:
        return now
    priority = changes[0][1]
    for at, _, after in changes:
        if at > moment:
            break
        priority = after
    return priority if priority in Priority.values else now


def _breaches(rows: _Rows, desk: _Desk, start: datetime, end: datetime) -> None:
    events = TicketEvent.objects.filter(
        what="escalated", note__contains=BREACHED, created_at__gte=start, created_at__lt=end
    )
    for ticket_id, team_id, agent_id in events.values_list(
        "ticket_id", "ticket__team_id", "ticket__assignee_id"
    ):
        rows[(team_id, agent_id)].add("breaches")
        _attention(rows[(team_id, agent_id)], ticket_id, "its reply target was breached", 1)


def _backlog(rows: _Rows, desk: _Desk, start: datetime, end: datetime) -> None:
    """Tickets active at `end`, from each one's last status change before it."""
    candidates = Ticket.objects.filter(created_at__lt=end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=end)
    )
    changes = TicketEvent.objects.filter(
        ticket__in=candidates.values("pk"), what="status", created_at__lt=end
    ).order_by("ticket_id", "created_at", "pk")
    status = dict(changes.values_list("ticket_id", "after"))  # the last one wins
    for pk, team_id, agent_id, created, promised, responded in candidates.values_list(
        "pk", "team_id", "assignee_id", "created_at", "promised_reply_at", "first_responded_at"
    ):
        if status.get(pk, Status.NEW) not in ACTIVE_STATUSES:
            continue
        row = rows[(team_id, agent_id)]
        row.append("backlog_ages", int((end - created).total_seconds()))
        if promised is not None and promised < end and (responded is None or responded >= end):
            row.add("promises_overdue")


# --- empathy ---------------------------------------------------------------------------------


def _empathy(rows: _Rows, desk: _Desk, start: datetime, end: datetime) -> None:
    coached = ReplyCoaching.objects.filter(sent_at__gte=start, sent_at__lt=end)
    for team_id, agent_id, score, empathy, respect, clarity, codes in coached.values_list(
        "ticket__team_id", "agent_id", "score", "empathy", "respect", "clarity", "codes"
    ):
        row = rows[(team_id, agent_id)]
        row.add("coached")
        row.add("score_sum", score)
        row.add("empathy_sum", empathy)
        row.add("respect_sum", respect)
        row.add("clarity_sum", clarity)
        for code in codes:
            row.count("findings", code)
    anyway = TicketEvent.objects.filter(
        what="coach", note__startswith=SENT_ANYWAY, created_at__gte=start, created_at__lt=end
    ).order_by("created_at", "pk")
    for ticket_id, team_id, user_id, note, at in anyway.values_list(
        "ticket_id", "ticket__team_id", "actor_id", "note", "created_at"
    ):
        codes = [code.strip() for code in note.removeprefix(SENT_ANYWAY).split(",")]
        row = rows[(team_id, desk.agent_of_user.get(user_id))]
        row.append("sent_anyway", {"ticket": ticket_id, "codes": codes, "at": at.isoformat()})
        why = "a reply went out despite the coach's warning (" + ", ".join(codes) + ")"
        _attention(row, ticket_id, why, 3)


# --- de-escalation and moods -----------------------------------------------------------------


def _deescalation(rows: _Rows, desk: _Desk, start: datetime, end: datetime) -> None:
    solves = list(
        TicketEvent.objects.filter(what="status", created_at__gte=start, created_at__lt=end)
        .filter(Q(after=Status.SOLVED) | (Q(after=Status.CLOSED) & ~Q(before=Status.SOLVED)))
        .order_by("created_at", "pk")
        .values_list("ticket_id", "ticket__team_id", "created_at")
    )
    if not solves:
        return
    conversation = Message.objects.filter(
        ticket__in={ticket_id for ticket_id, _, _ in solves}, created_at__lt=end,
        direction__in=[Direction.CUSTOMER, Direction.AGENT],
    ).order_by("ticket_id", "created_at", "pk")
    columns = ("ticket_id", "pk", "direction", "author_id", "created_at", "emotion")
    by_ticket = _grouped(conversation.values_list(*columns))
    outcomes = [_outcome(by_ticket.get(ticket_id, []), at) for ticket_id, _, at in solves]
    scores = _scores({pk for o in outcomes if o for pk in o[1:3] if pk is not None})
    for (ticket_id, team_id, _), outcome in zip(solves, outcomes, strict=True):
        if outcome is None:
            continue
        user_id, first, last = outcome
        row = rows[(team_id, desk.agent_of_user.get(user_id) if user_id else None)]
        row.add("negative_start")
        if last is None:
            continue
        row.add("wrote_again")
        before, after = scores.get(first), scores.get(last)
        if before is None or after is None or mood_trend(before[0], after[0]) != "calming down":
            _attention(row, ticket_id, "the customer was no calmer at the end than at first", 1)
            continue
        row.add("calmer")
        drop = round(negativity(before[0]) - negativity(after[0]), 2)
        example = {"ticket": ticket_id, "from": before[1], "to": after[1], "drop": drop}
        _keep_example(row, example)


def _outcome(
    messages: list[tuple[Any, ...]], solved_at: datetime
) -> tuple[int | None, int, int | None] | None:
    """(author of the last reply before the solve, first customer message, last customer message
    after it) for a conversation that opened negative; None otherwise."""
    before = [m for m in messages if m[4] <= solved_at]
    customer = [m for m in before if m[2] == Direction.CUSTOMER]
    if not customer or customer[0][5] not in NEGATIVE:
        return None
    replies = [m for m in before if m[2] == Direction.AGENT]
    last_author = replies[-1][3] if replies else None
    last = customer[-1][1] if len(customer) > 1 else None
    return last_author, customer[0][1], last


def _scores(ids: set[int]) -> dict[int, tuple[dict[str, float], str]]:
    """Emotion scores (an agent's correction counting as certainty) and emotion per message."""
    found = {}
    for message in Message.objects.filter(pk__in=ids).only(
        "reading", "emotion", "emotion_corrected_at"
    ):
        if message.emotion:
            found[message.pk] = (message.emotion_scores(), message.emotion)
    return found


def _keep_example(row: _Row, example: dict[str, Any]) -> None:
    kept = [*row.values.get("calmed", []), example]
    row.values["calmed"] = sorted(kept, key=lambda e: (-e["drop"], e["ticket"]))[:EXAMPLES]


def _moods(rows: _Rows, desk: _Desk, start: datetime, end: datetime) -> None:
    incoming = Message.objects.filter(
        direction=Direction.CUSTOMER, created_at__gte=start, created_at__lt=end
    )
    for team_id, agent_id, emotion in incoming.values_list(
        "ticket__team_id", "ticket__assignee_id", "emotion"
    ):
        rows[(team_id, agent_id)].count("moods", emotion or "unread")


def _at_risk(rows: _Rows, desk: _Desk, start: datetime, end: datetime) -> None:
    """The day in progress only: the open tickets whose customers' messages read a churn risk
    of `RISKY` or more, the riskiest `AT_RISK` per row, with how many tickets each customer
    opened lately (repeat contact)."""
    if not desk.live:
        return
    risky = Ticket.objects.active().filter(churn_risk__gte=RISKY).order_by("-churn_risk", "-pk")
    kept: dict[Key, list[tuple[Any, ...]]] = defaultdict(list)
    for found in risky.values_list("pk", "team_id", "assignee_id", "customer_id", "churn_risk",
                                   "mood"):
        if len(kept[(found[1], found[2])]) < AT_RISK:
            kept[(found[1], found[2])].append(found)
    customers = {found[3] for listed in kept.values() for found in listed}
    lately = dict(
        Ticket.objects.filter(customer__in=customers, created_at__gte=end - REPEAT_WINDOW)
        .values("customer")
        .annotate(n=Count("pk"))
        .values_list("customer", "n")
    )
    for key, listed in kept.items():
        rows[key].values["at_risk"] = [
            {"ticket": pk, "customer": customer, "churn": round(churn, 3), "mood": mood,
             "lately": lately.get(customer, 0)}
            for pk, _, _, customer, churn, mood in listed
        ]


# --- satisfaction and care -------------------------------------------------------------------


def _care(rows: _Rows, desk: _Desk, start: datetime, end: datetime) -> None:
    answered = {"answered_at__gte": start, "answered_at__lt": end}
    ratings = [
        (ticket_id, team_id, agent_id, rating)
        for ticket_id, team_id, agent_id, rating in Survey.objects.filter(
            rating__isnull=False, **answered
        ).values_list("ticket_id", "ticket__team_id", "ticket__assignee_id", "rating")
        if rating is not None
    ]
    follow_ups = list(
        FollowUp.objects.filter(**answered).exclude(answer="").values_list(
            "ticket_id", "ticket__team_id", "ticket__assignee_id", "answer"
        )
    )
    bands = empathy_bands({row[0] for row in ratings} | {row[0] for row in follow_ups})
    for ticket_id, team_id, agent_id, rating in ratings:
        row = rows[(team_id, agent_id)]
        row.count("ratings", str(rating))
        band = row.values.setdefault("by_empathy", {}).setdefault(bands[ticket_id], {})
        band["answers"] = band.get("answers", 0) + 1
        band["happy"] = band.get("happy", 0) + int(rating in HAPPY)
        band["rating_sum"] = band.get("rating_sum", 0) + rating
        if rating <= 2:
            label = "very unhappy" if rating == 1 else "unhappy"
            _attention(row, ticket_id, f"the customer answered the survey: {label}", 4 - rating)
    for ticket_id, team_id, agent_id, answer in follow_ups:
        row = rows[(team_id, agent_id)]
        row.count("follow_ups", answer)
        band = row.values.setdefault("by_empathy", {}).setdefault(bands[ticket_id], {})
        band["follow_ups"] = band.get("follow_ups", 0) + 1
        band["better"] = band.get("better", 0) + int(answer == "better")
        if answer != "better":
            words = "it is still broken" if answer == "broken" else "it is not better yet"
            _attention(row, ticket_id, f"the customer said {words}", 3 if answer == "broken" else 2)


def empathy_bands(ticket_ids: Iterable[int]) -> dict[int, str]:
    """Each ticket's band by the mean empathy of its coached replies."""
    ids = list(ticket_ids)
    means = dict(
        ReplyCoaching.objects.filter(ticket__in=ids)
        .values("ticket")
        .annotate(mean=Avg("empathy"))
        .values_list("ticket", "mean")
    )
    return {ticket_id: band_of(means.get(ticket_id)) for ticket_id in ids}


def band_of(mean: float | None) -> str:
    if mean is None:
        return NO_COACHING
    return next(label for floor, label in EMPATHY_BANDS if mean >= floor)


# --- helpers ---------------------------------------------------------------------------------


def _grouped(values: Iterable[tuple[Any, ...]]) -> dict[int, list[tuple[Any, ...]]]:
    """Rows grouped by their first column (a ticket id), in the order given."""
    groups: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for value in values:
        groups[value[0]].append(value)
    return groups


def _attention(row: _Row, ticket_id: int, why: str, weight: int) -> None:
    row.append("attention", {"ticket": ticket_id, "why": why, "weight": weight})


PARTS: tuple[Callable[[_Rows, _Desk, datetime, datetime], None], ...] = (
    _speed, _breaches, _backlog, _empathy, _deescalation, _moods, _at_risk, _care,
)
