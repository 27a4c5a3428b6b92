"""A cheap check that a text is English: the script it is written in and its function words."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def english_score(text: str) -> float:
    """0..1: how English `text` looks. Text with nothing to tell by (a number, "ok") scores 1."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 1.0
    latin = sum(ch.isascii() or "\u00c0" <= ch <= "\u024f" for ch in letters) / len(letters)
    english, others = _function_words()
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    hits = sum(word in english for word in words)
    foreign = max(sum(word in vocab for word in words) for vocab in others)
    if hits + foreign == 0:
        return latin
    return latin * (hits + 0.5) / (hits + foreign + 1.0)


@cache
def _function_words() -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
    path = resources.files("heard.engine").joinpath("data/stopwords.toml")
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    lists = {lang: frozenset(words.split()) for lang, words in raw.items()}
    english = lists.pop("en")
    return english, tuple(vocab - english for vocab in lists.values())
