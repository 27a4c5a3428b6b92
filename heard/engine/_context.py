"""A message read in its conversation: what came before shifts how it reads.

A customer who writes again before anyone answered is not calming down, and "like I just said"
reads differently after a question they had already answered. `in_context` takes a reading of
the new words alone and moves it by two things from the conversation:

- how the customer's previous message read (its log-probabilities, weighted: more when nobody
  has answered since, less after an agent's reply), and
- whether they are writing again unanswered: per-emotion offsets, and a `repeat_contact` cue
  ("wrote again before any answer") that counts towards urgency like "third time writing".

The weights and offsets are fitted by `scripts/train_engine.py` on the support messages written
with a history (train and dev splits), by log loss, and stored under "context" in
`data/model.json`. The desk uses the same function with the readings it stored, so a message
reads the same from `heard analyze` with a history and in a ticket.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace

from heard.engine._config import EngineConfig
from heard.engine._model import metadata
from heard.engine._rules import rulebook
from heard.engine._types import NEGATIVE, Cue, Emotion, Reading, Turn

_EMOTIONS = tuple(Emotion)
_FLOOR = 1e-6  # probabilities are floored before taking logs
# How strongly writing again unanswered signals its kind (repeat_contact), by how many customer
# messages in a row are waiting: the first chase, then the second and later ones.
UNANSWERED_WEIGHTS = (0.6, 0.9)


def unanswered(history: Sequence[Turn]) -> int:
    """How many customer messages came since the last agent reply (the new one not counted)."""
    count = 0
    for turn in reversed(history):
        if turn.author == "agent":
            break
        count += 1
    return count


def previous_customer_text(history: Sequence[Turn]) -> str | None:
    return next((t.text for t in reversed(history) if t.author == "customer"), None)


def in_context(
    reading: Reading,
    previous: Mapping[Emotion, float] | None,
    waiting: int,
    config: EngineConfig | None = None,
) -> Reading:
    """`reading` moved by the previous customer message's scores (`previous`, None when there
    was none or it was not read) and by `waiting`, the customer messages already unanswered."""
    if not reading.language_supported or (previous is None and not waiting):
        return reading
    scores = _scores(reading.scores, previous, waiting)
    emotion = _emotion(reading, scores)
    rules = rulebook()
    added = []
    if waiting:
        weight = UNANSWERED_WEIGHTS[min(waiting, len(UNANSWERED_WEIGHTS)) - 1]
        added.append(Cue(0, 0, "wrote again before any answer", "repeat_contact", "", weight))
    evidence = [c for c in reading.cues if c.kind in rules.kinds] + added
    urgency = rules.score("urgency", evidence, scores)
    return replace(
        reading,
        emotion=emotion,
        scores=scores,
        confidence=scores[emotion],
        urgency=urgency,
        urgent=urgency >= (config or EngineConfig()).urgent_threshold,
        churn_risk=rules.score("churn", evidence, scores),
        cues=tuple(sorted(reading.cues + tuple(added), key=lambda c: (c.start, c.end))),
    )


def _scores(
    scores: Mapping[Emotion, float], previous: Mapping[Emotion, float] | None, waiting: int
) -> dict[Emotion, float]:
    context = metadata()["context"]
    logits = [math.log(max(scores[e], _FLOOR)) for e in _EMOTIONS]
    if previous is not None:
        weight = context["previous_weight_unanswered" if waiting else "previous_weight_answered"]
        logits = [
            x + weight * math.log(max(previous.get(e, 0.0), _FLOOR))
            for x, e in zip(logits, _EMOTIONS, strict=True)
        ]
    if waiting:
        logits = [x + o for x, o in zip(logits, context["unanswered_offsets"], strict=True)]
    top = max(logits)
    weights = [math.exp(x - top) for x in logits]
    return {e: w / sum(weights) for e, w in zip(_EMOTIONS, weights, strict=True)}


def _emotion(reading: Reading, scores: Mapping[Emotion, float]) -> Emotion:
    """The most probable emotion; but where the reading chose a negative emotion over a more
    probable other one (one clearly negative sentence in a long message), still a negative one."""
    overridden = reading.emotion in NEGATIVE and reading.emotion != max(
        reading.scores, key=reading.scores.__getitem__
    )
    candidates = [e for e in _EMOTIONS if e in NEGATIVE] if overridden else list(_EMOTIONS)
    return max(candidates, key=scores.__getitem__)
