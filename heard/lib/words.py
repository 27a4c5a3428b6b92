"""Numbers as a person writes them in a sentence."""

from __future__ import annotations

_SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def times(count: int) -> str:
    """'once', 'twice', 'three times' ... 'ten times', then '11 times'."""
    if count == 1:
        return "once"
    if count == 2:
        return "twice"
    return f"{_SMALL[count] if 0 <= count < len(_SMALL) else count} times"
