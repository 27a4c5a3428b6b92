"""Load: 100 agents polling their queues and opening tickets while 20 emails/s arrive.

The production shape boots from the README's commands (`heard.tests_production.shape`: two
gunicorn web processes, two Celery workers, beat, `heard smtpd`, on PostgreSQL and Redis) on
loopback. Then, for `--minutes`:

- each agent (one thread, its own session, logged in through the login form before the clock
  starts: a password hash each, reported apart) refreshes
  its queue's rows as the open queue page does (the htmx request every
  HEARD_QUEUE_REFRESH_SECONDS, 15 s) and opens a ticket from it every `--open-every` seconds
  (30 s), each agent starting at a random moment so the requests spread out;
- customers' mail servers deliver `--rate` emails a second (20), each from its own address, over
  `--connections` SMTP connections (4).

Printed: p50/p95/max and errors per page, the overall error rate, and for the emails how many
were sent, answered 250, stored, filed as a ticket and acknowledged (nothing lost: every 250 is
a ticket with an acknowledgement), with the p95 from sending to the acknowledgement reaching
the SMTP relay. The client runs on the same machine as every server, so its CPU is theirs too.

    python -m bench.load_bench                  # 2 minutes (make bench)
    python -m bench.load_bench --minutes 10     # the README's figure
"""

from __future__ import annotations

import argparse
import os
import random
import re
import smtplib
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench._stats import percentile
from heard.tests_production import faults
from heard.tests_production.shape import (
    Browser,
    Response,
    Shape,
    customer_email,
    production_available,
)

PASSWORD = "load bench passphrase"  # noqa: S105
TEAMS = 4
SET_UP_DESK = """
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from heard.desk.models import Agent, Team
teams = [Team.objects.create(name=f"Team {{n}}", slug=f"team-{{n}}") for n in range({teams})]
password = make_password({password!r})
for n in range({agents}):
    user = User.objects.create(username=f"agent{{n}}", password=password, first_name=f"Agent {{n}}")
    Agent.objects.create(user=user).teams.set([teams[n % len(teams)]])
"""
TICKET_LINK = re.compile(r'href="/tickets/(\d+)/"')


@dataclass
class Results:
    pages: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    sent: dict[str, float] = field(default_factory=dict)  # Message-ID -> when sent
    accepted: set[str] = field(default_factory=set)
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def page(self, name: str, seconds: float, error: str | None) -> None:
        with self.lock:
            if error:
                self.errors[name].append(error)
            else:
                self.pages[name].append(seconds)


def log_in(shape: Shape, n: int, out: Results) -> Browser:
    browser = Browser(shape.web_ports[n % 2], client=f"198.51.100.{n % 250 + 1}")
    timed(out, "login (before the clock)", lambda: browser.log_in(f"agent{n}", PASSWORD), 302)
    return browser


def agent(
    browser: Browser, args: argparse.Namespace, stop: threading.Event, out: Results
) -> None:
    stop.wait(random.uniform(0, args.refresh))  # spread over the first refresh period
    next_open = time.monotonic() + random.uniform(0, args.open_every)
    tickets: list[str] = []
    while not stop.is_set():
        response = timed(out, "queue rows (htmx refresh)", lambda: browser.request_htmx("/"))
        if response is not None:
            tickets = TICKET_LINK.findall(response.body) or tickets
        if tickets and time.monotonic() >= next_open:
            path = f"/tickets/{random.choice(tickets)}/"
            timed(out, "ticket page", lambda: browser.get(path))  # noqa: B023  (called at once)
            next_open += args.open_every
        stop.wait(args.refresh)


def timed(
    out: Results, name: str, fn: Callable[[], Response], expect: int = 200
) -> Response | None:
    start = time.perf_counter()
    try:
        response = fn()
    except Exception as error:
        out.page(name, 0, f"{type(error).__name__}: {error}")
        return None
    seconds = time.perf_counter() - start
    status = response.status
    out.page(name, seconds, None if status == expect else f"HTTP {status}")
    return response if status == expect else None


def mail_server(shape: Shape, rate: float, connections: int, index: int, stop: threading.Event,
                out: Results) -> None:
    """One sending mail server: `rate / connections` emails a second on one connection."""
    interval = connections / rate
    due = time.monotonic() + index * interval / connections
    n = 0
    client: smtplib.SMTP | None = None
    while not stop.is_set():
        stop.wait(max(0.0, due - time.monotonic()))
        if stop.is_set():
            break
        due += interval
        n += 1
        message = customer_email(
            f"Load {index}-{n}: my order has not arrived",
            "Hello, my order from last week has still not arrived. Can you check where it is?",
            sender=f"Customer {index}-{n} <c{index}-{n}@load.example>",
        )
        try:
            if client is None:
                client = smtplib.SMTP("127.0.0.1", shape.smtpd_port, timeout=30)
            with out.lock:
                out.sent[message["Message-ID"]] = time.time()
            client.send_message(message)
        except Exception as error:
            client = None
            with out.lock:
                out.refused.append(f"{type(error).__name__}: {error}")
            continue
        with out.lock:
            out.accepted.add(message["Message-ID"])
    if client is not None:
        client.quit()


def report(shape: Shape, out: Results, minutes: float, drained: float) -> int:
    assert shape.sink is not None
    print(f"\n{'page':28} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>7}")
    requests = errors = 0
    for name in sorted(set(out.pages) | set(out.errors)):
        samples = [s * 1000 for s in out.pages[name]] or [0.0]
        failed = len(out.errors[name])
        requests += len(out.pages[name]) + failed
        errors += failed
        print(
            f"{name:28} {len(out.pages[name]) + failed:9d} {percentile(samples, 50):8.1f} "
            f"{percentile(samples, 95):8.1f} {max(samples):8.1f} {failed:7d}"
        )
        for error in sorted(set(out.errors[name]))[:3]:
            print(f"    e.g. {error}")
    print(f"error rate: {errors}/{requests} = {errors / max(1, requests):.4%} of web requests")

    [(stored,)] = shape.query("SELECT count(*) FROM mail_rawemail")
    [(tickets,)] = shape.query("SELECT count(*) FROM desk_ticket")
    [(unfiled,)] = shape.query(
        "SELECT count(*) FROM mail_rawemail WHERE intake IN ('received', 'failed')"
    )
    acks = {m["In-Reply-To"]: m for m in shape.sink.messages if m["Auto-Submitted"]}
    ack_seconds = [
        float(acks[mid]["X-Sink-Arrived"]) - out.sent[mid] for mid in out.accepted if mid in acks
    ]
    acknowledged = sum(1 for mid in out.accepted if mid in acks)
    backlog = f"{unfiled} still waiting" if unfiled else "all filed"
    print(
        f"\nemails: {len(out.sent)} sent in {minutes:g} min, {len(out.accepted)} answered 250, "
        f"{len(out.refused)} refused; {stored} stored, {tickets} tickets, {acknowledged} "
        f"acknowledged ({backlog} {drained:.0f} s after the last was sent)"
    )
    if ack_seconds:
        print(
            f"sent -> acknowledgement at the relay: p50 {percentile(ack_seconds, 50):.2f} s, "
            f"p95 {percentile(ack_seconds, 95):.2f} s, max {max(ack_seconds):.2f} s"
        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average at the end (1, 5, 15 min): {load}")
    lost = len(out.accepted) - min(tickets, acknowledged)
    print(f"lost (answered 250 but no ticket or no acknowledgement in the end): {max(0, lost)}")
    return 0 if errors == 0 and lost <= 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--agents", type=int, default=100)
    parser.add_argument("--rate", type=float, default=20.0, help="emails per second")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--refresh", type=float, default=15.0, help="queue refresh, seconds")
    parser.add_argument("--open-every", type=float, default=30.0, help="seconds between tickets")
    parser.add_argument("--drain-minutes", type=float, default=20.0, help="wait for the backlog")
    args = parser.parse_args()
    if not production_available():
        print("PostgreSQL and Redis are not reachable on 127.0.0.1: the load test is skipped.")
        return 0
    with (
        tempfile.TemporaryDirectory() as tmp,
        Shape(Path(tmp), database="heard_load_bench") as shape,
    ):
        try:
            return run(shape, args)
        except BaseException:
            print(shape.tails())
            raise


def run(shape: Shape, args: argparse.Namespace) -> int:
    script = SET_UP_DESK.format(teams=TEAMS, agents=args.agents, password=PASSWORD)
    shape.run(["heard", "shell", "--no-imports", "-c", script])
    shape.start_services()
    print(
        f"{args.agents} agents (queue refresh every {args.refresh:g} s, a ticket opened every "
        f"{args.open_every:g} s) and {args.rate:g} emails/s over {args.connections} SMTP "
        f"connections, for {args.minutes:g} min, on {', '.join(sorted(shape.processes))}",
        flush=True,
    )
    out, stop = Results(), threading.Event()
    # Logging in costs a password hash each (deliberately slow): agents do it once a day, not
    # all in the same seconds, so it happens before the clock starts and is reported apart.
    with ThreadPoolExecutor(4) as pool:
        browsers = list(pool.map(lambda n: log_in(shape, n, out), range(args.agents)))
    threads = [
        threading.Thread(target=agent, args=(browser, args, stop, out), daemon=True)
        for browser in browsers
    ] + [
        threading.Thread(
            target=mail_server, args=(shape, args.rate, args.connections, i, stop, out), daemon=True
        )
        for i in range(args.connections)
    ]
    for thread in threads:
        thread.start()
    time.sleep(args.minutes * 60)
    stop.set()
    for thread in threads:
        thread.join(60)
    for name in list(shape.processes):
        shape.check_alive(name)
    drained = faults.filed(shape, len(out.accepted), args.drain_minutes * 60, say_every=60)
    deadline = time.monotonic() + 120  # the last acknowledgements on their way (or retried)
    assert shape.sink is not None
    while len(shape.sink.messages) < len(out.accepted) and time.monotonic() < deadline:
        time.sleep(1)
    return report(shape, out, args.minutes, drained)


if __name__ == "__main__":
    sys.exit(main())
