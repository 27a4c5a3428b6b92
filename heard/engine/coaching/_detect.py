"""Findings: harmful wording from the rule files, shouting, and what a good reply is missing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from heard.engine.coaching._classify import classifier
from heard.engine.coaching._data import load, phrases
from heard.engine.coaching._mood import Context
from heard.engine.coaching._patterns import Entry, PhraseSet
from heard.engine.coaching._text import STACKED, Layout, fold, negated, opens_clause, shouted_runs
from heard.engine.coaching._types import FINDING_CODES, Finding, Severity

#: Codes found by phrase rules, each in data/rules/<code>.toml.
PHRASE_CODES = ("blame", "rtfm", "policy_wall", "dismissive", "curt_closing", "robotic")
#: A sentence carrying one of these says something hurtful, so nothing in it counts as an
#: acknowledgement, a next step or an offer ("if you have questions, read the FAQ"), unless
#: its rule says `blocks = false`. Wording that overlaps any phrase finding never counts.
BLOCKING_CODES = frozenset({"blame", "rtfm", "policy_wall", "dismissive"})
#: Where a sentence flagged by the classifier narrows to one clause: the strong breaks only
#: (a comma alone rarely ends a thought: "If you'd been there, this would be sorted").
_CLAUSE_BREAK = re.compile(
    r"\s*(?:[;:\u2013\u2014]|\s-\s|,\s+(?=(?:but|so|and|which|because|since|though)\b))\s*"
)
_MIN_WORDS = 3
#: The rule a classifier finding stands for: sent off to read is forgiven when the draft also
#: helps, policy talk when an alternative is offered next to it (as in the rule files).
MODEL_RULES: Mapping[str, Mapping[str, Any]] = {
    "blame": {"source": "classifier"},
    "rtfm": {"source": "classifier", "unless": "helped"},
    "policy_wall": {"source": "classifier", "unless": "alternative"},
    "dismissive": {"source": "classifier"},
}


@dataclass(frozen=True, slots=True)
class Hit:
    """A matched span, labelled with its finding code or marker kind."""

    label: str
    start: int
    end: int
    rule: Mapping[str, Any]


def hits(layout: Layout, phrase_set: PhraseSet, label: Callable[[Entry], str]) -> list[Hit]:
    """Matches in the agent's own words, minus negated ones, never overlapping each other."""
    text = layout.text
    found: list[Hit] = []
    for match, entry in phrase_set.finditer(text):
        start, end = match.span()
        if end == start or (found and start < found[-1].end) or layout.in_quote(start, end):
            continue
        if entry.rule.get("negatable", True) and negated(text, start):
            continue
        if entry.at_start and not opens_clause(text, start):
            continue
        found.append(Hit(label(entry), start, end, entry.rule))
    return found


def _rule_kind_or(default: str) -> Callable[[Entry], str]:
    """A label: the rule's own `kind`, else `default`."""
    return lambda entry: entry.rule.get("kind", default)


def _always(label: str) -> Callable[[Entry], str]:
    """A label that is `label` whatever the entry."""
    return lambda _entry: label


def markers(layout: Layout) -> dict[str, list[Hit]]:
    """Acknowledgements, next steps, offers of help and alternatives, labelled by kind."""
    return {
        name: hits(layout, phrases(f"markers/{name}.toml"), _rule_kind_or(name))
        for name in ("acknowledgement", "next_step", "offer", "alternative")
    }


@dataclass(frozen=True, slots=True)
class Examination:
    """A draft's findings, and the good signs in its own words that count (by marker kind)."""

    findings: tuple[Finding, ...]
    usable: Mapping[str, list[Hit]]


def analyse(layout: Layout, context: Context) -> tuple[Finding, ...]:
    """Every finding for one draft, in FINDING_CODES order, then by position."""
    return examine(layout, context).findings


def examine(layout: Layout, context: Context) -> Examination:
    """The findings and the usable markers of one draft."""
    marks = markers(layout)
    harms = _phrase_harms(layout, marks)
    blocked = {layout.sentence_of(h.start) for h in harms if _blocks(h)}
    usable = {
        name: [m for m in found if _usable(m, layout, harms, blocked)]
        for name, found in marks.items()
    }
    found = harms + _shouting(layout) + _repeated(layout, context)
    findings = [_finding(h.label, h.start, h.end, layout.text, h.rule) for h in found]
    findings += [_finding(code) for code in _missing(layout, usable, context)]
    order = {code: i for i, code in enumerate(FINDING_CODES)}
    return Examination(tuple(sorted(findings, key=lambda f: (order[f.code], f.start or 0))), usable)


def _phrase_harms(layout: Layout, marks: Mapping[str, list[Hit]], model: bool = True) -> list[Hit]:
    """Rule matches, then the classifier's (unless `model` is False), minus forgiven ones."""
    found = [
        hit
        for code in PHRASE_CODES
        for hit in hits(layout, phrases(f"rules/{code}.toml"), _always(code))
    ]
    if model:
        found += _model_harms(layout, found)
    firm = [h for h in found if "unless" not in h.rule]
    blocked = {layout.sentence_of(h.start) for h in firm if _blocks(h)}
    return firm + [
        h for h in found if "unless" in h.rule and not _forgiven(h, layout, marks, blocked)
    ]


def units(layout: Layout) -> list[tuple[int, int]]:
    """The agent's sentences the classifier reads: between greeting and sign-off, with the
    greeting cut off a sentence that starts with it, and at least three words long."""
    start = layout.greeting[1] if layout.greeting else 0
    end = layout.signoff[0] if layout.signoff else len(layout.text)
    found = []
    for s_start, s_end in layout.sentences:
        s_start = max(s_start, start)
        if s_start < min(s_end, end) and len(layout.text[s_start:s_end].split()) >= _MIN_WORDS:
            found.append((s_start, s_end))
    return found


def _model_harms(layout: Layout, rule_hits: list[Hit]) -> list[Hit]:
    """Paraphrased harms the rules missed: a sentence the classifier flags for a code no rule
    matched in it (forgiven matches included), narrowed to its clause when that clause alone
    is flagged. The customer's quoted words are blanked before reading; negation is in the
    features. A link or a rule found this way is forgiven as the soft rules are (MODEL_RULES)."""
    model, agent = classifier(), layout.agent_text()
    found = []
    for start, end in units(layout):
        for code in model.flags(agent[start:end]):
            if any(h.label == code and start <= h.start < end for h in rule_hits):
                continue
            c_start, c_end = _clause(agent, start, end, code)
            if code == "blame" and not _may_blame(agent[start:end]):
                continue
            found.append(Hit(code, c_start, c_end, MODEL_RULES[code]))
    return found


def _may_blame(sentence: str) -> bool:
    """Whether a flagged sentence can blame the customer at all: not when it owns the fault
    ("our mistake, not yours"), which the classifier's features cannot tell from blame."""
    return next(phrases("markers/ownership.toml").finditer(sentence), None) is None


def _clause(agent: str, start: int, end: int, code: str) -> tuple[int, int]:
    """The one clause of a flagged sentence that is flagged on its own, else the sentence."""
    cuts = [m.span() for m in _CLAUSE_BREAK.finditer(agent, start, end)]
    if not cuts:
        return start, end
    bounds = [start, *(p for span in cuts for p in span), end]
    clauses = [(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=True) if b > a]
    flagged = [(a, b) for a, b in clauses if code in classifier().flags(agent[a:b])]
    return flagged[0] if len(flagged) == 1 else (start, end)


def _forgiven(hit: Hit, layout: Layout, marks: Mapping[str, list[Hit]], blocked: set[int]) -> bool:
    """Whether the rest of the draft turns a conditional rule's match into something fine."""
    own = layout.sentence_of(hit.start)
    elsewhere = blocked | {own}

    def outside(found: Iterable[Hit]) -> bool:
        return any(layout.sentence_of(m.start) not in elsewhere for m in found)

    condition = hit.rule["unless"]
    if condition == "helped":
        return outside(marks["next_step"])
    if condition == "offered":
        return outside(marks["offer"])
    if condition == "alternative":
        near = {own, own + 1}
        offers = marks["alternative"] + [
            m for m in marks["next_step"] if m.label in {"done", "commit"}
        ]
        return any(layout.sentence_of(m.start) in near for m in offers)
    raise ValueError(f"unknown rule condition {condition!r}")


def _blocks(hit: Hit) -> bool:
    return hit.label in BLOCKING_CODES and hit.rule.get("blocks", True)


def _usable(mark: Hit, layout: Layout, harms: list[Hit], blocked: set[int]) -> bool:
    if layout.sentence_of(mark.start) in blocked:
        return False
    return not any(mark.start < h.end and h.start < mark.end for h in harms)


def _missing(layout: Layout, usable: Mapping[str, list[Hit]], context: Context) -> list[str]:
    missing = []
    if context.ack_kinds and not any(
        m.label in context.ack_kinds for m in usable["acknowledgement"]
    ):
        missing.append("no_acknowledgement")
    if context.names and not name_used(layout, context.names):
        missing.append("no_name")
    if context.needs_next_step and not usable["next_step"]:
        missing.append("no_next_step")
    if not usable["offer"]:
        missing.append("no_offer_more_help")
    return missing


def name_used(layout: Layout, names: Iterable[str]) -> bool:
    text = fold(layout.agent_text())
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) for name in names)


def _shouting(layout: Layout) -> list[Hit]:
    text, found = layout.text, []
    for start, end in shouted_runs(text):
        if not layout.in_quote(start, end):
            found.append(Hit("shouting", start, end, {}))
    for match in STACKED.finditer(text):
        if "!" in match.group() and not layout.in_quote(*match.span()):
            found.append(Hit("shouting", match.start(), match.end(), {}))
    return found


def _repeated(layout: Layout, context: Context) -> list[Hit]:
    """Sentences of at least `_REPEAT_WORDS` words that an earlier reply already said word for
    word: a template sent again."""
    if not context.earlier_replies:
        return []
    earlier = " ".join(fold(reply) for reply in context.earlier_replies)
    earlier = " ".join(re.findall(r"[\w']+", earlier))
    found = []
    for start, end in units(layout):
        said = " ".join(re.findall(r"[\w']+", fold(layout.text[start:end])))
        if len(said.split()) >= _REPEAT_WORDS and f" {said} " in f" {earlier} ":
            found.append(Hit("robotic", start, end, _REPEATED))
    return found


_REPEAT_WORDS = 6
_REPEATED = {
    "why": "I was sent these exact words before; getting them again tells me nobody is reading."
}


def _finding(
    code: str,
    start: int | None = None,
    end: int | None = None,
    text: str | None = None,
    rule: Mapping[str, Any] | None = None,
) -> Finding:
    meta = load("codes.toml")[code]
    why = (rule or {}).get("why", meta["why"])
    span = text[start:end] if text is not None and start is not None else None
    return Finding(code, start, end, span, why, cast(Severity, meta["severity"]))
