"""The SMTP receiver: customers' mail servers hand their messages straight to Heard.

It answers 250 only once `filing.receive()` has committed the raw bytes, so a message is never
acknowledged and then lost; while storage is down it answers 451 and the sending server keeps the
message and retries. It accepts mail only for the support address's domain and the domains of the
teams' addresses (550 otherwise, read when it starts), so it can never be used as an open
relay, and refuses messages over HEARD_SMTPD_MAX_BYTES (552).

The ORM is synchronous: each message is stored in a worker thread (`sync_to_async` with
`thread_sensitive=False`) while the event loop keeps serving other connections.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection

from heard.mail import filing
from heard.mail.models import RawEmail
from heard.mail.sending import signing

log = logging.getLogger(__name__)

# Lines longer than RFC 5321's 1,000 octets still arrive from real clients (long HTML lines);
# refusing them would lose a customer's words, so allow long lines and cap only the total size.
LINE_LENGTH_LIMIT = 64 * 1024
TRY_LATER = "451 4.3.0 Could not store the message just now; please try again later"


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

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
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
        return filing.receive(
            data, source="smtp", envelope_from=sender, envelope_to=recipients, origin=origin
        )
    finally:
        close_old_connections()


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
