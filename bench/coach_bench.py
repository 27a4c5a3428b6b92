"""The empathy coach beside a peer, in one run: ordering, per-code figures, then speed on one core.

    .venv/bin/python -m bench.coach_bench [--repeat 300]

Warm vs cold: over the pairs of coach_pairs.jsonl (two replies to one customer message with the
same facts, one warm and one cold, written to heard/engine/GUIDE.md before any tuning), the
share in which the warm reply scores higher on the empathy dimension, on the score, and on
VADER's compound sentiment (ties count as not higher), per split and per kind of coldness.
Ordering: over every (good, bad) pair of drafts answering the same situation in the golden sets,
the share in which the good draft scores higher: Heard's 0..100 score beside VADER. Per code:
precision and recall against the labels of
heard/engine/tests/cases/coach_*.jsonl (a code a case neither must nor must not raise is left
out); coach_blind.jsonl was never tuned on, so its rows are the figure for unseen wording.
The customer's emotion comes from the coach's own light read, as in production until a
reading is passed; the same figures with the labelled emotion are printed for comparison.
Speed: coach() on a 150-word draft (findings and suggestion included), the process pinned to
one CPU, after one cold call that loads and compiles the rule files.

VADER (vaderSentiment) is a bench-only peer; without it its column reads "n/a".
Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from bench._stats import summary_ms, time_ms
from heard.engine import _datasets as datasets
from heard.engine import read
from heard.engine.coaching import FINDING_CODES, coach
from heard.engine.coaching._mood import lexical_emotion

CASES = Path(__file__).resolve().parents[1] / "heard" / "engine" / "tests" / "cases"
SETS = {
    "eval (written first, tuned on)": "coach_eval.jsonl",
    "holdout (tuned on after one blind run)": "coach_holdout.jsonl",
    "fresh (tuned on after one blind run)": "coach_fresh.jsonl",
    "blind (never tuned on; see CARD.md)": "coach_blind.jsonl",
    "recall (issue 13, measured blind first)": "coach_recall.jsonl",
}
PAIRS = "coach_pairs.jsonl"
TARGET_P95_MS = 20

DRAFT_150 = """Dear Customer,

We have received your complaint regarding invoice INV-2291. As per our terms and conditions,
duplicate payments are refunded automatically within 10 business days, so there is no reason
to get so upset. Looking at your account, you clicked "Pay now" twice, which is really user
error on your part. Please read the billing FAQ on our website before contacting us again,
because it explains exactly how refunds work.

The second payment of EUR 49 will be refunded to the card ending in 4242. You will see the
money back on your statement once your bank has processed the refund, which usually takes a
few working days depending on the bank. If you would like a copy of the refund confirmation
for your records, it can be downloaded from Billing > Invoices in your account.

I hope this answers all your questions.

Kind regards,
Anna
Billing Department"""

MESSAGE = "I have been charged TWICE for my March invoice. I want my money back today!"


@dataclass(frozen=True)
class _Reading:
    emotion: str


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300, help="timed calls (default 300)")
    args = parser.parse_args()
    speed = _speed(args.repeat)  # first, so that its first call is a cold one
    vader = _vader()
    _warm_vs_cold(_load(PAIRS), vader)
    sets = {title: _load(name) for title, name in SETS.items()}
    print("== Empathy coach: good draft scores higher than bad (same situation) ==")
    print(f"{'set':42s} {'drafts':>6s} {'pairs':>6s} {'Heard':>7s} {'VADER':>7s}")
    for title, cases in sets.items():
        _ordering_row(title, cases, vader)
    every = [case for cases in sets.values() for case in cases]
    _ordering_row("all", every, vader)
    for title, cases in sets.items():
        print(f"\n== Per code, {title} ==")
        _per_code(cases)
    _hard_cases(every)
    print("\n== Per code, all sets, with the labelled customer emotion as the reading ==")
    _per_code(every, reading="label")
    print("\n== Per code, all sets, with the reading engine's reading of the customer ==")
    print("(why `heard coach` keeps its own light read: see CARD.md)")
    _per_code(every, reading="engine")
    _emotion_agreement(every)
    print("\n" + "\n".join(speed))


def _warm_vs_cold(pairs: list[dict[str, Any]], vader: Callable[[str], float] | None) -> None:
    print("== Warm vs cold replies to the same message, same facts (coach_pairs.jsonl) ==")
    print(f"{'pairs':32s} {'n':>4s} {'empathy':>8s} {'score':>7s} {'VADER':>7s}")
    groups: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for pair in pairs:
        groups["all"].append(pair)
        groups[f"{pair['split']} split"].append(pair)
        groups[f"cold is {pair['cold_kind']}"].append(pair)
    for name, group in groups.items():
        coached = [(_pair_coached(p, "warm"), _pair_coached(p, "cold")) for p in group]
        empathy = _share([w.dimensions["empathy"] > c.dimensions["empathy"] for w, c in coached])
        score = _share([w.score > c.score for w, c in coached])
        peer = "n/a"
        if vader:
            peer = f"{_share([vader(p['warm']) > vader(p['cold']) for p in group]):.3f}"
        print(f"{name:32s} {len(group):4d} {empathy:8.3f} {score:7.3f} {peer:>7s}")
    print()


def _pair_coached(pair: dict[str, Any], side: str) -> Any:
    return coach(pair[side], pair["customer_message"], pair["customer_name"])


def _share(outcomes: list[bool]) -> float:
    return sum(outcomes) / len(outcomes) if outcomes else float("nan")


def _load(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (CASES / name).read_text("utf-8").splitlines()]


def _coached(case: dict[str, Any], reading: str = "light") -> Any:
    """Coached with the coach's own light read of the customer ("light"), the labelled emotion
    ("label"), or the reading engine's (`heard.engine.read`, "engine")."""
    emotion = case["customer_emotion"]
    if reading == "engine" and case["customer_message"]:
        return coach(
            case["draft"], case["customer_message"], case["customer_name"],
            read(case["customer_message"]),
        )  # fmt: skip
    given = _Reading(emotion) if reading == "label" and emotion else None
    return coach(case["draft"], case["customer_message"], case["customer_name"], given)


def _vader() -> Callable[[str], float] | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()
    return lambda text: analyzer.polarity_scores(text)["compound"]


def _pair_share(cases: list[dict[str, Any]], score: Callable[[dict[str, Any]], float]) -> float:
    by_situation: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for case in cases:
        by_situation[case["situation"]].append(case)
    wins = total = 0
    for group in by_situation.values():
        scores = {case["id"]: score(case) for case in group}
        for good in (c for c in group if c["quality"] == "good"):
            for bad in (c for c in group if c["quality"] == "bad"):
                total += 1
                wins += scores[good["id"]] > scores[bad["id"]]
    return wins / total


def _ordering_row(
    title: str, cases: list[dict[str, Any]], vader: Callable[[str], float] | None
) -> None:
    heard = _pair_share(cases, lambda c: _coached(c).score)
    peer = f"{_pair_share(cases, lambda c: vader(c['draft'])):7.3f}" if vader else "    n/a"
    pairs = sum(
        1
        for g in cases
        if g["quality"] == "good"
        for b in cases
        if b["quality"] == "bad" and b["situation"] == g["situation"]
    )
    print(f"{title:42s} {len(cases):6d} {pairs:6d} {heard:7.3f} {peer}")


def _per_code(cases: list[dict[str, Any]], reading: str = "light") -> None:
    counts: dict[str, Counter[str]] = {code: Counter() for code in FINDING_CODES}
    for case in cases:
        found = _coached(case, reading).codes
        for code in FINDING_CODES:
            if code in case["must_raise"]:
                counts[code]["tp" if code in found else "fn"] += 1
            elif code in case["must_not_raise"]:
                counts[code]["fp" if code in found else "tn"] += 1
    print(f"{'code':20s} {'precision':>9s} {'recall':>7s} {'tp':>4s} {'fp':>4s} {'fn':>4s}")
    for code, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
        print(f"{code:20s} {precision:9.3f} {recall:7.3f} {c['tp']:4d} {c['fp']:4d} {c['fn']:4d}")


def _hard_cases(cases: list[dict[str, Any]]) -> None:
    """Drafts tagged as hard cases that get every labelled code right."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for case in cases:
        found = _coached(case).codes
        ok = set(case["must_raise"]) <= found and not found & set(case["must_not_raise"])
        for tag in case["tags"]:
            total[tag] += 1
            right[tag] += ok
    print("\n== Hard cases, all sets: drafts with every labelled code right ==")
    for tag in sorted(total):
        print(f"{tag:20s} {right[tag]:4d} / {total[tag]:<4d}")


def _emotion_agreement(cases: list[dict[str, Any]]) -> None:
    messages = {c["customer_message"]: c["customer_emotion"] for c in cases}
    messages.pop(None, None)
    agree = sum(lexical_emotion(text) == gold for text, gold in messages.items())
    print(f"\nCoach's light read vs labelled emotion, eval messages: {agree}/{len(messages)}")
    support = datasets.support("test")  # the reading engine's support test split
    agree = sum(lexical_emotion(e.text) == e.emotion for e in support)
    print(f"Coach's light read vs the support test split: {agree}/{len(support)}")


def _speed(repeat: int) -> list[str]:
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    start = time.perf_counter()
    first = coach(DRAFT_150, MESSAGE, "Maria Lopez")
    cold = (time.perf_counter() - start) * 1000
    samples = time_ms(lambda: coach(DRAFT_150, MESSAGE, "Maria Lopez"), repeat)
    words = len(DRAFT_150.split())
    golden = [c for name in SETS.values() for c in _load(name)]
    spread = [ms for c in golden for ms in time_ms(partial(_coached, c), 3)]
    return [
        f"== Speed: coach() on a {words}-word draft, pinned to CPU {cpu}, {repeat} calls ==",
        f"first call (reads and compiles the rule files) {cold:7.1f} ms",
        f"{summary_ms(samples)}   (target p95 < {TARGET_P95_MS} ms)",
        f"findings {len(first.findings)}, score {first.score}",
        f"every golden draft ({len(golden)} drafts x 3 calls): {summary_ms(spread)}",
    ]


if __name__ == "__main__":
    main()
