"""API benchmark: list and get tickets through /api/v1/ with 100,000 tickets.

The desk is seeded as the desk benchmark seeds it (bulk inserts into a fresh SQLite file under
/tmp, or a PostgreSQL database of its own), then a write token's requests go through the whole
stack (Django's test client: middleware, the token's digest and rate-limit row, the query, the
JSON): a first page, a page deep behind a cursor, the queue in care order, and one ticket with
its forecast. Run through `make bench`, or alone:
    python -m bench.api_bench --database sqlite --tickets 100000
"""

from __future__ import annotations

import argparse
import os
import random
import time
from typing import Any

TARGET_P95_MS = 100
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/heard_api_bench"


def configure(database: str) -> None:
    os.environ["HEARD_API_RATE_PER_MINUTE"] = "1000000"  # measure the API, not its limit
    if database == "postgres":
        import psycopg

        with psycopg.connect(
            "postgres://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            conn.execute("DROP DATABASE IF EXISTS heard_api_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE heard_api_bench")
        os.environ["DATABASE_URL"] = POSTGRES_URL
        from bench import desk_bench

        desk_bench.POSTGRES_URL = POSTGRES_URL
        desk_bench._recreate_postgres_database = lambda: None  # made just above
    from bench.desk_bench import configure as configure_desk

    configure_desk(database)


def measure(agent: Any, rng: random.Random, repeat: int) -> dict[str, tuple[list[float], int]]:
    from django.db import connection
    from django.test import Client

    from bench._stats import time_ms
    from heard.api.actions import create_token
    from heard.desk.models import Ticket

    _, token = create_token(agent, name="bench", scope="write")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    visible = list(Ticket.objects.visible_to(agent).values_list("pk", flat=True)[:5000])
    waiting = list(
        Ticket.objects.visible_to(agent)
        .active()
        .filter(awaiting_since__isnull=False)
        .values_list("pk", flat=True)[:5000]
    )
    cursor = ""
    for _ in range(20):  # twenty pages in: a cursor deep in the list
        cursor = client.get("/api/v1/tickets", {"cursor": cursor} if cursor else {}).json()[
            "next_cursor"
        ]

    def get(path: str, params: dict[str, Any] | None = None) -> None:
        response = client.get(path, params or {})
        assert response.status_code == 200, response.content[:300]

    calls = {
        "list": lambda: get("/api/v1/tickets"),
        "list deep": lambda: get("/api/v1/tickets", {"cursor": cursor}),
        "list care": lambda: get("/api/v1/tickets", {"order": "care", "active": "true"}),
        "get": lambda: get(f"/api/v1/tickets/{rng.choice(visible)}"),
        # The desk's live forecast (heard.desk.forecast), as the acknowledgement email makes it.
        "get+forecast": lambda: get(
            f"/api/v1/tickets/{rng.choice(waiting)}", {"expected_reply": "true"}
        ),
    }
    results = {}
    for name, fn in calls.items():
        time_ms(fn, 5)  # warm caches and connections
        queries: list[str] = []

        def count(execute: Any, sql: str, *args: Any) -> Any:
            queries.append(sql)  # noqa: B023  (read right after, in the same iteration)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            fn()
        results[name] = (time_ms(fn, repeat), len(queries))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    configure(args.database)

    from bench._stats import percentile, summary_ms
    from bench.desk_bench import seed

    rng = random.Random(11)
    start = time.perf_counter()
    seeded = seed(args.tickets, rng)
    took = time.perf_counter() - start
    print(f"[{args.database}] seeded {args.tickets:,} tickets in {took:.1f} s")
    for name, (samples, queries) in measure(seeded["agent"], rng, args.repeat).items():
        met = percentile(samples, 95) < TARGET_P95_MS
        print(
            f"[{args.database}] {name:10} {summary_ms(samples)}   {queries} queries   "
            f"target p95 < {TARGET_P95_MS} ms: {'met' if met else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
