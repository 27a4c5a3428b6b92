"""What the coach needs to know about the customer: their emotion, name and what they asked."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from heard.engine.coaching._data import load, phrases, words
from heard.engine.coaching._text import CAPS, STACKED, fold, shouted_runs
from heard.engine.coaching._types import EMOTIONS, CoachConfig, HasEmotion

_NAME_TOKEN = re.compile(r"[^\W\d_][\w'\u2019.-]*")


@dataclass(frozen=True, slots=True)
class Context:
    """The customer side of one coaching: emotion, name, and which elements a reply needs."""

    emotion: str
    message: str | None
    names: tuple[str, ...]  # folded name parts to look for in the draft
    greeting_name: str | None  # how to address them
    ack_kinds: frozenset[str]  # acknowledgement kinds that satisfy them; empty: none needed
    needs_next_step: bool
    earlier_replies: tuple[str, ...] = ()  # what the agent side already sent them


def build_context(
    message: str | None,
    name: str | None,
    reading: HasEmotion | None,
    config: CoachConfig,
    waiting: int = 0,
    earlier_replies: tuple[str, ...] = (),
) -> Context:
    """`waiting`: how many customer messages before this one went unanswered; a customer who
    had to chase is at least frustrated, whatever the words of this one."""
    emotion = _emotion(message, reading, config)
    if waiting and emotion in ("neutral", "happiness", "confusion"):
        emotion = "frustration"
    problem = bool(message) and reports_problem(message or "")
    kinds = load("mood.toml")["acknowledge"]
    if emotion != "neutral":
        ack = frozenset(kinds[emotion])
    else:
        ack = frozenset(kinds["neutral_problem"]) if problem else frozenset()
    needs_next = not (emotion == "happiness" and message and "?" not in message and not problem)
    names, greeting = _name_parts(name)
    return Context(emotion, message, names, greeting, ack, needs_next, earlier_replies)


def _emotion(message: str | None, reading: HasEmotion | None, config: CoachConfig) -> str:
    if reading is None and message and config.reader is not None:
        reading = config.reader(message)
    if reading is not None:
        value = str(getattr(reading.emotion, "value", reading.emotion)).lower()
        return value if value in EMOTIONS else "neutral"
    return lexical_emotion(message) if message else "neutral"


def lexical_emotion(text: str) -> str:
    """A light read from cue phrases plus capitals and stacked "!!" (anger)."""
    mood = load("mood.toml")
    scores: defaultdict[str, float] = defaultdict(float)
    last_end = -1
    for match, entry in phrases("mood.toml").finditer(text):
        if match.start() >= last_end:
            scores[entry.rule["emotion"]] += entry.rule["weight"]
            last_end = match.end()
    loud = sum(len(CAPS.findall(text[s:e])) for s, e in shouted_runs(text))
    scores["anger"] += mood["caps_weight"] * loud
    stacked = sum("!" in m.group() for m in STACKED.finditer(text))
    scores["anger"] += mood["stacked_weight"] * stacked
    ranked = sorted(mood["priority"], key=lambda e: -scores[e])  # stable: ties keep priority
    best = ranked[0]
    return best if scores[best] >= mood["threshold"] else "neutral"


def reports_problem(text: str) -> bool:
    return next(phrases("mood.toml", "problems").finditer(text), None) is not None


def _name_parts(name: str | None) -> tuple[tuple[str, ...], str | None]:
    """Folded parts to look for, and the greeting form: "Maria Lopez" -> Maria, "Mr Okafor"."""
    tokens = _NAME_TOKEN.findall(name or "")
    titles = words("titles")
    has_title = any(t.rstrip(".").lower() in titles for t in tokens)
    parts = [t for t in tokens if t.rstrip(".").lower() not in titles and len(t.rstrip(".")) > 1]
    if not parts:
        return (), None
    initial_first = len(tokens[0].rstrip(".")) == 1
    whole = (has_title and len(parts) == 1) or initial_first
    greeting = " ".join(tokens) if whole else parts[0]
    return tuple(fold(p.rstrip(".")) for p in parts), greeting
