"""The role-play's customer who reacts: a small state machine over the engine's public API.

The customer of a case has a state, an emotion and an intensity (0..10). Each agent message is
coached (`heard.engine.coach`, with the customer's latest words, their name and the feeling they
are in) and turned into signals:

- from the coach's findings: blame, dismissive, shouting, policy wall, sending them to read
  (rtfm), a curt closing, template wording (robotic);
- found here: the feeling acknowledged (no `no_acknowledgement` finding while the customer is
  upset), a concrete next step (no `no_next_step` finding), the problem owned in the first
  person, an honest time, a question of the customer's left unanswered, an earlier reply
  repeated, and a message that neither helps nor hurts (no progress).

Their weights, the bands of intensity, the turn limit and how a role-play ends live in ONE table,
`data/transitions.toml`, whose header explains the arithmetic. The customer's next message is
the case's line for the band they are now in (written for each case and band, filled with its
facts), after a word on what stung them most. The engine reads each of their messages, so the
transcript shows the reading beside the simulated state.

Everything is deterministic for a given case, seed and replies: the seed only picks among the
lines written for a band (`random.Random` seeded with a string, stable across runs and
machines), so a role-play can be replayed, tested and benchmarked. No Django here.
"""

from __future__ import annotations

import difflib
import random
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from heard.engine import Coaching, Reading, Turn, coach, read
from heard.training.cases import CaseSpec

RESOLVED = "resolved"
LOST = "lost"
CALM_EMOTIONS = ("neutral", "happiness")  # feelings that need no acknowledgement


@dataclass(frozen=True)
class Move:
    """One row of the table: a signal, its weight and what the customer says to it."""

    code: str
    source: str
    weight: int
    says: tuple[str, ...]
    advice: str


@dataclass(frozen=True)
class Table:
    """data/transitions.toml, checked and typed."""

    max: int
    turn_limit: int
    resolved_at: int
    max_calm_per_turn: int
    calm_when_hurt: float
    bands: tuple[tuple[str, int], ...]  # (band, floor), highest first
    moves: Mapping[str, Move]
    patterns: Mapping[str, tuple[re.Pattern[str], ...]]
    shared_words: int
    common: frozenset[str]
    sentence_words: int
    similarity: float

    def band(self, intensity: int) -> str:
        return next(name for name, floor in self.bands if intensity >= floor)

    def hot(self) -> int:
        return dict(self.bands)["hot"]


@cache
def table() -> Table:
    """The transitions table, loaded once."""
    text = resources.files("heard.training").joinpath("data", "transitions.toml").read_text()
    raw: dict[str, Any] = tomllib.loads(text)
    moves = {
        code: Move(code, row["source"], int(row["weight"]), tuple(row.get("says", ())),
                   row["advice"])
        for code, row in raw["signals"].items()
    }
    patterns = {
        name: tuple(re.compile(p, re.IGNORECASE) for p in found)
        for name, found in raw["patterns"].items()
    }
    bands = tuple(sorted(raw["bands"].items(), key=lambda item: -item[1]))
    return Table(
        max=int(raw["max"]),
        turn_limit=int(raw["turn_limit"]),
        resolved_at=int(raw["resolved_at"]),
        max_calm_per_turn=int(raw["max_calm_per_turn"]),
        calm_when_hurt=float(raw["calm_when_hurt"]),
        bands=bands,
        moves=moves,
        patterns=patterns,
        shared_words=int(raw["questions"]["shared_words"]),
        common=frozenset(raw["questions"]["common"]),
        sentence_words=int(raw["repeats"]["sentence_words"]),
        similarity=float(raw["repeats"]["similarity"]),
    )


@dataclass(frozen=True)
class Mood:
    """The simulated customer's state: how they feel and how strongly (0..10), and its band."""

    emotion: str
    intensity: int
    band: str


@dataclass(frozen=True)
class Signal:
    """What one agent message did to the customer, with its weight and the words behind it."""

    code: str
    weight: int
    words: str = ""


@dataclass(frozen=True)
class Felt:
    """The customer's feeling as the coach needs it (anything with an `.emotion`)."""

    emotion: str


@dataclass(frozen=True)
class Exchange:
    """One turn: the agent's message, how it was coached and what it did, and the answer."""

    reply: str
    coaching: Coaching
    signals: tuple[Signal, ...]
    delta: int
    mood: Mood  # after the message
    answer: str  # the customer's next message
    reading: Reading  # the engine's reading of that answer
    outcome: str  # "", RESOLVED or LOST
    offered: bool  # the resolution was offered by now


@dataclass(frozen=True)
class Advice:
    """The one change that would have helped most, and where."""

    turn: int  # 1-based agent message
    code: str
    weight: int  # how far it moved (or would have moved) the intensity
    words: str
    text: str


@dataclass(frozen=True)
class Conversation:
    """A role-play so far: deterministic in (case, seed, replies)."""

    case: CaseSpec
    seed: int
    start: Mood
    exchanges: tuple[Exchange, ...] = ()

    @property
    def mood(self) -> Mood:
        return self.exchanges[-1].mood if self.exchanges else self.start

    @property
    def outcome(self) -> str:
        return self.exchanges[-1].outcome if self.exchanges else ""

    @property
    def finished(self) -> bool:
        return bool(self.outcome)

    def customer_turns(self) -> list[str]:
        return [self.case.opening_text(), *(e.answer for e in self.exchanges)]

    def last_customer_text(self) -> str:
        return self.exchanges[-1].answer if self.exchanges else self.case.opening_text()

    def history(self) -> list[Turn]:
        """The conversation before the customer's latest message, oldest first."""
        if not self.exchanges:
            return []
        turns = [Turn("customer", self.case.opening_text())]
        for exchange in self.exchanges[:-1]:
            turns += [Turn("agent", exchange.reply), Turn("customer", exchange.answer)]
        return [*turns, Turn("agent", self.exchanges[-1].reply)]

    def curve(self) -> list[int]:
        """The intensity at the start and after each agent message: the mood curve."""
        return [self.start.intensity, *(e.mood.intensity for e in self.exchanges)]

    def helped_most(self) -> Advice | None:
        return helped_most(self)


def begin(case: CaseSpec, seed: int = 0) -> Conversation:
    intensity = max(0, min(case.intensity, table().max))
    return Conversation(case, seed, _mood(case, intensity, ""))


def play(case: CaseSpec, seed: int, replies: Sequence[str]) -> Conversation:
    """The role-play after these agent messages (each one answered in turn)."""
    conversation = begin(case, seed)
    for reply in replies:
        conversation = step(conversation, reply)
    return conversation


def step(conversation: Conversation, reply: str) -> Conversation:
    """The conversation after one more agent message: coached, weighed, answered and read."""
    if conversation.finished:
        raise ValueError("this role-play has ended")
    rules, case = table(), conversation.case
    before = conversation.mood
    customer_text = conversation.last_customer_text()
    coaching = coach(
        reply,
        customer_message=customer_text,
        customer_name=case.name,
        reading=Felt(before.emotion),
        history=conversation.history(),
    )
    earlier = [e.reply for e in conversation.exchanges]
    signals = find_signals(reply, coaching, customer_text, earlier, before.emotion)
    delta = weigh(signals)
    intensity = max(0, min(before.intensity + delta, rules.max))
    offered = any(e.offered for e in conversation.exchanges) or case.offered_in(reply)
    turn = len(conversation.exchanges) + 1
    outcome = _outcome(intensity, offered, turn)
    mood = _mood(case, intensity, outcome)
    answer = _answer(conversation, signals, mood, outcome, turn)
    exchange = Exchange(
        reply, coaching, tuple(signals), delta, mood, answer, read(answer), outcome, offered
    )
    return Conversation(case, conversation.seed, conversation.start,
                        (*conversation.exchanges, exchange))


def find_signals(
    reply: str, coaching: Coaching, customer_text: str, earlier: Sequence[str], emotion: str
) -> list[Signal]:
    """What the message does to the customer, in the table's order."""
    rules = table()
    found: list[Signal] = []
    repeated = _repeated(reply, earlier)
    question = _unanswered_question(reply, customer_text)
    hits = {
        "acknowledged": emotion not in CALM_EMOTIONS and "no_acknowledgement" not in coaching.codes,
        "next_step": "no_next_step" not in coaching.codes,
        "owned": _matches("owned", reply),
        "honest_time": _matches("honest_time", reply),
    }
    for code, move in rules.moves.items():
        if move.source == "finding" and code in coaching.codes:
            words = next((f.text or "" for f in coaching.findings if f.code == code), "")
            found.append(Signal(code, move.weight, words))
        elif code == "repeated_template" and repeated:
            found.append(Signal(code, move.weight, repeated))
        elif code == "ignored_question" and question:
            found.append(Signal(code, move.weight, question))
        elif hits.get(code):
            found.append(Signal(code, move.weight, _words(code, reply)))
    if not any(signal.weight for signal in found) and "no_progress" in rules.moves:
        found.append(Signal("no_progress", rules.moves["no_progress"].weight))
    return found


def weigh(signals: Sequence[Signal]) -> int:
    """How far the signals move the intensity (the arithmetic of the table's header)."""
    rules = table()
    heat = sum(s.weight for s in signals if s.weight > 0)
    calm = max(sum(s.weight for s in signals if s.weight < 0), -rules.max_calm_per_turn)
    if any(s.code == "repeated_template" for s in signals):
        calm = 0
    elif heat > 0:
        calm = int(calm * rules.calm_when_hurt)
    return heat + calm


def helped_most(conversation: Conversation) -> Advice | None:
    """The one change that would have helped most: the heaviest heating signal sent (the
    earliest of equals), or else the calming signal missing from most messages."""
    rules = table()
    sent = [
        (signal.weight, -turn, turn, signal)
        for turn, exchange in enumerate(conversation.exchanges, 1)
        for signal in exchange.signals
        if signal.weight > 0
    ]
    if sent:
        _, _, turn, signal = max(sent, key=lambda row: row[:2])
        return Advice(turn, signal.code, signal.weight, signal.words,
                      rules.moves[signal.code].advice)
    calming = [code for code, move in rules.moves.items() if move.weight < 0]
    missing: list[tuple[int, int, str]] = []
    for code in calming:
        turns = [
            turn for turn, exchange in enumerate(conversation.exchanges, 1)
            if code not in {s.code for s in exchange.signals}
        ]
        if turns:
            missing.append((len(turns) * -rules.moves[code].weight, -turns[0], code))
    if not missing:
        return None
    _, first, code = max(missing)
    return Advice(-first, code, rules.moves[code].weight, "", rules.moves[code].advice)


# --- the customer's side -----------------------------------------------------------------------


def _mood(case: CaseSpec, intensity: int, outcome: str) -> Mood:
    rules = table()
    if outcome == RESOLVED:
        return Mood("happiness", intensity, RESOLVED)
    emotion = "anger" if intensity >= rules.hot() else case.feeling
    return Mood(emotion, intensity, LOST if outcome == LOST else rules.band(intensity))


def _outcome(intensity: int, offered: bool, turn: int) -> str:
    rules = table()
    if intensity >= rules.max:
        return LOST
    if intensity <= rules.resolved_at and offered:
        return RESOLVED
    return LOST if turn >= rules.turn_limit else ""


def _answer(
    conversation: Conversation, signals: Sequence[Signal], mood: Mood, outcome: str, turn: int
) -> str:
    """The customer's next message: a word on what stung most, then their line for the band."""
    case, rules = conversation.case, table()
    rng = random.Random(f"{case.slug}|{conversation.seed}|{turn}")
    line = rng.choice(case.lines[mood.band])
    stings = [s for s in signals if s.weight > 0 and rules.moves[s.code].says]
    if stings and outcome != RESOLVED:
        worst = max(stings, key=lambda s: s.weight)  # the first of equals: the table's order
        said = rng.choice(rules.moves[worst.code].says)
        line = f"{said} {line}"
    question = next((s.words for s in signals if s.code == "ignored_question"), "")
    return case.fill(line, question=question)


# --- finding the studio's own signals ------------------------------------------------------------

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")


def _matches(name: str, text: str) -> bool:
    return any(p.search(text) for p in table().patterns[name])


def _words(name: str, text: str) -> str:
    for pattern in table().patterns.get(name, ()):
        if found := pattern.search(text):
            return found.group(0)
    return ""


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _folded_words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _repeated(reply: str, earlier: Sequence[str]) -> str:
    """The sentence (or, for a near-identical message, the message) repeated, else ""."""
    rules = table()
    said = {
        " ".join(_folded_words(sentence))
        for message in earlier
        for sentence in _sentences(message)
    }
    for sentence in _sentences(reply):
        words = _folded_words(sentence)
        if len(words) >= rules.sentence_words and " ".join(words) in said:
            return sentence
    folded = " ".join(_folded_words(reply))
    for message in earlier:
        ratio = difflib.SequenceMatcher(None, folded, " ".join(_folded_words(message))).ratio()
        if ratio >= rules.similarity:
            return reply.strip()
    return ""


def _unanswered_question(reply: str, customer_text: str) -> str:
    """The customer's first question the reply leaves unanswered, else ""."""
    rules = table()
    reply_words = set(_folded_words(reply))
    reply_stems = {word[:5] for word in reply_words if len(word) >= 4}
    for question in (s for s in _sentences(customer_text) if s.endswith("?")):
        content = {
            w for w in _folded_words(question) if len(w) >= 4 and w not in rules.common
        }
        shared = {w for w in content if w in reply_words or w[:5] in reply_stems}
        about_time = any(p.search(question) for p in rules.patterns["when_question"])
        if about_time and _matches("honest_time", reply):
            continue
        if len(shared) >= min(rules.shared_words, len(content)) and (content or not about_time):
            continue
        return question
    return ""
