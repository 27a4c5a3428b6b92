"""A small phrase language for the rule files, compiled to regular expressions.

A pattern is a sequence of space-separated tokens, matched case-insensitively:

    word        the word itself; an apostrophe also matches a curly one or none (dont)
    word~       any inflection: configure~ matches configures, configured, configuring
    a|b~|@g     one of several single words or groups
    (a b|c)     one of several phrases
    [a b|c]     optionally one of several phrases
    @group      any phrase of a group from lexicon.toml (phrases may use this syntax too)
    *  or  *N   up to 3 (or N) arbitrary words
    /regex/     a raw regular expression for one token (no spaces inside)
    ^           (first token only) the match must open its clause: only fillers such as
                "please", "just" or a list number may stand before it in the clause

A pattern that starts with `re:` is a raw regular expression. Words never match inside
other words: `you` does not match "your" or "you're".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_SEP = r"(?:[ \t]*[,\u2013\u2014][ \t]*|[ \t]+)"  # spaces, or a comma or dash
_WORD = r"[\w'\u2019./-]+"
_LEFT = r"(?<![\w'\u2019])"
_RIGHT = r"(?!['\u2019]?\w)"
_VOWELS = set("aeiou")


def inflections(word: str, irregular: Mapping[str, Sequence[str]]) -> set[str]:
    """Regular English inflections of a verb or noun (both -ise and -ize), plus irregular forms."""
    forms = {*irregular.get(word, ()), *_regular(word)}
    if word.endswith(("ise", "ize")):
        forms |= _regular(word[:-2] + ("z" if word[-2] == "s" else "s") + "e")
    return forms


def _regular(word: str) -> set[str]:
    if word.endswith("ie"):
        return {word, word + "s", word + "d", word[:-2] + "ying"}
    if word.endswith("e"):
        return {word, word + "s", word + "d", word[:-1] + "ing", word + "ing"}
    if word.endswith("y") and len(word) > 1 and word[-2] not in _VOWELS:
        return {word, word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
    if word.endswith(("s", "sh", "ch", "x", "z")):
        return {word, word + "es", word + "ed", word + "ing"}
    forms = {word, word + "s", word + "ed", word + "ing"}
    if _is_cvc(word):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


def _is_cvc(word: str) -> bool:
    return (
        len(word) >= 3
        and word[-1] not in _VOWELS | {"w", "x", "y"}
        and word[-2] in _VOWELS
        and word[-3] not in _VOWELS
    )


def _literal(word: str, bounded: bool = True) -> str:
    body = re.escape(word).replace("'", "['\u2019]?").replace(r"\-", r"[-\s]?")
    left = _LEFT if bounded and word[:1].isalnum() else ""
    right = _RIGHT if bounded and word[-1:].isalnum() else ""
    return f"{left}{body}{right}"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Word groups and irregular forms shared by every rule file."""

    groups: Mapping[str, Sequence[str]]
    irregular: Mapping[str, Sequence[str]]

    def compile(self, pattern: str) -> tuple[str, bool]:
        """Regex source for one pattern, and whether it must open its clause."""
        if pattern.startswith("re:"):
            return pattern[3:], False
        tokens = _split(pattern)
        at_start = bool(tokens) and tokens[0] == "^"
        if at_start:
            tokens = tokens[1:]
        if not tokens or _is_loose(tokens[0]) or _is_loose(tokens[-1]):
            raise ValueError(f"pattern must start and end with a fixed token: {pattern!r}")
        return self._sequence(tokens, set()), at_start

    def first_words(self, pattern: str) -> frozenset[str] | None:
        """Every word a match of the pattern can begin with; None if that is not a word."""
        if pattern.startswith("re:"):
            return None
        tokens = [t for t in _split(pattern) if t != "^"]
        return self._first_of(tokens[0])

    def _first_of(self, token: str) -> frozenset[str] | None:
        if token.startswith("/"):
            return None
        words: set[str] = set()
        for option in _split(token, on="|"):
            if option.startswith("("):
                found = [self._first_of(_split(p)[0]) for p in _split(option[1:-1], on="|")]
            elif option.startswith("@"):
                found = [self._first_of(_split(p)[0]) for p in self.groups[option[1:]]]
            elif option.endswith("~"):
                found = [frozenset(inflections(option[:-1].lower(), self.irregular))]
            else:
                found = [frozenset({option})]
            if any(f is None for f in found):
                return None
            words.update(_key(w) for f in found if f for w in f)
        words |= {w.replace("'", "") for w in words}
        return None if "" in words else frozenset(words)

    def _sequence(self, tokens: Sequence[str], seen: set[str]) -> str:
        return self._token(tokens[0], seen) + "".join(self._joined(t, seen) for t in tokens[1:])

    def _joined(self, token: str, seen: set[str]) -> str:
        if token.startswith("*"):
            return f"(?:{_SEP}{_WORD}){{0,{int(token[1:] or 3)}}}"
        if token.startswith("[") and token.endswith("]"):
            return f"(?:{_SEP}{self._phrases(token[1:-1], seen)})?"
        return _SEP + self._token(token, seen)

    def _token(self, token: str, seen: set[str]) -> str:
        if token.startswith("/") and token.endswith("/") and len(token) > 2:
            return f"(?:{token[1:-1]})"
        options = [self._option(option, seen) for option in _split(token, on="|")]
        return "(?:" + "|".join(options) + ")"

    def _phrases(self, body: str, seen: set[str]) -> str:
        """Alternatives that may each be several tokens: `i would|we'd|let me`."""
        options = _split(body, on="|")
        return "(?:" + "|".join(self._sequence(_split(o), seen) for o in options) + ")"

    def _option(self, option: str, seen: set[str]) -> str:
        if option.startswith("*"):
            raise ValueError(f"a gap cannot be an alternative or optional: {option!r}")
        if option.startswith("(") and option.endswith(")"):
            return self._phrases(option[1:-1], seen)
        if option.startswith("@"):
            return self._group(option[1:], seen)
        if option.endswith("~"):  # one pair of word boundaries around all the forms
            forms = sorted(inflections(option[:-1].lower(), self.irregular), key=len, reverse=True)
            body = "|".join(_literal(form, bounded=False) for form in forms)
            return f"{_LEFT}(?:{body}){_RIGHT}" if option[0].isalnum() else f"(?:{body})"
        return _literal(option)

    def _group(self, name: str, seen: set[str]) -> str:
        if name in seen:
            raise ValueError(f"group @{name} refers to itself")
        if name not in self.groups:
            raise ValueError(f"unknown group @{name}")
        phrases = sorted(self.groups[name], key=len, reverse=True)
        inner = seen | {name}
        return "(?:" + "|".join(self._sequence(_split(p), inner) for p in phrases) + ")"


def _key(word: str) -> str:
    """How a word is looked up: lower case, \u2019 as ', up to the first character that is not part
    of a word (the text is split the same way)."""
    match = re.match(r"[\w']+", word.lower().replace("\u2019", "'"))
    return match.group() if match else ""


def _split(pattern: str, on: str = " ") -> list[str]:
    """Split on `on`, but never inside (...) or [...] (raw /regex/ tokens are left alone)."""
    parts: list[str] = []
    depth = 0
    for piece in pattern.split(on):
        if depth > 0:
            parts[-1] += on + piece
        elif piece or on != " ":
            parts.append(piece)
        if not piece.startswith("/"):
            depth += piece.count("(") + piece.count("[") - piece.count(")") - piece.count("]")
    if depth:
        raise ValueError(f"unbalanced brackets in {pattern!r}")
    return parts


def _is_loose(token: str) -> bool:
    return token.startswith("*") or (token.startswith("[") and token.endswith("]"))


@dataclass(frozen=True, slots=True)
class Entry:
    """One pattern with the rule it belongs to; compiled on first use."""

    rule: Mapping[str, Any]
    at_start: bool
    source: str


_WORD_START = re.compile(r"\w[\w'\u2019]*")  # split like _key, so a text word finds its patterns


@lru_cache(maxsize=128)  # one text is tried against many phrase sets in a row
def _word_starts(text: str) -> dict[str, list[int]]:
    """Where each word of `text` starts, by its lookup key (as `_key` makes it)."""
    starts: dict[str, list[int]] = {}
    for word in _WORD_START.finditer(text):
        key = word.group().lower().replace("\u2019", "'").rstrip("'")
        starts.setdefault(key, []).append(word.start())
    return starts


class PhraseSet:
    """Many patterns, each tried only where a word it can begin with stands in the text."""

    def __init__(self, lexicon: Lexicon, rules: Sequence[Mapping[str, Any]]) -> None:
        self.entries: list[Entry] = []
        self._compiled: dict[int, re.Pattern[str]] = {}  # filled on first use
        self._by_word: dict[str, list[int]] = {}
        self._searched: list[int] = []  # patterns that do not begin with a word
        for rule in rules:
            for pattern in rule["patterns"]:
                source, at_start = lexicon.compile(pattern)
                index = len(self.entries)
                self.entries.append(Entry(rule, at_start, source))
                words = lexicon.first_words(pattern)
                if words is None:
                    self._searched.append(index)
                for word in words or ():
                    self._by_word.setdefault(word, []).append(index)

    def _regex(self, index: int) -> re.Pattern[str]:
        if index not in self._compiled:
            self._compiled[index] = re.compile(self.entries[index].source, re.IGNORECASE)
        return self._compiled[index]

    def finditer(self, text: str) -> Iterator[tuple[re.Match[str], Entry]]:
        """Every match of every pattern, overlapping ones included, ordered by start and then
        by the order of the patterns in their file."""
        found: list[tuple[int, int, re.Match[str]]] = []
        starts = _word_starts(text)
        for key in starts.keys() & self._by_word.keys():
            for index in self._by_word[key]:
                regex = self._regex(index)
                for start in starts[key]:
                    if match := regex.match(text, start):
                        found.append((match.start(), index, match))
        for index in self._searched:
            regex, pos = self._regex(index), 0
            while match := regex.search(text, pos):
                found.append((match.start(), index, match))
                pos = match.start() + 1
        for _, index, match in sorted(found, key=lambda f: (f[0], f[1])):
            yield match, self.entries[index]
