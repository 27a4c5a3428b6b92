"""Steady rate and bursts: how many emails a second Heard acknowledges within 2 s (p95), and
how long a burst takes to drain beside the bound the machine's CPU sets.

Emails arrive over SMTP at the real receiver (`heard smtpd`, a process of its own) at a steady
rate for 10 seconds each, rising (10, 20, 30, 40, 50, 60, 80 emails/s) until the p95 from
receipt to acknowledgement queued reaches 2 s (or an email goes unacknowledged); the last rate
that held is the figure. It is measured for the embedded default (SQLite, jobs on the receiver's
in-process pool) and for 1, 2 and 4 Celery worker processes (PostgreSQL and Redis, the scaled
set-up). Then, for each, a burst of N emails sent at once: the time until the last one is
acknowledged, beside the bound `CPU per email x N / cores` (the CPU per email measured in the
same run, filing alone, by one thread).

    python -m bench.steady_bench                      # embedded, then 1, 2 and 4 workers
    python -m bench.steady_bench --workers 0          # the embedded default alone
    python -m bench.steady_bench --workers 2 --burst 300

Each set-up runs in a process of its own (settings are per process). Celery uses Redis database
6 and the PostgreSQL database heard_steady_bench, both emptied first.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any

from bench import mail_bench
from bench._stats import percentile

RATES = (10, 20, 30, 40, 50, 60, 80)
SECONDS = 10
TARGET_P95_S = 2.0
TARGET_EMBEDDED_RATE = 40
BROKER = "redis://127.0.0.1:6379/6"
DATABASE = "heard_steady_bench"
BURST = 500


def cores() -> int:
    return len(os.sched_getaffinity(0))


def cpu_per_email(n: int = 100) -> float:
    """Seconds of CPU one thread spends per email, filing, reading, acknowledging and sending
    (stored first, filed as a burst's jobs file them)."""
    from unittest import mock

    from heard import jobs
    from heard.mail import filing
    from heard.mail.filing import processing

    def store(count: int, run: str) -> list[int]:
        with mock.patch("heard.jobs._dispatch"):
            return [
                filing.receive(mail_bench.customer_email(i, run), source="smtp").pk
                for i in range(count)
            ]

    with jobs.inline():
        for raw_id in store(10, "cpu-warm"):  # the engine's model loads once per process
            processing.file_waiting(raw_id)
        ids = store(n, "cpu")
        start = time.process_time()
        for raw_id in ids:
            processing.file_waiting(raw_id)
    return (time.process_time() - start) / n


def highest_steady_rate(port: int) -> tuple[int, list[dict[str, Any]]]:
    """The highest rate of the ladder whose acknowledgements held p95 < 2 s, and each step."""
    held, steps = 0, []
    for rate in RATES:
        acks = mail_bench.measure_steady(port, rate, SECONDS)
        latencies, missing = acks if acks is not None else ([], -1)
        p95 = percentile(latencies, 95) if latencies else float("inf")
        ok = bool(latencies) and missing == 0 and p95 < TARGET_P95_S
        steps.append({"rate": rate, "p95": p95, "missing": missing, "held": ok})
        if not ok:
            break
        held = rate
    return held, steps


def drain(port: int, n: int) -> float:
    """Seconds from the first email of a burst of `n` until the last one's acknowledgement."""
    from heard.mail import kinds
    from heard.mail.models import OutboundEmail

    mail_bench.wait_until_sent()
    before = mail_bench.last_pk()
    started = time.time()
    burst = mail_bench.measure_burst(port, n, 10)
    if burst["acks"] is None:
        return float("nan")
    from heard.mail.models import RawEmail

    tickets = RawEmail.objects.filter(pk__gt=before).values_list("ticket", flat=True)
    last = (
        OutboundEmail.objects.filter(kind=kinds.ACKNOWLEDGEMENT.code, ticket__in=tickets)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return last.timestamp() - started if last is not None else float("nan")


def run_one(workers: int, burst: int) -> dict[str, Any]:
    """One set-up, in this process."""
    database = "postgres" if workers else "sqlite"
    mail_bench.configure(database, workers, broker=BROKER, database_name=DATABASE)
    cpu = cpu_per_email()
    if workers:
        with mail_bench._running(mail_bench.celery_command(workers)):
            result = _measure(burst, workers)
    else:
        result = _measure(burst, workers)
    return {"workers": workers, "database": database, "cpu_per_email": cpu, **result}


def _measure(burst: int, workers: int) -> dict[str, Any]:
    with mail_bench.receiver_process() as port:
        _warm_up(port, max(10, 3 * workers))
        rate, steps = highest_steady_rate(port)
        drained = drain(port, burst)
        mail_bench.wait_until_sent()
    return {"rate": rate, "steps": steps, "burst": burst, "drain_s": drained}


def _warm_up(port: int, n: int) -> None:
    """Every process that files loads the engine's model with its first email: emails one at
    a time, far enough apart that each goes to a process of its own, are not timed."""
    import smtplib

    before = mail_bench.last_pk()
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        for i in range(n):
            data = mail_bench.customer_email(i, "warm")
            smtp.sendmail("bench@example.com", [mail_bench.SUPPORT], data)
            time.sleep(0.3)
    mail_bench.wait_until_processed(before, n)
    mail_bench.wait_until_sent()


def report(result: dict[str, Any]) -> bool:
    workers = result["workers"]
    label = f"{workers} Celery worker{'s' if workers != 1 else ''}" if workers else "embedded"
    steps = ", ".join(
        f"{s['rate']}/s p95 {s['p95']:.2f} s{'' if s['held'] else ' (missed)'}"
        for s in result["steps"]
    )
    print(f"[{label}, {result['database']}] steps: {steps}")
    met = result["rate"] >= TARGET_EMBEDDED_RATE if not workers else True
    target = f"   target >= {TARGET_EMBEDDED_RATE}/s: {'met' if met else 'MISSED'}"
    print(
        f"[{label}] steady rate with acknowledgement p95 < {TARGET_P95_S:.0f} s: "
        f"{result['rate']} emails/s{target if not workers else ''}"
    )
    bound = result["cpu_per_email"] * result["burst"] / cores()
    print(
        f"[{label}] burst of {result['burst']}: drained in {result['drain_s']:.1f} s; the bound "
        f"the machine sets, {result['cpu_per_email'] * 1000:.1f} ms CPU per email x "
        f"{result['burst']} / {cores()} cores = {bound:.1f} s"
    )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, action="append", help="0: the embedded default")
    parser.add_argument("--burst", type=int, default=BURST)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(run_one(args.one, args.burst)))
        return 0
    print(
        f"{cores()} cores; load average {os.getloadavg()[0]:.1f} at the start (other processes "
        "on the machine take their share of the cores)"
    )
    met = True
    for workers in args.workers or [0, 1, 2, 4]:
        if workers and not mail_bench._postgres_reachable():
            print("PostgreSQL is not reachable at 127.0.0.1:5432: the Celery figures are skipped.")
            break
        command = [sys.executable, "-m", "bench.steady_bench", "--one", str(workers)]
        out = subprocess.run(  # noqa: S603  (our own module, one process per set-up)
            [*command, "--burst", str(args.burst)], capture_output=True, text=True
        )
        if out.returncode != 0:
            print(f"[{workers} workers] failed: {out.stderr.strip().splitlines()[-1:]}")
            met = False
            continue
        met = report(json.loads(out.stdout.strip().splitlines()[-1])) and met
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
