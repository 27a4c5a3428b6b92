"""IMAP polling: fetch new messages from a mailbox Heard does not own (Gmail, Exchange, Dovecot).

Safe to run twice, or in two processes: every message is keyed by its IMAP URL (RFC 5092),
`imap://user@host:port/INBOX;UIDVALIDITY=v/;UID=n`, stored as the raw email's `origin`, and UIDs
already stored are skipped. When the server renumbers the mailbox (a new UIDVALIDITY), a message
whose exact bytes were already stored from this mailbox is re-keyed to its new UID rather than
stored again. Messages are read with BODY.PEEK[] and marked \\Seen only once they are stored, so
a failure midway leaves the rest unread for the next poll. Nothing is ever deleted on the server.
With `since` (HEARD_IMAP_SINCE), messages that reached the mailbox before that day are left
alone: connecting a mailbox with years of history does not open a ticket for each old email.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from django.conf import settings

from heard.mail import filing
from heard.mail.models import RawEmail, Source

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 60  # a server that stops answering must not hang the scheduler
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class ImapError(Exception):
    """The mailbox could not be reached, logged into or read. Nothing was lost."""


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    ssl: bool
    user: str
    password: str
    mailbox: str = "INBOX"
    since: date | None = None  # only messages the server received on or after this day

    def url(self) -> str:
        """The mailbox's IMAP URL (no password): the stem of every origin polled from it."""
        user = quote(self.user, safe="")
        return f"imap://{user}@{self.host}:{self.port}/{quote(self.mailbox, safe='/')}"

    def uid_prefix(self, uidvalidity: str) -> str:
        return f"{self.url()};UIDVALIDITY={uidvalidity}/;UID="

    def __str__(self) -> str:
        return self.url()


def poll(box: Mailbox) -> int:
    """Store the mailbox's messages not stored yet; return how many were stored."""
    try:
        with _logged_in(box) as conn:
            stored = _poll_mailbox(conn, box)
    except (OSError, imaplib.IMAP4.error) as error:
        raise ImapError(f"could not poll {box}: {_describe(error)}") from error
    if stored:
        log.info("stored %d new email(s) from %s", stored, box)
    return stored


def poll_configured() -> int:
    """The periodic job: poll HEARD_IMAP_*; a mail server that is down is logged, not raised,
    so the scheduler simply tries again at the next interval."""
    if not settings.HEARD_IMAP_HOST:
        return 0
    try:
        return poll(configured())
    except ImapError as error:
        log.error("IMAP polling failed, will retry at the next interval: %s", error)
        return 0


def configured() -> Mailbox:
    """The mailbox HEARD_IMAP_* name."""
    return Mailbox(
        settings.HEARD_IMAP_HOST,
        settings.HEARD_IMAP_PORT,
        settings.HEARD_IMAP_SSL,
        settings.HEARD_IMAP_USER,
        settings.HEARD_IMAP_PASSWORD,
        settings.HEARD_IMAP_MAILBOX,
        settings.HEARD_IMAP_SINCE,
    )


@contextmanager
def _logged_in(box: Mailbox) -> Iterator[imaplib.IMAP4]:
    conn: imaplib.IMAP4
    if box.ssl:
        context = ssl.create_default_context()
        conn = imaplib.IMAP4_SSL(box.host, box.port, ssl_context=context, timeout=TIMEOUT_SECONDS)
    else:
        conn = imaplib.IMAP4(box.host, box.port, timeout=TIMEOUT_SECONDS)
    try:
        conn.login(box.user, box.password)
        yield conn
    finally:
        with suppress(OSError, imaplib.IMAP4.error):
            conn.logout()


def _poll_mailbox(conn: imaplib.IMAP4, box: Mailbox) -> int:
    prefix = box.uid_prefix(_select(conn, box.mailbox))
    known = _known_uids(prefix)
    stored = 0
    for uid in _new_uids(conn, known, box.since):
        data = _fetch(conn, uid)
        if data is None:
            continue  # expunged since the search
        origin = f"{prefix}{uid}"
        if not _rekeyed(box, prefix, origin, data):
            filing.receive(data, source=Source.IMAP, origin=origin)
            stored += 1
        _mark_seen(conn, uid)
    return stored


def _select(conn: imaplib.IMAP4, mailbox: str) -> str:
    """Open the mailbox read-write (to set \\Seen); return its UIDVALIDITY."""
    typ, data = conn.select(_quoted(mailbox))
    if typ != "OK":
        raise imaplib.IMAP4.error(f"cannot open mailbox {mailbox!r}: {_text(data)}")
    _, values = conn.response("UIDVALIDITY")
    if not values or values[0] is None:
        raise imaplib.IMAP4.error(f"the server sent no UIDVALIDITY for {mailbox!r}")
    return _text(values[0])


def _known_uids(prefix: str) -> set[int]:
    origins = RawEmail.objects.filter(source=Source.IMAP, origin__startswith=prefix)
    return {
        int(origin[len(prefix) :])
        for origin in origins.values_list("origin", flat=True)
        if origin[len(prefix) :].isdigit()
    }


def _new_uids(conn: imaplib.IMAP4, known: set[int], since: date | None = None) -> list[int]:
    """UIDs above the highest stored one, oldest first. Polls stop at the first failure, so
    everything below the highest stored UID was handled."""
    start = max(known, default=0) + 1
    criteria = [f"UID {start}:*"]
    if since is not None:  # RFC 3501's date: 23-Nov-2026, English month names whatever the locale
        criteria.append(f"SINCE {since.day}-{_MONTHS[since.month - 1]}-{since.year}")
    # typeshed types uid()'s arguments as str; imaplib takes None for "no charset"
    typ, data = conn.uid("SEARCH", None, *criteria)  # type: ignore[arg-type]
    if typ != "OK":
        raise imaplib.IMAP4.error(f"search failed: {_text(data)}")
    found = {int(uid) for uid in b" ".join(d for d in data if d).split()}
    return sorted(found - known)  # "n:*" also returns the last message when all are below n


def _fetch(conn: imaplib.IMAP4, uid: int) -> bytes | None:
    """The message's exact bytes; PEEK leaves it unread until it is stored."""
    typ, data = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"fetch of UID {uid} failed: {_text(data)}")
    for item in data:
        if isinstance(item, tuple):
            return bytes(item[1])
    return None


def _rekeyed(box: Mailbox, prefix: str, origin: str, data: bytes) -> bool:
    """After a UIDVALIDITY change, the same bytes stored from this mailbox under an old key are
    the same message: give that row its new key instead of storing the message twice."""
    stale = (
        RawEmail.objects.filter(
            source=Source.IMAP,
            sha256=RawEmail.checksum(data),
            origin__startswith=f"{box.url()};UIDVALIDITY=",
        )
        .exclude(origin__startswith=prefix)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if stale is None:
        return False
    RawEmail.objects.filter(pk=stale).update(origin=origin)
    log.info("email %s is UID %s after a UIDVALIDITY change", stale, origin)
    return True


def _mark_seen(conn: imaplib.IMAP4, uid: int) -> None:
    typ, data = conn.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Seen)")
    if typ != "OK":  # stored all the same; people reading the mailbox just see it unread
        log.warning("could not mark UID %s as seen: %s", uid, _text(data))


def _quoted(mailbox: str) -> str:
    """imaplib sends arguments as they are; a name with a space must be a quoted string."""
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _text(data: object) -> str:
    if isinstance(data, list):
        return " ".join(_text(item) for item in data)
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return str(data)


def _describe(error: Exception) -> str:
    """imaplib puts the server's answer in the message as bytes' repr: b'[AUTH...] ...'."""
    text = str(error)
    if text.startswith(("b'", 'b"')) and text.endswith(("'", '"')):
        text = text[2:-1]
    return text or type(error).__name__
