"""A message is read in its conversation: what came before moves the reading, one way for all."""

from __future__ import annotations

import io
import json

import pytest

from heard.engine import Emotion, read, read_many
from heard.engine._context import in_context, unanswered
from heard.engine._types import Turn
from heard.engine.cli import analyze_stream

ANGRY = "This is a disgrace. You took my money and nobody answers."
CHASE = "Any update on this?"


def test_unanswered_counts_the_customer_messages_since_the_last_reply() -> None:
    assert unanswered([]) == 0
    assert unanswered([Turn("customer", "a")]) == 1
    assert unanswered([Turn("customer", "a"), Turn("agent", "b")]) == 0
    assert unanswered([Turn("agent", "b"), Turn("customer", "a"), Turn("customer", "c")]) == 2


def test_a_turn_is_from_the_customer_or_an_agent() -> None:
    with pytest.raises(ValueError, match="customer"):
        Turn("bot", "hello")


def test_writing_again_unanswered_raises_urgency_with_a_cue() -> None:
    alone = read(CHASE)
    chased = read(CHASE, history=[Turn("customer", "My order never came.")])
    assert chased.urgency > alone.urgency
    assert "wrote again before any answer" in [cue.label for cue in chased.cues]
    again = read(CHASE, history=[Turn("customer", "My order never came."), Turn("customer", "?")])
    assert again.urgency >= chased.urgency


def test_a_reply_in_between_is_no_chase() -> None:
    answered = read(CHASE, history=[Turn("customer", "Where is it?"), Turn("agent", "Checking.")])
    assert "wrote again before any answer" not in [cue.label for cue in answered.cues]


def test_writing_again_unanswered_moves_the_reading_away_from_neutral() -> None:
    """What the support messages written with a history taught (data/model.json "context")."""
    alone = read(CHASE)
    chased = in_context(alone, None, 1)
    negative = [Emotion.ANGER, Emotion.FRUSTRATION]
    assert sum(chased.scores[e] for e in negative) > sum(alone.scores[e] for e in negative)
    assert chased.scores[Emotion.NEUTRAL] < alone.scores[Emotion.NEUTRAL]


def test_the_desk_and_the_engine_read_a_conversation_the_same_way() -> None:
    """The desk applies `in_context` to readings it stored; `read(history=)` reads anew."""
    history = [Turn("customer", ANGRY), Turn("customer", "Hello?")]
    stored_previous = read("Hello?").scores
    by_desk = in_context(read(CHASE), stored_previous, unanswered(history))
    by_engine = read(CHASE, history=history)
    assert by_desk.emotion == by_engine.emotion and by_desk.cues == by_engine.cues
    for emotion, p in by_engine.scores.items():  # batched or alone: the same to 1e-6
        assert by_desk.scores[emotion] == pytest.approx(p, abs=1e-5)
    assert by_desk.urgency == pytest.approx(by_engine.urgency, abs=1e-5)


def test_read_many_needs_one_history_per_text() -> None:
    with pytest.raises(ValueError, match="one history per text"):
        read_many(["a", "b"], histories=[[]])


def test_heard_analyze_reads_a_history_and_refuses_a_bad_one() -> None:
    lines = [
        {"text": CHASE, "history": [{"from": "customer", "text": "My order never came."}]},
        {"text": CHASE, "history": [{"from": "agent"}]},
    ]
    stdout = io.StringIO()
    status = analyze_stream(io.StringIO("\n".join(json.dumps(line) for line in lines)), stdout)
    first, second = (json.loads(line) for line in stdout.getvalue().splitlines())
    assert status == 1
    assert first["history"] == lines[0]["history"]  # copied through, like any other key
    assert {"start": 0, "end": 0, "label": "wrote again before any answer"} in first["cues"]
    assert second == {"line": 2, "error": '"history" item 1: "text" must be a string'}
