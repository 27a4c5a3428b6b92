"""Cases: the customers agents practise on, as plain data (no Django).

A case is a persona: who they are, their situation and its facts, what they already tried,
what would resolve it, how they feel and how strongly, and the message they open with. It also
carries the customer's lines for each band of the role-play (see `simulation.py`), filled with
the case's facts, and an exemplary reply written for it. The shipped cases are TOML files under
`data/cases/`, one per case; `heard.training.actions.load_shipped_cases` keeps the `Case` rows
in step with them.

A case file:

    # the file's name without .toml is the case's slug: stable, never reused
    title = "The parts order that will not send"
    industry = "software"                     # one of INDUSTRIES
    name = "Davor Kos"                        # the persona
    situation = "..."                         # the situation and its facts, for the agent
    tried = "..."                             # what they already tried
    resolution = "..."                        # what would resolve it
    feeling = "anxiety"                       # the feeling to answer first (an engine emotion)
    feelings = ["anxiety", "frustration"]     # every feeling the message carries, `feeling` first
    feeling_why = "..."                       # one line: why they feel so
    intensity = 7                             # 1..10, how strongly
    offers = ["webmail", "send it for you"]   # words that offer the resolution in a reply
    practises = ["rtfm", "blame"]             # the coach's findings this case is good practice for
    opening = "..."                           # their first message
    exemplary = "..."                         # a reply written for the case
    [facts]                                   # filled into the texts as {key}; {name} is theirs
    order = "PO-5531"
    [lines]                                   # the customer's lines, two or more per band
    hot = ["...", "..."]
    upset = [...]; easing = [...]; calm = [...]; resolved = [...]; lost = [...]
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from heard.engine import Emotion

#: The bands a case writes lines for: the four of `simulation.py`'s intensity scale and the
#: two ends.
BANDS = ("hot", "upset", "easing", "calm", "resolved", "lost")
INDUSTRIES = (
    "automotive",
    "banking",
    "delivery",
    "education",
    "health",
    "insurance",
    "internet",
    "public services",
    "retail",
    "software",
    "telecom",
    "travel",
    "utilities",
)
#: The feelings a case may carry: the engine's emotions a customer brings (never "neutral").
FEELINGS = tuple(str(e) for e in Emotion if e not in (Emotion.NEUTRAL,))
_SLOT = re.compile(r"\{(\w+)\}")
WRAPPED = 60  # a line at least this long, followed by more text, was wrapped by the writer


class CaseError(ValueError):
    """A case file that cannot be used, with what is wrong in it."""


@dataclass(frozen=True)
class CaseSpec:
    """One case as the studio uses it: the persona and the customer's lines."""

    slug: str
    title: str
    industry: str
    name: str
    situation: str
    tried: str
    resolution: str
    feeling: str
    feelings: tuple[str, ...]
    feeling_why: str
    intensity: int
    offers: tuple[str, ...]
    opening: str
    exemplary: str
    facts: Mapping[str, str] = field(default_factory=dict)
    lines: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    practises: tuple[str, ...] = ()

    def fill(self, text: str, **extra: str) -> str:
        """`text` with {key} filled from the case's facts (and `extra`); {name} is theirs."""
        values = {"name": self.name, "first_name": self.first_name(), **self.facts, **extra}
        return _SLOT.sub(lambda m: values.get(m.group(1), m.group(0)), text)

    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name

    def opening_text(self) -> str:
        return self.fill(self.opening)

    def exemplary_text(self) -> str:
        return self.fill(self.exemplary)

    def offered_in(self, reply: str) -> bool:
        """The reply offers what would resolve the case (one of its `offers`, any case)."""
        folded = reply.casefold()
        return any(
            re.search(rf"(?<!\w){re.escape(offer.casefold())}", folded) for offer in self.offers
        )


def parse_case(raw: Mapping[str, Any], slug: str) -> CaseSpec:
    """A `CaseSpec` from a case file's table; `CaseError` saying what is wrong otherwise."""
    try:
        spec = CaseSpec(
            slug=slug,
            title=_text(raw, "title"),
            industry=_text(raw, "industry"),
            name=_text(raw, "name"),
            situation=_text(raw, "situation"),
            tried=_text(raw, "tried"),
            resolution=_text(raw, "resolution"),
            feeling=_text(raw, "feeling"),
            feelings=tuple(raw.get("feelings", [raw.get("feeling")])),
            feeling_why=_text(raw, "feeling_why"),
            intensity=int(raw["intensity"]),
            offers=tuple(raw["offers"]),
            opening=_text(raw, "opening"),
            exemplary=_text(raw, "exemplary"),
            facts={str(k): str(v) for k, v in raw.get("facts", {}).items()},
            lines={band: tuple(raw["lines"][band]) for band in BANDS},
            practises=tuple(raw.get("practises", ())),
        )
    except KeyError as missing:
        raise CaseError(f"{slug}: {missing.args[0]!r} is missing") from None
    check_case(spec)
    return spec


def check_case(spec: CaseSpec) -> None:
    """Raise `CaseError` for a case the studio could not play truthfully."""
    problems = []
    if spec.industry not in INDUSTRIES:
        problems.append(f"industry {spec.industry!r} is not one of {', '.join(INDUSTRIES)}")
    if spec.feeling not in FEELINGS or not set(spec.feelings) <= set(FEELINGS):
        problems.append(f"feelings must be among {', '.join(FEELINGS)}")
    if not spec.feelings or spec.feelings[0] != spec.feeling:
        problems.append("feelings must start with the feeling")
    if not 1 <= spec.intensity <= 10:
        problems.append("intensity must be 1..10")
    if not spec.offers:
        problems.append("offers must name at least one way the case is resolved")
    for band in BANDS:
        if len(spec.lines.get(band, ())) < 1:
            problems.append(f"no lines for {band}")
    texts = [spec.opening, spec.exemplary, *(line for ls in spec.lines.values() for line in ls)]
    known = {"name", "first_name", "question", *spec.facts}
    unknown = {slot for text in texts for slot in _SLOT.findall(text)} - known
    if unknown:
        problems.append(f"no fact for {', '.join(sorted(unknown))}")
    if problems:
        raise CaseError(f"{spec.slug}: " + "; ".join(problems))


@cache
def shipped_cases() -> tuple[CaseSpec, ...]:
    """Every case file under data/cases/, in the order of their names (read once)."""
    folder = resources.files("heard.training").joinpath("data", "cases")
    return tuple(
        _read_case(entry.name.removesuffix(".toml"), entry.read_text(encoding="utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml")
    )


def _read_case(slug: str, text: str) -> CaseSpec:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(f"{slug}: {exc}") from exc
    return parse_case(raw, slug)


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise CaseError(f"{key!r} must be text")
    return unwrap(value.strip())


def unwrap(text: str) -> str:
    """The case files wrap their paragraphs at about 95 characters; join each wrapped line to
    the next, keeping blank lines and short lines (greetings, sign-offs) as they are."""
    out: list[str] = []
    previous = ""
    for line in text.split("\n"):
        if out and line.strip() and len(previous.rstrip()) >= WRAPPED:
            out[-1] = f"{out[-1]} {line.strip()}"
        else:
            out.append(line.rstrip())
        previous = line
    return "\n".join(out)
