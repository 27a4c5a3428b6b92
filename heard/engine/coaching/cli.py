"""`heard coach`: JSON lines in, one JSON line out per input, in order.

Each input line is `{"draft": str, "customer_message": str|null, "customer_name": str|null,
"history": [{"from": "customer"|"agent", "text": str}]}` (all but the draft optional; the
history is the conversation before the customer's message, oldest first; other keys are
ignored). Each output line is `{"score": int, "dimensions": {"empathy", "respect", "clarity"},
"findings": [{"code", "start", "end", "text", "why", "severity"}], "suggestion": str}`, or
`{"line": N, "error": "..."}` for a line that cannot be coached
(N counts from 1). Blank lines are skipped. The exit status is 1 when any line was bad, else 0.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from heard.engine._jsonlines import answer_lines, history, load_json
from heard.engine.coaching._coach import coach

_OPTIONAL = ("customer_message", "customer_name")


class _BadLine(ValueError):
    """A line that is not a coachable request; the message goes back to the caller."""


def coach_stream(stdin: TextIO, stdout: TextIO) -> int:
    """Coach every JSON line of stdin onto stdout; 1 if any line was bad, else 0."""
    return answer_lines(
        stdin, stdout, lambda line: coach(**_request(line)).as_dict(), skip_blank=True
    )


def _request(line: str) -> dict[str, Any]:
    try:
        data = load_json(line)
    except ValueError as error:
        raise _BadLine(str(error)) from None
    if not isinstance(data, dict):
        raise _BadLine("expected a JSON object")
    if "draft" not in data:
        raise _BadLine("missing 'draft'")
    if not isinstance(data["draft"], str):
        raise _BadLine("'draft' must be a string")
    request: dict[str, Any] = {"draft": data["draft"], "history": history(data.get("history"))}
    for key in _OPTIONAL:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise _BadLine(f"'{key}' must be a string or null")
        request[key] = value
    return request


def main() -> None:
    sys.exit(coach_stream(sys.stdin, sys.stdout))


if __name__ == "__main__":
    main()
