"""The loop behind the engine's JSON-lines commands (`heard analyze`, `heard coach`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TextIO


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
