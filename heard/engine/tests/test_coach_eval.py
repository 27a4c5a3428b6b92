"""The coach's evaluation sets, as golden cases.

- coach_eval.jsonl (245 drafts, 30 situations): written before any rule, then tuned on.
- coach_holdout.jsonl (80 drafts, 10 situations): written after the first tuning and measured
  untouched once; rule families were broadened after that measurement.
- coach_fresh.jsonl (60 drafts, 8 situations): written after that, measured untouched once;
  family gaps it showed were then closed.
- coach_blind.jsonl (88 drafts, 11 situations): written before the sentence classifier, in
  wording the rule files do not use; measured once before and once after it, never tuned on.
  Its misses from the after run are the strict xfails, and its pair ordering is held at the
  figure measured then (see CARD.md).
- coach_recall.jsonl (126 drafts, 21 situations): written for issue 13 to GUIDE.md, for the
  families the coach missed (contract and obligation phrasing, blame stated as fact,
  minimising, shouting that also dismisses) and good drafts that must not be marked (the
  customer's words quoted, a contract named while helping, an innocent "just"); measured
  blind once, then tuned on. Its remaining misses are strict xfails.

Each line labels the codes a draft must raise and must not raise (codes in neither list are
left open). Known misses are listed per case under "xfail" and run as strict xfails, so
fixing one is noticed. `bench/coach_bench.py` prints the per-code figures.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from heard.engine.coaching import Coaching, coach
from heard.engine.coaching._text import lay_out

CASES = Path(__file__).parent / "cases"
SETS = (
    "coach_eval.jsonl",
    "coach_holdout.jsonl",
    "coach_fresh.jsonl",
    "coach_blind.jsonl",
    "coach_recall.jsonl",
)
#: The least share of (good, bad) pairs of one situation in which the good draft scores higher.
PAIR_FLOOR = {
    "coach_blind.jsonl": 0.79,  # 115 / 144 in the one run after the classifier
    "coach_recall.jsonl": 0.94,  # 159 / 168 after tuning on it
}


def _load(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (CASES / name).read_text(encoding="utf-8").splitlines()]


ALL = [case for name in SETS for case in _load(name)]


@cache
def _coached(case_id: str) -> Coaching:
    case = next(c for c in ALL if c["id"] == case_id)
    return coach(case["draft"], case["customer_message"], case["customer_name"])


def _params(cases: list[dict[str, Any]]) -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in cases]


def test_the_sets_are_big_and_varied_enough() -> None:
    main = _load("coach_eval.jsonl")
    assert len(main) >= 200
    assert len({c["situation"] for c in main}) >= 25
    assert len({c["draft"] for c in ALL}) == len(ALL)
    for case in ALL:
        assert set(case["must_raise"]).isdisjoint(case["must_not_raise"]), case["id"]
        assert (case["quality"] == "good") == (not case["must_raise"]), case["id"]


@pytest.mark.parametrize("case", _params(ALL))
def test_it_raises_what_each_draft_must_raise_and_nothing_it_must_not(case: dict[str, Any]) -> None:
    known = case.get("xfail", {})
    found = _coached(case["id"]).codes
    missing = {c for c in case["must_raise"] if c not in found and c not in known}
    wrong = {c for c in case["must_not_raise"] if c in found and c not in known}
    assert not missing and not wrong, f"missing {sorted(missing)}, wrongly raised {sorted(wrong)}"


@pytest.mark.parametrize(
    ("case", "code"),
    [
        pytest.param(
            case, code, id=f"{case['id']}-{code}", marks=pytest.mark.xfail(strict=True, reason=why)
        )
        for case in ALL
        for code, why in case.get("xfail", {}).items()
    ],
)
def test_known_misses(case: dict[str, Any], code: str) -> None:
    found = _coached(case["id"]).codes
    assert (code in found) == (code in case["must_raise"])


@pytest.mark.parametrize("name", SETS)
def test_good_drafts_outscore_bad_ones_of_the_same_situation(name: str) -> None:
    by_situation: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for case in _load(name):
        by_situation[case["situation"]].append(case)
    pairs = [
        (_coached(g["id"]).score, _coached(b["id"]).score)
        for cases in by_situation.values()
        for g in cases
        if g["quality"] == "good"
        for b in cases
        if b["quality"] == "bad"
    ]
    assert sum(good > bad for good, bad in pairs) / len(pairs) >= PAIR_FLOOR.get(name, 0.97)


@pytest.mark.parametrize("case", _params(ALL))
def test_coaching_the_suggestion_raises_nothing(case: dict[str, Any]) -> None:
    suggestion = _coached(case["id"]).suggestion
    again = coach(suggestion, case["customer_message"], case["customer_name"])
    assert not again.findings, f"{[(f.code, f.text) for f in again.findings]}\n{suggestion}"


@pytest.mark.parametrize("case", _params(ALL))
def test_the_suggestion_keeps_the_agents_sound_sentences_and_sign_off(case: dict[str, Any]) -> None:
    result, draft = _coached(case["id"]), case["draft"]
    layout = lay_out(draft)
    marked = [
        (f.start, f.end) for f in result.findings if f.start is not None and f.end is not None
    ]
    body = (layout.greeting[1] if layout.greeting else 0, (layout.signoff or (len(draft),))[0])
    flagged = False
    for start, end in layout.sentences:
        tail = flagged and draft[start].islower()  # cut off a flagged one at a quoted "?"
        flagged = any(s < end and start < e for s, e in marked) or tail
        if body[0] <= start < body[1] and not flagged:
            sentence = draft[start:end]
            if start == layout.sentences[0][0]:  # "Maria, ..." may lose its vocative
                sentence = _VOCATIVE.sub("", sentence)
            assert sentence[1:] in result.suggestion, result.suggestion
    if layout.signoff:
        assert result.suggestion.endswith(draft[slice(*layout.signoff)].strip())


_VOCATIVE = re.compile(r"^[^\W\d_]+,\s*")
