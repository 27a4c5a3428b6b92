"""Heard's production shape on this machine, booted from the README's own commands.

README.md, "Running in production", holds the block of commands a team runs (after the line
`PRODUCTION_MARKER`): one-shot commands (migrate, collectstatic, check --deploy), then the
services, each line ending in `&` (two gunicorn web processes, two Celery workers, beat and
`heard smtpd`). `Shape` runs exactly those lines, with the settings of deploy/heard.env.example,
changing only what must differ on a test machine: the web ports (8001/8002 become this shape's),
the database, Redis, the var folder, the secrets' paths, the SMTP ports and the outgoing relay (a
sink in this process that keeps every message sent). No containers: PostgreSQL and Redis are the
machine's own (.ci/run has both).

The smoke test, the fault tests and `bench/load_bench.py` and `bench/fault_bench.py` use it; a
file lock keeps two of them (two suites running at once) from sharing ports, database or Redis.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import email.utils
import fcntl
import http.client
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
ENV_EXAMPLE = REPO / "deploy" / "heard.env.example"
BIN = Path(sys.executable).parent  # the virtual environment's heard, gunicorn and celery
PRODUCTION_MARKER = "<!-- production-commands: the CI smoke test runs these lines -->"
README_WEB_PORTS = (8001, 8002)  # what the README binds; a test shape uses its own ports
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
SITE_HOST = "support.example.com"  # deploy/heard.env.example's SITE_URL and ALLOWED_HOSTS
SUPPORT = "support@example.com"
LOCK = Path("/tmp/heard-production-shape.lock")  # noqa: S108  (one machine-wide lock)


@dataclass(frozen=True)
class Line:
    """One line of the README's block: a one-shot command, or a service (ending in `&`)."""

    argv: list[str]
    service: bool

    @property
    def name(self) -> str:
        """web:8001, worker:worker1, beat, smtpd, or the command's first words."""
        program, *rest = self.argv
        if program == "gunicorn":
            return f"web:{rest[rest.index('--bind') + 1].rpartition(':')[2]}"
        if program == "celery" and "worker" in rest:
            return f"worker:{rest[rest.index('--hostname') + 1].partition('@')[0]}"
        if program == "celery" and "beat" in rest:
            return "beat"
        if self.argv[:2] == ["heard", "smtpd"]:
            return "smtpd"
        return " ".join(self.argv[:2])


def readme_lines(text: str | None = None) -> list[Line]:
    """The commands of the README's production block, in order."""
    text = README.read_text() if text is None else text
    if PRODUCTION_MARKER not in text:
        raise LookupError(f"README.md has no line {PRODUCTION_MARKER!r}")
    after = text.split(PRODUCTION_MARKER, 1)[1]
    block = re.search(r"```(?:sh|shell|bash)?\n(.*?)```", after, re.DOTALL)
    if block is None:
        raise LookupError("no ```sh block follows the production marker in README.md")
    lines = []
    for raw in block.group(1).splitlines():
        words = shlex.split(raw, comments=True)
        if words:
            service = words[-1] == "&"
            lines.append(Line(words[:-1] if service else words, service))
    return lines


def env_file(path: Path = ENV_EXAMPLE) -> dict[str, str]:
    """KEY=VALUE lines, as systemd's EnvironmentFile and compose's env_file read them."""
    values = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def reachable(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
        return True
    return False


def production_available() -> bool:
    """PostgreSQL and Redis are reachable (as in .ci/run), and Celery is installed."""
    try:
        import celery  # noqa: F401
    except ImportError:
        return False
    return reachable("127.0.0.1", 5432) and reachable(REDIS_HOST, REDIS_PORT)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class MailSink:
    """The outgoing SMTP relay: keeps every message Heard sends, in order."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[EmailMessage] = []
        self.arrived = threading.Condition()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Sink-Arrived"] = repr(time.time())  # when it reached the relay
        with self.arrived:
            self.messages.append(message)  # type: ignore[arg-type]
            self.arrived.notify_all()
        return "250 OK"

    @property
    def port(self) -> int:
        return int(self.controller.port)

    def wait_for(self, predicate: Any, timeout: float = 30) -> EmailMessage:
        """The first message sent so far or within `timeout` for which `predicate` is true."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for message in self.messages:
                    if predicate(message):
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    sent = [(m["To"], m["Subject"]) for m in self.messages]
                    raise TimeoutError(f"no such message in {timeout:.0f} s; sent: {sent}")
                self.arrived.wait(left)


@dataclass
class Shape:
    """Boot, watch and stop the production shape from the README's lines."""

    root: Path
    database: str = "heard_prod_smoke"
    redis_db: int = 5
    web_ports: tuple[int, int] = (18280, 18281)
    smtpd_port: int = 18282
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: dict[str, Path] = field(default_factory=dict)
    sink: MailSink | None = None
    _lock: IO[str] | None = None

    @property
    def database_url(self) -> str:
        return f"{POSTGRES}/{self.database}"

    @property
    def var_dir(self) -> Path:
        return self.root / "var"

    def env(self) -> dict[str, str]:
        """deploy/heard.env.example, with this machine's services, ports and files."""
        assert self.sink is not None, "start the shape first"
        secret_key, database_url = self.root / "secret_key", self.root / "database_url"
        values = env_file()
        values.update(
            SECRET_KEY_FILE=str(secret_key),
            DATABASE_URL_FILE=str(database_url),
            CELERY_BROKER_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/{self.redis_db}",
            HEARD_VAR_DIR=str(self.var_dir),
            HEARD_SMTPD_HOST="127.0.0.1",
            HEARD_SMTPD_PORT=str(self.smtpd_port),
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.sink.port),
            EMAIL_USE_TLS="false",
            EMAIL_HOST_USER="",
        )
        values.pop("EMAIL_HOST_PASSWORD_FILE", None)  # the sink asks for no password
        values.update(self.extra_env)
        kept = ("HOME", "LANG", "TZ", "PYTHONPATH")  # nothing else of the test's environment
        base = {key: os.environ[key] for key in kept if key in os.environ}
        return {**base, **values, "PATH": f"{BIN}:/usr/bin:/bin"}

    def lines(self) -> list[Line]:
        ports = dict(zip(README_WEB_PORTS, self.web_ports, strict=True))
        changed = []
        for line in readme_lines():
            argv = [
                re.sub(r"^127\.0\.0\.1:(\d+)$", lambda m: f"127.0.0.1:{ports[int(m[1])]}", word)
                for word in line.argv
            ]
            changed.append(Line(argv, line.service))
        return changed

    # Booting and stopping.

    def __enter__(self) -> Shape:
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = LOCK.open("w")
        fcntl.flock(self._lock, fcntl.LOCK_EX)  # another suite's shape finishes first
        try:
            self.sink = MailSink()
            self.sink.controller.start()
            self.prepare()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_all()
        if self.sink is not None:
            self.sink.controller.stop()
        with contextlib.suppress(Exception):
            drop_database(self.database)
        if self._lock is not None:
            self._lock.close()

    def prepare(self) -> None:
        """A fresh database and Redis, the secrets as files, then the one-shot lines."""
        drop_database(self.database)
        with admin_connection() as db:
            db.execute(f'CREATE DATABASE "{self.database}"')
        flush_redis(self.redis_db)
        self.var_dir.mkdir(parents=True, exist_ok=True)
        (self.root / "secret_key").write_text(secrets.token_urlsafe(50) + "\n")
        (self.root / "database_url").write_text(self.database_url + "\n")
        for line in self.lines():
            if not line.service:
                self.run(line.argv)

    def run(self, argv: list[str], timeout: float = 180) -> str:
        """A one-shot command in the shape's environment; its output, or AssertionError."""
        done = subprocess.run(  # noqa: S603  (the README's own commands)
            argv, cwd=self.var_dir, env=self.env(), capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise AssertionError(f"{shlex.join(argv)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start_services(self, only: set[str] | None = None) -> None:
        for line in self.lines():
            if line.service and (only is None or line.name in only):
                self.start(line)
        self.wait_ready()

    def start(self, line: Line) -> None:
        log = self.root / f"{line.name.replace(':', '-')}.log"
        self.logs[line.name] = log
        with log.open("ab") as out:
            self.processes[line.name] = subprocess.Popen(  # noqa: S603
                line.argv,
                cwd=self.var_dir,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped with its children
            )

    def service_line(self, name: str) -> Line:
        return next(line for line in self.lines() if line.service and line.name == name)

    def wait_ready(self, timeout: float = 90) -> None:
        """Every web port answers, the receiver listens, every worker says it is ready."""
        deadline = time.monotonic() + timeout
        for name in self.processes:
            while not self.is_ready(name):
                self.check_alive(name)
                if time.monotonic() > deadline:
                    log = self.tail(name)
                    raise AssertionError(f"{name} was not ready in {timeout:.0f} s\n{log}")
                time.sleep(0.2)

    def is_ready(self, name: str) -> bool:
        if name.startswith("web:"):
            return reachable("127.0.0.1", int(name.partition(":")[2]))
        if name == "smtpd":
            return reachable("127.0.0.1", self.smtpd_port)
        if name.startswith("worker:"):
            return b" ready." in self.logs[name].read_bytes()
        if name == "beat":
            return b"beat: Starting" in self.logs[name].read_bytes()
        return True

    def check_alive(self, name: str) -> None:
        code = self.processes[name].poll()
        if code is not None:
            raise AssertionError(f"{name} exited with {code}\n{self.tail(name)}")

    def signal(self, name: str, sig: int) -> None:
        """Send `sig` to the service's whole process group (gunicorn's and Celery's children)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.processes[name].pid, sig)

    def stop(self, name: str, timeout: float = 20) -> None:
        process = self.processes.pop(name, None)
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # stragglers of the group, if any
        process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def tail(self, name: str, lines: int = 40) -> str:
        log = self.logs.get(name)
        text = log.read_text(errors="replace") if log and log.exists() else ""
        return f"--- {name} ---\n" + "\n".join(text.splitlines()[-lines:])

    def tails(self) -> str:
        return "\n".join(self.tail(name) for name in self.logs)

    # Talking to it.

    def send_email(self, message: EmailMessage, port: int | None = None) -> None:
        import smtplib

        with smtplib.SMTP("127.0.0.1", port or self.smtpd_port, timeout=30) as client:
            client.send_message(message)

    def query(self, sql: str, *params: object) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as db:
            return db.execute(sql, params).fetchall()  # type: ignore[arg-type]

    def browser(self, port: int | None = None) -> Browser:
        return Browser(port or self.web_ports[0])


def customer_email(
    subject: str, text: str, sender: str = "Maja Horvat <maja@customer.example>", **headers: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = SUPPORT
    message["Subject"] = subject
    message["Message-ID"] = email.utils.make_msgid(domain="customer.example")
    message["Date"] = email.utils.formatdate(localtime=True)
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


class Browser:
    """An agent's browser as the web processes see it behind the reverse proxy: every request
    comes from 127.0.0.1 (the proxy) with X-Forwarded-Proto: https and the client's address."""

    def __init__(self, port: int, client: str = "203.0.113.7") -> None:
        self.port = port
        self.client = client
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        data: dict[str, str] | None = None,
        https: bool = True,
        extra: dict[str, str] | None = None,
    ) -> Response:
        headers = {"Host": SITE_HOST, "X-Forwarded-For": self.client, **(extra or {})}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{SITE_HOST}"
            headers["Referer"] = f"https://{SITE_HOST}{path}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            reply = connection.getresponse()
            for header, value in reply.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.partition(";")[0]
            return Response(
                reply.status,
                {k.lower(): v for k, v in reply.getheaders()},
                reply.read().decode(errors="replace"),
            )
        finally:
            connection.close()

    def get(self, path: str, https: bool = True) -> Response:
        return self.request("GET", path, https=https)

    def request_htmx(self, path: str) -> Response:
        """What htmx asks when it refreshes part of the page at `path`."""
        return self.request("GET", path, extra={"HX-Request": "true", "HX-Current-URL": path})

    def post(self, path: str, data: dict[str, str]) -> Response:
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": self.csrf()})

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def log_in(self, username: str, password: str) -> Response:
        self.get("/login/")
        return self.post("/login/", {"username": username, "password": password})


@contextlib.contextmanager
def admin_connection() -> Iterator[Any]:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as db:
        yield db


def drop_database(name: str) -> None:
    with admin_connection() as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flush_redis(db: int) -> None:
    import redis

    redis.Redis(REDIS_HOST, REDIS_PORT, db=db).flushdb()
