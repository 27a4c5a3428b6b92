"""Mail benchmark: SMTP intake throughput and how fast a new customer hears back.

The real receiver (`heard smtpd`, in a process of its own as deployed) listens on a free
loopback port and N smtplib clients in this process send M distinct customer emails at once.
Throughput is messages per second until the last 250, each 250 coming only after the raw bytes
were committed. Jobs run as in the embedded set-up (a thread pool in the receiver's process, no
broker), so processing competes with intake as it would in production; the clients stand for
the customers' mail servers and stay out of the receiver's interpreter. Then, for every email
that opened a ticket, the time from receipt (`RawEmail.received_at`) to its acknowledgement
being queued (`OutboundEmail.created_at`, kind "ack"), under that burst, and again for emails
arriving one at a time and at steady rates. Last, how many emails one thread files, reads,
acknowledges and sends per second with nothing else running: the rate a burst's backlog drains
at, at best.

    python -m bench.mail_bench                      # SQLite, then PostgreSQL when reachable
    python -m bench.mail_bench --database sqlite --messages 500 --clients 10
    python -m bench.mail_bench --database postgres --workers 4   # jobs on Celery (Redis)
    python -m bench.mail_bench --per-email          # CPU and queries per email, beside the peer

`--per-email` files the same 300 emails (200 new requests from new customers, 100 of them
writing again as a reply to their own first email) with Heard and with django-helpdesk's
`extract_email_metadata` (what its `get_email` command runs for each message), each in a
process of its own on a fresh SQLite database, and prints CPU time and SQL statements per email:
from the bytes in hand to the ticket filed and the acknowledgement handed to the mail backend.
Each side files three such bursts (new customers each time) and the median one is reported.
"""

from __future__ import annotations

import argparse
import email.utils
import json
import os
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

TARGET_MSGS_PER_S = 50
TARGET_ACK_P95_S = 2.0
STEADY_RATES = (10, 20, 30, 40)  # emails per second, each for 10 seconds
DATABASE = "heard_mail_bench"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
SUPPORT = "support@heard.localhost"
BROKER = "redis://127.0.0.1:6379/14"  # with --workers; a database of its own, emptied first
PROCESSING_WAIT_S = 600
STALL_S = 10  # no email filed for this long: check that processing exists at all


def configure(database: str, workers: int = 0, broker: str = "", database_name: str = "") -> None:
    """A throwaway database, production settings, and jobs on the in-process pool (as
    embedded) or, with `workers`, on that many Celery worker processes (the scaled set-up).
    `broker` and `database_name` (on PostgreSQL) default to this benchmark's own."""
    broker, database_name = broker or BROKER, database_name or DATABASE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    os.environ["HEARD_VAR_DIR"] = tempfile.mkdtemp(prefix="heard-mail-bench-")
    for name in ("CELERY_BROKER_URL", "HEARD_JOBS_EAGER", "EMAIL_HOST"):
        os.environ.pop(name, None)
    os.environ["DEBUG"] = "false"
    os.environ["HEARD_SUPPORT_ADDRESS"] = SUPPORT
    os.environ["LOG_LEVEL"] = "WARNING"  # one line per accepted message would drown the figures
    os.environ.setdefault("SECRET_KEY", "bench-only")
    if database == "postgres":
        _recreate_postgres_database(database_name)
        os.environ["DATABASE_URL"] = f"{POSTGRES}/{database_name}"
    else:
        os.environ.pop("DATABASE_URL", None)
    if workers:
        import redis

        redis.Redis.from_url(broker).flushdb()  # no task left over from an earlier run
        os.environ["CELERY_BROKER_URL"] = broker
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _recreate_postgres_database(name: str = DATABASE) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def _postgres_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=2).close()
    except Exception:
        return False
    return True


def customer_email(n: int, run: str) -> bytes:
    """A distinct customer writing for the first time (each gets an acknowledgement)."""
    message = EmailMessage()
    message["From"] = f"Customer {n} <customer{n}.{run}@example.com>"
    message["To"] = SUPPORT
    message["Subject"] = f"My order {n} has not arrived"
    message["Message-ID"] = make_msgid(domain="example.com")
    message.set_content(
        f"Hello,\n\nI ordered a bike lock (order {n}) two weeks ago and it still has not "
        "arrived. The tracking page has said 'in transit' for nine days. I need it before my "
        "trip on Friday. Could you tell me where it is, or send a new one?\n\n"
        f"Thank you,\nCustomer {n}\n"
    )
    return bytes(message).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def send_all(port: int, messages: list[bytes], clients: int) -> list[float]:
    """Send every message over `clients` concurrent connections; return each one's seconds."""
    seconds: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def client(share: list[bytes]) -> None:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
                for data in share:
                    start = time.perf_counter()
                    smtp.sendmail("bench@example.com", [SUPPORT], data)
                    with lock:
                        seconds.append(time.perf_counter() - start)
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=client, args=(messages[i::clients],)) for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} client(s) failed, first: {errors[0]!r}")
    return seconds


def unavailable() -> str | None:
    """Why receipt-to-acknowledgement cannot be measured yet (its code is still being written)."""
    try:
        from heard.mail.filing import processing  # noqa: F401
        from heard.mail.sending import acknowledge  # noqa: F401
    except ImportError as error:
        return f"acknowledgement not available: {error}"
    return None


def wait_until_processed(since_pk: int, expected: int) -> bool:
    """True once every email after `since_pk` was filed; False if processing is unavailable."""
    from heard.mail.models import Intake, RawEmail

    rows = RawEmail.objects.filter(pk__gt=since_pk)
    deadline = time.monotonic() + PROCESSING_WAIT_S
    done, moved_at = -1, time.monotonic()
    while time.monotonic() < deadline:
        now_done = rows.exclude(intake=Intake.RECEIVED).count()
        if now_done >= expected:
            return True
        if now_done != done:
            done, moved_at = now_done, time.monotonic()
        elif time.monotonic() - moved_at > STALL_S and not _processing_works(rows):
            return False
        time.sleep(0.2)
    raise RuntimeError(f"processing did not finish within {PROCESSING_WAIT_S} s")


def _processing_works(rows: Any) -> bool:
    """Nothing moved for a while: process one email here to see whether processing exists."""
    from heard.mail.filing import processing
    from heard.mail.models import Intake

    waiting = rows.filter(intake=Intake.RECEIVED).order_by("pk").values_list("pk", flat=True)
    try:
        processing.process(waiting.first() or 0)
    except NotImplementedError:
        return False
    return True


def ack_latencies(since_pk: int) -> tuple[list[float], int]:
    """Seconds from receipt to acknowledgement queued, per email; and how many had none.
    Acknowledgements are jobs of their own, queued once an email is filed: wait for them."""
    from heard.mail import kinds
    from heard.mail.models import OutboundEmail, RawEmail

    raws = list(RawEmail.objects.filter(pk__gt=since_pk, ticket__isnull=False))
    acked = OutboundEmail.objects.filter(
        kind=kinds.ACKNOWLEDGEMENT.code, ticket__in=[r.ticket_id for r in raws]
    )
    count, moved_at = -1, time.monotonic()
    while time.monotonic() - moved_at < STALL_S:
        if (now := acked.count()) >= len(raws):
            break
        if now != count:
            count, moved_at = now, time.monotonic()
        time.sleep(0.2)
    acks = dict(acked.values_list("ticket_id", "created_at"))
    latencies = [
        (acks[r.ticket_id] - r.received_at).total_seconds() for r in raws if r.ticket_id in acks
    ]
    return latencies, len(raws) - len(latencies)


def wait_until_sent() -> None:
    """Until the queued emails (the acknowledgements of the burst) left, or nothing moves."""
    from heard.mail.models import Delivery, OutboundEmail

    queued = OutboundEmail.objects.filter(delivery=Delivery.QUEUED)
    count, moved_at = -1, time.monotonic()
    while (now := queued.count()) and time.monotonic() - moved_at < STALL_S:
        if now != count:
            count, moved_at = now, time.monotonic()
        time.sleep(0.2)


def last_pk() -> int:
    from heard.mail.models import RawEmail

    return RawEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def measure_burst(port: int, n: int, clients: int) -> dict[str, Any]:
    before = last_pk()
    messages = [customer_email(i, "burst") for i in range(n)]
    start = time.perf_counter()
    per_message = send_all(port, messages, clients)
    elapsed = time.perf_counter() - start
    processed = wait_until_processed(before, n)
    return {
        "rate": n / elapsed,
        "elapsed": elapsed,
        "per_message": per_message,
        "acks": ack_latencies(before) if processed else None,
    }


def measure_steady(port: int, rate: float, seconds: float) -> tuple[list[float], int] | None:
    """Emails arriving at a steady `rate` per second for `seconds` (a busy hour's peak, not a
    flood): each goes out on schedule from one of a few connections."""
    wait_until_sent()
    before = last_pk()
    n = int(rate * seconds)
    start = time.perf_counter()
    lock = threading.Lock()
    next_index = iter(range(n))

    def client() -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
            while True:
                with lock:
                    i = next(next_index, None)
                if i is None:
                    return
                time.sleep(max(0.0, start + i / rate - time.perf_counter()))
                smtp.sendmail("bench@example.com", [SUPPORT], customer_email(i, f"steady{rate}"))

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not wait_until_processed(before, n):
        return None
    return ack_latencies(before)


def measure_storage_only(n: int, clients: int) -> float:
    """Intake alone: what the receiver and the database can take. The receiver runs in this
    process with no job dispatched (its clients share its interpreter, so the figure errs low).
    The emails are deleted afterwards: left waiting, the burst's jobs would file them first (a
    job takes the oldest waiting emails) and the burst would measure twice its own emails."""
    from unittest import mock

    from heard.mail.models import RawEmail
    from heard.mail.transports.smtp import Receiver

    before = last_pk()
    messages = [customer_email(i, "storage") for i in range(n)]
    receiver = Receiver("127.0.0.1", free_port())
    receiver.start()
    try:
        with mock.patch("heard.jobs._dispatch"):
            start = time.perf_counter()
            send_all(receiver.port, messages, clients)
            rate = n / (time.perf_counter() - start)
    finally:
        receiver.stop()
    RawEmail.objects.filter(pk__gt=before).delete()
    return rate


def measure_processing(n: int) -> float:
    """Emails filed, read, acknowledged and sent per second by one thread with nothing else
    running: the ceiling a burst's acknowledgements are bound by. The emails are stored first
    with no job dispatched, then filed in batches as the jobs would."""
    from unittest import mock

    from heard import jobs
    from heard.mail import filing
    from heard.mail.filing import processing

    with mock.patch("heard.jobs._dispatch"):
        ids = [
            filing.receive(customer_email(i, "ceiling"), source="smtp").pk for i in range(n)
        ]
    start = time.perf_counter()
    with jobs.inline():
        for raw_id in ids:
            processing.file_waiting(raw_id)
    return n / (time.perf_counter() - start)


def measure_paced(port: int, n: int, interval: float) -> tuple[list[float], int] | None:
    """Emails arriving one at a time, `interval` seconds apart: the everyday case."""
    wait_until_sent()  # start from a quiet desk, not behind the burst's queue
    before = last_pk()
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        for i in range(n):
            smtp.sendmail("bench@example.com", [SUPPORT], customer_email(i, "paced"))
            time.sleep(interval)
    if not wait_until_processed(before, n):
        return None
    return ack_latencies(before)


def report_acks(label: str, acks: tuple[list[float], int] | None) -> bool:
    from bench._stats import percentile

    if acks is None or unavailable():
        why = unavailable() or "processing not available"
        print(f"{label} receipt -> acknowledgement queued: n/a ({why})")
        return True
    latencies, missing = acks
    if not latencies:
        print(f"{label} receipt -> acknowledgement queued: none was queued (see job errors)")
        return False
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    met = p95 < TARGET_ACK_P95_S and not missing
    print(
        f"{label} receipt -> acknowledgement queued: p50 {p50:.2f} s, p95 {p95:.2f} s, "
        f"max {max(latencies):.2f} s over {len(latencies)} emails"
        f"{f', {missing} without one' if missing else ''}   "
        f"target p95 < {TARGET_ACK_P95_S:.0f} s: {'met' if met else 'MISSED'}"
    )
    return met


def run(
    database: str = "sqlite",
    messages: int = 500,
    clients: int = 10,
    paced: int = 50,
    workers: int = 0,
) -> bool:
    """Measure one database in this process (settings are per process); True if targets met."""
    configure(database, workers)
    label = f"[{database}{f' + {workers} Celery workers' if workers else ''}]"
    if not workers:
        return measure(label, messages, clients, paced)
    with _running(celery_command(workers)):
        return measure(label, messages, clients, paced)


def celery_command(workers: int) -> list[Any]:
    """`workers` Celery worker processes with this run's settings."""
    celery = Path(sys.executable).with_name("celery")
    command = [celery, "-A", "heard.celery", "worker", "--concurrency", str(workers)]
    return [*command, "--loglevel", "WARNING", "--without-gossip", "--without-mingle"]


@contextmanager
def _running(command: list[Any]) -> Iterator[subprocess.Popen[bytes]]:
    """One of Heard's processes with this run's settings, stopped warmly at the end (SIGTERM:
    it finishes the jobs in hand)."""
    process = subprocess.Popen(command, env=os.environ.copy(), stdout=subprocess.DEVNULL)  # noqa: S603
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def receiver_process() -> Iterator[int]:
    """`heard smtpd` on a free port, in its own process as deployed; yields the port."""
    port = free_port()
    heard = Path(sys.executable).with_name("heard")
    with _running([heard, "smtpd", "--host", "127.0.0.1", "--port", str(port)]) as process:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"heard smtpd did not start listening (exit {process.poll()})")
        yield port


def measure(label: str, messages: int, clients: int, paced: int) -> bool:
    from bench._stats import percentile

    storage_rate = measure_storage_only(messages, clients)
    with receiver_process() as port:
        send_all(port, [customer_email(i, "warm") for i in range(5)], 1)  # warm up
        wait_until_processed(0, 5)
        burst = measure_burst(port, messages, clients)
        paced_acks = measure_paced(port, paced, 0.5) if paced else None
        steady_acks = {rate: measure_steady(port, rate, 10) for rate in STEADY_RATES}
        wait_until_sent()
    ceiling = measure_processing(200)
    print(f"{label} SMTP intake, storage only (processing switched off): {storage_rate:.0f} msg/s")
    per_message_ms = [s * 1000 for s in burst["per_message"]]
    rate_met = burst["rate"] >= TARGET_MSGS_PER_S
    print(
        f"{label} SMTP intake while processing runs: {messages} emails over {clients} "
        f"connections in {burst['elapsed']:.1f} s = {burst['rate']:.0f} msg/s (per email p50 "
        f"{percentile(per_message_ms, 50):.0f} ms, p95 {percentile(per_message_ms, 95):.0f} ms)"
        f"   target >= {TARGET_MSGS_PER_S} msg/s: {'met' if rate_met else 'MISSED'}"
    )
    burst_met = report_acks(f"{label} during the burst of {messages},", burst["acks"])
    paced_met = (
        report_acks(f"{label} one email every 0.5 s ({paced}),", paced_acks) if paced else True
    )
    for rate, acks in steady_acks.items():  # where the ceiling is: reported, not a target
        report_acks(f"{label} a steady {rate:g} emails/s for 10 s,", acks)
    print(
        f"{label} filing, reading, acknowledging and sending, one thread and nothing else "
        f"running: {ceiling:.0f} emails/s ({1000 / ceiling:.0f} ms each)"
    )
    return rate_met and burst_met and paced_met


# --- per email, beside django-helpdesk ---------------------------------------------------------

PER_EMAIL = 300
BURSTS = 3  # CPU time moves by about 1 ms from burst to burst: the median of three is reported
TARGET_CPU_MS = 12.0
TARGET_QUERIES = 15.0
_TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def corpus(n: int = PER_EMAIL, run: str = "per-email") -> list[tuple[str, bytes]]:
    """Two thirds new requests from new customers, then a third of them writing again as a
    reply to their own first email (In-Reply-To, which both helpdesks thread by): (kind, bytes).
    Message-IDs are fixed, so both helpdesks file exactly the same bytes."""
    new = n - n // 3
    emails = []
    for i in range(n):
        first = i < new
        customer = i if first else (i - new) * new // max(n - new, 1)
        message = EmailMessage()
        message["From"] = f"Customer {customer} <customer{customer}.{run}@example.com>"
        message["To"] = SUPPORT
        message["Subject"] = f"{'' if first else 'Re: '}My order {customer} has not arrived"
        message["Message-ID"] = f"<{run}.{i}@example.com>"
        if not first:
            message["In-Reply-To"] = f"<{run}.{customer}@example.com>"
        message["Date"] = email.utils.format_datetime(datetime.now(UTC))
        opening = (
            f"Hello,\n\nI ordered a bike lock (order {customer}) two weeks ago and it still has "
            "not arrived. The tracking page has said 'in transit' for nine days. I need it before "
            "my trip on Friday. Could you tell me where it is, or send a new one?\n\n"
            if first
            else "One more thing: the tracking number is 4711. Thank you for looking.\n\n"
        )
        message.set_content(f"{opening}Thank you,\nCustomer {customer}\n")
        data = bytes(message).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        emails.append(("new request" if first else "reply", data))
    return emails


@dataclass
class Cost:
    """CPU and SQL statements spent on some emails."""

    emails: int = 0
    cpu_s: float = 0.0
    queries: int = 0  # statements that read or write rows
    transaction: int = 0  # BEGIN, COMMIT, SAVEPOINT and RELEASE

    def add(self, cpu_s: float, statements: list[dict[str, Any]]) -> None:
        self.emails += 1
        self.cpu_s += cpu_s
        control = sum(q["sql"].lstrip().upper().startswith(_TRANSACTION) for q in statements)
        self.transaction += control
        self.queries += len(statements) - control

    def line(self) -> str:
        n = max(self.emails, 1)
        return (
            f"{self.cpu_s * 1000 / n:5.1f} ms CPU, {self.queries / n:4.1f} queries "
            f"(+{self.transaction / n:.1f} BEGIN/COMMIT/SAVEPOINT)"
        )


def heard_per_email(emails: list[tuple[str, bytes]], batched: bool) -> dict[str, Cost]:
    """Heard's cost per email as its jobs file them: stored first (not counted: the receiver
    did that before its 250), then each email's job files, reads, acknowledges and sends.
    `batched`: all stored at once, so jobs take them 16 at a time (a burst); else one by one."""
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from heard import jobs
    from heard.mail import filing
    from heard.mail.filing import processing

    costs: dict[str, Cost] = {}
    by_pk: dict[int, str] = {}

    def store(kind: str, data: bytes) -> int:
        with mock.patch("heard.jobs._dispatch"):
            pk = filing.receive(data, source="smtp").pk
        by_pk[pk] = kind
        return pk

    def file_one(pk: int) -> None:
        kind = by_pk[pk]
        connection.queries_log.clear()  # it keeps 9,000 at most: each capture starts afresh
        with CaptureQueriesContext(connection) as captured, jobs.inline():
            start = time.process_time()
            processing.file_waiting(pk)
            spent = time.process_time() - start
        costs.setdefault(kind, Cost()).add(spent, captured.captured_queries)
        costs.setdefault("all", Cost()).add(spent, captured.captured_queries)

    if batched:
        pks = [store(kind, data) for kind, data in emails]
        for pk in pks:
            file_one(pk)
    else:
        for kind, data in emails:
            file_one(store(kind, data))
    return costs


def peer_per_email(emails: list[tuple[str, bytes]]) -> dict[str, Cost]:
    """django-helpdesk's cost per email: `extract_email_metadata`, what its `get_email` command
    runs for each message it fetched, with its acknowledgement sent by the same mail backend."""
    import logging

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from helpdesk.email import extract_email_metadata
    from helpdesk.models import Queue

    queue, _ = Queue.objects.get_or_create(
        slug="support",
        defaults={"title": "Support", "email_address": SUPPORT, "allow_email_submission": True},
    )
    log = logging.getLogger("helpdesk.bench")
    costs: dict[str, Cost] = {}
    for kind, data in emails:
        text = data.decode("utf-8", "replace")
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.process_time()
            extract_email_metadata(message=text, queue=queue, logger=log)
            spent = time.process_time() - start
        costs.setdefault(kind, Cost()).add(spent, captured.captured_queries)
        costs.setdefault("all", Cost()).add(spent, captured.captured_queries)
    return costs


def _desk_with_agents() -> None:
    """A support team of three agents who take new tickets in turn, as a desk has."""
    from django.contrib.auth.models import User

    from heard.desk.models import Agent, Team

    team = Team.objects.create(name="Support", slug="support", is_triage=True)
    for name in ("Ana", "Bojan", "Cene"):
        user = User.objects.create_user(name.lower(), f"{name.lower()}@heard.localhost")
        user.first_name = name
        user.save()
        Agent.objects.create(user=user).teams.add(team)


def run_per_email(who: str, n: int) -> None:
    """One side of the comparison, in this process: prints its costs as JSON, the burst's
    being those of the median of BURSTS bursts (each of `n` new emails) by CPU."""
    warm = corpus(12, "warm")
    bursts = [corpus(n, f"per-email-{i}") for i in range(BURSTS)]
    if who == "peer":
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.helpdesk_settings"
        os.environ["HEARD_VAR_DIR"] = tempfile.mkdtemp(prefix="helpdesk-bench-")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        peer_per_email(warm)
        runs, costs = [peer_per_email(emails) for emails in bursts], {}
    else:
        configure("sqlite")
        _desk_with_agents()
        heard_per_email(warm, batched=False)
        runs = [heard_per_email(emails, batched=True) for emails in bursts]
        costs = {"one by one": heard_per_email(corpus(n, "single"), batched=False)}
    runs.sort(key=lambda run: run["all"].cpu_s)
    costs = {"burst": runs[len(runs) // 2], **costs}
    print(
        json.dumps(
            {
                "costs": {mode: {k: vars(c) for k, c in cs.items()} for mode, cs in costs.items()},
                "bursts_ms": [run["all"].cpu_s * 1000 / run["all"].emails for run in runs],
            }
        )
    )


def per_email(n: int = PER_EMAIL) -> bool:
    """Heard beside django-helpdesk on the same emails, each in its own process; True if Heard
    met its targets."""
    results = {}
    for who in ("heard", "peer"):
        command = [sys.executable, "-m", "bench.mail_bench", "--per-email-side", who]
        out = subprocess.run(  # noqa: S603  (our own module)
            [*command, "--emails", str(n)], capture_output=True, text=True, check=True
        )
        results[who] = json.loads(out.stdout.strip().splitlines()[-1])
    load = os.getloadavg()[0]
    print(
        f"Per email, {n} emails ({n - n // 3} new requests, {n // 3} replies), SQLite, "
        f"{len(os.sched_getaffinity(0))} cores, load average {load:.1f} when it started; a "
        f"burst is the median of {BURSTS}:"
    )
    for who, label in (("heard", "Heard"), ("peer", "django-helpdesk")):
        for mode, costs in results[who]["costs"].items():
            # in a burst, one job files 16 emails: only the average over all of them means much
            for kind in ("all",) if mode == "burst" else ("all", "new request", "reply"):
                cost = Cost(**costs[kind])
                spread = " / ".join(f"{ms:.1f}" for ms in results[who]["bursts_ms"])
                also = f"   (bursts: {spread} ms)" if mode == "burst" else ""
                print(f"  {label:16s} {mode:11s} {kind:12s} {cost.line()}{also}")
    heard, peer = (Cost(**results[who]["costs"]["burst"]["all"]) for who in ("heard", "peer"))
    cpu, queries = heard.cpu_s * 1000 / heard.emails, heard.queries / heard.emails
    met = cpu <= TARGET_CPU_MS and queries <= TARGET_QUERIES
    print(
        f"  Heard / django-helpdesk: {heard.cpu_s / peer.cpu_s:.2f}x the CPU, "
        f"{heard.queries / max(peer.queries, 1):.2f}x the queries   target <= "
        f"{TARGET_CPU_MS:.0f} ms and <= {TARGET_QUERIES:.0f} queries: "
        f"{'met' if met else 'MISSED'} (CPU {'met' if cpu <= TARGET_CPU_MS else 'missed'}, "
        f"queries {'met' if queries <= TARGET_QUERIES else 'missed'})"
    )
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--paced", type=int, default=50, help="emails sent one by one (0: none)")
    parser.add_argument(
        "--workers", type=int, default=0, help="run jobs on this many Celery worker processes"
    )
    parser.add_argument("--per-email", action="store_true", help="CPU and queries per email")
    parser.add_argument("--per-email-side", choices=["heard", "peer"], help=argparse.SUPPRESS)
    parser.add_argument("--emails", type=int, default=PER_EMAIL)
    args = parser.parse_args()
    if args.per_email_side:
        run_per_email(args.per_email_side, args.emails)
        return 0
    if args.per_email:
        return 0 if per_email(args.emails) else 1
    if args.database != "all":
        run(args.database, args.messages, args.clients, args.paced, args.workers)
        return 0
    for database in ("sqlite", "postgres"):
        if database == "postgres" and not _postgres_reachable():
            print(f"PostgreSQL is not reachable at {POSTGRES}: its mail figures are skipped.")
            continue
        command = [sys.executable, "-m", "bench.mail_bench", "--database", database]
        command += ["--messages", str(args.messages), "--clients", str(args.clients)]
        command += ["--paced", str(args.paced), "--workers", str(args.workers)]
        subprocess.call(command)  # noqa: S603  (our own module, one process per database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
