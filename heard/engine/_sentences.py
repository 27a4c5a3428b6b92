"""Sentence splitting with offsets, so that a long message can be read sentence by sentence."""

from __future__ import annotations

import itertools
import re

_SENTENCE_END = re.compile("[.!?\u2026]+[\"'\u201d\u2019)\\]]*(?=\\s)")
_ABBREVIATION = re.compile(r"\b(?:mr|mrs|ms|dr|prof|st|vs|etc|e\.g|i\.e|no|approx|inc|ltd)$", re.I)
_BULLET = re.compile(r"[ \t]*(?:[-*•]|\d+[.)])[ \t]")
_SHORT_LINE = 40  # a line this short ("Hi team,") ends its sentence even without punctuation


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, trimmed, skipping parts with no letter or digit."""
    cuts = sorted(_after_punctuation(text) | _line_breaks(text))
    spans = []
    start = 0
    for cut in [*cuts, len(text)]:
        piece = text[start:cut]
        if any(ch.isalnum() for ch in piece):
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + len(piece.rstrip())))
        start = cut
    return spans


def _after_punctuation(text: str) -> set[int]:
    return {
        m.end()
        for m in _SENTENCE_END.finditer(text)
        if not (m.group().startswith(".") and _abbreviation_before(text, m.start()))
    }


def _abbreviation_before(text: str, position: int) -> bool:
    return bool(_ABBREVIATION.search(text[max(0, position - 8) : position]))


def _line_breaks(text: str) -> set[int]:
    """Line breaks that end a sentence: after punctuation, a short line, or before a blank line."""
    cuts = set()
    lines = text.split("\n")
    offset = 0
    for line, following in itertools.pairwise(lines):
        offset += len(line) + 1
        stripped = line.strip()
        if (
            len(stripped) < _SHORT_LINE
            or stripped[-1] in ".!?:;,"
            or not following.strip()
            or _BULLET.match(following)
        ):
            cuts.add(offset - 1)
    return cuts
