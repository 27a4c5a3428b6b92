"""The loop behind the engine's JSON-lines commands (`heard analyze`, `heard coach`).

Whatever a line holds, it is answered with one line: bytes that are not UTF-8, JSON nested deeper
than the parser's recursion allows, a lone surrogate (valid JSON, not valid Unicode), or a
failure of the engine on that line each get an error line, and the next line is read.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TextIO

from heard.engine._types import Turn

log = logging.getLogger(__name__)


def answer_lines(
    stdin: TextIO,
    stdout: TextIO,
    answer: Callable[[str], Mapping[str, object]],
    *,
    skip_blank: bool = False,
) -> int:
    """Write one JSON line on `stdout` for each line of `stdin`, in order and at once, so that a
    program can hold a conversation over a pipe. A line `answer` refuses (ValueError), or that
    cannot be read or answered at all, gets {"line": N, "error": "..."} (N counts from 1) and
    makes the exit status 1; else it is 0."""
    status = 0
    for number, line in enumerate(_lines(stdin), start=1):
        if skip_blank and isinstance(line, str) and not line.strip():
            continue
        result = _answer(line, answer)
        if isinstance(result, str):
            result, status = {"line": number, "error": result}, 1
        stdout.write(_dumps(result, number) + "\n")
        stdout.flush()
    return status


def load_json(line: str) -> Any:
    """One request line as JSON that is also valid Unicode; ValueError says what is wrong."""
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON: {error.msg}") from None
    except RecursionError:
        raise ValueError("not readable: JSON nested too deeply") from None
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid Unicode: a lone surrogate (\\ud800-\\udfff)") from None
    except RecursionError:
        raise ValueError("not readable: JSON nested too deeply") from None
    return data


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


def _lines(stdin: TextIO) -> Iterator[str | UnicodeDecodeError]:
    """The lines of `stdin`, read as bytes when it has them, so that one line that is not UTF-8
    spoils only itself."""
    binary = getattr(stdin, "buffer", None)
    if binary is None:
        yield from stdin
        return
    for raw in binary:
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            yield error


def _answer(
    line: str | UnicodeDecodeError, answer: Callable[[str], Mapping[str, object]]
) -> Mapping[str, object] | str:
    """The answer to one line, or why there is none."""
    if isinstance(line, UnicodeDecodeError):
        return f"not UTF-8: byte {line.start} of the line"
    try:
        return answer(line)
    except ValueError as error:
        return str(error)
    except RecursionError:
        return "not readable: nested too deeply"
    except Exception as error:  # one line must never end the conversation
        log.exception("could not answer a line")
        return f"internal error: {type(error).__name__}"


def _dumps(result: Mapping[str, object], number: int) -> str:
    try:
        out = json.dumps(result, ensure_ascii=False)
        out.encode("utf-8")
    except (UnicodeEncodeError, ValueError, RecursionError, TypeError):
        return json.dumps({"line": number, "error": "the answer could not be written as JSON"})
    return out
