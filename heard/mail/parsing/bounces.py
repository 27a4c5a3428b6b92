"""Bounces and delivery reports: who could not be reached, and which of our messages came back.

Three kinds are understood, most reliable first:

1. RFC 3464 delivery status notifications (multipart/report; report-type=delivery-status), as
   Postfix, Sendmail, Exchange / Office 365 and Gmail send them: the recipients are the
   per-recipient blocks with "Action: failed".
2. Exim's X-Failed-Recipients header.
3. The plain-text bounces of qmail, Yahoo, old Exchange and non-DSN Postfix, recognised by a
   system sender (mailer-daemon, postmaster, or an empty Return-Path) with a bounce subject;
   their recipients are the addresses in the notice, before the returned copy of the message.

The returned message's Message-ID comes from an attached message/rfc822 or text/rfc822-headers
part, else from the first "Message-ID:" line of the copy quoted in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from email.utils import collapse_rfc2231_value

from heard.mail.parsing.headers import (
    header_addresses,
    header_ids,
    header_text,
    message_ids,
    parse_addresses,
    raw_values,
)
from heard.mail.parsing.mime import children, parse_bytes, walk
from heard.mail.parsing.senders import is_null_sender, is_system_address

_BOUNCE_SUBJECT = re.compile(
    r"undeliver|returned mail|returned to sender|failure notice|could not be delivered"
    r"|delivery (?:status notification|failure|failed|has failed|problem|incomplete|report)"
    r"|mail delivery (?:failed|failure|system|subsystem)|non[- ]?delivery|mail system error"
    r"|unzustellbar|nicht zugestellt|non remis|no entregado",
    re.IGNORECASE,
)
_DELAY = re.compile(r"\bdelay", re.IGNORECASE)
# Where the notice ends and the returned copy of the message begins.
_COPY_MARKER = re.compile(
    r"^[ \t]*-{2,}.{0,40}?(?:copy of the|original message|returned message|message follows"
    r"|below this line|headers follow|undelivered message).*$",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_MESSAGE_ID = re.compile(
    r"^[ \t>]*message-id:[ \t]*(\S[^\n]*)$", re.IGNORECASE | re.MULTILINE
)
_EMAIL = re.compile(r"(?<![\w.+'=-])[A-Za-z0-9][\w.+'=-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_RETURNED_TYPES = frozenset({"message/rfc822", "text/rfc822-headers", "message/global-headers"})


@dataclass(frozen=True)
class DeliveryReport:
    failed: bool  # False for reports of delayed, relayed or delivered mail
    recipients: tuple[str, ...]  # the recipients that failed, lower-cased
    original_message_id: str | None
    evidence: str


def is_report(msg: Message, report_type: str) -> bool:
    """True when `msg` itself is a multipart/report of `report_type` (e.g. "delivery-status")."""
    return (
        msg.get_content_type() == "multipart/report"
        and collapse_rfc2231_value(msg.get_param("report-type", "")).strip().lower() == report_type
    )


def delivery_report(msg: Message, subject: str, text: str) -> DeliveryReport | None:
    """What `msg` reports about a delivery, or None when it is not a bounce or delivery report."""
    if is_report(msg, "delivery-status"):
        return _status_report(msg, text)
    failed_header = raw_values(msg, "x-failed-recipients")
    if failed_header:
        recipients = tuple(dict.fromkeys(a.address.lower() for a in parse_addresses(failed_header)))
        return DeliveryReport(
            True, recipients, returned_message_id(msg, text), "X-Failed-Recipients header"
        )
    sender = _system_sender(msg)
    if sender and _BOUNCE_SUBJECT.search(subject):
        failed = not _DELAY.search(subject)
        recipients = _notice_recipients(msg, text) if failed else ()
        evidence = f"bounce text from {sender}: {subject!r}"
        return DeliveryReport(failed, recipients, returned_message_id(msg, text), evidence)
    return None


def returned_message_id(msg: Message, text: str) -> str | None:
    """The Message-ID of the message a report returns, from its attached copy or quoted text."""
    for part in walk(msg, into_messages=False):
        returned = _returned_headers(part)
        ids = header_ids(returned, "message-id") if returned is not None else ()
        if ids:
            return ids[0]
    found = _QUOTED_MESSAGE_ID.search(text)
    ids = message_ids(found[1]) if found else ()
    return ids[0] if ids else None


def _status_report(msg: Message, text: str) -> DeliveryReport:
    blocks = [
        block
        for part in walk(msg, into_messages=False)
        if part.get_content_type() == "message/delivery-status"
        for block in children(part)
    ]
    read = [(_final_recipient(b), (header_text(b, "action") or "").lower()) for b in blocks]
    actions = [(recipient, action) for recipient, action in read if recipient]
    failed = [recipient for recipient, action in actions if action == "failed"]
    if not actions:  # a report whose status part is missing or unreadable: read the notice
        failed = list(_notice_recipients(msg, text))
    kinds = sorted({action for _, action in actions}) or ["unreadable"]
    return DeliveryReport(
        failed=bool(failed) or not actions,
        recipients=tuple(dict.fromkeys(failed)),
        original_message_id=returned_message_id(msg, text),
        evidence=f"delivery status report (Action: {', '.join(kinds)})",
    )


def _final_recipient(block: Message) -> str | None:
    value = header_text(block, "final-recipient") or header_text(block, "original-recipient")
    if not value:
        return None
    address = value.split(";", 1)[-1].strip().strip("<>").strip()
    return address.lower() or None


def _returned_headers(part: Message) -> Message | None:
    content_type = part.get_content_type()
    if content_type not in _RETURNED_TYPES:
        return None
    if content_type == "text/rfc822-headers":
        headers = part.get_payload(decode=True)
        return parse_bytes(headers) if isinstance(headers, bytes) else None
    attached = children(part)
    return attached[0] if attached else None


def _system_sender(msg: Message) -> str | None:
    """The machine address a bounce came from, or "<>" for an empty Return-Path; else None."""
    for address in header_addresses(msg, "from"):
        if is_system_address(address.address):
            return address.address
    return_path = raw_values(msg, "return-path")
    return "<>" if return_path and is_null_sender(return_path[0]) else None


def _notice_recipients(msg: Message, text: str) -> tuple[str, ...]:
    """Addresses in the bounce notice, other than the bounce's own sender and recipients."""
    marker = _COPY_MARKER.search(text)
    notice = text[: marker.start()] if marker else text
    own = {a.address.lower() for name in ("from", "to", "cc") for a in header_addresses(msg, name)}
    found = (address.lower().rstrip(".") for address in _EMAIL.findall(notice))
    return tuple(dict.fromkeys(a for a in found if a not in own and not is_system_address(a)))
