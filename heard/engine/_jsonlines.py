"""The loop behind the engine's JSON-lines commands (`heard analyze`, `heard coach`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TextIO

from heard.engine._types import Turn


def answer_lines(
    stdin: TextIO,
    stdout: TextIO,
    answer: Callable[[str], Mapping[str, object]],
    *,
    skip_blank: bool = False,
) -> int:
    """Write one JSON line on `stdout` for each line of `stdin`, in order and at once, so that a
    program can hold a conversation over a pipe. A line `answer` refuses (ValueError) gets
    {"line": N, "error": "..."} (N counts from 1) and makes the exit status 1; else it is 0."""
    status = 0
    for number, line in enumerate(stdin, start=1):
        if skip_blank and not line.strip():
            continue
        try:
            result = answer(line)
        except ValueError as error:
            result, status = {"line": number, "error": str(error)}, 1
        stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        stdout.flush()
    return status


def history(value: object) -> tuple[Turn, ...]:
    """The optional "history" of a request: [{"from": "customer"|"agent", "text": str}, ...],
    oldest first; ValueError says what is wrong with it."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError('"history" must be a list of {"from", "text"} objects')
    turns = []
    for number, turn in enumerate(value, start=1):
        if not isinstance(turn, dict):
            raise ValueError(f'"history" item {number} is not an object')
        author, text = turn.get("from"), turn.get("text")
        if author not in ("customer", "agent"):
            raise ValueError(f'"history" item {number}: "from" must be "customer" or "agent"')
        if not isinstance(text, str):
            raise ValueError(f'"history" item {number}: "text" must be a string')
        turns.append(Turn(author, text))
    return tuple(turns)
