"""The coach's value types: frozen, typed, and able to explain themselves."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    """The coach's verdict on one draft: a 0..100 score, findings, a proposed rewording and the
    three dimensions the score combines (`dimensions`: empathy, respect, clarity, each 0..100)."""

    score: int
    findings: tuple[Finding, ...]
    suggestion: str
    emotion: str = "neutral"  # the customer emotion the coach worked with
    dimensions: Mapping[str, int] = field(default_factory=dict)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(f.code for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        """The command-line shape: score, dimensions, findings and suggestion."""
        return {
            "score": self.score,
            "dimensions": dict(self.dimensions),
            "findings": [f.as_dict() for f in self.findings],
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True, slots=True)
class CoachConfig:
    """Every knob of the coach, in one frozen object. The defaults are what the tests measure.
    How findings move the score lives in data/dimensions.toml."""

    #: Reads the customer's message when no `reading` is passed; None uses the coach's own
    #: light lexical read. Plug in `heard.engine.read` here.
    reader: Callable[[str], HasEmotion] | None = field(default=None, compare=False)
    #: The coach reads at most this many characters of the draft, of the customer's message and
    #: of each earlier reply, so that its time has a ceiling; a longer draft is coached on its
    #: beginning and the rest is kept, as written, at the end of the suggestion.
    max_chars: int = 20_000
