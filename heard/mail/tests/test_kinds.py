"""Every kind of email is declared once, and every line Heard may send in one is coached clean."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from heard.engine import coach
from heard.mail import kinds
from heard.mail.kinds import Audience, Caps, OptOut
from heard.mail.sending import unsubscribe

# What would hurt a reader; "missing" findings (no name, no next step) are not about one line.
HARMFUL = {"blame", "rtfm", "policy_wall", "dismissive", "robotic", "curt_closing", "shouting"}
CUSTOMER_SAID = "I was charged twice for March and nobody has answered me."


class Example(dict[str, str]):
    """Plausible values for a wording's placeholders, whatever their names."""

    def __missing__(self, key: str) -> str:
        values = {
            "name": "Gordana",
            "subject": "“Charged twice”",
            "agreed": "3 December 2026",
            "link": "https://help.example/portal/abc/",
            "team": "Billing",
            "company": "Acme",
            "reference": "HRD-1042",
            "count": "2",
            "label": "Surveys",
        }
        return values.get(key, "on Monday morning, around 09:15 (your time)")


def lines(value: Any) -> Iterator[str]:
    """Every string in a parsed wording file, however nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from lines(item)
    elif isinstance(value, list):
        for item in value:
            yield from lines(item)


def wordings() -> Iterator[tuple[str, str]]:
    for kind in kinds.declared():
        if kind.wording is not None:
            for number, line in enumerate(lines(kind.words())):
                yield f"{kind.code}-{number}", line
    for number, line in enumerate(lines(unsubscribe.wording())):
        yield f"unsubscribe-{number}", line


def test_every_app_declares_its_kinds_before_anything_is_sent() -> None:
    codes = {kind.code for kind in kinds.declared()}
    assert {"reply", "ack", "update", "notice", "digest", "survey"} <= codes


@pytest.mark.parametrize(("where", "line"), list(wordings()))
def test_every_line_heard_may_send_is_coached_clean(where: str, line: str) -> None:
    text = re.sub(r"\{(\w+)\}", lambda m: Example()[m[1]], line)
    draft = f"Hi Gordana,\n\n{text}\n\nThe Billing team at Acme"
    found = {f.code: f.text for f in coach(draft, CUSTOMER_SAID, "Gordana").findings}
    assert not HARMFUL & found.keys(), (where, found)


def test_every_kind_has_its_reason_line_and_every_customer_kind_a_way_to_stop_it() -> None:
    for kind in kinds.declared():
        if kind.wording is None:
            assert not kind.is_automatic, kind
            continue
        reason = kind.words()[kind.reason]
        assert "You get this" in reason or "you get this" in reason, kind
        if kind.audience == Audience.CUSTOMER and kind.caps != Caps.REQUESTED:
            assert kind.opt_out != OptOut.NONE, kind


def test_a_kind_declared_twice_differently_is_refused() -> None:
    same = dict(
        code="ack",
        label="Acknowledgement",
        audience=Audience.CUSTOMER,
        auto_submitted="auto-replied",
        caps=Caps.CUSTOMER,
        wording=("heard.mail", "acknowledgement.toml"),
        reason="automatic",
        opt_out=OptOut.UPDATES,
        answers=True,
    )
    assert kinds.declare(**same) is kinds.ACKNOWLEDGEMENT
    with pytest.raises(ValueError, match="declared twice"):
        kinds.declare(**{**same, "label": "Something else"})


def test_automatic_customer_mail_without_a_way_to_stop_it_cannot_be_declared() -> None:
    with pytest.raises(ValueError, match="needs a way to stop it"):
        kinds.EmailKind(
            code="newsletter",
            label="Newsletter",
            audience=Audience.CUSTOMER,
            auto_submitted="auto-generated",
            caps=Caps.CUSTOMER,
            wording=None,
        )
    with pytest.raises(ValueError, match="needs the consent it withdraws"):
        kinds.EmailKind(
            code="newsletter",
            label="Newsletter",
            audience=Audience.CUSTOMER,
            auto_submitted="auto-generated",
            caps=Caps.CUSTOMER,
            wording=None,
            opt_out=OptOut.CONSENT,
        )


def test_a_kind_nobody_declares_is_a_lookup_error() -> None:
    with pytest.raises(LookupError):
        kinds.get("fax")
