"""The coach's judgement in three dimensions: empathy, respect and clarity, each 0..100.

- empathy: the customer's feeling or situation acknowledged, their name, ownership of what is
  done ("I've refunded", "I'll call"), their own specifics taken up; template wording, blame
  and dismissal take it away.
- respect: what hurts (blame, sending them to read, a policy wall, dismissing or minimising,
  shouting, shutting the door) takes it away.
- clarity: a next step, an offer of more help, sentences of a readable length.

The weights live in data/dimensions.toml; `score` is their weighted mean, with empathy and
respect weighing most. GUIDE.md (part 2) defines the dimensions; the bench measures how the
empathy dimension orders pairs of warm and cold replies written to that guide.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from heard.engine.coaching._data import load
from heard.engine.coaching._detect import Hit
from heard.engine.coaching._mood import Context
from heard.engine.coaching._text import Layout, fold
from heard.engine.coaching._types import Finding

DIMENSIONS = ("empathy", "respect", "clarity")
_CONTENT = re.compile(r"[^\W\d_]{4,}")
_FIRST_PERSON_KINDS = frozenset({"done", "commit"})


def dimensions(
    layout: Layout,
    findings: Sequence[Finding],
    usable: Mapping[str, Sequence[Hit]],
    context: Context,
) -> dict[str, int]:
    """Each dimension of one draft, from its findings and the good signs in its own words."""
    table = load("dimensions.toml")
    counts = Counter(f.code for f in findings)
    gains = _gains(layout, usable, context, counts)
    found = {}
    for name in DIMENSIONS:
        spec = table[name]
        value = spec["base"] + sum(
            amount for sign, amount in spec.get("gains", {}).items() if gains.get(sign)
        )
        for code, n in counts.items():
            if code in spec["losses"]:
                value -= spec["losses"][code] + spec["repeat"] * (n - 1)
        if name == "clarity":
            value -= _readability_loss(layout, spec)
        found[name] = max(0, min(100, round(value)))
    return found


def combined(dims: Mapping[str, int]) -> int:
    """The score: the dimensions' weighted mean."""
    weights = load("dimensions.toml")["weights"]
    return round(sum(weights[name] * dims[name] for name in DIMENSIONS) / sum(weights.values()))


def _gains(
    layout: Layout, usable: Mapping[str, Sequence[Hit]], context: Context, counts: Counter[str]
) -> dict[str, bool]:
    """Which good signs the draft shows. A sign that does not apply counts as shown: nothing to
    acknowledge, no name known, no customer words to take up, no next step needed."""
    kinds = {m.label for m in usable["acknowledgement"]}
    fitting = not context.ack_kinds or bool(kinds & context.ack_kinds)
    return {
        "feeling": fitting,
        "situation": not fitting and bool(kinds),
        "name": not context.names or "no_name" not in counts,
        "ownership": not context.needs_next_step
        or any(m.label in _FIRST_PERSON_KINDS for m in usable["next_step"]),
        "specifics": not context.message or _specifics(layout, context),
    }


def _specifics(layout: Layout, context: Context) -> bool:
    """Whether the draft takes up enough of the customer's own content words."""
    if not context.message:
        return False
    spec = load("dimensions.toml")["specifics"]
    theirs = set(_CONTENT.findall(fold(context.message))) - set(spec["common"])
    ours = set(_CONTENT.findall(fold(layout.agent_text())))
    return len(theirs & ours) >= spec["specific_words"]


def _readability_loss(layout: Layout, spec: Mapping[str, int]) -> int:
    text = layout.agent_text()
    sentences = [text[s:e] for s, e in layout.sentences]
    total = sum(len(s.split()) for s in sentences)
    loss = 0
    if sentences and total / len(sentences) > spec["long_sentence_words"]:
        loss += spec["long_sentences"]
    if total >= spec["wall_words"] and "\n\n" not in text.strip():
        loss += spec["wall_of_text"]
    return loss
