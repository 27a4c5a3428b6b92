"""The data the model is trained and measured on: GoEmotions mapped to Heard's seven emotions, and
the support-domain messages written for Heard (`data/support/`).

Used by `scripts/train_engine.py` and `bench/engine_bench.py`, never at run time. GoEmotions is
read from `<repo>/../shared/data/goemotions` unless a directory is given; it is never copied into
the repository.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from heard.engine._types import Emotion

REPO = Path(__file__).resolve().parents[2]
DEFAULT_GOEMOTIONS = REPO.parent / "shared" / "data" / "goemotions"

# GoEmotions label -> Heard emotion. The grouping follows the GoEmotions paper's Ekman mapping
# (anger/disgust, sadness, fear, joy and its positive family, surprise) cut to what a support
# queue needs; MODEL_CARD.md gives the reasons for each choice.
MAPPING: dict[str, Emotion] = {
    "anger": Emotion.ANGER,
    "disgust": Emotion.ANGER,
    "annoyance": Emotion.FRUSTRATION,
    "disapproval": Emotion.FRUSTRATION,
    "disappointment": Emotion.DISAPPOINTMENT,
    "sadness": Emotion.DISAPPOINTMENT,
    "grief": Emotion.DISAPPOINTMENT,
    "remorse": Emotion.DISAPPOINTMENT,
    "embarrassment": Emotion.DISAPPOINTMENT,
    "fear": Emotion.ANXIETY,
    "nervousness": Emotion.ANXIETY,
    "confusion": Emotion.CONFUSION,
    "curiosity": Emotion.CONFUSION,
    "admiration": Emotion.HAPPINESS,
    "amusement": Emotion.HAPPINESS,
    "approval": Emotion.HAPPINESS,
    "caring": Emotion.HAPPINESS,
    "desire": Emotion.HAPPINESS,
    "excitement": Emotion.HAPPINESS,
    "gratitude": Emotion.HAPPINESS,
    "joy": Emotion.HAPPINESS,
    "love": Emotion.HAPPINESS,
    "optimism": Emotion.HAPPINESS,
    "pride": Emotion.HAPPINESS,
    "relief": Emotion.HAPPINESS,
    "neutral": Emotion.NEUTRAL,
    "realization": Emotion.NEUTRAL,
    "surprise": Emotion.NEUTRAL,
}
# A comment with labels that map to several emotions takes the first of them in this order: the
# feeling that asks more of an agent wins over the one that asks less.
PRIORITY = (
    Emotion.ANGER,
    Emotion.FRUSTRATION,
    Emotion.ANXIETY,
    Emotion.DISAPPOINTMENT,
    Emotion.CONFUSION,
    Emotion.HAPPINESS,
    Emotion.NEUTRAL,
)


@dataclass(frozen=True)
class Example:
    text: str
    emotion: Emotion
    labels: tuple[str, ...] = ()  # GoEmotions labels; empty for support messages
    urgent: bool | None = None  # support messages only
    churn: bool | None = None  # support messages only


def seven_class(labels: list[str] | tuple[str, ...]) -> Emotion:
    """The Heard emotion of a GoEmotions comment with these labels."""
    return min((MAPPING[label] for label in labels), key=PRIORITY.index)


def goemotions_labels(data: Path = DEFAULT_GOEMOTIONS) -> list[str]:
    return (data / "labels.txt").read_text(encoding="utf-8").split()


def goemotions(split: str, data: Path = DEFAULT_GOEMOTIONS) -> list[Example]:
    """One GoEmotions split ("train", "dev" or "test"), each comment mapped to seven classes."""
    names = goemotions_labels(data)
    examples = []
    for line in (data / f"{split}.tsv").read_text(encoding="utf-8").splitlines():
        text, ids, _comment_id = line.split("\t")
        labels = tuple(names[int(i)] for i in ids.split(","))
        examples.append(Example(text, seven_class(labels), labels))
    return examples


def support(split: str) -> list[Example]:
    """The support-domain messages written for Heard ("train" or "test")."""
    path = resources.files("heard.engine").joinpath(f"data/support/{split}.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [Example(r["text"], Emotion(r["emotion"]), (), r["urgent"], r["churn"]) for r in rows]
