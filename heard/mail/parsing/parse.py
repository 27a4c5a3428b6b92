"""Raw email bytes to an `InboundEmail`: a pure function that never raises.

    >>> from heard.mail.parsing.parse import parse_email
    >>> email = parse_email(raw_bytes, envelope_sender="customer@example.com")
    >>> email.new_text, email.automated, email.error

The message is read with `email.message_from_bytes(raw, policy=...)`, the policy being
`email.policy.default` made tolerant of its own parser's failures (`heard.mail.parsing.mime`);
headers are read tolerantly (`heard.mail.parsing.headers`), bodies with explicit charset
fallbacks (`heard.mail.parsing.charsets`). A large message is cut down before that
(`heard.mail.parsing.limits`), and a message whose first lines are damaged is read from the first
mail header after them. Bytes that are not mail at all (no mail headers, or nothing) give an
`InboundEmail` with `error` set. Everything else is read as well as it can be, and what was wrong
is listed in `defects`.
"""

from __future__ import annotations

import re
from email.message import Message

from heard.engine import new_text
from heard.mail.parsing.automated import recognise_automated
from heard.mail.parsing.bounces import DeliveryReport, delivery_report, returned_message_id
from heard.mail.parsing.boundaries import repair_boundary
from heard.mail.parsing.forwarded import inline_forwards
from heard.mail.parsing.headers import header_addresses, header_date, header_ids, header_text
from heard.mail.parsing.limits import DEFAULT_MAX_TEXT_BYTES, Shrunk, shrink
from heard.mail.parsing.message import Address, Automated, Forwarded, InboundEmail
from heard.mail.parsing.mime import parse_bytes, walk
from heard.mail.parsing.parts import Parts, collect_parts

DEFAULT_MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
# At least one of these makes bytes a mail message; without any, it is something else.
_MAIL_HEADERS = frozenset(
    {
        "from",
        "sender",
        "to",
        "cc",
        "subject",
        "date",
        "message-id",
        "received",
        "return-path",
        "mime-version",
        "content-type",
        "in-reply-to",
        "references",
        "delivered-to",
    }
)
INTERNAL_ERROR = "internal error while parsing"
# A damaged start is skipped when a mail header starts within this many lines of this length.
_DAMAGED_LINES = 3
_DAMAGED_LINE_BYTES = 2000
_MAIL_HEADER_LINE = re.compile(
    rb"(?:" + b"|".join(name.encode() for name in sorted(_MAIL_HEADERS)) + rb")[ \t]*:",
    re.IGNORECASE,
)


def parse_email(
    raw: bytes,
    *,
    envelope_sender: str | None = None,
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
) -> InboundEmail:
    """`raw` read as an email. `envelope_sender` is the SMTP MAIL FROM, "" for the null sender.
    A text part over `max_text_bytes` is read truncated (`heard.mail.parsing.limits`).

    Never raises: unreadable input comes back with `error` set.
    """
    try:
        if not raw or raw.isspace():  # (raw.strip() would copy a large message once more)
            return InboundEmail(error="empty message")
        shrunk = shrink(raw, max_text_bytes=max_text_bytes, max_part_bytes=max_attachment_bytes)
        return _parse(shrunk, envelope_sender, max_attachment_bytes)
    except Exception as exc:  # the last line of defence; the fuzz test keeps this unreached
        return InboundEmail(error=f"{INTERNAL_ERROR}: {type(exc).__name__}: {exc}")


def _parse(shrunk: Shrunk, envelope_sender: str | None, max_bytes: int) -> InboundEmail:
    raw, notes = shrunk.raw, list(shrunk.notes)
    try:
        msg = parse_bytes(raw)
        if not _has_mail_headers(msg) and (skipped := skip_damaged_lines(raw)):
            raw, msg = skipped, parse_bytes(skipped)
            notes.append("the first header line was damaged; read from the next one")
    except RecursionError:  # the email package's parser recurses once per level of nesting
        return InboundEmail(error="not readable: MIME parts nested too deeply (a MIME bomb)")
    if not _has_mail_headers(msg):
        return InboundEmail(error="not an email message: no mail headers found")
    repaired = repair_boundary(raw, msg)
    if repaired:
        msg, notes = repaired[0], [*notes, repaired[1]]
    return _inbound(msg, notes, envelope_sender, max_bytes, shrunk.marker)


def _has_mail_headers(msg: Message) -> bool:
    return bool(_MAIL_HEADERS & {name.lower() for name in msg})


def skip_damaged_lines(raw: bytes) -> bytes | None:
    """`raw` from its first mail header line on, when up to `_DAMAGED_LINES` lines before it
    are not headers (a broken first line, bytes a relay put in front); else None."""
    at = 0
    for _ in range(_DAMAGED_LINES):
        end = raw.find(b"\n", at, at + _DAMAGED_LINE_BYTES)
        if end < 0:
            return None
        at = end + 1
        if _MAIL_HEADER_LINE.match(raw, at):
            return raw[at:]
    return None


def _inbound(
    msg: Message,
    notes: list[str],
    envelope_sender: str | None,
    max_bytes: int,
    cut_marker: str | None = None,
) -> InboundEmail:
    parts = collect_parts(msg, max_bytes, cut_marker)
    subject = header_text(msg, "subject") or ""
    senders = header_addresses(msg, "from")
    report = delivery_report(msg, subject, parts.text)
    automated = recognise_automated(
        msg,
        subject=subject,
        senders=senders,
        report=report,
        envelope_sender=envelope_sender,
        text=parts.text,
    )
    return InboundEmail(
        message_id=_first(header_ids(msg, "message-id")),
        in_reply_to=_first(header_ids(msg, "in-reply-to")),
        references=header_ids(msg, "references"),
        subject=subject,
        from_=senders,
        to=header_addresses(msg, "to"),
        cc=header_addresses(msg, "cc"),
        reply_to=header_addresses(msg, "reply-to"),
        date=header_date(msg),
        auto_submitted=header_text(msg, "auto-submitted"),
        text=parts.text,
        html=parts.html,
        new_text=new_text(parts.text),
        attachments=parts.attachments,
        # A bounce or an abuse report returns our own message: it forwards nothing.
        forwarded=() if report or _reports(automated) else _forwards(parts, subject),
        automated=automated,
        bounced_recipients=report.recipients if report else (),
        original_message_id=_original_message_id(msg, report, automated),
        defects=tuple(dict.fromkeys([*_parser_defects(msg, senders), *notes, *parts.notes])),
    )


def _reports(automated: Automated | None) -> bool:
    return automated is not None and automated.kind == "abuse-report"


def _forwards(parts: Parts, subject: str) -> tuple[Forwarded, ...]:
    return parts.forwarded + inline_forwards(parts.text, subject)


def _first(ids: tuple[str, ...]) -> str | None:
    return ids[0] if ids else None


def _original_message_id(
    msg: Message, report: DeliveryReport | None, automated: Automated | None
) -> str | None:
    if report:
        return report.original_message_id
    if automated and automated.kind == "abuse-report":
        return returned_message_id(msg, "")
    return None


def _parser_defects(msg: Message, senders: tuple[Address, ...]) -> list[str]:
    """The email package's defects in words ("close boundary not found"), and a missing From."""
    found = [_in_words(type(defect).__name__) for part in walk(msg) for defect in part.defects]
    return found if senders else ["no From address", *found]


def _in_words(defect_name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", defect_name.removesuffix("Defect")).lower()
