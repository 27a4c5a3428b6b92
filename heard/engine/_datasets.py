"""The data the model is trained and measured on: GoEmotions mapped to Heard's seven emotions,
the support-domain messages written for Heard (`data/support/`), and the plain requests of the
Schema-Guided Dialogue corpus.

Used by `scripts/train_engine.py` and `bench/engine_bench.py`, never at run time. GoEmotions and
SGD are read from `<repo>/../shared/data/` unless a directory is given; they are never copied into
the repository. The mapping and the support messages follow `heard/engine/GUIDE.md`.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from heard.engine._types import Emotion, Turn

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
DEFAULT_GOEMOTIONS = SHARED / "goemotions"
DEFAULT_SGD = SHARED / "sgd"

# GoEmotions label -> Heard emotion, revised against GUIDE.md (MODEL_CARD.md gives the reasons):
# a request, a question, a wish or an agreement is neutral in a support queue, so desire,
# curiosity, approval and optimism are neutral, not happiness or confusion.
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
    "admiration": Emotion.HAPPINESS,
    "amusement": Emotion.HAPPINESS,
    "caring": Emotion.HAPPINESS,
    "excitement": Emotion.HAPPINESS,
    "gratitude": Emotion.HAPPINESS,
    "joy": Emotion.HAPPINESS,
    "love": Emotion.HAPPINESS,
    "pride": Emotion.HAPPINESS,
    "relief": Emotion.HAPPINESS,
    "approval": Emotion.NEUTRAL,
    "curiosity": Emotion.NEUTRAL,
    "desire": Emotion.NEUTRAL,
    "optimism": Emotion.NEUTRAL,
    "neutral": Emotion.NEUTRAL,
    "realization": Emotion.NEUTRAL,
    "surprise": Emotion.NEUTRAL,
}
# A comment with labels that map to several emotions takes the first of them in this order, the
# guide's order for mixed feelings: what the agent must answer first wins.
PRIORITY = (
    Emotion.ANGER,
    Emotion.ANXIETY,
    Emotion.FRUSTRATION,
    Emotion.DISAPPOINTMENT,
    Emotion.CONFUSION,
    Emotion.HAPPINESS,
    Emotion.NEUTRAL,
)
# Support situations per industry that go to each split, by the order of their hash: whole
# situations, so that no situation's wording is both trained and measured on.
SPLIT_SHARES = (("test", 0.25), ("dev", 0.15))
# SGD dialogue acts that carry thanks or goodbyes: left out, since the guide reads warm thanks as
# happiness and SGD's closing turns are often just that.
SGD_CLOSING = ("THANK_YOU", "GOODBYE")


@dataclass(frozen=True)
class Example:
    text: str
    emotion: Emotion
    labels: tuple[str, ...] = ()  # GoEmotions labels; empty for the others
    urgent: bool | None = None  # support messages only
    churn: bool | None = None  # support messages only
    escalation: bool | None = None  # support messages only
    situation: str = ""  # support messages: the problem it is about; SGD: the dialogue
    industry: str = ""
    history: tuple[Turn, ...] = ()  # the conversation before it, oldest first


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
    """The support-domain messages written for Heard to GUIDE.md: "train", "dev" or "test".

    Each industry's situations are ordered by a hash of their name and dealt out whole: the first
    quarter to test, the next sixth or so to dev, the rest to train (`SPLIT_SHARES`)."""
    examples = _support_messages()
    by_industry: defaultdict[str, set[str]] = defaultdict(set)
    for example in examples:
        by_industry[example.industry].add(example.situation)
    chosen: set[str] = set()
    for situations in by_industry.values():
        ordered = sorted(situations, key=_digest)
        bounds, at = {}, 0
        for name, share in SPLIT_SHARES:
            size = max(1, round(share * len(ordered)))
            bounds[name] = ordered[at : at + size]
            at += size
        bounds["train"] = ordered[at:]
        chosen |= set(bounds[split])
    return [e for e in examples if e.situation in chosen]


def _support_messages() -> list[Example]:
    folder = resources.files("heard.engine").joinpath("data/support/messages")
    examples = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".jsonl"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                examples.append(_support_example(json.loads(line)))
    return examples


def _support_example(row: dict[str, object]) -> Example:
    turns: list[dict[str, str]] = row.get("history") or []  # type: ignore[assignment]
    history = tuple(Turn(t["from"], t["text"]) for t in turns)
    return Example(
        text=str(row["text"]),
        emotion=Emotion(str(row["emotion"])),
        urgent=bool(row["urgent"]),
        churn=bool(row["churn"]),
        escalation=bool(row.get("escalation", False)),
        situation=str(row["situation"]),
        industry=str(row["industry"]),
        history=history,
    )


def sgd(split: str, data: Path = DEFAULT_SGD) -> list[Example]:
    """Plain requests from the Schema-Guided Dialogue corpus, all neutral: "train" (fifteen in
    sixteen dialogues) or "check" (one in sixteen, never trained on). Turns whose acts thank or
    say goodbye are left out (`SGD_CLOSING`)."""
    examples, seen = [], set()
    lines = (data / "user_turns.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        dialogue, _turn, _service, acts, text = line.split("\t", 4)
        if any(act in acts for act in SGD_CLOSING) or text in seen:
            continue
        if (_digest(dialogue)[0] in "0") != (split == "check"):
            continue
        seen.add(text)
        examples.append(Example(text, Emotion.NEUTRAL, situation=dialogue))
    return examples


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()
