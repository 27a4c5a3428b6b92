"""Rule and lexicon files under `data/`, read lazily once through importlib.resources."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from heard.engine.coaching._patterns import Lexicon, PhraseSet


@cache
def load(name: str) -> dict[str, Any]:
    """One TOML file from data/, e.g. `load("rules/blame.toml")`."""
    text = resources.files("heard.engine.coaching").joinpath("data", name).read_text("utf-8")
    return tomllib.loads(text)


@cache
def lexicon() -> Lexicon:
    data = load("lexicon.toml")
    return Lexicon(groups=data["groups"], irregular=data["irregular"])


@cache
def phrases(name: str, table: str = "rules") -> PhraseSet:
    """The compiled phrase set of one data file's list of rules (`[[rules]]` tables)."""
    return PhraseSet(lexicon(), load(name)[table])


@cache
def instruction_openers() -> frozenset[str]:
    """The first words of the lexicon's instructions ("read", "check", "tell")."""
    return frozenset(p.split()[0] for p in lexicon().groups["instruction"])


def words(key: str) -> frozenset[str]:
    """A lower-cased word list from lexicon.toml's [words] table."""
    return _word_sets()[key]


@cache
def _word_sets() -> dict[str, frozenset[str]]:
    return {
        key: frozenset(w.lower() for w in ws) for key, ws in load("lexicon.toml")["words"].items()
    }
