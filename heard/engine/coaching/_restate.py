"""The customer's key sentence, restated in their own words from the agent's side."""

from __future__ import annotations

import re

from heard.engine.coaching._data import load, phrases
from heard.engine.coaching._mood import reports_problem
from heard.engine.coaching._text import lay_out

_PRONOUN = re.compile(r"(?<![\w'\u2019])[A-Za-z]+(?:['\u2019][a-z]+)?(?![\w'\u2019])")
_FIRST_PERSON = re.compile(
    r"(?<![\w'\u2019])(?:i|i['\u2019]m|i['\u2019]ve|my|me|we|our|us)(?![\w'\u2019])", re.I
)
_TRAILING = re.compile(r"[\s.!?,;:]+$")
_THANKS = re.compile(r"\bthank", re.I)
_SECOND_PERSON = re.compile(
    r"(?<![\w'\u2019])(?:you|your|you['\u2019]re|you['\u2019]ve)(?![\w'\u2019])", re.I
)


def key_sentence(message: str, emotion: str) -> str | None:
    """The sentence that best says what happened (a problem, or for praise what went well)."""
    layout = lay_out(message)
    sentences = [message[s:e] for s, e in layout.sentences]
    if not sentences:
        return None
    scored = [(_score(s, emotion), -i, s) for i, s in enumerate(sentences)]
    best = max(scored)
    return best[2] if best[0] > 0 else None


def _score(sentence: str, emotion: str) -> float:
    words = sentence.split()
    score = 2.0 * reports_problem(sentence) + 1.0 * bool(_FIRST_PERSON.search(sentence))
    cues = [e.rule for _, e in phrases("mood.toml").finditer(sentence)]
    if emotion == "happiness":  # what went well to them, not thanks or praise of us
        score += 1.5 * sum(c["emotion"] == "happiness" and c["weight"] >= 1 for c in cues)
        score -= 2.0 * bool(_SECOND_PERSON.search(sentence))
    else:  # the acknowledgement already names the feeling
        score -= 0.5 * sum(c["weight"] >= 1 for c in cues)
    if _THANKS.search(sentence):
        score -= 2
    if sentence.rstrip().endswith("?"):
        score -= 2
    if len(words) < 5 or len(words) > load("suggest.toml")["restate"]["max_words"]:
        score -= 1.5
    return score


def restate(sentence: str) -> str | None:
    """Turn "I was charged twice for my invoice" into "you were charged twice for your invoice".

    None when the sentence does not lend itself to it (a question, an exclamation inside).
    """
    settings = load("suggest.toml")["restate"]
    text = _TRAILING.sub("", sentence.strip())
    words = text.split()
    while words and words[0].strip(",").lower() in settings["drop_leading"]:
        words = words[1:]
    text = " ".join(words).lstrip(", ")
    if not text or "?" in text or "!" in text or len(words) > settings["max_words"]:
        return None
    swapped = _swap_pronouns(text)
    first = swapped.split(maxsplit=1)[0].lower()
    if first in settings["lowercase_starts"]:
        swapped = swapped[0].lower() + swapped[1:]
    return swapped


def _swap_pronouns(text: str) -> str:
    swaps = load("suggest.toml")["swap"]
    first, second = swaps["first_person"], swaps["second_person"]
    objects = set(swaps["you_as_object_after"])
    out: list[str] = []
    previous = ""
    pos = 0
    for match in _PRONOUN.finditer(text):
        word = match.group()
        key = word.lower().replace("\u2019", "'")
        if key in first:
            new = first[key]
        elif key == "you":
            new = "us" if previous in objects else "we"
        elif key in second:
            new = second[key]
        elif previous == "i" and key in swaps["after_i"]:
            new = swaps["after_i"][key]
        else:
            new = word
        out.append(text[pos : match.start()] + new)
        pos = match.end()
        previous = key
    out.append(text[pos:])
    return "".join(out)
