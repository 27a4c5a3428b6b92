"""Golden cases: cases/*.jsonl, each with an `expect` field; known misses are strict xfails."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from heard.engine import Reading, Turn, new_text, read
from heard.engine._types import NEGATIVE

CASES = Path(__file__).parent / "cases"


def _cases(name: str) -> list[pytest.ParameterSet]:
    params = []
    for line in (CASES / name).read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else []
        params.append(pytest.param(case, id=case["name"], marks=marks))
    return params


@pytest.mark.parametrize("case", _cases("new_text.jsonl"))
def test_it_keeps_only_what_the_customer_wrote_now(case: dict[str, str]) -> None:
    assert new_text(case["body"]) == case["expect"]


@pytest.mark.parametrize("case", _cases("readings.jsonl"))
def test_it_reads_the_golden_messages(case: dict[str, Any]) -> None:  # a parsed JSON line
    history = [Turn(t["from"], t["text"]) for t in case.get("history", [])]
    reading = read(case["text"], history=history)
    for key, expected in case["expect"].items():
        assert CHECKS[key](reading, expected), f"{key}: expected {expected!r}\n{reading.explain()}"


def _has_cues(reading: Reading, expected: list[dict[str, object]]) -> bool:
    found = [cue.as_dict() for cue in reading.cues]
    return all(cue in found for cue in expected)


CHECKS = {
    "emotion": lambda r, e: r.emotion == e,
    "negative": lambda r, e: (r.emotion in NEGATIVE) is e,
    "urgent": lambda r, e: r.urgent is e,
    "churn_at_least": lambda r, e: r.churn_risk >= e,
    "churn_below": lambda r, e: r.churn_risk < e,
    "cues": _has_cues,
    "no_cue_kinds": lambda r, e: not {cue.kind for cue in r.cues} & set(e),
    "no_cues_from": lambda r, e: all(cue.start < e for cue in r.cues),
    "no_cues_before": lambda r, e: all(cue.start >= e for cue in r.cues),
    "language_supported": lambda r, e: r.language_supported is e,
    "confidence_below": lambda r, e: r.confidence < e,
}
