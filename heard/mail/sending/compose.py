"""Building outgoing emails: pure functions from what we say to the MIME message that says it.

Nothing here reads the database. `heard.mail.sending.outbound` decides who gets what and when;
this module formats addresses and subjects, renders plain text as safe HTML and assembles the
message with its threading and loop-guard headers.

Loop guard (RFC 3834): every automatic email carries its kind's `Auto-Submitted` value
(`auto-replied` for an answer to the customer's email: acknowledgements, updates;
`auto-generated` for the rest: surveys, follow-ups, greetings, notices, digests), which
well-behaved responders, Heard's own intake among them, never answer; plus
`X-Auto-Response-Suppress: All` for Exchange and Outlook, which ignore Auto-Submitted. We set no
`Precedence` header: it was never standardised (RFC 2076 calls it "controversial, discouraged"),
RFC 3834 relies on Auto-Submitted instead, and `Precedence: bulk` or `junk` on a one-to-one email
invites spam filters to file it away. Replies an agent wrote carry none of these: a person wrote
them, and the customer's own out-of-office is worth hearing.

Unsubscribe: an automatic email to a customer names the address that stops its kind
(`List-Unsubscribe`, `heard.mail.sending.unsubscribe`); mail sent by consent adds RFC 8058's
`List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.headerregistry import Address
from email.utils import format_datetime

from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django.utils.html import escape, linebreaks, urlize

from heard.mail import kinds
from heard.mail.models import OutboundEmail

MAX_REFERENCES = 20  # the first id (the thread's root) and the latest ones
MAX_SUBJECT = 400  # OutboundEmail.subject

# "Re:", "RE :", "Fwd:", "AW:", "SV:", "Antw:" and friends, repeated, at the start of a subject.
_REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|sv|vs|antw|wg|tr|ref|rif|odp)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE
)
_MESSAGE_ID = re.compile(r"^[^\s<>@]+@[^\s<>@]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# What `urlize` may make a link of: an http(s) URL, an address, www. or one of its seven domains.
_MAY_LINK = re.compile(r"@|://|www\.|\.(?:com|edu|gov|int|mil|net|org)", re.IGNORECASE)


def one_line(text: str) -> str:
    """Text fit for a header: control characters (CR and LF among them) become one space."""
    return " ".join(_CONTROL.sub(" ", text).split())


def format_address(name: str, address: str) -> str:
    """'Bojan at Acme Support <support@acme.example>', quoted where the name needs it."""
    return str(Address(display_name=one_line(name), addr_spec=address))


def sender_name(agent_first_name: str, support_name: str) -> str:
    """What the customer sees as the sender: a person at a company, never a no-reply."""
    first = one_line(agent_first_name)
    return f"{first} at {support_name}" if first else support_name


def thread_subject(subject: str, reference: str, *, reply: bool) -> str:
    """'Re: Charged twice [HRD-1042]': one "Re:", the ticket's reference once."""
    text = _REPLY_PREFIX.sub("", one_line(subject)) or "(no subject)"
    tagged = re.search(rf"(?<![\w-]){re.escape(reference)}(?![\w-])", text, re.IGNORECASE)
    prefix = "Re: " if reply else ""
    suffix = "" if tagged or not reference else f" [{reference}]"
    room = MAX_SUBJECT - len(prefix) - len(suffix)
    if len(text) > room:
        text = text[: room - 1].rstrip() + "…"
    return f"{prefix}{text}{suffix}"


def is_message_id(value: str) -> bool:
    """A Message-ID (without angle brackets) safe to put in a header."""
    return len(value) <= 250 and bool(_MESSAGE_ID.match(value))


def references(ids: list[str], limit: int = MAX_REFERENCES) -> list[str]:
    """The thread's Message-IDs, oldest first, once each: the root and the latest `limit - 1`."""
    unique = list(dict.fromkeys(i for i in ids if is_message_id(i)))
    if len(unique) <= limit:
        return unique
    return [unique[0], *unique[-(limit - 1) :]]


def text_to_html(text: str) -> str:
    """Plain text as an HTML email body: escaped, paragraphs and line breaks kept, links live.

    Everything the text says is escaped first (`urlize` with autoescape), so the body holds no
    markup but <p>, <br> and <a href> to http(s) and mailto links; it loads no external resource.
    """
    # `urlize` reads word by word, so it may read line by line, and a line with nothing it
    # links it only escapes: such a line is escaped at once (most lines of most emails).
    lines = [
        urlize(line, nofollow=True, autoescape=True) if _MAY_LINK.search(line) else escape(line)
        for line in text.strip().split("\n")
    ]
    body = linebreaks("\n".join(lines))
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head>\n'
        '<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5;">\n'
        f"{body}\n</body></html>\n"
    )


def _bracketed(ids: str) -> str:
    return " ".join(f"<{i}>" for i in ids.split() if is_message_id(i))


def build_email(outbound: OutboundEmail, *, at: datetime | None = None) -> EmailMultiAlternatives:
    """The message to hand to Django's mail connection, dated `at` (now by default)."""
    headers = {
        "Message-ID": f"<{outbound.header_message_id}>",
        "Date": format_datetime(at or timezone.now()),
    }
    if outbound.in_reply_to and is_message_id(outbound.in_reply_to):
        headers["In-Reply-To"] = f"<{outbound.in_reply_to}>"
    if refs := _bracketed(outbound.references):
        headers["References"] = refs
    kind = kinds.get(outbound.kind)  # LookupError for a kind no app declares: not sent
    if kind.auto_submitted:
        headers["Auto-Submitted"] = kind.auto_submitted
        headers["X-Auto-Response-Suppress"] = "All"
    if outbound.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{outbound.unsubscribe_url}>"
        if kind.one_click:  # RFC 8058: a POST of "List-Unsubscribe=One-Click" to that address
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=one_line(outbound.subject),
        body=outbound.text,
        from_email=outbound.from_header,
        to=[outbound.to_address],
        reply_to=[outbound.reply_to] if outbound.reply_to else None,
        headers=headers,
    )
    message.attach_alternative(outbound.html or text_to_html(outbound.text), "text/html")
    return message
