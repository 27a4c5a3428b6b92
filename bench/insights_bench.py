"""Insights benchmark: 100,000 tickets and 1,000,000 messages, the daily rollup, every page.

    python -m bench.insights_bench                    # SQLite, then PostgreSQL when reachable
    python -m bench.insights_bench --database sqlite  # one database (each runs in its own process)

It bulk-inserts (never through the actions) half a year of history into a database of its own
(SQLite at /tmp/heard-insights-bench.sqlite3, PostgreSQL `heard_insights_bench`): five teams of
eight agents who write more or less warmly, 20,000 customers, tickets of ten messages each
(four from the customer, four replies, the acknowledgement and an internal note), each reply's
coaching as the studio's job stores it, status history, breaches, replies sent anyway, promises,
survey and follow-up answers. Then it rolls up the last `--days` days (timing each day) and
times every insights page with Django's test client for an agent, a lead and the administrator
on the default range: p50/p95 and the number of SQL queries.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

TARGET_PAGE_P95_MS = 300
TARGET_QUERIES = 15
TARGET_ROLLUP_S = 30
SQLITE_PATH = Path("/tmp/heard-insights-bench.sqlite3")  # noqa: S108  (a benchmark's scratch file)
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/heard_insights_bench"
TEAMS, AGENTS_PER_TEAM, CUSTOMERS, HISTORY_DAYS = 5, 8, 20_000, 180
EMOTIONS = ("anger", "frustration", "disappointment", "anxiety", "confusion", "neutral",
            "happiness")
NEGATIVE = EMOTIONS[:4]
PAGES = ("speed", "empathy", "de-escalation", "satisfaction")


# --- set-up ----------------------------------------------------------------------------------


def configure(database: str) -> None:
    import tempfile

    os.environ["HEARD_VAR_DIR"] = tempfile.mkdtemp(prefix="heard-insights-bench-")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["HEARD_JOBS_EAGER"] = "true"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    if database == "postgres":
        import psycopg

        admin = "postgres://postgres@127.0.0.1:5432/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS heard_insights_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE heard_insights_bench")
        os.environ["DATABASE_URL"] = POSTGRES_URL
    else:
        for path in (SQLITE_PATH, Path(f"{SQLITE_PATH}-wal"), Path(f"{SQLITE_PATH}-shm")):
            path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- the data --------------------------------------------------------------------------------


class Seeder:
    """Builds every row in memory with its own ids, then inserts them in large batches."""

    def __init__(self, n_tickets: int, rng: random.Random) -> None:
        from django.db import connection
        from django.utils import timezone

        from heard.desk.sla import DEFAULT_WEEKLY_HOURS, BusinessCalendar

        self.n, self.rng = n_tickets, rng
        self.now = timezone.now().replace(microsecond=0)
        self.calendar = BusinessCalendar.from_config("UTC", DEFAULT_WEEKLY_HOURS)
        self.connection = connection
        self.messages: list[tuple[Any, ...]] = []
        self.coaching: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.answers: list[tuple[int, datetime, int | None, str]] = []

    # The desk's people.
    def people(self) -> None:
        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import User

        from heard.desk.models import Agent, Customer, Role, Team

        password = make_password("bench-password")  # hashed once: hashing is slow on purpose

        self.teams = [Team.objects.create(name=f"Team {i}", slug=f"team-{i}")
                      for i in range(TEAMS)]
        self.agents: list[list[Any]] = []
        self.warmth: dict[int, float] = {}
        for t, team in enumerate(self.teams):
            members = []
            for a in range(AGENTS_PER_TEAM):
                name = f"agent{t}{a}"
                user = User.objects.create(username=name, email=f"{name}@example.org",
                                           password=password, first_name=f"Agent {t}{a}",
                                           last_name="Bench")
                agent = Agent.objects.create(user=user, role=Role.LEAD if a == 0 else Role.AGENT)
                agent.teams.set([team])
                if a == 0:
                    team.lead = user
                    team.save()
                members.append(agent)
                self.warmth[agent.pk] = self.rng.uniform(0.25, 0.95)
            self.agents.append(members)
        admin = User.objects.create(username="admin", email="admin@example.org",
                                    password=password)
        self.admin = Agent.objects.create(user=admin, role=Role.ADMIN)
        self.customers = Customer.objects.bulk_create(
            (Customer(name=f"Customer {i}") for i in range(CUSTOMERS)), batch_size=5000
        )

    # One ticket's ten messages and what the desk would have recorded.
    def tickets(self) -> None:
        from heard.desk.models import Ticket

        tickets = []
        message_id = event_id = coaching_id = 0
        for ticket_id in range(1, self.n + 1):
            team = (ticket_id - 1) % TEAMS
            agent = self.rng.choice(self.agents[team])
            created = self._opened()
            ticket, times = self._timeline(ticket_id, team, agent, created)
            tickets.append(ticket)
            message_id, event_id, coaching_id = self._conversation(
                ticket, agent, times, (message_id, event_id, coaching_id)
            )
        Ticket.objects.bulk_create(tickets, batch_size=5000)

    def _opened(self) -> datetime:
        """A weekday working hour in the last HISTORY_DAYS days, more often lately."""
        while True:
            back = self.rng.random() ** 1.15 * HISTORY_DAYS
            moment = self.now - timedelta(days=back)
            if moment.weekday() < 5 and 7 <= moment.hour < 18:
                return moment.replace(microsecond=0)

    def _timeline(self, ticket_id: int, team: int, agent: Any,
                  created: datetime) -> tuple[Any, list[datetime]]:
        from heard.desk.models import Priority, Status, Ticket

        rng = self.rng
        waits = [rng.lognormvariate(4.6, 1.0) for _ in range(9)]  # minutes, median ~100
        times = [created]
        for wait in waits:
            times.append(times[-1] + timedelta(minutes=wait))
        if times[-1] > self.now - timedelta(minutes=1):  # squeeze a recent one into the past
            room = (self.now - timedelta(minutes=1) - created) / (times[-1] - created)
            times = [created + (t - created) * room for t in times]
        last = times[-1]
        active = self.now - last < timedelta(days=2) and rng.random() < 0.5
        status = Status.OPEN if active else (
            Status.CLOSED if self.now - last > timedelta(days=4) else Status.SOLVED)
        priority = rng.choices(list(Priority), [10, 60, 22, 8])[0]
        target = {Priority.URGENT: 1, Priority.HIGH: 4, Priority.NORMAL: 8, Priority.LOW: 24}
        due = self.calendar.add(created, timedelta(hours=target[Priority(priority)]))
        mood = rng.choice(EMOTIONS)
        ticket = Ticket(
            pk=ticket_id, subject=f"Question number {ticket_id}",
            customer=rng.choice(self.customers), team=self.teams[team], assignee=agent,
            status=status, priority=priority, created_at=created, updated_at=last,
            first_responded_at=times[2], first_response_due_at=due,
            promised_reply_at=(created + timedelta(minutes=rng.choice([30, 60, 120, 240, 480]))
                               if rng.random() < 0.7 else None),
            solved_at=None if active else last,
            closed_at=last + timedelta(days=4) if status == Status.CLOSED else None,
            mood=mood, mood_confidence=0.8, churn_risk=rng.random() ** 6,
            awaiting_since=last if active else None, unanswered_count=int(active),
        )
        return ticket, times

    def _conversation(self, ticket: Any, agent: Any, times: list[datetime],
                      ids: tuple[int, int, int]) -> tuple[int, int, int]:
        """The ticket's messages, coaching and events; returns the last ids used."""
        from heard.desk.models import Direction, Status

        message_id, event_id, coaching_id = ids

        rng, warmth = self.rng, self.warmth[agent.pk]
        active = ticket.status == Status.OPEN
        kinds = [Direction.CUSTOMER, Direction.SYSTEM, Direction.AGENT, Direction.CUSTOMER,
                 Direction.AGENT, Direction.NOTE, Direction.CUSTOMER, Direction.AGENT,
                 Direction.CUSTOMER, Direction.CUSTOMER if active else Direction.AGENT]
        feeling = rng.choices(EMOTIONS, [12, 16, 10, 10, 12, 30, 10])[0]
        events: list[tuple[Any, ...]] = [("created", "", ticket.reference, "", None,
                                          ticket.created_at)]
        for kind, at in zip(kinds, times, strict=True):
            message_id += 1
            reading, emotion = None, ""
            if kind == Direction.CUSTOMER:
                if feeling in NEGATIVE and rng.random() < warmth * 0.9:
                    feeling = rng.choice(("neutral", "happiness", "confusion"))
                emotion = feeling
                reading = {"scores": {feeling: 0.8, "neutral": 0.2}, "urgent": False}
            author = agent.user_id if kind in (Direction.AGENT, Direction.NOTE) else None
            text = f"Message {message_id}. " * 6
            self.messages.append((message_id, ticket.pk, kind, author, text, "", at, reading,
                                  emotion))
            if kind == Direction.AGENT:
                coaching_id += 1
                self.coaching.append(self._coached(coaching_id, message_id, ticket, agent, at))
                if rng.random() < (1 - warmth) * 0.06:
                    events.append(("coach", "", "", "sent anyway, despite: blame", agent.user_id,
                                   at))
        events += self._history(ticket, agent, times)
        for what, before, after, note, actor, at in events:
            event_id += 1
            self.events.append((event_id, ticket.pk, actor, at, what, before, after, note))
        if ticket.solved_at and rng.random() < 0.45:
            self.answers.append((ticket.pk, ticket.solved_at, self._rating(warmth), ""))
        if ticket.solved_at and rng.random() < 0.2:
            answer = rng.choices(["better", "not_yet", "broken"], [6 * warmth, 1, 1])[0]
            self.answers.append((ticket.pk, ticket.solved_at, None, answer))
        return message_id, event_id, coaching_id

    def _coached(self, pk: int, message_id: int, ticket: Any, agent: Any,
                 at: datetime) -> tuple[Any, ...]:
        rng, warmth = self.rng, self.warmth[agent.pk]
        empathy = max(0, min(100, round(rng.gauss(100 * warmth, 12))))
        respect = max(0, min(100, round(rng.gauss(60 + 40 * warmth, 10))))
        clarity = max(0, min(100, round(rng.gauss(75, 10))))
        codes = [code for code, chance in (("no_name", 0.3), ("no_next_step", 0.2),
                                           ("robotic", 0.4 * (1 - warmth)),
                                           ("blame", 0.1 * (1 - warmth))) if rng.random() < chance]
        score = round(0.4 * empathy + 0.4 * respect + 0.2 * clarity)
        return (pk, message_id, ticket.pk, agent.pk, at, score, empathy, respect, clarity, codes)

    def _history(self, ticket: Any, agent: Any, times: list[datetime]) -> list[tuple[Any, ...]]:
        from heard.desk.models import Status

        found: list[tuple[Any, ...]] = [("status", "new", "open", "", agent.user_id, times[2])]
        if ticket.first_responded_at > ticket.first_response_due_at:
            note = "first response target breached"
            found.append(("escalated", ticket.priority, ticket.priority, note, None,
                          ticket.first_response_due_at))
        if ticket.solved_at:
            found.append(("status", "open", "solved", "", agent.user_id, ticket.solved_at))
        if ticket.status == Status.CLOSED:
            found.append(("status", "solved", "closed", "", None, ticket.closed_at))
        return found

    def _rating(self, warmth: float) -> int:
        return max(1, min(5, round(self.rng.gauss(1.5 + 3.5 * warmth, 0.9))))

    # Writing it all.
    def insert(self) -> None:
        from heard.care.models import FollowUp, Survey
        from heard.desk.models import Message, TicketEvent
        from heard.training.models import ReplyCoaching

        self._raw(Message, ("id", "ticket_id", "direction", "author_id", "text", "html",
                            "created_at", "reading", "emotion"), self.messages, json_at=7)
        self._raw(ReplyCoaching, ("id", "message_id", "ticket_id", "agent_id", "sent_at",
                                  "score", "empathy", "respect", "clarity", "codes"),
                  self.coaching, json_at=9)
        self._raw(TicketEvent, ("id", "ticket_id", "actor_id", "created_at", "what", "before",
                                "after", "note"), self.events)
        surveys, follow_ups = [], []
        for ticket_id, solved, rating, answer in self.answers:
            asked = solved + timedelta(hours=24)
            answered = min(asked + timedelta(hours=self.rng.uniform(1, 40)), self.now)
            if asked >= self.now:
                continue
            if rating is not None:
                surveys.append(Survey(ticket_id=ticket_id, created_at=asked, rating=rating,
                                      answered_at=answered))
            else:
                follow_ups.append(FollowUp(ticket_id=ticket_id, created_at=asked, answer=answer,
                                           answered_at=answered))
        Survey.objects.bulk_create(surveys, batch_size=5000)
        FollowUp.objects.bulk_create(follow_ups, batch_size=5000)
        self._reset_sequences()

    def _raw(self, model: Any, columns: Sequence[str], rows: list[tuple[Any, ...]],
             json_at: int | None = None) -> None:
        """executemany in batches, values adapted for the backend (datetimes, JSON)."""
        from django.db import transaction

        ops = self.connection.ops
        sqlite = self.connection.vendor == "sqlite"
        names = ", ".join(ops.quote_name(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        table = ops.quote_name(model._meta.db_table)
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608  (our own names)
        if sqlite:
            stamp = ops.adapt_datetimefield_value
        else:
            from psycopg.types.json import Jsonb
        for start in range(0, len(rows), 20_000):
            batch = []
            for row in rows[start:start + 20_000]:
                values = [stamp(v) if sqlite and isinstance(v, datetime) else v for v in row]
                if json_at is not None and values[json_at] is not None:
                    value = values[json_at]
                    values[json_at] = json.dumps(value) if sqlite else Jsonb(value)
                batch.append(values)
            with transaction.atomic(), self.connection.cursor() as cursor:
                cursor.executemany(sql, batch)

    def _reset_sequences(self) -> None:
        from django.core.management.color import no_style

        from heard.desk.models import Message, Ticket, TicketEvent
        from heard.training.models import ReplyCoaching

        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(
                no_style(), [Ticket, Message, TicketEvent, ReplyCoaching]
            ):
                cursor.execute(sql)
            cursor.execute("ANALYZE")


# --- measuring -------------------------------------------------------------------------------


def roll_up(days: int) -> list[float]:
    """Roll up the last `days` days, newest first; the seconds each day took."""
    from django.utils import timezone

    from heard.insights import rollup

    today = timezone.localdate()
    took = []
    for n in range(days):
        start = time.perf_counter()
        rollup.roll_up_day(today - timedelta(days=n))
        took.append(time.perf_counter() - start)
    return took


Timings = dict[tuple[str, str], tuple[list[float], int]]


def measure_pages(viewers: dict[str, Any], repeat: int) -> Timings:
    from django.db import connection
    from django.test import Client

    from bench._stats import time_ms

    results = {}
    for who, agent in viewers.items():
        client = Client()
        client.force_login(agent.user)
        for page in PAGES:
            def get(page: str = page, client: Client = client) -> None:
                assert client.get(f"/insights/{page}/").status_code == 200

            time_ms(get, 3)  # warm caches, templates and connections
            queries: list[str] = []

            def count(execute: Any, sql: str, *args: Any) -> Any:
                queries.append(sql)  # noqa: B023  (read right after, in the same iteration)
                return execute(sql, *args)

            with connection.execute_wrapper(count):
                get()
            results[(who, page)] = (time_ms(get, repeat), len(queries))
    return results


def run(database: str, tickets: int, days: int, repeat: int) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    configure(database)
    from bench._stats import percentile, summary_ms
    from heard.desk.models import Message, Ticket

    rng = random.Random(17)
    start = time.perf_counter()
    seeder = Seeder(tickets, rng)
    seeder.people()
    seeder.tickets()
    seeder.insert()
    print(f"[{database}] seeded {Ticket.objects.count():,} tickets and "
          f"{Message.objects.count():,} messages in {time.perf_counter() - start:.0f} s",
          flush=True)
    took = roll_up(days)
    worst = max(took)
    print(f"[{database}] rollup of one day: mean {sum(took) / len(took):.2f} s, slowest "
          f"{worst:.2f} s over the last {days} days   target < {TARGET_ROLLUP_S} s: "
          f"{'met' if worst < TARGET_ROLLUP_S else 'MISSED'}", flush=True)
    viewers = {"agent": seeder.agents[0][1], "lead": seeder.agents[0][0], "admin": seeder.admin}
    missed = worst >= TARGET_ROLLUP_S
    for (who, page), (samples, queries) in measure_pages(viewers, repeat).items():
        ok = percentile(samples, 95) < TARGET_PAGE_P95_MS and queries <= TARGET_QUERIES
        missed |= not ok
        print(f"[{database}] {page:13} as {who:5}  {summary_ms(samples)}   {queries:2} queries   "
              f"target p95 < {TARGET_PAGE_P95_MS} ms, <= {TARGET_QUERIES} queries: "
              f"{'met' if ok else 'MISSED'}", flush=True)
    return 1 if missed else 0


def _postgres_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
    except Exception:
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=28, help="days to roll up (pages show 28)")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    if args.database:
        return run(args.database, args.tickets, args.days, args.repeat)
    failures = 0
    databases = ["sqlite"] + (["postgres"] if _postgres_reachable() else [])
    if len(databases) == 1:
        print("PostgreSQL is not reachable at 127.0.0.1:5432: its figures are skipped.")
    for database in databases:
        failures += subprocess.call([  # noqa: S603  (our own module)
            sys.executable, "-m", "bench.insights_bench", "--database", database,
            "--tickets", str(args.tickets), "--days", str(args.days),
            "--repeat", str(args.repeat),
        ]) != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
