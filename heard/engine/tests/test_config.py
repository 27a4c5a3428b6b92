from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from heard.engine import EngineConfig


def test_it_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        EngineConfig().urgent_threshold = 0.1  # type: ignore[misc]


@pytest.mark.parametrize(
    "options",
    [
        {"urgent_threshold": 1.5},
        {"min_english": -0.1},
        {"negative_weight": -1.0},
        {"max_sentences": 0},
        {"sentences_from": 0},
        {"clear_negative": 2.0},
        {"threads": 0},
    ],
)
def test_it_rejects_values_out_of_range(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="EngineConfig"):
        EngineConfig(**options)
