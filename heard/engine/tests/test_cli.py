"""The `heard analyze` contract: JSON lines in, one JSON line out per input line, in order."""

from __future__ import annotations

import io
import json
from typing import Any

from heard.engine.cli import analyze_stream

FIELDS = {"emotion", "scores", "urgent", "urgency", "churn_risk", "cues"}


def _analyze(*lines: str) -> tuple[int, list[dict[str, Any]]]:  # parsed JSON
    stdout = io.StringIO()
    status = analyze_stream(io.StringIO("".join(line + "\n" for line in lines)), stdout)
    return status, [json.loads(line) for line in stdout.getvalue().splitlines()]


def test_it_answers_each_line_with_a_reading() -> None:
    status, answers = _analyze(
        json.dumps({"text": "This is the third time I'm writing, I'm furious!", "id": 7}),
        json.dumps({"text": "Thanks, all sorted.", "meta": {"channel": "mail"}}),
    )
    assert status == 0
    assert [a.get("id") for a in answers] == [7, None]
    assert answers[1]["meta"] == {"channel": "mail"}
    for answer in answers:
        assert set(answer) >= FIELDS
        assert set(answer["scores"]) == {
            "anger",
            "frustration",
            "disappointment",
            "anxiety",
            "confusion",
            "happiness",
            "neutral",
        }
        assert abs(sum(answer["scores"].values()) - 1.0) < 1e-3
        assert 0.0 <= answer["urgency"] <= 1.0 and 0.0 <= answer["churn_risk"] <= 1.0
        assert isinstance(answer["urgent"], bool)
    assert {"start": 12, "end": 34, "label": "written several times"} in answers[0]["cues"]


def test_it_copies_input_keys_and_keeps_order() -> None:
    lines = [
        json.dumps({"text": f"Message number {n}.", "n": n, "text_id": f"t{n}"}) for n in range(12)
    ]
    status, answers = _analyze(*lines)
    assert status == 0
    assert [(a["n"], a["text_id"], a["text"]) for a in answers] == [
        (n, f"t{n}", f"Message number {n}.") for n in range(12)
    ]


def test_it_reports_bad_lines_in_place_and_goes_on() -> None:
    status, answers = _analyze(
        json.dumps({"text": "Hello there."}),
        "{not json",
        json.dumps({"subject": "no text here"}),
        json.dumps({"text": 42}),
        json.dumps(["text", "a list"]),
        "",
        json.dumps({"text": "Still here."}),
    )
    assert status == 1
    assert [a.get("line") for a in answers] == [None, 2, 3, 4, 5, 6, None]
    assert answers[1]["error"].startswith("not valid JSON")
    assert answers[2] == {"line": 3, "error": 'no "text" key'}
    assert answers[3] == {"line": 4, "error": '"text" is not a string'}
    assert answers[4] == {"line": 5, "error": "not a JSON object"}
    assert answers[6]["text"] == "Still here." and "emotion" in answers[6]


def test_it_exits_0_on_empty_input() -> None:
    assert _analyze() == (0, [])


def test_it_gives_cue_offsets_into_the_text_as_sent() -> None:
    text = "Café crème?\nOur shop is DOWN and we are losing sales!"
    status, answers = _analyze(json.dumps({"text": text}, ensure_ascii=True))
    assert status == 0
    cue = next(c for c in answers[0]["cues"] if c["label"] == "losing money")
    assert text[cue["start"] : cue["end"]] == "losing sales"
