"""Mail written by machines, recognised with a reason, so that Heard never answers it.

Answering an auto-reply with an auto-acknowledgement is how two robots start a mail loop; a
bounce or an abuse report is not a customer either. The checks run from the most specific
evidence to the weakest, and the first that matches gives the kind and the reason:

1. ARF abuse reports (multipart/report; report-type=feedback-report).
2. Bounces and delivery reports (see `heard.mail.parsing.bounces`).
3. RFC 3834 Auto-Submitted with any value but "no".
4. X-Autoreply, X-Autorespond and their relatives, which vacation programs add.
5. A subject that an auto-responder wrote ("Automatic reply:", "Out of Office:", "Auto:",
   and the same in a few other languages).
6. X-Auto-Response-Suppress asking for All, OOF or AutoReply, which Exchange sets on
   its own automatic mail and ticket systems set on theirs. DR, RN and NRN alone are not enough:
   they only ask not to get delivery and read receipts.
7. Mailing-list headers (List-Id, List-Unsubscribe, List-Post...), then Precedence.
8. System senders: mailer-daemon, postmaster, no-reply, do-not-reply.
9. The empty envelope sender: `envelope_sender` when the SMTP receiver passes it, else the
   Return-Path header.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message

from heard.mail.parsing.bounces import DeliveryReport, is_report
from heard.mail.parsing.headers import header_text, raw_values
from heard.mail.parsing.message import Address, Automated, AutomatedKind
from heard.mail.parsing.mime import children
from heard.mail.parsing.senders import is_null_sender, is_system_address

AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(?:automatic reply|auto(?:matic)?[ -]?(?:reply|response)|autoreply|auto"
    r"|out of (?:the )?office(?: (?:auto[ -]?)?reply)?|abwesenheitsnotiz|automatische antwort"
    r"|réponse automatique|respuesta automática|risposta automatica|automatisch antwoord"
    r"|autosvar|automatisk svar|fuori sede|frånvaro)\s*:",
    re.IGNORECASE,
)
_AUTOREPLY_HEADERS = {
    "x-autoreply": "X-Autoreply",
    "x-autorespond": "X-Autorespond",
    "x-autoresponder": "X-Autoresponder",
    "x-autoresponse": "X-Autoresponse",
    "x-auto-reply": "X-Auto-Reply",
}
_SUPPRESSING = frozenset({"all", "oof", "autoreply"})
_LIST_HEADERS = {
    "list-id": "List-Id",
    "list-unsubscribe": "List-Unsubscribe",
    "list-post": "List-Post",
    "list-help": "List-Help",
    "list-subscribe": "List-Subscribe",
    "list-owner": "List-Owner",
    "list-archive": "List-Archive",
    "mailing-list": "Mailing-List",
    "x-mailing-list": "X-Mailing-List",
}
_PRECEDENCE: dict[str, AutomatedKind] = {
    "bulk": "bulk",
    "junk": "bulk",
    "list": "mailing-list",
    "auto_reply": "auto-reply",
}


@dataclass(frozen=True)
class _Facts:
    subject: str
    senders: tuple[Address, ...]
    report: DeliveryReport | None
    envelope_sender: str | None


def recognise_automated(
    msg: Message,
    *,
    subject: str,
    senders: tuple[Address, ...],
    report: DeliveryReport | None,
    envelope_sender: str | None = None,
) -> Automated | None:
    """Why `msg` was written by a machine, or None when nothing says it was."""
    facts = _Facts(subject, senders, report, envelope_sender)
    for check in _CHECKS:
        found = check(msg, facts)
        if found:
            return found
    return None


def _abuse_report(msg: Message, facts: _Facts) -> Automated | None:
    if not is_report(msg, "feedback-report"):
        return None
    feedback_type = next(
        (header_text(block, "feedback-type") for block in _feedback_blocks(msg)), None
    )
    return Automated("abuse-report", f"feedback report (Feedback-Type: {feedback_type})")


def _feedback_blocks(msg: Message) -> list[Message]:
    return [
        block
        for part in children(msg)
        if part.get_content_type() == "message/feedback-report"
        for block in children(part)
    ]


def _delivery(msg: Message, facts: _Facts) -> Automated | None:
    if facts.report is None:
        return None
    return Automated("bounce" if facts.report.failed else "delivery-report", facts.report.evidence)


def _auto_submitted(msg: Message, facts: _Facts) -> Automated | None:
    value = header_text(msg, "auto-submitted")
    if not value or value.split("(")[0].strip().lower() == "no":
        return None
    replied = value.lower().startswith("auto-replied") or AUTO_REPLY_SUBJECT.match(facts.subject)
    return Automated("auto-reply" if replied else "auto-generated", f"Auto-Submitted: {value}")


def _autoreply_header(msg: Message, facts: _Facts) -> Automated | None:
    for name, shown in _AUTOREPLY_HEADERS.items():
        value = header_text(msg, name)
        if value is not None and value.lower() not in {"no", "false", "0"}:
            return Automated("auto-reply", f"{shown}: {value}")
    return None


def _auto_reply_subject(msg: Message, facts: _Facts) -> Automated | None:
    if not AUTO_REPLY_SUBJECT.match(facts.subject):
        return None
    return Automated("auto-reply", f"Subject: {facts.subject}")


def _response_suppress(msg: Message, facts: _Facts) -> Automated | None:
    value = header_text(msg, "x-auto-response-suppress") or ""
    if not _SUPPRESSING & {token.lower() for token in re.split(r"[\s,]+", value)}:
        return None
    return Automated("auto-generated", f"X-Auto-Response-Suppress: {value}")


def _mailing_list(msg: Message, facts: _Facts) -> Automated | None:
    for name, shown in _LIST_HEADERS.items():
        value = header_text(msg, name)
        if value is not None:
            return Automated("mailing-list", f"{shown}: {value}")
    return None


def _precedence(msg: Message, facts: _Facts) -> Automated | None:
    value = (header_text(msg, "precedence") or header_text(msg, "x-precedence") or "").lower()
    kind = _PRECEDENCE.get(value.replace("-", "_"))
    return Automated(kind, f"Precedence: {value}") if kind else None


def _system_sender(msg: Message, facts: _Facts) -> Automated | None:
    for sender in facts.senders:
        if is_system_address(sender.address):
            return Automated("system-sender", f"From: {sender.address}")
    return None


def _null_sender(msg: Message, facts: _Facts) -> Automated | None:
    envelope: str | None
    if facts.envelope_sender is not None:
        envelope = facts.envelope_sender
        evidence = "the envelope sender is empty"
    else:
        return_path = raw_values(msg, "return-path")
        envelope = return_path[0] if return_path else None
        evidence = "Return-Path: <>"
    return Automated("null-sender", evidence) if is_null_sender(envelope) else None


_CHECKS: tuple[Callable[[Message, _Facts], Automated | None], ...] = (
    _abuse_report,
    _delivery,
    _auto_submitted,
    _autoreply_header,
    _auto_reply_subject,
    _response_suppress,
    _mailing_list,
    _precedence,
    _system_sender,
    _null_sender,
)
