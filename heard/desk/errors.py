"""What the desk refuses, with a stable code for every refusal.

Every `DeskError` carries a message fit to show the person who made the request and a `code`
from `ErrorCode`: the console, an API or a command decides what to answer from the code (404,
403, 400, an exit status), never from the wording, which may change.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from heard.engine import Coaching, Finding


class ErrorCode(StrEnum):
    """Every code a `DeskError` can carry; each stays as it is once released."""

    INVALID = "invalid"  # a value the desk does not know (a status, priority, emotion, consent)
    NOT_FOUND = "not_found"  # no such ticket among the actor's teams (never says it exists)
    NOT_ALLOWED = "not_allowed"  # the actor may see the ticket but not do this to it
    EMPTY = "empty"  # a reply or note with nothing in it
    TOO_LONG = "too_long"  # a reply over HEARD_MAX_REPLY_CHARS
    CLOSED = "closed"  # the ticket is closed: nothing more happens on it
    NOT_IN_TEAM = "not_in_team"  # an assignee who is not in the ticket's team
    SAME_TEAM = "same_team"  # moved to the team it is in already
    BAD_MERGE = "bad_merge"  # merged into itself or into another customer's ticket
    TRANSITION = "transition"  # a status the ticket cannot go to from its own
    SEVERE_FINDING = "severe_finding"  # the coach found a reply would hurt: send anyway?


class DeskError(Exception):
    """A request the desk refuses, with a message fit to show the person who made it and a
    stable `code` (`ErrorCode`) that callers branch on."""

    def __init__(self, message: str, code: ErrorCode = ErrorCode.INVALID) -> None:
        super().__init__(message)
        self.code = code


class NotFound(DeskError):
    """No such ticket (or other object) among the actor's teams: shown as 404."""

    def __init__(self, message: str) -> None:
        super().__init__(message, ErrorCode.NOT_FOUND)


class SevereFinding(DeskError):
    """The coach found words in a reply that would hurt (`findings`, severity high): it goes
    out only when the agent, asked once, chooses to send it anyway."""

    def __init__(self, coaching: Coaching, findings: Sequence[Finding]) -> None:
        codes = ", ".join(sorted({f.code for f in findings}))
        message = f"The coach asks once before this goes out: {codes}."
        super().__init__(message, ErrorCode.SEVERE_FINDING)
        self.coaching = coaching
        self.findings = list(findings)
