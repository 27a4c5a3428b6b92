"""The rollup: its rows equal the same figures computed directly from the desk's rows, a day
rolled up twice is the same day, the backfill command fills history with a progress bar, and
the periodic job is scheduled."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from heard import jobs
from heard.care.models import FollowUp, Survey
from heard.desk.care_order import NEGATIVE, mood_trend
from heard.desk.models import (
    ACTIVE_STATUSES,
    Agent,
    Direction,
    Message,
    SlaPolicy,
    Status,
    Ticket,
    TicketEvent,
)
from heard.insights import rollup
from heard.insights.models import DayFigures, RolledDay
from heard.insights.tests.history import business_days, seed_history
from heard.insights.tests.monday import MONDAY, MondayTestCase
from heard.schedule import periodic_jobs
from heard.test import BaseTestCase
from heard.training.models import ReplyCoaching

FIRST = date(2026, 2, 2)
DAYS = 8
Key = tuple[int, int | None]


def stored(day: date) -> dict[Key, dict[str, Any]]:
    """What the rollup wrote for a day, each list sorted, empty figures left out."""
    found = {}
    for row in DayFigures.objects.filter(day=day).values():
        key = (row["team_id"], row["agent_id"])
        found[key] = _normal({k: v for k, v in row.items()
                              if k not in ("id", "day", "team_id", "agent_id")})
    return {key: value for key, value in found.items() if value}


def _normal(figures: dict[str, Any]) -> dict[str, Any]:
    kept = {}
    for name, value in figures.items():
        if name in ("attention", "calmed", "sent_anyway", "by_empathy"):
            continue  # lists of examples and reasons, checked by the tests by hand
        if isinstance(value, list):
            value = sorted(value)
        if value:
            kept[name] = value
    return kept


class Direct:
    """The same figures straight from the desk's rows, one question at a time: no shared code
    with the rollup but the desk's own calendars and `mood_trend`."""

    def __init__(self, day: date) -> None:
        self.start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        self.end = self.start + timedelta(days=1)
        self.rows: dict[Key, dict[str, Any]] = defaultdict(dict)
        self.agent_of = {a.user_id: a.pk for a in Agent.objects.all()}

    def add(self, key: Key, name: str, amount: int = 1) -> None:
        self.rows[key][name] = self.rows[key].get(name, 0) + amount

    def append(self, key: Key, name: str, value: Any) -> None:
        self.rows[key].setdefault(name, []).append(value)

    def count(self, key: Key, name: str, value: str) -> None:
        self.rows[key].setdefault(name, Counter())[value] += 1

    def replies(self) -> None:
        sent = Message.objects.filter(direction=Direction.AGENT, created_at__gte=self.start,
                                      created_at__lt=self.end).select_related("ticket__team")
        for message in sent:
            ticket = message.ticket
            key = (ticket.team_id, self.agent_of.get(message.author_id or 0))
            earlier = ticket.messages.filter(created_at__lt=message.created_at)
            calendar = ticket.team.calendar()
            if not earlier.filter(direction=Direction.AGENT).exists():
                if ticket.first_response_due_at is None:
                    continue
                took = calendar.between(ticket.created_at, message.created_at)
                self.append(key, "first_replies", int(took.total_seconds()))
                within = message.created_at <= ticket.first_response_due_at
                self.add(key, "first_within", int(within))
                if ticket.promised_reply_at:
                    gap = message.created_at - ticket.promised_reply_at
                    self.append(key, "promise_gaps", int(gap.total_seconds()))
                continue
            last_reply = earlier.filter(direction=Direction.AGENT).latest("created_at", "pk")
            waited = earlier.filter(direction=Direction.CUSTOMER,
                                    created_at__gt=last_reply.created_at).order_by("created_at")
            if waited.exists():
                since = waited[0].created_at
                took = calendar.between(since, message.created_at)
                self.append(key, "next_replies", int(took.total_seconds()))
                target = SlaPolicy.targets(ticket.team, self.priority(ticket, since), first=False)
                self.add(key, "next_within", int(message.created_at <= calendar.add(since, target)))

    @staticmethod
    def priority(ticket: Ticket, moment: datetime) -> str:
        changes = list(ticket.events.filter(what__in=["priority", "escalated"])
                       .order_by("created_at", "pk"))
        priority = changes[0].before if changes else ticket.priority
        for change in changes:
            if change.created_at <= moment:
                priority = change.after
        return priority

    def coaching(self) -> None:
        for row in ReplyCoaching.objects.filter(sent_at__gte=self.start, sent_at__lt=self.end):
            key = (row.ticket.team_id, row.agent_id)
            self.add(key, "coached")
            for name in ("score", "empathy", "respect", "clarity"):
                self.add(key, f"{name}_sum", getattr(row, name))
            for code in row.codes:
                self.count(key, "findings", code)

    def moods_and_answers(self) -> None:
        incoming = Message.objects.filter(direction=Direction.CUSTOMER,
                                          created_at__gte=self.start, created_at__lt=self.end)
        for message in incoming.select_related("ticket"):
            self.count((message.ticket.team_id, message.ticket.assignee_id), "moods",
                       message.emotion or "unread")
        for survey in Survey.objects.filter(answered_at__gte=self.start,
                                            answered_at__lt=self.end).select_related("ticket"):
            self.count((survey.ticket.team_id, survey.ticket.assignee_id), "ratings",
                       str(survey.rating))
        for answer in FollowUp.objects.filter(answered_at__gte=self.start,
                                              answered_at__lt=self.end).select_related("ticket"):
            self.count((answer.ticket.team_id, answer.ticket.assignee_id), "follow_ups",
                       answer.answer)

    def breaches_and_backlog(self) -> None:
        breached = TicketEvent.objects.filter(what="escalated", note__contains="breached",
                                              created_at__gte=self.start, created_at__lt=self.end)
        for event in breached.select_related("ticket"):
            self.add((event.ticket.team_id, event.ticket.assignee_id), "breaches")
        for ticket in Ticket.objects.filter(created_at__lt=self.end):
            changes = ticket.events.filter(what="status", created_at__lt=self.end)
            last = changes.order_by("created_at", "pk").last()
            if (last.after if last else Status.NEW) in ACTIVE_STATUSES:
                key = (ticket.team_id, ticket.assignee_id)
                age = self.end - ticket.created_at
                self.append(key, "backlog_ages", int(age.total_seconds()))
                if ticket.promised_reply_at and ticket.promised_reply_at < self.end and (
                    not ticket.first_responded_at or ticket.first_responded_at >= self.end
                ):
                    self.add(key, "promises_overdue")

    def calm(self) -> None:
        solves = TicketEvent.objects.filter(what="status", created_at__gte=self.start,
                                            created_at__lt=self.end).filter(
            Q(after=Status.SOLVED) | (Q(after=Status.CLOSED) & ~Q(before=Status.SOLVED)))
        for solve in solves.select_related("ticket"):
            said = solve.ticket.messages.filter(direction=Direction.CUSTOMER,
                                                created_at__lte=solve.created_at)
            first, last = said.earliest("created_at", "pk"), said.latest("created_at", "pk")
            if first.emotion not in NEGATIVE:
                continue
            replier = solve.ticket.messages.filter(
                direction=Direction.AGENT, created_at__lte=solve.created_at
            ).order_by("created_at", "pk").last()
            author = replier.author_id if replier else None
            key = (solve.ticket.team_id, self.agent_of.get(author) if author else None)
            self.add(key, "negative_start")
            if last.pk != first.pk:
                self.add(key, "wrote_again")
                if mood_trend(first.emotion_scores(), last.emotion_scores()) == "calming down":
                    self.add(key, "calmer")

    def figures(self) -> dict[Key, dict[str, Any]]:
        self.replies()
        self.coaching()
        self.moods_and_answers()
        self.breaches_and_backlog()
        self.calm()
        return {key: _normal({k: dict(v) if isinstance(v, Counter) else v
                              for k, v in row.items()}) for key, row in self.rows.items()}


class RollupEqualsDirectTestCase(BaseTestCase):
    def test_every_day_equals_a_direct_computation(self) -> None:
        tickets = seed_history(self.billing, self.tech, self.lead,
                               {"warm": self.alice, "curt": self.bob, "tech": self.olga},
                               FIRST, DAYS)
        self.assertGreater(len(tickets), 2 * DAYS)
        days = [FIRST + timedelta(days=n) for n in range(12)]
        for day in days:
            rollup.roll_up_day(day)
        self.assertTrue(ReplyCoaching.objects.exists())  # the studio's coaching was recorded
        checked = Counter[str]()
        for day in days:
            direct = Direct(day).figures()
            self.assertEqual(stored(day), {k: v for k, v in direct.items() if v}, day)
            checked.update(name for row in direct.values() for name in row)
        # The history is varied enough to exercise every figure compared.
        for name in ("first_replies", "next_replies", "promise_gaps", "breaches", "backlog_ages",
                     "coached", "findings", "moods", "ratings", "follow_ups", "negative_start",
                     "wrote_again", "calmer"):
            self.assertGreater(checked[name], 0, name)


class RollupTestCase(MondayTestCase):
    def test_a_day_rolled_up_twice_is_the_same_day(self) -> None:
        rollup.roll_up_day(MONDAY)
        first = list(DayFigures.objects.order_by("team", "agent").values())
        rollup.roll_up_day(MONDAY)
        again = list(DayFigures.objects.order_by("team", "agent").values())
        strip = [{k: v for k, v in row.items() if k != "id"} for row in first]
        self.assertEqual(strip, [{k: v for k, v in row.items() if k != "id"} for row in again])
        self.assertEqual(RolledDay.objects.filter(day=MONDAY).count(), 1)

    def test_only_the_day_in_progress_lists_who_is_at_risk_now(self) -> None:
        self.t4.churn_risk = 0.9  # as a reading would set it
        self.t4.save()
        rollup.roll_up_day(MONDAY)  # a past day: what stands now is not its history
        self.assertFalse(DayFigures.objects.exclude(at_risk=[]).exists())
        today = timezone.localdate()
        rollup.roll_up_day(today)
        [row] = DayFigures.objects.filter(day=today).exclude(at_risk=[])
        self.assertEqual((row.team_id, row.agent_id), (self.billing.pk, None))
        self.assertEqual(row.at_risk, [{"ticket": self.t4.pk, "customer": self.t4.customer_id,
                                        "churn": 0.9, "mood": "", "lately": 0}])

    def test_it_has_the_studio_coach_a_reply_its_job_missed(self) -> None:
        missed = ReplyCoaching.objects.filter(ticket=self.t2).get()
        message_id = missed.message_id
        missed.delete()
        rollup.roll_up_day(MONDAY)
        coaching = ReplyCoaching.objects.get(message_id=message_id)
        bob = DayFigures.objects.get(day=MONDAY, agent=self.bob)
        self.assertEqual((bob.coached, bob.empathy_sum), (1, coaching.empathy))

    def test_today_is_rolled_up_as_far_as_now(self) -> None:
        now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
        rollup.roll_up_day(MONDAY, now=now)
        alice = DayFigures.objects.get(day=MONDAY, agent=self.alice)
        self.assertEqual(len(alice.first_replies), 1)  # T1 at 10:00, not T3 at 16:20
        rolled = RolledDay.objects.get(day=MONDAY)
        self.assertEqual(rolled.rolled_at, now)

    def test_the_backfill_command_rolls_up_history_with_a_progress_bar(self) -> None:
        out = StringIO()
        call_command("insights_backfill", since=MONDAY - timedelta(days=3), stdout=out)
        text = out.getvalue()
        self.assertIn("Rolling up 2026-02-27", text)
        self.assertIn("[" + "#" * 30 + "]", text)  # the bar, full at the end
        self.assertIn("rows of figures", text)
        self.assertTrue(RolledDay.objects.filter(day=MONDAY - timedelta(days=3)).exists())
        self.assertTrue(DayFigures.objects.filter(day=MONDAY, agent=self.alice).exists())
        rows = DayFigures.objects.count()
        call_command("insights_backfill", since=MONDAY - timedelta(days=3), stdout=StringIO())
        self.assertEqual(DayFigures.objects.count(), rows)

    def test_the_rollup_runs_on_the_schedule(self) -> None:
        names = [name for name, _ in periodic_jobs()]
        self.assertIn("heard.insights.tasks.roll_up", names)
        self.assertIn("heard.insights.tasks.roll_up", jobs.registered())

    def test_business_days_skip_the_weekend(self) -> None:
        self.assertEqual(len(business_days(FIRST, 6)), 6)
        self.assertTrue(all(day.weekday() < 5 for day in business_days(FIRST, 6)))
