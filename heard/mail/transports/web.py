"""The portal's forms as email: what a customer writes on the web comes in like any email.

A reply on a request or a new request from the portal becomes an RFC 5322 message, From the
customer's own address, To the request's signed reply address (or the support address for a new
request), with their files attached, and goes through `heard.mail.filing.receive` like mail from
the SMTP receiver: stored raw first, then filed, read by the engine and acknowledged by the
same code. Its source is `Source.WEB`, so a new request's ticket says it came by the portal.

The caller (the portal) has signed the customer in and checked the files; this module only
builds the bytes and hands them over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.conf import settings
from django.utils import timezone

from heard.mail import filing
from heard.mail.models import RawEmail, Source


@dataclass(frozen=True)
class Upload:
    """A file the customer attached, checked by the portal's form."""

    filename: str
    content_type: str  # "image/png"
    content: bytes


def submit(
    *,
    sender: str,
    sender_name: str,
    to: str,
    subject: str,
    text: str,
    files: Sequence[Upload] = (),
    origin: str = "",
) -> RawEmail:
    """Store what the customer wrote as a received email and queue it for filing."""
    data = build(
        sender=sender, sender_name=sender_name, to=to, subject=subject, text=text, files=files
    )
    return filing.receive(
        data, source=Source.WEB, envelope_from=sender, envelope_to=[to], origin=origin
    )


def build(
    *,
    sender: str,
    sender_name: str,
    to: str,
    subject: str,
    text: str,
    files: Sequence[Upload] = (),
) -> bytes:
    """The message's bytes: text/plain, and multipart/mixed when files come with it."""
    message = EmailMessage()  # policy.default: modern headers, UTF-8 where needed
    message["From"] = Address(display_name=_one_line(sender_name), addr_spec=sender)
    message["To"] = to
    message["Subject"] = _one_line(subject)
    message["Date"] = format_datetime(timezone.now())
    domain = settings.HEARD_SUPPORT_ADDRESS.rpartition("@")[2] or "heard.localhost"
    message["Message-ID"] = make_msgid("web", domain=domain)
    message.set_content(text)
    for file in files:
        maintype, _, subtype = file.content_type.partition("/")
        message.add_attachment(
            file.content, maintype=maintype, subtype=subtype, filename=file.filename
        )
    return bytes(message)


def _one_line(text: str) -> str:
    """A header's words on one line: a line break typed into a form must not start a header."""
    return " ".join(text.split())
