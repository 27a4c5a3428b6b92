"""The SMTP receiver: customers' mail servers hand their messages straight to Heard.

It answers 250 only once `filing.receive()` has committed the raw bytes, so a message is never
acknowledged and then lost; while storage is down it answers 451 and the sending server keeps the
message and retries. It accepts mail only for the support address's domain and the domains of the
teams' addresses (550 otherwise, read when it starts), so it can never be used as an open
relay, and refuses messages over HEARD_SMTPD_MAX_BYTES (552).

The ORM is synchronous: each message is stored in a worker thread (`sync_to_async` with
`thread_sensitive=False`) while the event loop keeps serving other connections.

Limits, per RFC 5321 4.5.3.1, are answered for good (5xx) so that the sender's server bounces the
message to its writer at once instead of retrying for days: a MAIL FROM or RCPT TO address over
254 octets (a path of 256 with its angle brackets) gets 501, a line of the message longer than
`LINE_LENGTH_LIMIT` gets aiosmtpd's "500 Line too long" after the data (4.5.3.1 names 500 for
it; 64 KB is already 64 times the 1,000 octets the RFC asks senders to keep to), a message over
HEARD_SMTPD_MAX_BYTES 552. Everything within them is stored. A 451 ("try again later") is kept
for what will pass: the database refusing the write, or (SQLite) its files missing, replaced,
truncated or not writable, or the disk too full for the message; SQLite's shared-memory file is
mapped into memory, and touching it once another program truncated it kills the process with
SIGBUS, so these are checked before every write.
"""

from __future__ import annotations

import logging
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection

from heard.mail import filing
from heard.mail.filing import StorageError
from heard.mail.models import RawEmail
from heard.mail.sending import signing

log = logging.getLogger(__name__)

# Lines longer than RFC 5321's 1,000 octets still arrive from real clients (long HTML lines);
# refusing them would lose a customer's words, so allow long lines and cap only the total size.
LINE_LENGTH_LIMIT = 64 * 1024
TRY_LATER = "451 4.3.0 Could not store the message just now; please try again later"
MAX_ADDRESS = 254  # RFC 5321 4.5.3.1.3: a path is 256 octets at most, with its angle brackets
SHM_REGION = 32 * 1024  # SQLite's shared-memory index grows in regions of this size
DISK_MARGIN = 16 * 1024 * 1024  # room a write needs besides the message (log, index, pages)
_inodes: dict[str, int] = {}  # each SQLite file as first seen by this process


def team_domains() -> set[str]:
    """Domains of the teams' own addresses (Team.email), which receive mail too."""
    from heard.desk.models import Team

    emails = Team.objects.exclude(email="").values_list("email", flat=True)
    return {email.rpartition("@")[2].lower() for email in emails}


class Handler:
    """aiosmtpd hooks: check each recipient, store the message, answer only after storing."""

    def __init__(self, domain: str | None = None) -> None:
        self.domains = {(domain or signing.domain()).lower(), *team_domains()}
        self.executor = ThreadPoolExecutor(store_threads(), thread_name_prefix="heard-smtpd")

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        if _too_long(address):
            return f"501 5.1.7 Path too long: a sender address has at most {MAX_ADDRESS} octets"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if _too_long(address):
            return f"501 5.1.3 Path too long: an address has at most {MAX_ADDRESS} octets"
        if address.rpartition("@")[2].lower() not in self.domains:
            accepted = ", ".join(f"@{d}" for d in sorted(self.domains))
            return f"550 5.7.1 Relaying denied: this server accepts mail for {accepted} only"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        sender = _envelope_sender(envelope.mail_from)
        try:
            raw = await sync_to_async(store, thread_sensitive=False, executor=self.executor)(
                data, sender, list(envelope.rcpt_tos), _origin(session)
            )
        except Exception:
            log.exception("could not store an email from %s: answered 451", sender or "<>")
            return TRY_LATER
        log.info("accepted email %s (%d bytes) from %s", raw.pk, raw.size, sender or "<>")
        return f"250 2.0.0 OK: stored as email {raw.pk}"


def store_threads() -> int:
    """SQLite takes one writer at a time and makes the others wait by sleeping and retrying (up
    to 100 ms a try), so concurrent writers are slower than one: store one message at a time
    there. PostgreSQL commits concurrently."""
    return 1 if connection.vendor == "sqlite" else 8


def store(data: bytes, sender: str, recipients: list[str], origin: str) -> RawEmail:
    """Runs in a worker thread: a long-lived thread must not reuse a broken or stale connection."""
    close_old_connections()
    try:
        if connection.vendor == "sqlite":
            check_sqlite_files(Path(connection.settings_dict["NAME"]), len(data))
        return filing.receive(
            data, source="smtp", envelope_from=sender, envelope_to=recipients, origin=origin
        )
    finally:
        close_old_connections()


def check_sqlite_files(database: Path, size: int) -> None:
    """StorageError unless the SQLite database can take a message of `size` bytes now: its
    files are where they were when first seen here (not removed or replaced), writable, its
    shared-memory index not truncated, and the disk has room."""
    if str(database) == ":memory:" or str(database).startswith("file:"):
        return  # the test suite's in-memory database
    try:
        found = database.stat()
    except OSError as error:
        raise StorageError(f"the database file is gone: {error}") from None
    seen = _inodes.setdefault(str(database), found.st_ino)
    if found.st_ino != seen:
        raise StorageError("the database file was replaced while Heard was running")
    for path in (database, database.parent, *_sidecars(database)):
        if not os.access(path, os.W_OK):
            raise StorageError(f"{path} is not writable")
    shm = database.with_name(database.name + "-shm")
    if shm.exists() and shm.stat().st_size < SHM_REGION:
        raise StorageError(f"{shm} was truncated: SQLite cannot use it safely")
    free = shutil.disk_usage(database.parent).free
    if free < 2 * size + DISK_MARGIN:
        raise StorageError(f"only {free} bytes free on the database's disk")


def _sidecars(database: Path) -> list[Path]:
    """The write-ahead log and its index, where they exist."""
    paths = (database.with_name(database.name + suffix) for suffix in ("-wal", "-shm"))
    return [path for path in paths if path.exists()]


def _too_long(address: str) -> bool:
    return len(address.encode("utf-8", "surrogateescape")) > MAX_ADDRESS


def _envelope_sender(mail_from: str | None) -> str:
    """MAIL FROM:<> (bounces, auto-replies) is the null sender, stored as ""."""
    return "" if mail_from in (None, "<>") else str(mail_from)


def _origin(session: Session) -> str:
    """The peer as a Received: line would name it: what it said in HELO and its address."""
    peer = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer)
    return f"smtp from {session.host_name or 'unknown'} [{peer}]"


class _LenientSMTP(SMTP):
    line_length_limit = LINE_LENGTH_LIMIT


class Receiver(Controller):
    """aiosmtpd's threaded controller (its own event loop in a daemon thread), set up for Heard."""

    def __init__(self, host: str, port: int, max_bytes: int | None = None, **kwargs: Any) -> None:
        super().__init__(
            Handler(),
            hostname=host,
            port=port,
            data_size_limit=max_bytes or settings.HEARD_SMTPD_MAX_BYTES,
            enable_SMTPUTF8=True,
            ident="Heard",
            **kwargs,
        )

    def stop(self, no_assert: bool = False) -> None:
        super().stop(no_assert)
        self.handler.executor.shutdown(wait=True)

    def factory(self) -> SMTP:
        return _LenientSMTP(self.handler, **self.SMTP_kwargs)

    @property
    def url(self) -> str:
        return f"smtp://{self.hostname}:{self.port}"
