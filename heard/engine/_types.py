"""The engine's results: frozen dataclasses that explain themselves."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Emotion(StrEnum):
    """The seven feelings the engine tells apart, in the order of `Reading.scores`."""

    ANGER = "anger"
    FRUSTRATION = "frustration"
    DISAPPOINTMENT = "disappointment"
    ANXIETY = "anxiety"
    CONFUSION = "confusion"
    HAPPINESS = "happiness"
    NEUTRAL = "neutral"


NEGATIVE = frozenset({Emotion.ANGER, Emotion.FRUSTRATION, Emotion.DISAPPOINTMENT, Emotion.ANXIETY})


@dataclass(frozen=True)
class Turn:
    """One earlier message of a conversation: who wrote it ("customer" or "agent") and its text."""

    author: str
    text: str

    def __post_init__(self) -> None:
        if self.author not in ("customer", "agent"):
            raise ValueError(f'a turn is from "customer" or "agent", not {self.author!r}')


@dataclass(frozen=True)
class Span:
    """Characters `start:end` (code points) of the text given to `read()`, with what they are."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Cue:
    """A span of the text that drove the reading.

    `kind` names the family the cue belongs to (for example "time_pressure", "leaving" or
    "emotion"), `label` says it in a few words, `text` is the span itself and `weight` is how much
    it counts (0..1) in urgency or churn risk.
    """

    start: int
    end: int
    label: str
    kind: str
    text: str
    weight: float

    def as_dict(self) -> dict[str, int | str]:
        return {"start": self.start, "end": self.end, "label": self.label}


@dataclass(frozen=True)
class Reading:
    """How a customer message reads: the feeling, how urgent it is, and why.

    `scores` gives a probability for each `Emotion`; `emotion` is the most probable, except in a
    long message where one sentence reads clearly negative: then it is the most probable negative
    emotion, so that a complaint wrapped in pleasantries is not read as happy. `confidence` is the
    probability of `emotion`. When `language_supported` is false the text does not look like
    English: the scores are then uniform, `emotion` is neutral and `note` says so. `ignored` lists
    the quoted history, signatures and disclaimers that were left out of the reading.
    """

    emotion: Emotion
    scores: dict[Emotion, float]
    confidence: float
    urgent: bool
    urgency: float
    churn_risk: float
    cues: tuple[Cue, ...]
    ignored: tuple[Span, ...]
    language_supported: bool
    note: str

    def as_dict(self) -> dict[str, object]:
        """The fields of the `heard analyze` contract, ready for `json.dumps`."""
        return {
            "emotion": str(self.emotion),
            "scores": {str(emotion): round(p, 4) for emotion, p in self.scores.items()},
            "urgent": self.urgent,
            "urgency": round(self.urgency, 4),
            "churn_risk": round(self.churn_risk, 4),
            "cues": [cue.as_dict() for cue in self.cues],
        }

    def explain(self) -> str:
        """One line an agent can read: the feeling, urgency, churn risk and the cues behind them."""
        parts = [f"{self.emotion} ({self.confidence:.0%})"]
        if self.note:
            parts.append(self.note)
        parts.append(f"{'urgent' if self.urgent else 'not urgent'} ({self.urgency:.0%})")
        parts.append(f"churn risk {self.churn_risk:.0%}")
        parts += [f'{cue.label}: "{cue.text}"' for cue in self.cues]
        return "; ".join(parts)
