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
    score,
)

EXPECTED = [
    "FINDING_CODES",
    "CoachConfig",
    "Coaching",
    "Finding",
    "HasEmotion",
    "acknowledgement",
    "coach",
    "score",
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
    assert set(result.as_dict()) == {"score", "findings", "suggestion"}
    assert set(result.as_dict()["findings"][0]) == {
        "code",
        "start",
        "end",
        "text",
        "why",
        "severity",
    }


def test_the_score_is_the_documented_formula() -> None:
    blame = Finding("blame", 0, 4, "text", "why", "high")
    robotic = Finding("robotic", 5, 9, "text", "why", "medium")
    name = Finding("no_name", None, None, None, "why", "low")
    assert score([]) == 100
    assert score([blame, robotic, name]) == 100 - 25 - 12 - 6
    assert score([blame, blame, blame]) == 100 - 25 - 2 * 4
    assert score([blame] * 30, CoachConfig(repeat_penalty=10)) == 0
    assert score([robotic], CoachConfig(penalties=(("high", 30), ("medium", 20), ("low", 1)))) == 80


def test_the_config_is_frozen_and_checked() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CoachConfig().repeat_penalty = 1  # type: ignore[misc]
    with pytest.raises(ValueError, match="exactly one weight"):
        CoachConfig(penalties=(("high", 1), ("low", 1)))
    with pytest.raises(ValueError, match="negative"):
        CoachConfig(repeat_penalty=-1)


def test_the_follow_up_time_is_configurable() -> None:
    result = coach("Thanks for writing.", config=CoachConfig(follow_up_when="by Friday noon"))
    assert "by Friday noon" in result.suggestion


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
