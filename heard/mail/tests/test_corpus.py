"""Golden tests over the mail corpus: fixtures/*.eml, with what each must give in expected.jsonl.

Every key of an expected row is checked; an unknown key fails the test, so a typo cannot
silently check nothing. Cases the engine's `new_text()` gets wrong carry an "xfail" reason and
are strict xfails of the new-text test only; everything else about them is still checked.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from heard.mail.parsing.message import Address, InboundEmail
from heard.mail.parsing.parse import DEFAULT_MAX_ATTACHMENT_BYTES, parse_email

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = [
    json.loads(line) for line in (FIXTURES / "expected.jsonl").read_text("utf-8").splitlines()
]
NOT_CHECKS = {"file", "category", "xfail", "note", "max_attachment_bytes"}
NEW_TEXT_KEYS = {"new_text", "new_text_contains"}


@cache
def parsed(name: str) -> InboundEmail:
    case = next(case for case in EXPECTED if case["file"] == name)
    limit = case.get("max_attachment_bytes", DEFAULT_MAX_ATTACHMENT_BYTES)
    return parse_email((FIXTURES / name).read_bytes(), max_attachment_bytes=limit)


def _addresses(found: tuple[Address, ...]) -> list[str]:
    return [address.address for address in found]


def _attachments_match(email: InboundEmail, expected: list[dict[str, Any]]) -> bool:
    if len(email.attachments) != len(expected):
        return False
    for attachment, wanted in zip(email.attachments, expected, strict=True):
        for key, value in wanted.items():
            if key == "text_contains":
                if value not in (attachment.text or ""):
                    return False
            elif getattr(attachment, key) != value:
                return False
    return True


def _forwarded_match(email: InboundEmail, expected: list[dict[str, str]]) -> bool:
    if len(email.forwarded) != len(expected):
        return False
    return all(
        wanted["from"] in _addresses(forward.from_)
        and forward.subject == wanted["subject"]
        and wanted["text_contains"] in forward.text
        for forward, wanted in zip(email.forwarded, expected, strict=True)
    )


def _kind(email: InboundEmail) -> str | None:
    return email.automated.kind if email.automated else None


CHECKS: dict[str, Callable[[InboundEmail, Any], bool]] = {
    "error": lambda e, v: (e.error is not None) is v,
    "automated": lambda e, v: (e.automated is not None) is v,
    "kind": lambda e, v: _kind(e) == v,
    "reason_contains": lambda e, v: e.automated is not None and v in e.automated.reason,
    "from": lambda e, v: _addresses(e.from_) == v,
    "from_name": lambda e, v: e.sender is not None and e.sender.name == v,
    "to_name": lambda e, v: [a.name for a in e.to] == [v],
    "cc": lambda e, v: _addresses(e.cc) == v,
    "cc_name": lambda e, v: [a.name for a in e.cc] == [v],
    "subject": lambda e, v: e.subject == v,
    "message_id": lambda e, v: e.message_id == v,
    "in_reply_to": lambda e, v: e.in_reply_to == v,
    "references": lambda e, v: list(e.references) == v,
    "date": lambda e, v: (e.date.isoformat() if e.date else None) == v,
    "auto_submitted": lambda e, v: e.auto_submitted == v,
    "text_contains": lambda e, v: all(part in e.text for part in v),
    "text_excludes": lambda e, v: not any(part in e.text for part in v),
    "html": lambda e, v: (e.html is not None) is v,
    "html_contains": lambda e, v: all(part in (e.html or "") for part in v),
    "attachments": _attachments_match,
    "forwarded": _forwarded_match,
    "bounced_recipients": lambda e, v: list(e.bounced_recipients) == v,
    "original_message_id": lambda e, v: e.original_message_id == v,
    "defects_contain": lambda e, v: all(any(part in d for d in e.defects) for part in v),
    "new_text": lambda e, v: e.new_text == v,
    "new_text_contains": lambda e, v: all(part in e.new_text for part in v),
}


def _params(*, new_text: bool) -> list[Any]:
    params = []
    for case in EXPECTED:
        if new_text and not NEW_TEXT_KEYS & case.keys():
            continue
        xfail = case.get("xfail") if new_text else None
        marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
        params.append(pytest.param(case, id=case["file"], marks=marks))
    return params


def _failures(email: InboundEmail, case: dict[str, Any], keys: set[str]) -> list[str]:
    return [
        f"{key}: expected {case[key]!r}"
        for key in sorted(keys)
        if not CHECKS[key](email, case[key])
    ]


@pytest.mark.parametrize("case", _params(new_text=False))
def test_it_reads_the_corpus_message(case: dict[str, Any]) -> None:
    unknown = case.keys() - CHECKS.keys() - NOT_CHECKS
    assert not unknown, f"unknown keys in expected.jsonl: {unknown}"
    email = parsed(case["file"])
    failures = _failures(email, case, case.keys() - NOT_CHECKS - NEW_TEXT_KEYS)
    assert not failures, f"{failures}\n{email}"


@pytest.mark.parametrize("case", _params(new_text=True))
def test_it_keeps_only_what_the_sender_wrote_now(case: dict[str, Any]) -> None:
    email = parsed(case["file"])
    failures = _failures(email, case, case.keys() & NEW_TEXT_KEYS)
    assert not failures, f"{failures}\nnew_text was:\n{email.new_text}"


def test_every_fixture_has_expectations_and_every_expectation_a_fixture() -> None:
    files = sorted(path.name for path in FIXTURES.glob("*.eml"))
    assert files == sorted(case["file"] for case in EXPECTED)


MINIMUMS = {
    "customer": 10,
    "charset": 6,
    "html-only": 4,
    "attachment": 5,
    "forwarded": 3,
    "malformed": 5,
    "bounce": 6,
    "out-of-office": 5,
    "mailing-list": 3,
    "abuse-report": 1,
}
SYSTEM_LIKE = {"system", "loop", "bulk", "null-sender"}


def test_the_corpus_covers_every_case_the_issue_lists() -> None:
    counts = Counter(case["category"] for case in EXPECTED)
    assert len(EXPECTED) >= 60
    assert {kind: counts[kind] for kind in MINIMUMS} == {
        kind: max(counts[kind], minimum) for kind, minimum in MINIMUMS.items()
    }
    assert sum(counts[kind] for kind in SYSTEM_LIKE) >= 4
    assert set(counts) <= MINIMUMS.keys() | SYSTEM_LIKE
    attachments = [a for case in EXPECTED for a in case.get("attachments", [])]
    assert any(a.get("oversize") for a in attachments)
    assert any(a.get("content_type") == "text/csv" for a in attachments)
    assert sum(case["error"] for case in EXPECTED if case["category"] == "malformed") >= 1
    bounce_senders = {
        case["from"][0].split("@")[1]
        for case in EXPECTED
        if case.get("kind") == "bounce" and case["from"]  # DragonFly writes "MAILER-DAEMON <>"
    }
    assert len(bounce_senders) >= 6
