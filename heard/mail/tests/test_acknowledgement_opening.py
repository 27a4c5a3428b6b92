"""The automatic acknowledgement's opening restates the customer's problem by the coach's rules:
what happened to them or went wrong, never what they did or want, in a well-formed sentence."""

from __future__ import annotations

import re

import pytest

from heard.engine.coaching import acknowledgement
from heard.engine.tests.test_coach_restate import CASES, EMOTIONS, NEVER, Case, assert_well_formed
from heard.mail.sending.acknowledge import wording


def _opening(message: str, emotion: str) -> str:
    words = wording()
    return acknowledgement(message, emotion, words["opening"], words["opening_plain"])


@pytest.mark.parametrize("case", [pytest.param(c, id=c.message[:40]) for c in CASES])
def test_the_opening_never_apologises_for_what_the_customer_did(case: Case) -> None:
    for emotion in EMOTIONS:
        opening = _opening(case.message, emotion)
        assert not NEVER.search(opening), opening
        assert not re.search(r"\bthat that\b", opening, re.I), opening
        if case.plain:
            assert opening == wording()["opening_plain"][emotion]


@pytest.mark.parametrize(
    ("message", "emotion", "said"),
    [
        (
            "I ordered a smart thermostat and it still hasn't arrived.",
            "frustration",
            "We're sorry that your smart thermostat still hasn't arrived",
        ),
        (
            "I was charged twice for my March invoice. Please refund one of them.",
            "neutral",
            "Thanks for letting us know that you were charged twice for your March invoice.",
        ),
        (
            "I cancelled in March and I'm still being charged, this is a scam!",
            "anger",
            "We're sorry that you're still being charged.",
        ),
    ],
)
def test_the_opening_restates_the_problem(message: str, emotion: str, said: str) -> None:
    opening = _opening(message, emotion)
    assert opening.startswith(said), opening
    restated = opening.split(" that ", 1)[1].split(";")[0].split(". ")[0].rstrip(".")
    assert_well_formed(restated)


@pytest.mark.parametrize(
    "message",
    [
        "I ordered a smart thermostat.",
        "I'd like to move my delivery to Friday.",
        "I am writing to ask whether you deliver to Norway.",
        "Hello, I want to cancel my subscription at the end of the month.",
    ],
)
def test_a_plain_request_gets_the_plain_opening(message: str) -> None:
    for emotion in EMOTIONS:
        assert _opening(message, emotion) == wording()["opening_plain"][emotion]
