"""`heard ingest`: import saved mail (.eml files and mbox archives) through the one intake.

Each message is stored exactly as it is in the file and processed like mail that just arrived;
its origin (`/path/to/archive.mbox#3`) says where it came from. A file that cannot be read is
reported and skipped, so one bad path never stops a migration halfway.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Protocol

from django.conf import settings

from heard import jobs
from heard.mail import filing
from heard.mail.models import Source


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


class UnreadableFile(Exception):
    """The file is missing, unreadable or holds no message."""


def ingest_files(paths: Iterable[str], out: Writer, err: Writer) -> int:
    """Store every message of every file; one line per message on `out`, problems on `err`.
    Returns the exit status: 1 if anything could not be read or stored."""
    status = 0
    with _jobs_finished_on_return():
        for path in paths:
            try:
                for origin, data in messages(path):
                    raw = filing.receive(data, source=Source.FILE, origin=origin)
                    out.write(f"{origin}: stored as email {raw.pk} ({raw.size} bytes)\n")
            except (UnreadableFile, filing.StorageError) as error:
                err.write(f"{path}: {error}\n")
                status = 1
    return status


def _jobs_finished_on_return() -> AbstractContextManager[None]:
    """Without a broker, jobs run on threads of this process, which a command leaves as soon as
    it returns: process each email before moving on. With a broker, its workers do it."""
    return nullcontext() if settings.CELERY_BROKER_URL else jobs.inline()


def messages(path: str) -> Iterator[tuple[str, bytes]]:
    """(origin, raw bytes) for each message in the file: one for .eml, each one of an mbox."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from error
    if not data.strip():
        raise UnreadableFile("the file is empty")
    stem = str(file.resolve())
    if data.startswith(b"From "):  # the mbox "From_" line that starts each message
        yield from ((f"{stem}#{n}", raw) for n, raw in enumerate(_mbox(file), start=1))
    else:
        yield f"{stem}#1", data


def _mbox(file: Path) -> Iterator[bytes]:
    """Each message without its From_ line, as the standard library's mbox reader splits them."""
    box = mailbox.mbox(file, create=False)
    try:
        for key in box.iterkeys():
            yield box.get_bytes(key)
    finally:
        box.close()
