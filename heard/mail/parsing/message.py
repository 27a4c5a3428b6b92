"""What Heard reads from one inbound email: frozen plain data, no ORM and no Django.

`heard.mail.parsing.parse.parse_email()` builds an `InboundEmail`; `heard.mail.filing` files it.
Message-IDs are kept without their angle brackets ("abc@mail.example", not "<abc@mail.example>").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

AutomatedKind = Literal[
    "abuse-report",  # ARF feedback report (report-type=feedback-report)
    "bounce",  # a delivery failed: DSN with Action: failed, or a server's own bounce text
    "delivery-report",  # a DSN that reports no failure (delayed, relayed, delivered)
    "auto-reply",  # out-of-office and other automatic responses
    "auto-generated",  # Auto-Submitted: auto-generated, X-Auto-Response-Suppress, ...
    "mailing-list",  # List-Id, List-Unsubscribe, Precedence: list, ...
    "bulk",  # Precedence: bulk or junk
    "system-sender",  # mailer-daemon, postmaster, no-reply and friends
    "null-sender",  # the envelope sender is empty: Return-Path: <>
]


@dataclass(frozen=True)
class Address:
    name: str
    address: str


@dataclass(frozen=True, kw_only=True)
class Attachment:
    filename: str | None
    content_type: str
    size: int  # decoded size in bytes, also for oversize attachments
    content: bytes | None  # None when over the size limit (or nested too deeply to write back)
    text: str | None = None  # decoded text of text/* parts (None when oversize)
    oversize: bool = False
    inline: bool = False
    content_id: str | None = None  # without angle brackets; what "cid:" URLs in the HTML point at


@dataclass(frozen=True, kw_only=True)
class Forwarded:
    """A message the sender passed on: an attached message/rfc822 part or an inline block."""

    from_: tuple[Address, ...] = ()
    subject: str = ""
    date: str | None = None  # as written; inline blocks use each client's own date format
    text: str = ""
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Automated:
    kind: AutomatedKind
    detail: str  # the evidence, e.g. "Auto-Submitted: auto-replied (vacation)"

    @property
    def reason(self) -> str:
        return f"{self.kind}: {self.detail}"


@dataclass(frozen=True, kw_only=True)
class InboundEmail:
    """One parsed email. When `error` is set the message could not be read and the rest is empty."""

    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    subject: str = ""
    from_: tuple[Address, ...] = ()
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    reply_to: tuple[Address, ...] = ()
    date: datetime | None = None  # always timezone-aware
    auto_submitted: str | None = None  # the Auto-Submitted header as written
    text: str = ""  # the readable body: the text part, or the HTML part as text
    html: str | None = None  # the HTML part, unsanitised: sanitise when rendering
    new_text: str = ""  # what the sender wrote now, without quotes and signature
    attachments: tuple[Attachment, ...] = ()
    forwarded: tuple[Forwarded, ...] = ()
    automated: Automated | None = None
    bounced_recipients: tuple[str, ...] = ()
    original_message_id: str | None = None  # of the message a bounce or report returns
    defects: tuple[str, ...] = ()  # what was wrong with the message and how it was read anyway
    error: str | None = None

    @property
    def sender(self) -> Address | None:
        return self.from_[0] if self.from_ else None
