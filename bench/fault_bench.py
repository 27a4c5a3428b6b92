"""Faults on the production shape, with counts: what a team's incidents would do to mail.

Each scenario boots the shape from the README's commands (heard.tests_production.shape: on
PostgreSQL and Redis, no containers), breaks one part and counts (heard.tests_production.faults):

1. kill -9 of `heard smtpd` a third of the way through 1,000 emails sent over 5 connections,
   started again a second later; the senders retry whatever got no 250, as mail servers do.
2. PostgreSQL refusing connections: the receiver must answer 451 and stay up.
3. Redis cut (a relay in front of it, so other users of Redis are untouched) while emails arrive
   and an agent replies: jobs run in the process that queued them, with a warning in its log.
4. kill -9 of a Celery worker (main process and pool) while it files a burst of 200 emails.

    python -m bench.fault_bench                 # all four (the last waits for a claim to lapse)
    python -m bench.fault_bench --only receiver --emails 1000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from heard.tests_production import faults
from heard.tests_production.shape import Shape, production_available

DATABASE = "heard_fault_bench"


def scenario(title: str, run: Callable[[Shape], dict[str, Any]], **shape: Any) -> bool:
    print(f"\n== {title} ==", flush=True)
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, Shape(Path(tmp), DATABASE, **shape) as booted:
        try:
            counts = run(booted)
        except BaseException:
            print(booted.tails())
            raise
    for name, value in counts.items():
        print(f"  {name}: {value}")
    print(f"  ({time.monotonic() - start:.0f} s with booting)", flush=True)
    return ok(counts)


def ok(counts: dict[str, Any]) -> bool:
    """Nothing lost and nothing twice, in the counts' own words."""
    bad = {
        k: v
        for k, v in counts.items()
        if k.startswith(("lost", "never")) or k in {"filed twice", "acknowledged twice"}
    }
    return not any(bad.values()) and counts.get("filed in time", True) is not False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["receiver", "database", "redis", "worker"])
    parser.add_argument("--emails", type=int, default=1000, help="for the receiver kill")
    args = parser.parse_args()
    if not production_available():
        print("PostgreSQL and Redis are not reachable on 127.0.0.1: the fault tests are skipped.")
        return 0
    results = []
    if args.only in (None, "receiver"):
        results.append(scenario(
            f"kill -9 of the receiver during {args.emails} emails over 5 connections",
            lambda shape: faults.receiver_killed(shape, args.emails),
        ))
    if args.only in (None, "database"):
        results.append(scenario("PostgreSQL unavailable", faults.database_down))
    if args.only in (None, "redis"):
        outage = faults.Outage()
        try:
            results.append(scenario(
                "Redis down",
                lambda shape: faults.redis_down(shape, outage),
                extra_env={"CELERY_BROKER_URL": f"{outage.url}/5"},
            ))
        finally:
            outage.down()
    if args.only in (None, "worker"):
        results.append(scenario("kill -9 of a Celery worker mid-job", faults.worker_killed))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
