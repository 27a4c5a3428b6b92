"""`heard analyze`: JSON lines in, one reading per line out, in order.

Each input line is an object with a "text" string and, optionally, a "history": the earlier
messages of the conversation, oldest first, as [{"from": "customer"|"agent", "text": str}], so
that the message is read in context (`_context`). Its other keys are copied through. The output
line holds the input's keys plus "emotion", "scores", "urgent", "urgency", "churn_risk" and "cues"
(a list of {"start", "end", "label"}, code-point offsets into "text"). A line that is not valid
JSON or has no text string gets {"line": N, "error": "..."} in its place (N counts from 1), as
does one that is not UTF-8, nests too deeply or holds a lone surrogate; the other lines are
still read, and the exit status is 1. Only the first `EngineConfig.max_chars` characters of a
text are read. Lines are answered as they arrive, so a program can hold a conversation with it
over a pipe.
"""

from __future__ import annotations

from typing import TextIO

from heard.engine._config import EngineConfig
from heard.engine._jsonlines import answer_lines, history, load_json
from heard.engine._reader import read


def analyze_stream(stdin: TextIO, stdout: TextIO, config: EngineConfig | None = None) -> int:
    """Answer each JSON line of `stdin` on `stdout`; 0 if every line was read, else 1."""

    def answer(line: str) -> dict[str, object]:
        record = _record(line)
        reading = read(str(record["text"]), config, history=history(record.get("history")))
        return {**record, **reading.as_dict()}

    return answer_lines(stdin, stdout, answer)


def _record(line: str) -> dict[str, object]:
    record = load_json(line)
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    if "text" not in record:
        raise ValueError('no "text" key')
    if not isinstance(record["text"], str):
        raise ValueError('"text" is not a string')
    return record
