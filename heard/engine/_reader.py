"""read() and read_many(): the model, the cue rules and the text utilities put together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from heard.engine._config import EngineConfig
from heard.engine._context import in_context, previous_customer_text, unanswered
from heard.engine._language import english_score
from heard.engine._model import model
from heard.engine._rules import rulebook
from heard.engine._sentences import sentence_spans
from heard.engine._text import history_spans, mask
from heard.engine._types import NEGATIVE, Cue, Emotion, Reading, Span, Turn

_EMOTIONS = tuple(Emotion)
_NEGATIVE_COLUMNS = [i for i, emotion in enumerate(_EMOTIONS) if emotion in NEGATIVE]
_NOT_ENGLISH = "does not look like English: emotion not read"
_NOTHING_NEW = "no new text to read"


@dataclass(frozen=True)
class _Message:
    text: str
    current: str  # `text` with the ignored parts blanked out, same offsets
    ignored: tuple[Span, ...]
    sentences: list[tuple[int, int]]
    note: str  # why the emotion is not read, or ""
    overflows: bool  # the new text is longer than the model reads at once


def read(
    text: str, config: EngineConfig | None = None, *, history: Sequence[Turn] = ()
) -> Reading:
    """How one customer message reads, in its conversation when `history` (the earlier messages
    of the ticket, oldest first) is given."""
    return read_many([text], config, histories=[history])[0]


def read_many(
    texts: Sequence[str],
    config: EngineConfig | None = None,
    *,
    histories: Sequence[Sequence[Turn]] | None = None,
) -> list[Reading]:
    """How each message reads, in order: every piece of every message goes to the model in one
    call, which batches them (a message reads the same alone or among others). With
    `histories` (one per text), each is read in its conversation (`_context`): the previous
    customer message of each history is read in the same call."""
    if histories is None:
        return _read_alone(texts, config)
    if len(histories) != len(texts):
        raise ValueError("read_many() needs one history per text")
    earlier = [previous_customer_text(history) for history in histories]
    extra = [text for text in earlier if text is not None]
    readings = _read_alone([*texts, *extra], config)
    previous = iter(readings[len(texts) :])
    return [
        in_context(
            reading,
            next(previous).scores if text is not None else None,
            unanswered(history),
            config,
        )
        for reading, text, history in zip(readings, earlier, histories, strict=False)
    ]


def _read_alone(texts: Sequence[str], config: EngineConfig | None) -> list[Reading]:
    config = config or EngineConfig()
    messages = [_prepare(text, config) for text in texts]
    pieces = [[] if m.note else _pieces(m, config) for m in messages]
    inputs = [m.current[s:e] for m, spans in zip(messages, pieces, strict=True) for s, e in spans]
    probabilities = model(config.threads).emotions(inputs) if inputs else None
    readings, at = [], 0
    for message, spans in zip(messages, pieces, strict=True):
        own = probabilities[at : at + len(spans)] if spans and probabilities is not None else None
        readings.append(_reading(message, spans, own, config))
        at += len(spans)
    return readings


def _prepare(text: str, config: EngineConfig) -> _Message:
    if not isinstance(text, str):
        raise TypeError(f"read() takes a str, not {type(text).__name__}")
    text = text[: config.max_chars]
    ignored = tuple(history_spans(text)) if config.strip_history else ()
    current = mask(text, list(ignored))
    sentences = sentence_spans(current)
    note = ""
    if not sentences:
        note = _NOTHING_NEW
    elif english_score(current) < config.min_english:
        note = _NOT_ENGLISH
    overflows = not note and model(config.threads).overflows(
        current[sentences[0][0] : sentences[-1][1]]
    )
    return _Message(text, current, ignored, sentences, note, overflows)


def _pieces(message: _Message, config: EngineConfig) -> list[tuple[int, int]]:
    """The spans the model reads: the whole new text and, in a long message (`sentences_from`
    sentences, or more than the model reads at once), each sentence too."""
    whole = (message.sentences[0][0], message.sentences[-1][1])
    if len(message.sentences) < config.sentences_from and not message.overflows:
        return [whole]
    return [whole, *message.sentences[: config.max_sentences]]


def _reading(
    message: _Message,
    pieces: list[tuple[int, int]],
    probabilities: np.ndarray | None,
    config: EngineConfig,
) -> Reading:
    rules = rulebook()
    cues = rules.cues(message.current)
    if probabilities is None:
        scores = dict.fromkeys(_EMOTIONS, 1.0 / len(_EMOTIONS))
        evidence = dict.fromkeys(_EMOTIONS, 0.0)
        emotion, emotion_cues = Emotion.NEUTRAL, []
    else:
        weights = 1.0 + config.negative_weight * probabilities[:, _NEGATIVE_COLUMNS].sum(axis=1)
        # The whole text's reading stands, unless the model could not read all of it.
        combined = probabilities[0]
        if message.overflows:
            combined = weights @ probabilities / weights.sum()
        scores = evidence = {e: float(p) for e, p in zip(_EMOTIONS, combined, strict=True)}
        emotion = _EMOTIONS[_decide(combined, probabilities[1:], config)]
        emotion_cues = _emotion_cue(message, pieces, probabilities * weights[:, None], emotion)
    urgency = rules.score("urgency", cues, evidence)
    return Reading(
        emotion=emotion,
        scores=scores,
        confidence=scores[emotion],
        urgent=urgency >= config.urgent_threshold,
        urgency=urgency,
        churn_risk=rules.score("churn", cues, evidence),
        cues=tuple(sorted(cues + emotion_cues, key=lambda cue: (cue.start, cue.end))),
        ignored=message.ignored,
        language_supported=message.note != _NOT_ENGLISH,
        note=message.note,
    )


def _decide(combined: np.ndarray, sentences: np.ndarray, config: EngineConfig) -> int:
    """The most probable emotion; but when one sentence is clearly negative, the most probable
    negative one, so that a complaint wrapped in pleasantries is not read as happy."""
    negative = sentences[:, _NEGATIVE_COLUMNS].sum(axis=1)
    if len(sentences) and negative.max() >= config.clear_negative:
        return _NEGATIVE_COLUMNS[int(combined[_NEGATIVE_COLUMNS].argmax())]
    return int(combined.argmax())


def _emotion_cue(
    message: _Message, pieces: list[tuple[int, int]], weighted: np.ndarray, emotion: Emotion
) -> list[Cue]:
    """The sentence that counts most towards the emotion read (the whole new text when the
    message was read whole), unless the emotion is neutral."""
    if emotion is Emotion.NEUTRAL:
        return []
    column = weighted[:, _EMOTIONS.index(emotion)]
    row = int(column[1:].argmax()) + 1 if len(pieces) > 1 else 0
    start, end = pieces[row]
    share = float(column[row] / column.sum())
    return [Cue(start, end, f"reads as {emotion}", "emotion", message.text[start:end], share)]
