"""Hostile input to the engine (issue 19): the reading and the coach read at most `max_chars` of
a text, so their time and memory have a ceiling and grow no faster than the text below it, and
the JSON-lines commands answer every bad line with an error line and read on (a lone surrogate,
JSON nested past the parser's recursion, bytes that are not UTF-8 used to crash them). Times are
measured on this machine, with generous margins; memory with tracemalloc."""

from __future__ import annotations

import io
import json
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from heard.engine import CoachConfig, EngineConfig, coach, read
from heard.engine.cli import analyze_stream
from heard.engine.coaching.cli import coach_stream

MB = 1_000_000
COMPLAINT = "I was charged twice and nobody answers my emails. "
DRAFT = "Hi Maria, I'm sorry the export failed. Please read the manual. I restarted the job.\n"


def fastest(work: Callable[[], object], tries: int = 3) -> float:
    """The shortest of `tries` runs of `work`, in seconds (the least disturbed by the machine)."""
    times = []
    for _ in range(tries):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def lines_out(command: Callable[..., int], data: bytes) -> tuple[int, list[dict[str, Any]]]:
    """Run a JSON-lines command over `data` as a terminal gives it: bytes under a text stream."""
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    stdout = io.StringIO()
    status = command(stdin, stdout)
    return status, [json.loads(line) for line in stdout.getvalue().splitlines()]


def test_a_10_mb_line_to_analyze_is_read_in_bounded_time_and_memory() -> None:
    read("warm the model up")
    text = COMPLAINT * (10 * MB // len(COMPLAINT))
    data = json.dumps({"text": text}).encode() + b"\n"
    tracemalloc.start()
    started = time.perf_counter()
    status, (answer,) = lines_out(analyze_stream, data)
    seconds = time.perf_counter() - started
    memory = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert status == 0
    assert answer["text"] == text  # the line is answered whole
    assert all(cue["end"] <= EngineConfig().max_chars for cue in answer["cues"])
    assert seconds < 5, seconds  # 20 s before the cap
    assert memory < 200 * MB, f"{memory / MB:.0f} MB"  # 1.1 GB before


def test_reading_time_stops_growing_at_the_cap() -> None:
    read("warm the model up")
    cap = EngineConfig().max_chars
    at_cap = fastest(lambda: read((COMPLAINT * cap)[:cap]))
    far_beyond = fastest(lambda: read(COMPLAINT * (MB // len(COMPLAINT))))
    assert far_beyond < 3 * at_cap + 0.05, (at_cap, far_beyond)


def test_the_coach_caps_a_1_mb_draft_and_keeps_the_rest_in_the_suggestion() -> None:
    coach("warm the coach up", "My export fails!", "Maria")
    draft = DRAFT * (MB // len(DRAFT))
    started = time.perf_counter()
    result = coach(draft, "My export fails!", "Maria")
    assert time.perf_counter() - started < 5  # 89 s through the web before the cap
    cap = CoachConfig().max_chars
    assert all(f.end is None or f.end <= cap for f in result.findings)
    assert "rtfm" in result.codes
    tail = draft[-5 * len(DRAFT) :]
    assert result.suggestion.endswith(tail)  # nothing the agent wrote is lost


def test_the_coach_grows_no_faster_than_the_draft() -> None:
    coach("warm the coach up", "My export fails!", "Maria")
    cap = CoachConfig().max_chars
    quarter = fastest(lambda: coach(DRAFT * (cap // 4 // len(DRAFT)), "It fails!", "Maria"), 5)
    whole = fastest(lambda: coach(DRAFT * (cap // len(DRAFT)), "It fails!", "Maria"), 5)
    beyond = fastest(lambda: coach(DRAFT * (8 * cap // len(DRAFT)), "It fails!", "Maria"), 5)
    # Four times the text: four times the time (sixteen if it grew with its square).
    assert whole < 8 * quarter + 0.05, (quarter, whole)
    assert beyond < 2 * whole + 0.05, (whole, beyond)  # past the cap: no more


def test_analyze_answers_bad_lines_with_errors_and_reads_on() -> None:
    good = json.dumps({"text": "Thanks, all sorted."}).encode()
    data = b"\n".join(
        [
            b'{"text": "\\ud800 lone"}',  # valid JSON, not valid Unicode
            b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            b'{"text": "caf\xe9"}',  # Latin-1, not UTF-8
            good,
        ]
    )
    status, answers = lines_out(analyze_stream, data + b"\n")
    assert status == 1
    assert [a.get("line") for a in answers] == [1, 2, 3, None]
    assert "surrogate" in answers[0]["error"]
    assert "nested too deeply" in answers[1]["error"]
    assert "not UTF-8" in answers[2]["error"]
    assert answers[3]["emotion"]


def test_coach_answers_bad_lines_with_errors_and_reads_on() -> None:
    data = b"\n".join(
        [
            b'{"draft": "Hello \\udfff"}',
            b"[" * 100_000,
            b'{"draft": "Hi Maria, I restarted the export: it runs again."}',
        ]
    )
    status, answers = lines_out(coach_stream, data + b"\n")
    assert status == 1
    assert "surrogate" in answers[0]["error"]
    assert answers[1]["line"] == 2
    assert isinstance(answers[2]["score"], int)
