"""Automated mail recognised with a reason, and ordinary mail left alone.

The corpus covers each kind; these tests vary one header at a time on corpus messages, to pin
down the edges: what counts, what does not, and the envelope sender the SMTP receiver passes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from heard.mail.parsing.parse import parse_email

FIXTURES = Path(__file__).parent / "fixtures"
CUSTOMER = (FIXTURES / "customer-first-contact-fastmail.eml").read_bytes()
NULL_SENDER = (FIXTURES / "null-sender-calendar-notice.eml").read_bytes()


def with_headers(*headers: str, raw: bytes = CUSTOMER) -> bytes:
    """`raw` with `headers` put first, so that they win over any later header of the same name."""
    return "".join(f"{header}\n" for header in headers).encode() + raw


def test_an_ordinary_customer_message_is_not_automated() -> None:
    assert parse_email(CUSTOMER).automated is None


@pytest.mark.parametrize(
    ("headers", "kind", "detail"),
    [
        (["Auto-Submitted: auto-replied"], "auto-reply", "Auto-Submitted: auto-replied"),
        (["Auto-Submitted: auto-notified"], "auto-generated", "Auto-Submitted: auto-notified"),
        (
            ["Auto-Submitted: auto-generated", "Subject: Out of Office: Frame crack"],
            "auto-reply",
            "Auto-Submitted: auto-generated",
        ),
        (["X-Autoreply: yes"], "auto-reply", "X-Autoreply: yes"),
        (["X-Autorespond: On holiday"], "auto-reply", "X-Autorespond: On holiday"),
        (["X-Auto-Response-Suppress: All"], "auto-generated", "X-Auto-Response-Suppress: All"),
        (["X-Auto-Response-Suppress: OOF"], "auto-generated", "X-Auto-Response-Suppress: OOF"),
        (["Precedence: bulk"], "bulk", "Precedence: bulk"),
        (["Precedence: junk"], "bulk", "Precedence: junk"),
        (["Precedence: list"], "mailing-list", "Precedence: list"),
        (["Precedence: auto_reply"], "auto-reply", "Precedence: auto_reply"),
        (["List-Unsubscribe: <mailto:leave@lists.example>"], "mailing-list", "List-Unsubscribe"),
        (["Subject: Automatic reply: Frame crack"], "auto-reply", "Subject: Automatic reply"),
        (["Subject: Auto: Frame crack"], "auto-reply", "Subject: Auto: Frame crack"),
        (["Subject: R\u00e9ponse automatique : absent"], "auto-reply", "Subject: R\u00e9ponse"),
        (
            ["From: Mailer Daemon <MAILER-DAEMON@mx.example>"],
            "system-sender",
            "From: MAILER-DAEMON@",
        ),
        (["From: noreply-dmarc-support@example.com"], "system-sender", "noreply-dmarc-support"),
        (["From: Shop <do_not_reply@shop.example>"], "system-sender", "do_not_reply@"),
        (["From: postmaster"], "system-sender", "From: postmaster"),
        (["Return-Path: <>"], "null-sender", "Return-Path: <>"),
    ],
)
def test_it_recognises_automated_mail_with_a_reason(
    headers: list[str], kind: str, detail: str
) -> None:
    automated = parse_email(with_headers(*headers)).automated
    assert automated is not None
    assert (automated.kind, automated.reason.startswith(f"{kind}: ")) == (kind, True)
    assert detail in automated.detail


@pytest.mark.parametrize(
    "headers",
    [
        ["Auto-Submitted: no"],
        ["Auto-Submitted: No (manual)"],
        ["X-Autoreply: no"],
        ["X-Auto-Response-Suppress: DR, RN, NRN"],  # asks for no receipts: not a machine's mark
        ["X-Auto-Response-Suppress: None"],
        ["Precedence: first-class"],
        ["Subject: Re: Automatic reply: Frame crack"],  # a person answering an auto-reply
        ["Subject: Autumn service"],
        ["From: Noreen Replyton <noreen.replyton@example.com>"],
        ["From: postmaster.general@example.com"],
        ["Return-Path: <amira.haddad@example.net>"],
    ],
)
def test_it_leaves_people_alone(headers: list[str]) -> None:
    assert parse_email(with_headers(*headers)).automated is None


@pytest.mark.parametrize("envelope_sender", ["", "<>", " < > "])
def test_an_empty_envelope_sender_from_smtp_marks_the_message(envelope_sender: str) -> None:
    automated = parse_email(CUSTOMER, envelope_sender=envelope_sender).automated
    assert automated is not None
    assert automated.reason == "null-sender: the envelope sender is empty"


def test_the_smtp_envelope_sender_wins_over_a_return_path_header() -> None:
    assert parse_email(NULL_SENDER).automated is not None
    assert (
        parse_email(NULL_SENDER, envelope_sender="r.meyer@example-gmbh.example").automated is None
    )


def test_a_bounce_is_recognised_before_its_auto_submitted_header() -> None:
    raw = (FIXTURES / "bounce-postfix-dsn.eml").read_bytes()
    automated = parse_email(raw).automated
    assert automated is not None and automated.kind == "bounce"


def test_a_customer_forwarding_a_bounce_is_not_a_bounce() -> None:
    email = parse_email((FIXTURES / "forward-customer-forwards-a-bounce.eml").read_bytes())
    assert email.automated is None
    assert email.bounced_recipients == ()
    assert email.forwarded[0].from_[0].address == "MAILER-DAEMON@mx.example.co.uk"


def test_a_bounce_subject_from_a_person_is_not_a_bounce() -> None:
    email = parse_email(with_headers("Subject: Undeliverable: my old address"))
    assert email.automated is None
