"""Desk benchmark: 100,000 tickets, the queue and ticket pages, one watchdog pass.

Run through `make bench` (both databases), or alone:
    python -m bench.desk_bench --database sqlite --tickets 100000
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import timedelta
from typing import Any

TARGET_PAGE_P95_MS = 150
TARGET_QUERIES = 10
TARGET_WATCHDOG_S = 2.0
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/heard_bench"


def configure(database: str) -> None:
    os.environ["HEARD_VAR_DIR"] = tempfile.mkdtemp(prefix="heard-bench-")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ["HEARD_JOBS_EAGER"] = "true"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    if database == "postgres":
        _recreate_postgres_database()
        os.environ["DATABASE_URL"] = POSTGRES_URL
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _recreate_postgres_database() -> None:
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS heard_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE heard_bench")


def seed(n_tickets: int, rng: random.Random) -> dict[str, Any]:
    """Bulk-insert a desk of n_tickets with three messages and one event each."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from heard.desk.models import (
        Agent,
        Customer,
        Direction,
        Message,
        Priority,
        SlaStage,
        Status,
        Team,
        Ticket,
        TicketEvent,
    )

    now = timezone.now()
    teams = [Team.objects.create(name=f"Team {i}", slug=f"team-{i}") for i in range(3)]
    agents = []
    for i in range(8):
        user = User.objects.create_user(f"agent{i}", f"agent{i}@example.org", "bench-password")
        agent = Agent.objects.create(user=user)
        agent.teams.set([teams[i % 3]])
        agents.append(agent)
    customers = Customer.objects.bulk_create(
        [Customer(name=f"Customer {i}") for i in range(n_tickets // 5)], batch_size=5000
    )
    statuses = [Status.NEW, Status.OPEN, Status.PENDING, Status.SOLVED, Status.CLOSED]
    weights = [15, 35, 10, 20, 20]
    tickets = []
    for i in range(n_tickets):
        status = rng.choices(statuses, weights)[0]
        created = now - timedelta(minutes=rng.randint(5, 60 * 24 * 60))
        ticket = Ticket(
            subject=f"Question number {i}",
            customer=rng.choice(customers),
            team=teams[i % 3],
            assignee=agents[i % 8] if i % 4 else None,
            status=status,
            priority=rng.choice(list(Priority)),
            created_at=created,
            updated_at=created,
        )
        if status in (Status.NEW, Status.OPEN):
            _set_clock(ticket, now, rng, SlaStage)
        _set_mood(ticket, rng)
        tickets.append(ticket)
    Ticket.objects.bulk_create(tickets, batch_size=5000)
    tickets = list(Ticket.objects.only("pk", "created_at"))
    Message.objects.bulk_create(
        (
            Message(
                ticket_id=t.pk,
                direction=d,
                text=f"Message {k} of ticket {t.pk}. " * 8,
                created_at=t.created_at + timedelta(minutes=k),
            )
            for t in tickets
            for k, d in enumerate([Direction.CUSTOMER, Direction.AGENT, Direction.CUSTOMER])
        ),
        batch_size=10000,
    )
    TicketEvent.objects.bulk_create(
        (TicketEvent(ticket_id=t.pk, what="created", created_at=t.created_at) for t in tickets),
        batch_size=10000,
    )
    _analyze()
    return {"agent": agents[0], "ticket_ids": [t.pk for t in tickets]}


def _analyze() -> None:
    """Refresh planner statistics after the bulk load, as autovacuum would in production."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _set_clock(ticket: Any, now: Any, rng: random.Random, stage: Any) -> None:
    """Most clocks run in the future; 1 in 100 just crossed its check time this minute."""
    ticket.awaiting_since = ticket.created_at
    ticket.unanswered_count = 1
    if rng.random() < 0.01:
        ticket.reply_due_at = now + timedelta(hours=1)
        ticket.sla_check_at = now - timedelta(seconds=rng.randint(1, 59))
    else:
        ticket.reply_due_at = now + timedelta(minutes=rng.randint(30, 60 * 24 * 5))
        ticket.sla_check_at = ticket.reply_due_at - timedelta(minutes=20)
    if rng.random() < 0.002:
        ticket.unanswered_count = 2
    ticket.sla_stage = stage.RUNNING


MOODS = ["neutral", "anger", "frustration", "disappointment", "anxiety", "confusion", "happiness"]
CUES = ["deadline today", "charged twice", "locked out", "cancel my subscription"]


def _set_mood(ticket: Any, rng: random.Random) -> None:
    """A reading on every ticket, and the care order derived from it as save() would."""
    ticket.mood = rng.choice(MOODS)
    ticket.mood_confidence = rng.uniform(0.4, 0.95)
    ticket.urgency = rng.random() ** 3
    ticket.churn_risk = rng.random() ** 4
    ticket.care_cues = rng.sample(CUES, rng.randint(0, 2))
    ticket.refresh_care()


def measure_pages(agent: Any, ticket_ids: list[int], rng: random.Random, repeat: int) -> dict:
    from django.db import connection
    from django.test import Client

    from bench._stats import time_ms
    from heard.desk.models import Ticket

    client = Client()
    client.force_login(agent.user)
    visible = list(Ticket.objects.visible_to(agent).values_list("pk", flat=True)[: len(ticket_ids)])

    def queue() -> None:
        assert client.get(f"/?page={rng.randint(1, 20)}").status_code == 200

    def ticket() -> None:
        assert client.get(f"/tickets/{rng.choice(visible)}/").status_code == 200

    results = {}
    for name, fn in (("queue", queue), ("ticket", ticket)):
        time_ms(fn, 5)  # warm caches, templates and connections
        queries: list[str] = []

        def count(execute: Any, sql: str, *args: Any) -> Any:
            queries.append(sql)  # noqa: B023  (read right after, in the same iteration)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            fn()
        results[name] = (time_ms(fn, repeat), len(queries))
    return results


def measure_watchdog() -> tuple[float, int]:
    from heard.desk.actions import run_watchdog

    start = time.perf_counter()
    fired = run_watchdog()
    return time.perf_counter() - start, fired


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    configure(args.database)

    from bench._stats import percentile, summary_ms
    from heard.desk.models import Ticket

    rng = random.Random(7)
    start = time.perf_counter()
    seeded = seed(args.tickets, rng)
    active = Ticket.objects.active().count()
    print(
        f"[{args.database}] seeded {args.tickets:,} tickets ({active:,} active) "
        f"in {time.perf_counter() - start:.1f} s"
    )
    pages = measure_pages(seeded["agent"], seeded["ticket_ids"], rng, args.repeat)
    for name, (samples, queries) in pages.items():
        ok = percentile(samples, 95) < TARGET_PAGE_P95_MS and queries <= TARGET_QUERIES
        print(
            f"[{args.database}] {name:6} page  {summary_ms(samples)}   {queries} queries   "
            f"target p95 < {TARGET_PAGE_P95_MS} ms, <= {TARGET_QUERIES} queries: "
            f"{'met' if ok else 'MISSED'}"
        )
    seconds, fired = measure_watchdog()
    print(
        f"[{args.database}] watchdog pass over {active:,} active tickets: {seconds:.2f} s, "
        f"{fired} escalations   target < {TARGET_WATCHDOG_S:.0f} s: "
        f"{'met' if seconds < TARGET_WATCHDOG_S else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
