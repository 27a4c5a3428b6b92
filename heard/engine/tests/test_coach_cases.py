"""The coach's golden cases: cases/coach_cases.jsonl, each with an `expect` field."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from heard.engine.coaching import Coaching, coach

CASES = Path(__file__).parent / "cases" / "coach_cases.jsonl"


@dataclass(frozen=True)
class _Reading:
    emotion: str


def _cases() -> list[Any]:
    lines = CASES.read_text(encoding="utf-8").splitlines()
    return [pytest.param(case, id=case["name"]) for case in map(json.loads, lines)]


def _coach(case: dict[str, Any]) -> Coaching:
    reading = _Reading(case["emotion"]) if case["emotion"] else None
    return coach(case["draft"], case["customer_message"], case["customer_name"], reading)


@pytest.mark.parametrize("case", _cases())
def test_it_coaches_the_golden_drafts(case: dict[str, Any]) -> None:
    result, expect = _coach(case), case["expect"]
    found = [[f.code, f.text] for f in result.findings]
    for finding in expect.get("raises", []):
        assert finding in found, f"expected {finding} in {found}"
    assert not result.codes & set(expect.get("clear", [])), found
    if "score" in expect:
        assert result.score == expect["score"], found
    if "emotion" in expect:
        assert result.emotion == expect["emotion"]
    for text in expect.get("suggestion_has", []):
        assert text in result.suggestion, result.suggestion
    for text in expect.get("suggestion_lacks", []):
        assert text not in result.suggestion, result.suggestion


def test_it_marks_the_exact_words() -> None:
    draft = "Hi Jo, this is user error. Please read the manual."
    for finding in coach(draft).findings:
        if finding.start is not None:
            assert draft[finding.start : finding.end] == finding.text
            assert finding.why.endswith(".")
