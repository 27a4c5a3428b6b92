"""Faults on the production shape: each scenario breaks one part and counts what happened.

Used by test_faults.py (the quick ones) and bench/fault_bench.py (all, with 1,000 emails for the
receiver). Each takes a booted `Shape` and returns its counts; the caller asserts or prints them.
"""

from __future__ import annotations

import contextlib
import queue
import signal
import smtplib
import socket
import threading
import time
from collections import Counter
from email.message import EmailMessage
from typing import Any

from heard.tests_production.shape import REDIS_HOST, REDIS_PORT, Shape, customer_email, free_port

RECEIVER_AND_JOBS = {"smtpd", "worker:worker1", "worker:worker2", "beat"}


def numbered_emails(count: int, tag: str) -> list[EmailMessage]:
    return [
        customer_email(
            f"{tag} {n}: the app will not start",
            "Hello, since this morning the app closes as soon as I open it. What can I do?",
            sender=f"Customer {n} <{tag.lower()}-{n}@faults.example>",
        )
        for n in range(count)
    ]


def filed(shape: Shape, expected: int, timeout: float, *, say_every: float = 0) -> float:
    """Wait until `expected` emails are stored and none waits or failed; seconds waited. With
    `say_every`, prints how many are still to file that often (seconds)."""
    start = said = time.monotonic()
    while time.monotonic() - start < timeout:
        [(stored, waiting)] = shape.query(
            "SELECT count(*), count(*) FILTER (WHERE intake IN ('received', 'failed')) "
            "FROM mail_rawemail"
        )
        if stored >= expected and waiting == 0:
            break
        if say_every and time.monotonic() - said >= say_every:
            print(f"  {time.monotonic() - start:4.0f} s after: {waiting} emails still to file")
            said = time.monotonic()
        time.sleep(0.5)
    return time.monotonic() - start


def ticket_counts(shape: Shape, tag: str) -> dict[str, int]:
    """Tickets opened by the emails tagged `tag`, and how many subjects have more than one."""
    rows = shape.query("SELECT subject FROM desk_ticket WHERE subject LIKE %s", f"{tag} %")
    per_subject = Counter(subject for (subject,) in rows)
    return {
        "tickets": len(rows),
        "filed twice": sum(1 for n in per_subject.values() if n > 1),
    }


def acknowledgements(shape: Shape, messages: list[EmailMessage]) -> dict[str, int]:
    assert shape.sink is not None
    wanted = {m["Message-ID"] for m in messages}
    acks = Counter(m["In-Reply-To"] for m in shape.sink.messages if m["In-Reply-To"] in wanted)
    return {"acknowledged": len(acks), "acknowledged twice": sum(1 for n in acks.values() if n > 1)}


def send_until_accepted(
    shape: Shape, messages: list[EmailMessage], connections: int, accepted: list[str]
) -> Counter[str]:
    """Deliver every message as a mail server would: on any failure (connection refused or
    cut, 4xx) keep it and try again shortly. Returns the failures seen, by kind."""
    todo: queue.Queue[EmailMessage] = queue.Queue()
    for message in messages:
        todo.put(message)
    failures: Counter[str] = Counter()
    lock = threading.Lock()

    def server() -> None:
        client: smtplib.SMTP | None = None
        while True:
            try:
                message = todo.get_nowait()
            except queue.Empty:
                break
            while True:
                try:
                    if client is None:
                        client = smtplib.SMTP("127.0.0.1", shape.smtpd_port, timeout=30)
                    client.send_message(message)
                    with lock:
                        accepted.append(message["Message-ID"])
                    break
                except (OSError, smtplib.SMTPException) as error:
                    with lock:
                        failures[type(error).__name__] += 1
                    with contextlib.suppress(Exception):
                        if client is not None:
                            client.close()
                    client = None
                    time.sleep(0.2)
        if client is not None:
            with contextlib.suppress(Exception):
                client.quit()

    threads = [threading.Thread(target=server) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def receiver_killed(shape: Shape, emails: int = 1000, connections: int = 5) -> dict[str, Any]:
    """kill -9 of `heard smtpd` a third of the way through `emails` sent over `connections`;
    it is started again a second later (systemd's Restart=always) and the senders retry."""
    shape.start_services(RECEIVER_AND_JOBS)
    messages = numbered_emails(emails, "Kill")
    accepted: list[str] = []
    killed = threading.Event()

    def killer() -> None:
        while len(accepted) < emails // 3:
            time.sleep(0.01)
        shape.signal("smtpd", signal.SIGKILL)
        shape.processes["smtpd"].wait()
        killed.set()
        time.sleep(1)
        shape.start(shape.service_line("smtpd"))

    thread = threading.Thread(target=killer)
    thread.start()
    start = time.monotonic()
    failures = send_until_accepted(shape, messages, connections, accepted)
    thread.join()
    sent_in = time.monotonic() - start
    waited = filed(shape, emails, timeout=300)
    [(stored,)] = shape.query("SELECT count(*) FROM mail_rawemail")
    counts = ticket_counts(shape, "Kill")
    return {
        "emails": emails,
        "answered 250": len(set(accepted)),
        "killed after": emails // 3,
        "send failures during the outage (retried)": sum(failures.values()),
        "stored": stored,
        "stored twice (250 lost with the process, sent again)": stored - emails,
        **counts,
        "lost (250 but no ticket)": len(set(accepted)) - counts["tickets"],
        "seconds to send": round(sent_in, 1),
        "seconds more until all filed": round(waited, 1),
        "killed": killed.is_set(),
    }


def database_down(shape: Shape, emails: int = 5) -> dict[str, Any]:
    """PostgreSQL refuses Heard's connections for a while: the receiver answers 451, stays up,
    and takes the same emails once the database is back."""
    shape.start_services({"smtpd", "worker:worker1"})
    before, during = numbered_emails(emails, "Before"), numbered_emails(emails, "During")
    for message in before:
        shape.send_email(message)
    filed(shape, emails, timeout=120)  # a job cut off mid-filing would wait for its claim
    answers: Counter[str] = Counter()
    with database_refusing(shape.database):
        for message in during:
            try:
                shape.send_email(message)
                answers["250"] += 1
            except smtplib.SMTPDataError as error:
                answers[str(error.smtp_code)] += 1
        shape.check_alive("smtpd")
    for message in during:  # the senders' retries
        shape.send_email(message)
    waited = filed(shape, 2 * emails, timeout=120)
    return {
        "answers while down": dict(answers),
        "receiver alive": shape.processes["smtpd"].poll() is None,
        "tickets before": ticket_counts(shape, "Before")["tickets"],
        "tickets from the retries": ticket_counts(shape, "During")["tickets"],
        "seconds until filed": round(waited, 1),
    }


@contextlib.contextmanager
def database_refusing(name: str) -> Any:
    from heard.tests_production.shape import admin_connection

    with admin_connection() as db:
        db.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        db.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
    try:
        yield
    finally:
        with admin_connection() as db:
            db.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


class Outage:
    """A TCP relay in front of Redis that can be cut: Heard's processes reach Redis only
    through it, so cutting it is Redis going down for them (not for anyone else's tests)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.up()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        with self.lock:
            if self.listener is not None:
                self.listener.close()
                self.listener = None
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection((REDIS_HOST, REDIS_PORT))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)


def redis_down(shape: Shape, outage: Outage, emails: int = 10) -> dict[str, Any]:
    """Redis is cut while mail arrives and an agent replies: jobs run in the process that
    queued them (with a warning in its log); once Redis is back, the workers take over again."""
    from heard.tests_production.test_smoke import PASSWORD, SET_UP_DESK

    shape.run(["heard", "shell", "--no-imports", "-c", SET_UP_DESK])
    shape.start_services()
    assert shape.sink is not None
    during, after = numbered_emails(emails, "Cut"), numbered_emails(emails, "Back")
    outage.down()
    started = time.monotonic()
    for message in during:
        shape.send_email(message)
    waited = filed(shape, emails, timeout=60)
    acks = acknowledgements(shape, during)
    browser = shape.browser()
    browser.log_in("ana", PASSWORD)
    [(ticket,)] = shape.query("SELECT min(id) FROM desk_ticket")
    browser.get(f"/tickets/{ticket}/")
    reply = browser.post(f"/tickets/{ticket}/reply/", {"text": "Hello, thank you for waiting."})
    with contextlib.suppress(TimeoutError):
        shape.sink.wait_for(lambda m: "thank you for waiting" in str(m.get_body()), timeout=30)
    replied = any("thank you for waiting" in str(m.get_body()) for m in shape.sink.messages)
    log = shape.logs["smtpd"].read_text(errors="replace")
    outage.up()
    for message in after:
        shape.send_email(message)
    after_waited = filed(shape, 2 * emails, timeout=120)
    return {
        "emails while Redis was down": emails,
        "tickets": ticket_counts(shape, "Cut")["tickets"],
        **acks,
        "seconds until filed": round(waited, 1),
        "seconds of the outage": round(time.monotonic() - started, 1),
        "agent reply answered": reply.status,
        "agent reply emailed": replied,
        "receiver logged the fallback": "could not queue job" in log,
        "tickets after Redis came back": ticket_counts(shape, "Back")["tickets"],
        "seconds until those were filed": round(after_waited, 1),
    }


def worker_killed(shape: Shape, emails: int = 200) -> dict[str, Any]:
    """kill -9 of a Celery worker (the main process and its pool) while it files a burst; it is
    started again (Restart=always). What its job had claimed waits for the claim to lapse and
    is filed by the periodic safety net (or by the job itself, redelivered by Redis)."""
    import redis

    shape.start_services(RECEIVER_AND_JOBS)
    messages = numbered_emails(emails, "Worker")
    for message in messages:
        shape.send_email(message)
    while ticket_counts(shape, "Worker")["tickets"] < emails // 10:
        time.sleep(0.05)
    shape.signal("worker:worker1", signal.SIGKILL)
    shape.processes["worker:worker1"].wait()
    killed_at = time.monotonic()
    at_kill = ticket_counts(shape, "Worker")["tickets"]
    unacked = redis.Redis(REDIS_HOST, REDIS_PORT, db=shape.redis_db).hlen("unacked")
    shape.start(shape.service_line("worker:worker1"))
    waited = filed(shape, emails, timeout=600)
    time.sleep(2)  # the last acknowledgements on their way to the relay
    return {
        "emails": emails,
        "tickets when killed": at_kill,
        "jobs the killed worker held (unacknowledged in Redis)": unacked,
        **ticket_counts(shape, "Worker"),
        **acknowledgements(shape, messages),
        "never acknowledged": emails - acknowledgements(shape, messages)["acknowledged"],
        "seconds after the kill until all filed": round(time.monotonic() - killed_at, 1),
        "filed in time": waited < 600,
    }
