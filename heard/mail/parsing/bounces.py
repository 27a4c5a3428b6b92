"""Bounces and delivery reports: who could not be reached, and which of our messages came back.

Four kinds are understood, most reliable first:

1. RFC 3464 delivery status notifications (multipart/report; report-type=delivery-status), as
   Postfix, Sendmail, Exchange / Office 365 and Gmail send them, and a message/delivery-status
   part inside another multipart (McAfee's appliance): the recipients are the per-recipient
   blocks with "Action: failed".
2. Exim's X-Failed-Recipients header.
3. The plain-text bounces of qmail, Yahoo, old Exchange and non-DSN Postfix, recognised by a
   system sender (mailer-daemon, postmaster, an empty Return-Path, or a machine's display name
   such as "Mail Delivery Subsystem" whatever the address) with a bounce subject; their
   recipients are the addresses in the notice, before the returned copy of the message.
4. The notices of mail servers that say who they are in their words or headers, whoever the
   sender (`_SIGNATURES`: Apache James, DragonFly, fml, McAfee, Sendmail and Sendmail 5,
   Verizon's gateways, and "This is an automatically generated Delivery Status Notification");
   never in a message whose subject forwards or answers one. Their recipients are the
   "RCPT TO:" lines of a notice that lists them, else the addresses in angle brackets in the
   notice, else any address in it, else the returned copy's To.

The returned message's Message-ID comes from an attached message/rfc822 or text/rfc822-headers
part, else from the first "Message-ID:" line of the copy quoted in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from email.utils import collapse_rfc2231_value, getaddresses

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
    r"|unzustellbar|nicht zugestellt|non remis|no entregado|^\s*\[bounce\]\s*$"
    r"|could not send message for past|^\s*delivery status\s*$",
    re.IGNORECASE,
)
_DELAY = re.compile(r"\bdelay|^\s*warning:|could not send message for past", re.IGNORECASE)
# Display names that only mail servers give themselves, whatever address they write from.
_MACHINE_NAME = re.compile(
    r"^(?:mail delivery (?:sub)?system|mailer[- ]?daemon|mail administrator|mail system"
    r"|postmaster)$",
    re.IGNORECASE,
)
_FORWARD_OR_REPLY = re.compile(r"^\s*(?:fwd?|fw|re|aw|wg|tr|sv|vs)\s*:", re.IGNORECASE)
_NOTICE_HEAD = 1500  # a server says who it is in the first lines of its notice
# (server, header to read or None for the notice's first lines, its words there, words that must
# also be in the subject or the notice): what makes a message a server's bounce notice. Headers
# alone are never enough: McAfee and fml put theirs on every message they pass on.
_SIGNATURES: tuple[tuple[str, str | None, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "DragonFly Mail Agent",
        None,
        re.compile(r"This is the DragonFly Mail Agent"),
        re.compile(r"^There was an error delivering your mail to", re.MULTILINE),
    ),
    (
        "Apache James",
        None,
        re.compile(r"This is the James mail server"),
        re.compile(r"wasn't able to deliver|^\[BOUNCE\]$", re.MULTILINE),
    ),
    (
        "Apache James",
        "subject",
        re.compile(r"^\[BOUNCE\]$"),
        re.compile(r"^Message details:", re.MULTILINE),
    ),
    (
        "fml",
        "x-mlserver",
        re.compile(r"\bfml\b", re.IGNORECASE),
        re.compile(r"^Original mail as follows:", re.MULTILINE),
    ),
    (
        "McAfee",
        "x-nai-header",
        re.compile(r"McAfee"),
        re.compile(r"^(?:Delivery Status$|[ -]*The following addresses had delivery)", re.M),
    ),
    (
        "Sendmail",
        None,
        re.compile(r"-{3,} ?Transcript of session follows ?-{3,}"),
        re.compile(r"^(?:Returned mail:|Warning: could not send)", re.MULTILINE),
    ),
    (
        "Verizon",
        None,
        re.compile(r"^Message could not be delivered to mobile", re.MULTILINE),
        re.compile(r"^(?:Original Message|Message details):", re.MULTILINE),
    ),
)
# Where the notice ends and the returned copy of the message begins.
_COPY_MARKER = re.compile(
    r"^[ \t]*-{2,}.{0,40}?(?:copy of the|original message|returned message|message follows"
    r"|below this line|headers follow|undelivered message).*$",
    re.IGNORECASE | re.MULTILINE,
)
# The same, as servers that write no dashes put it.
_COPY_LINE = re.compile(
    r"^[ \t]*(?:original message follows\.?|message headers follow\.?|original mail as follows:"
    r"|original message:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_RCPT_TO = re.compile(r"^[ \t]*RCPT TO:[ \t]*<?([^\s<>]+@[^\s<>]+?)>?[ \t]*$", re.I | re.M)
_BRACKETED = re.compile(r"<([^\s<>@]+@[^\s<>]+)>")
_COPY_TO = re.compile(r"^[ \t>]*To:[ \t]*(\S[^\n]*)$", re.IGNORECASE | re.MULTILINE)
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
    if is_report(msg, "delivery-status") or _has_status_part(msg):
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
    signature = _signature(msg, subject, text)
    if signature:
        failed = not _DELAY.search(subject)
        recipients = _signed_recipients(msg, text) if failed else ()
        evidence = f"bounce notice of {signature}: {subject!r}"
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


def _has_status_part(msg: Message) -> bool:
    """A message/delivery-status part in the message's own parts (not in a message it
    attaches: a customer forwarding a bounce is not one)."""
    return any(
        part.get_content_type() == "message/delivery-status"
        for part in walk(msg, into_messages=False)
    )


def _signature(msg: Message, subject: str, text: str) -> str | None:
    """The mail server whose bounce notice this is, by its own words or headers; None for a
    message that forwards or answers one."""
    if _FORWARD_OR_REPLY.match(subject):
        return None
    head = text[:_NOTICE_HEAD]
    for name, header, words, also in _SIGNATURES:
        value = head if header is None else (header_text(msg, header) or "")
        if words.search(value) and also.search(f"{subject}\n{text}"):
            return name
    return None


def _signed_recipients(msg: Message, text: str) -> tuple[str, ...]:
    """Who a signed notice says could not be reached (see the module docstring)."""
    marker = _copy_marker(text)
    notice = text[: marker.start()] if marker else text
    own = _own_addresses(msg)
    for found in (_RCPT_TO.findall(notice), _BRACKETED.findall(notice), _EMAIL.findall(notice)):
        addresses = [a.lower().rstrip(".") for a in found]
        wanted = [a for a in addresses if a not in own and not is_system_address(a)]
        if wanted:
            return tuple(dict.fromkeys(wanted))
    return _copy_recipients(text, marker)


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
    """The machine address a bounce came from ("<>" for an empty Return-Path, the display name
    for a machine's name on any address or on none, as in DragonFly's "MAILER-DAEMON <>"); else
    None."""
    for address in header_addresses(msg, "from"):
        if is_system_address(address.address):
            return address.address
    for name, _ in getaddresses(raw_values(msg, "from")):
        if _MACHINE_NAME.match(" ".join(name.split())):
            return name
    return_path = raw_values(msg, "return-path")
    return "<>" if return_path and is_null_sender(return_path[0]) else None


def _notice_recipients(msg: Message, text: str) -> tuple[str, ...]:
    """Addresses in the bounce notice, other than the bounce's own sender and recipients; else
    the returned copy's To."""
    marker = _copy_marker(text)
    notice = text[: marker.start()] if marker else text
    found = (address.lower().rstrip(".") for address in _EMAIL.findall(notice))
    own = _own_addresses(msg)
    wanted = tuple(dict.fromkeys(a for a in found if a not in own and not is_system_address(a)))
    return wanted or _copy_recipients(text, marker)


def _copy_marker(text: str) -> re.Match[str] | None:
    """Where the notice ends and the returned copy begins, if the notice says."""
    found = [m for m in (_COPY_MARKER.search(text), _COPY_LINE.search(text)) if m]
    return min(found, key=lambda m: m.start(), default=None)


def _own_addresses(msg: Message) -> set[str]:
    return {a.address.lower() for name in ("from", "to", "cc") for a in header_addresses(msg, name)}


def _copy_recipients(text: str, marker: re.Match[str] | None) -> tuple[str, ...]:
    """The To of the returned copy quoted after the notice."""
    copy_to = _COPY_TO.search(text, marker.end()) if marker else None
    if copy_to is None:
        return ()
    return tuple(dict.fromkeys(a.address.lower() for a in parse_addresses([copy_to[1]])))
