"""Urgency and churn cues as data: the patterns and weights live in `data/cues.toml`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from heard.engine._types import NEGATIVE, Cue, Emotion

_LOOK_BACK = 60  # characters before a match that its `not_after` pattern looks at
_PHRASE = re.compile(r"\{([a-z_]+)\}")  # {name} in a pattern: the phrase of that name


@dataclass(frozen=True)
class _Rule:
    kind: str
    label: str
    weight: float
    pattern: re.Pattern[str]
    not_after: re.Pattern[str] | None  # the words just before a match that cancel it

    def vetoed(self, text: str, match: re.Match[str]) -> bool:
        """Whether the words just before `match` cancel it ("I don't want to speak to …")."""
        if self.not_after is None:
            return False
        return bool(self.not_after.search(text, max(0, match.start() - _LOOK_BACK), match.start()))


@dataclass(frozen=True)
class _Kind:
    urgency: float
    churn: float
    negative_only: frozenset[
        str
    ]  # targets it counts for only as much as the message reads negative


@dataclass(frozen=True)
class Rulebook:
    rules: tuple[_Rule, ...]
    kinds: dict[str, _Kind]
    emotion: dict[str, dict[Emotion, float]]  # "urgency" / "churn" -> factor per emotion

    def cues(self, text: str) -> list[Cue]:
        """Every rule match in `text`, in order, without a match inside another of its kind."""
        found = [
            _cue(rule, match)
            for rule in self.rules
            for match in rule.pattern.finditer(text)
            if match.group().strip() and not rule.vetoed(text, match)
        ]
        return sorted(_outermost(found), key=lambda cue: (cue.start, cue.end))

    def score(self, target: str, cues: list[Cue], scores: dict[Emotion, float]) -> float:
        """Urgency or churn risk ("urgency" / "churn") from the cues and the emotion scores."""
        negative = sum(p for emotion, p in scores.items() if emotion in NEGATIVE)
        keep, damp = 1.0, 1.0
        for kind, weight in _strongest(cues).items():
            rule = self.kinds[kind]
            factor = getattr(rule, target) * (negative if target in rule.negative_only else 1.0)
            if factor >= 0:
                keep *= 1.0 - factor * weight
            else:
                damp *= 1.0 + factor * weight
        for emotion, factor in self.emotion[target].items():
            keep *= 1.0 - factor * scores[emotion]
        return (1.0 - keep) * damp


@cache
def rulebook() -> Rulebook:
    """The rules in `data/cues.toml`, loaded once."""
    raw = tomllib.loads(resources.files("heard.engine").joinpath("data/cues.toml").read_text())
    kinds = {
        name: _Kind(
            k.get("urgency", 0.0), k.get("churn", 0.0), frozenset(k.get("negative_only", ()))
        )
        for name, k in raw["kinds"].items()
    }
    phrases: dict[str, str] = {}
    for name, phrase in raw.get("phrases", {}).items():  # each may use the ones above it
        phrases[name] = _expand(phrase, phrases)
    rules = tuple(_rule(entry, kinds, phrases) for entry in raw["cue"])
    emotion = {
        target: {Emotion(name): factor for name, factor in table.items()}
        for target, table in raw["emotion"].items()
    }
    return Rulebook(rules, kinds, emotion)


def _expand(pattern: str, phrases: dict[str, str]) -> str:
    """`pattern` with each {name} replaced by the phrase of that name, as a group."""

    def phrase(match: re.Match[str]) -> str:
        if match[1] not in phrases:
            raise ValueError(f"cues.toml: {match[0]} is not a phrase defined above its use")
        return f"(?:{phrases[match[1]]})"

    return _PHRASE.sub(phrase, pattern)


def _rule(entry: dict[str, object], kinds: dict[str, _Kind], phrases: dict[str, str]) -> _Rule:
    if entry["kind"] not in kinds:
        raise ValueError(f"cues.toml: cue {entry['label']!r} has unknown kind {entry['kind']!r}")
    flags = 0 if entry.get("case_sensitive") else re.IGNORECASE
    not_after = entry.get("not_after")
    return _Rule(
        str(entry["kind"]),
        str(entry["label"]),
        float(entry["weight"]),  # type: ignore[arg-type]
        re.compile(_expand(str(entry["pattern"]), phrases), flags),
        re.compile(_expand(str(not_after), phrases), flags) if not_after else None,
    )


def _cue(rule: _Rule, match: re.Match[str]) -> Cue:
    text = match.group()
    start = match.start() + len(text) - len(text.lstrip())
    end = match.end() - len(text) + len(text.rstrip())
    return Cue(start, end, rule.label, rule.kind, text.strip(), rule.weight)


def _outermost(cues: list[Cue]) -> list[Cue]:
    """Drop a cue that lies inside a stronger or longer cue of the same kind."""
    return [
        cue
        for cue in cues
        if not any(
            other is not cue
            and other.kind == cue.kind
            and other.start <= cue.start
            and cue.end <= other.end
            and (other.weight, other.end - other.start) > (cue.weight, cue.end - cue.start)
            for other in cues
        )
    ]


def _strongest(cues: list[Cue]) -> dict[str, float]:
    strongest: dict[str, float] = {}
    for cue in cues:
        strongest[cue.kind] = max(strongest.get(cue.kind, 0.0), cue.weight)
    return strongest
