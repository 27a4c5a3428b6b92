"""The one way into Heard for an email: store the raw bytes first, then process them in a job.

Every transport (the SMTP receiver, IMAP polling, `heard ingest`) calls `receive()`. It returns
only once the bytes and their checksum are committed; the SMTP receiver answers 250 after that
and 451 if it raises, so the sending server keeps the message and retries.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from heard.jobs import enqueue
from heard.mail.models import RawEmail


class StorageError(Exception):
    """The raw email could not be stored: the sender must try again later."""


def receive(
    data: bytes,
    *,
    source: str,
    envelope_from: str | None = None,
    envelope_to: Iterable[str] = (),
    origin: str = "",
) -> RawEmail:
    """Store one received email durably and queue it for processing."""
    if not isinstance(data, bytes):
        raise TypeError(f"an email is bytes, not {type(data).__name__}")
    try:
        with _durable(), transaction.atomic():
            raw = RawEmail.objects.create(
                data=data,
                sha256=RawEmail.checksum(data),
                size=len(data),
                source=source,
                envelope_from=envelope_from,
                envelope_to="\n".join(a.strip() for a in envelope_to if a.strip()),
                origin=origin[:500],
            )
            from heard.mail.tasks import process_email  # tasks import this module

            enqueue(process_email, raw.pk)
    except Exception as error:
        raise StorageError(f"could not store the email: {error}") from error
    return raw


class _durable:
    """On SQLite, make this commit wait for the disk (the default, synchronous=NORMAL in WAL
    mode, survives a crash of Heard but not of the machine). PostgreSQL commits durably."""

    def __enter__(self) -> None:
        self.switch = connection.vendor == "sqlite" and not connection.in_atomic_block
        if self.switch:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=FULL")

    def __exit__(self, *exc: object) -> None:
        if self.switch:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=NORMAL")
