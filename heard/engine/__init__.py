"""Heard's reading engine: how a customer message feels, how urgent it is, and why.

A plain library: it imports nothing from Django, runs on the CPU with onnxruntime and numpy, and
loads its model and lexicons from `heard/engine/data/` once, on first use.

    from heard.engine import read

    reading = read("Third time writing: I'm locked out and my flight is in two hours!")
    reading.emotion, reading.urgent, reading.explain()

`read(text, history=[Turn("customer", ...), Turn("agent", ...)])` reads a message in its
conversation; `in_context` does the same from readings already stored (the desk's way).
`heard.engine.cli.analyze_stream` implements `heard analyze`; `new_text` is the mail app's
quote, signature and disclaimer stripper. MODEL_CARD.md records what the model was trained on
and the figures measured with it.
"""

from __future__ import annotations

from heard.engine._config import EngineConfig
from heard.engine._context import in_context
from heard.engine._reader import read, read_many
from heard.engine._text import new_text
from heard.engine._types import Cue, Emotion, Reading, Span, Turn
from heard.engine.coaching import (
    FINDING_CODES,
    CoachConfig,
    Coaching,
    Finding,
    HasEmotion,
    coach,
)

__all__ = [
    "FINDING_CODES",
    "CoachConfig",
    "Coaching",
    "Cue",
    "Emotion",
    "EngineConfig",
    "Finding",
    "HasEmotion",
    "Reading",
    "Span",
    "Turn",
    "coach",
    "in_context",
    "new_text",
    "read",
    "read_many",
]
