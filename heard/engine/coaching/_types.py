"""The coach's value types: frozen, typed, and able to explain themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from heard.engine._types import Emotion

Severity = Literal["high", "medium", "low"]

#: The finding codes, in the order findings are reported. Names and meanings are stable.
FINDING_CODES: tuple[str, ...] = (
    "blame",
    "rtfm",
    "policy_wall",
    "dismissive",
    "curt_closing",
    "robotic",
    "shouting",
    "no_acknowledgement",
    "no_name",
    "no_next_step",
    "no_offer_more_help",
)

EMOTIONS: tuple[str, ...] = tuple(str(emotion) for emotion in Emotion)


class HasEmotion(Protocol):
    """Anything with an `.emotion` (a string or a str-valued Enum), e.g. the engine's Reading."""

    @property
    def emotion(self) -> object: ...


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing in a draft that will land badly, with where it is and why.

    `start`/`end` are character offsets into the draft and `text` is `draft[start:end]`;
    all three are None for something missing (no name, no next step, ...).
    """

    code: str
    start: int | None
    end: int | None
    text: str | None
    why: str
    severity: Severity

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "why": self.why,
            "severity": self.severity,
        }


@dataclass(frozen=True, slots=True)
class Coaching:
    """The coach's verdict on one draft: a 0..100 score, findings and a proposed rewording."""

    score: int
    findings: tuple[Finding, ...]
    suggestion: str
    emotion: str = "neutral"  # the customer emotion the coach worked with

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(f.code for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        """The command-line shape: score, findings and suggestion."""
        return {
            "score": self.score,
            "findings": [f.as_dict() for f in self.findings],
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True, slots=True)
class CoachConfig:
    """Every knob of the coach, in one frozen object. The defaults are what the tests measure.

    Score: 100 minus, per finding code present, `penalties[severity]`, plus `repeat_penalty`
    for each further finding of the same code; never below 0.
    """

    penalties: tuple[tuple[Severity, int], ...] = (("high", 25), ("medium", 12), ("low", 6))
    repeat_penalty: int = 4
    #: The time expectation the suggestion promises when the draft has no next step.
    follow_up_when: str = "within one business day"
    #: Reads the customer's message when no `reading` is passed; None uses the coach's own
    #: light lexical read. Plug in `heard.engine.read` here.
    reader: Callable[[str], HasEmotion] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        severities = {severity for severity, _ in self.penalties}
        if severities != {"high", "medium", "low"}:
            raise ValueError("penalties must give exactly one weight for high, medium and low")
        if any(weight < 0 for _, weight in self.penalties) or self.repeat_penalty < 0:
            raise ValueError("penalties must not be negative")

    def penalty(self, severity: Severity) -> int:
        return dict(self.penalties)[severity]
