"""`heard coach`: JSON lines in, one JSON line out per input, in order; bad lines reported."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

from heard.engine.coaching.cli import coach_stream


def _run(*lines: str) -> tuple[int, list[dict[str, Any]]]:  # parsed JSON
    out = io.StringIO()
    status = coach_stream(io.StringIO("".join(line + "\n" for line in lines)), out)
    return status, [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_coaches_each_line_in_order() -> None:
    status, results = _run(
        json.dumps({"draft": "This is user error.", "customer_message": "It crashes!"}),
        json.dumps({"draft": "Hi Ana, I've reset it. Let me know if not.", "customer_name": "Ana"}),
    )
    assert status == 0 and len(results) == 2
    assert results[0]["findings"][0]["code"] == "blame"
    assert results[1] == {
        "score": 100,
        "dimensions": {"empathy": 100, "respect": 100, "clarity": 100},
        "findings": [],
        "suggestion": results[1]["suggestion"],
    }
    finding = results[0]["findings"][0]
    assert set(finding) == {"code", "start", "end", "text", "why", "severity"}
    assert (finding["start"], finding["end"], finding["text"]) == (8, 18, "user error")
    assert isinstance(results[0]["score"], int) and isinstance(results[0]["suggestion"], str)


def test_bad_lines_are_reported_and_the_rest_processed() -> None:
    status, results = _run(
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"customer_message": "no draft"}),
        json.dumps({"draft": 42}),
        json.dumps({"draft": "Fine.", "customer_message": 7}),
        json.dumps({"draft": "Fine.", "customer_name": ["Ana"]}),
        json.dumps({"draft": "Thanks, done.", "customer_message": None, "extra": 1}),
    )
    assert status == 1
    assert [r.get("line") for r in results] == [1, 2, 3, 4, 5, 6, None]
    assert results[0]["error"].startswith("not valid JSON")
    assert results[1]["error"] == "expected a JSON object"
    assert results[2]["error"] == "missing 'draft'"
    assert results[3]["error"] == "'draft' must be a string"
    assert results[4]["error"] == "'customer_message' must be a string or null"
    assert results[5]["error"] == "'customer_name' must be a string or null"
    assert "score" in results[6]


def test_blank_lines_are_skipped_and_line_numbers_count_them() -> None:
    status, results = _run("", json.dumps({"draft": 1}), "   ")
    assert status == 1 and results == [{"line": 2, "error": "'draft' must be a string"}]


def test_it_runs_as_a_module_without_django() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "heard.engine.coaching.cli"],
        input=json.dumps({"draft": "Dear Customer, see the FAQ."}) + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["score"] < 100


def test_a_history_is_taken_into_account_and_checked() -> None:
    earlier = "Thanks for your patience, our team is looking into this for you right now."
    history = [
        {"from": "customer", "text": "My parcel never came."},
        {"from": "agent", "text": earlier},
        {"from": "customer", "text": "Any news?"},
    ]
    draft = f"Hi Ana, {earlier} Let me know if there is anything else."
    status, results = _run(
        json.dumps({"draft": draft, "customer_message": "Hello??", "history": history}),
        json.dumps({"draft": draft, "history": [{"from": "bot", "text": "x"}]}),
        json.dumps({"draft": draft, "history": "yesterday"}),
    )
    assert status == 1
    codes = {f["code"] for f in results[0]["findings"]}
    assert "robotic" in codes  # the earlier reply sent again word for word
    assert "no_acknowledgement" in codes  # they had to write again: the wait needs a word
    assert results[1] == {
        "line": 2,
        "error": '"history" item 1: "from" must be "customer" or "agent"',
    }
    assert results[2]["error"].startswith('"history" must be a list')
