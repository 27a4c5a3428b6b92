"""Hostile input, measured: the figures issue 19 gave for each, then and now, on this machine.

    python -m bench.hostile_bench [--skip-smtp]

Memory is tracemalloc's peak (what Python allocated at most during the step), or the receiver
process's peak resident size (VmHWM) for the SMTP step; times are wall-clock seconds of one run.
Runs on a throwaway SQLite database under a temporary HEARD_VAR_DIR; the SMTP step starts
`heard smtpd` in a process of its own on port 18483, as deployed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import smtplib
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
MB = 1_000_000
PORT = 18483
DRAFT = "Hi Maria, I'm sorry the export failed. Please read the manual. I restarted it.\n"
LINE = b"The export failed again and my invoice is wrong, please help me with it today. \r\n"


def measured(work: Callable[[], T]) -> tuple[T, float, float]:
    """What `work` returns, its seconds (run untraced) and its tracemalloc peak in MB."""
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()
    return result, seconds, peak


def big_email(size: int, date: str = "") -> bytes:
    headers = b"From: Maja Novak <maja@example.com>\r\nTo: support@heard.localhost\r\n"
    headers += b"Subject: Long log\r\nContent-Type: text/plain; charset=utf-8\r\n"
    headers += f"Date: {date}\r\n".encode() if date else b""
    return headers + b"\r\n" + LINE * (size // len(LINE))


def row(what: str, before: str, now: str) -> None:
    print(f"{what:<58} {before:>16} {now:>22}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-smtp", action="store_true", help="leave out the receiver step")
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="heard-hostile-bench-")
    os.environ["HEARD_VAR_DIR"] = var
    for name in ("DATABASE_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    os.environ["HEARD_JOBS_EAGER"] = "true"
    os.environ["HEARD_SUPPORT_ADDRESS"] = "support@heard.localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "heard.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _warm_up()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 400s and 429s asked for
    print(f"{'':<58} {'issue 19 said':>16} {'measured now':>22}")
    parsing()
    filing()
    engine()
    web()
    if not args.skip_smtp:
        receiver(Path(var))
    return 0


def _warm_up() -> None:
    """Load the model and compile the coach's patterns once, as a running Heard has."""
    from heard.engine import coach, read

    read("My export fails again and nobody answers!")
    coach(DRAFT * 3, "My export fails!", "Maria")


def parsing() -> None:
    from heard.mail.parsing.parse import parse_email

    raw = big_email(30 * MB)
    email, seconds, peak = measured(lambda: parse_email(raw))
    assert "the rest is in the original email" in email.text
    row("parse a 30 MB plain-text email", "3.7 GB", f"{seconds:.2f} s, {peak:.0f} MB")


def filing() -> None:
    from heard.desk.models import Team
    from heard.mail import filing as intake
    from heard.mail.models import Intake, RawEmail

    Team.objects.get_or_create(name="Billing", slug="billing")
    raw = big_email(30 * MB)
    started = time.perf_counter()
    stored = intake.receive(raw, source="smtp", envelope_from="maja@example.com")
    seconds = time.perf_counter() - started
    assert RawEmail.objects.get(pk=stored.pk).intake == Intake.THREADED
    old = big_email(30 * MB, date="Mon, 3 Mar 2025 10:00:00 +0000")  # no acknowledgement
    tracemalloc.start()
    intake.receive(old, source="smtp", envelope_from="maja@example.com")
    peak = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()
    now = f"{seconds:.1f} s, {peak:.0f} MB"
    row("file a 30 MB email (acknowledged; memory: filing)", "67 s, 3.9 GB", now)


def engine() -> None:
    import io

    from heard.engine import coach
    from heard.engine.cli import analyze_stream

    text = "I was charged twice and nobody answers my emails. " * (10 * MB // 51)
    line = json.dumps({"text": text}) + "\n"
    _, seconds, peak = measured(lambda: analyze_stream(io.StringIO(line), io.StringIO()))
    row("heard analyze, one 10 MB line", "20 s, 1.1 GB", f"{seconds:.2f} s, {peak:.0f} MB")
    times = {}
    for size in (5_000, 10_000, 20_000, 1_000_000):
        text = (DRAFT * (size // len(DRAFT) + 1))[:size]
        runs = []
        for _ in range(3):  # the fastest of three: the least disturbed by the machine
            started = time.perf_counter()
            coach(text, "My export fails!", "Maria")
            runs.append(time.perf_counter() - started)
        times[size] = min(runs)
    shape = ", ".join(f"{size // 1000}k {secs * 1000:.0f} ms" for size, secs in times.items())
    row("coach() on drafts of 5k, 10k, 20k chars and 1 MB", "grew faster", shape)


def web() -> None:
    from django.test import Client

    from heard.desk import actions
    from heard.desk.models import Agent, Team
    from heard.test import PASSWORD, make_agent, make_customer

    team = Team.objects.get(slug="billing")
    agent = Agent.objects.filter(user__username="benchy").first() or make_agent("benchy", [team])
    ticket = actions.open_ticket(
        customer=make_customer("Ana Horvat", "ana@example.org"),
        team=team,
        subject="Export fails",
        text="My export fails again!",
    )
    client = Client()
    client.login(username=agent.user.username, password=PASSWORD)
    draft = "Hi Ana, I'm sorry. Please read the manual. I restarted the export.\n" * 15_000
    started = time.perf_counter()
    response = client.post(f"/tickets/{ticket.pk}/coach/", {"text": draft}, HTTP_HX_REQUEST="true")
    seconds = time.perf_counter() - started
    assert response.status_code == 200
    row("the coach endpoint with a 1 MB draft", "89 s", f"{seconds:.2f} s")
    cursor = client.get("/next/", {"after": "9" * 5000}).status_code
    row("the queue's next ticket after a 5,000-digit cursor", "500", str(cursor))
    anonymous = Client()
    started = time.perf_counter()
    for _ in range(100):
        anonymous.post("/login/", {"username": "benchy", "password": "wrong"})
    answer = anonymous.post("/login/", {"username": "benchy", "password": PASSWORD})
    seconds = time.perf_counter() - started
    refused = "refused (429)" if answer.status_code == 429 else f"let in ({answer.status_code})"
    row("100 wrong passwords, then the right one", "27 s, let in", f"{seconds:.1f} s, {refused}")


def receiver(var: Path) -> None:
    database = var / "receiver.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "HEARD_JOBS_EAGER": ""}
    heard = [sys.executable, "-c", "from heard.cli import main; main()"]
    subprocess.run([*heard, "migrate", "-v0"], env=env, check=True)  # noqa: S603 (our command)
    server = subprocess.Popen(  # noqa: S603 (our own command)
        [*heard, "smtpd", "--port", str(PORT)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: _send(b"From: a@example.com\r\nSubject: hi\r\n\r\nhi\r\n") == 250)
        _send(big_email(30 * MB))
        waits = []
        started = time.perf_counter()
        for _ in range(20):
            sent = time.perf_counter()
            _send(b"From: b@example.com\r\nSubject: small\r\n\r\nA small one.\r\n")
            waits.append(time.perf_counter() - sent)
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
            query = "SELECT intake FROM mail_rawemail WHERE size > 1000000"
            _wait_for(lambda: db.execute(query).fetchone() == ("threaded",), 300)
        filed = time.perf_counter() - started
        status = Path(f"/proc/{server.pid}/status").read_text()
        peak = int(next(x for x in status.splitlines() if x.startswith("VmHWM")).split()[1]) / 1e3
    finally:
        server.terminate()
        server.wait(timeout=30)
    row("receiver: a 30 MB email filed after its 250", "67 s", f"{filed:.1f} s")
    row("receiver: slowest 250 of 20 others meanwhile", "9 s", f"{max(waits):.2f} s")
    row("receiver: peak resident memory (VmHWM)", "3.9 GB", f"{peak:.0f} MB")


def _send(data: bytes) -> int:
    try:
        with smtplib.SMTP("127.0.0.1", PORT, timeout=300) as client:
            client.ehlo()
            client.mail("maja@example.com")
            client.rcpt("support@heard.localhost")
            return client.data(data)[0]
    except OSError:
        return 0


def _wait_for(ready: Callable[[], bool], seconds: float = 60) -> None:
    started = time.perf_counter()
    while not ready():
        if time.perf_counter() - started > seconds:
            raise TimeoutError("gave up waiting")
        time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
