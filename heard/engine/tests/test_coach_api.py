"""The coach's public surface is explicit, its results explain themselves, no Django needed."""

from __future__ import annotations

import dataclasses
import importlib
import subprocess
import sys

import pytest

from heard.engine.coaching import (
    FINDING_CODES,
    CoachConfig,
    Coaching,
    Finding,
    acknowledgement,
    coach,
)
from heard.engine.coaching._dimensions import DIMENSIONS

EXPECTED = [
    "FINDING_CODES",
    "CoachConfig",
    "Coaching",
    "Finding",
    "HasEmotion",
    "acknowledgement",
    "coach",
]


def test_it_exports_exactly_the_public_api() -> None:
    package = importlib.import_module("heard.engine.coaching")
    assert package.__all__ == EXPECTED
    for name in EXPECTED[1:]:
        assert getattr(package, name).__module__.startswith("heard.engine.coaching")


def test_the_finding_codes_keep_their_names() -> None:
    assert FINDING_CODES == (
        "blame", "rtfm", "policy_wall", "dismissive", "curt_closing", "robotic", "shouting",
        "no_acknowledgement", "no_name", "no_next_step", "no_offer_more_help",
    )  # fmt: skip


def test_it_imports_nothing_from_django_and_reads_its_data_lazily() -> None:
    program = (
        "import sys\n"
        "from heard.engine.coaching import coach\n"
        "from heard.engine.coaching import _data\n"
        "assert _data.load.cache_info().currsize == 0, 'data read at import'\n"
        "coach('Please read the manual.', 'It crashes!', 'Ana')\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_results_are_frozen_and_explain_themselves() -> None:
    result = coach("Dear Customer, this is user error!!", "It broke again, I'm so annoyed.", "Ana")
    assert isinstance(result, Coaching) and all(isinstance(f, Finding) for f in result.findings)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.score = 100  # type: ignore[misc]
    for finding in result.findings:
        assert finding.code in FINDING_CODES
        assert finding.severity in {"high", "medium", "low"}
        assert finding.why
    assert set(result.as_dict()) == {"score", "dimensions", "findings", "suggestion"}
    assert set(result.as_dict()["dimensions"]) == {"empathy", "respect", "clarity"}
    assert set(result.as_dict()["findings"][0]) == {
        "code",
        "start",
        "end",
        "text",
        "why",
        "severity",
    }


MESSAGE = "I was charged twice for my March invoice and I'm really fed up."
WARM = (
    "Hi Maria,\n\nI'm so sorry you were charged twice for your March invoice; that's maddening. "
    "I've refunded the extra €49 today, and you'll see it within 5 days.\n\n"
    "If anything still looks wrong, just reply here.\n\nBest,\nAnna"
)


def test_the_score_is_the_weighted_mean_of_the_dimensions() -> None:
    for draft in (WARM, "Refund issued.", "Dear Customer, as per our policy this is user error."):
        result = coach(draft, MESSAGE, "Maria Lopez")
        dims = result.dimensions
        assert set(dims) == set(DIMENSIONS) and all(0 <= v <= 100 for v in dims.values())
        expected = (0.4 * dims["empathy"] + 0.4 * dims["respect"] + 0.2 * dims["clarity"]) / 1.0
        assert result.score == round(expected)


def test_each_dimension_moves_with_what_it_measures() -> None:
    warm = coach(WARM, MESSAGE, "Maria Lopez").dimensions
    assert warm == {"empathy": 100, "respect": 100, "clarity": 100}
    walled = coach(
        WARM.replace("just reply here", "note that under our policy no exceptions are made"),
        MESSAGE,
        "Maria Lopez",
    )
    assert walled.dimensions["respect"] < 100 and walled.dimensions["clarity"] < 100
    cold = coach(
        WARM.replace(
            "I'm so sorry you were charged twice for your March invoice; that's maddening. ", ""
        ),
        MESSAGE,
        "Maria Lopez",
    ).dimensions
    assert cold["empathy"] < warm["empathy"] and cold["respect"] == 100
    unclear = coach(
        "Hi Maria, I'm so sorry about the double charge, that's maddening.", MESSAGE, "Maria Lopez"
    ).dimensions
    assert unclear["clarity"] < 100 and unclear["empathy"] > cold["empathy"]


def test_the_config_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CoachConfig().reader = None  # type: ignore[misc]


def test_a_missing_follow_up_time_is_left_for_the_agent_to_fill_in() -> None:
    result = coach("Thanks for writing.")
    assert "business day" not in result.suggestion  # never a promise the agent did not make
    assert "I'll get back to you [by when] with [what happens next]." in result.suggestion
    assert not coach(result.suggestion).findings  # the placeholder counts as the next step


class _Emotion:
    def __init__(self, value: str) -> None:
        self.value = value


class _Reading:
    def __init__(self, emotion: object) -> None:
        self.emotion = emotion


def test_a_reading_is_any_object_with_an_emotion() -> None:
    draft = "Your refund was issued today. Let me know if anything is unclear."
    assert "no_acknowledgement" in coach(draft, "Refund?", reading=_Reading("anxiety")).codes
    assert coach(draft, "Refund?", reading=_Reading(_Emotion("anger"))).emotion == "anger"
    assert coach(draft, "Refund?", reading=_Reading("bored")).emotion == "neutral"


def test_a_configured_reader_is_used_when_no_reading_is_given() -> None:
    seen: list[str] = []

    def reader(text: str) -> _Reading:
        seen.append(text)
        return _Reading("disappointment")

    result = coach("Done.", "Where is my parcel?", config=CoachConfig(reader=reader))
    assert seen == ["Where is my parcel?"] and result.emotion == "disappointment"


def test_acknowledgement_restates_the_customers_words_in_the_callers_wording() -> None:
    lines = {"anger": "We're sorry that {restated}.", "neutral": "Noted: {restated}."}
    plain = {"anger": "We're sorry.", "neutral": "Noted."}
    said = acknowledgement("I was charged twice for my March invoice!!", "anger", lines, plain)
    assert said == "We're sorry that you were charged twice for your March invoice."
    assert acknowledgement("Why?", "anger", lines, plain) == "We're sorry."
    assert acknowledgement(None, "gratitude", lines, plain) == "Noted."  # unknown: neutral
