"""The empathy dimension ranks replies the way readers do (GUIDE.md, part 2).

coach_pairs.jsonl holds 270 pairs of replies to one customer message with the same facts and
steps, one warm and one cold (distant or hurtful), written to the guide before any tuning and
split by situation: the dev half may be looked at while tuning, the test half is not. The
floors are the figures measured on the shipped coach, less a little (bench.coach_bench prints
them): all pairs 0.933, the test half 0.933 (unchanged since its one blind run).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from heard.engine.coaching import coach

CASES = Path(__file__).parent / "cases"
PAIRS = [json.loads(line) for line in (CASES / "coach_pairs.jsonl").read_text("utf-8").splitlines()]
FLOORS = {"all": 0.92, "test": 0.92}


def _warmer(pair: dict[str, Any]) -> bool:
    warm = coach(pair["warm"], pair["customer_message"], pair["customer_name"])
    cold = coach(pair["cold"], pair["customer_message"], pair["customer_name"])
    return warm.dimensions["empathy"] > cold.dimensions["empathy"]


def test_the_pairs_are_written_as_the_guide_says() -> None:
    assert len(PAIRS) >= 200
    assert len({p["situation"] for p in PAIRS}) >= 40
    for split in ("dev", "test"):  # whole situations in one split
        assert {p["situation"] for p in PAIRS if p["split"] == split}.isdisjoint(
            {p["situation"] for p in PAIRS if p["split"] != split}
        )
    assert {p["cold_kind"] for p in PAIRS} == {"distant", "hurtful"}


@pytest.mark.parametrize("split", sorted(FLOORS))
def test_the_empathy_dimension_puts_the_warm_reply_above_the_cold_one(split: str) -> None:
    pairs = [p for p in PAIRS if split == "all" or p["split"] == split]
    share = sum(map(_warmer, pairs)) / len(pairs)
    assert share >= FLOORS[split], f"{share:.3f} of {len(pairs)} pairs"
