"""Numbers in the sentences Heard writes."""

from __future__ import annotations

import pytest

from heard.lib.words import times


@pytest.mark.parametrize(
    ("count", "written"),
    [(1, "once"), (2, "twice"), (3, "three times"), (10, "ten times"), (11, "11 times")],
)
def test_a_count_reads_as_a_person_writes_it(count: int, written: str) -> None:
    assert times(count) == written
