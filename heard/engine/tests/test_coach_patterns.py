"""The phrase language of the rule files: inflections, alternatives, groups, gaps, scope."""

from __future__ import annotations

import re

import pytest

from heard.engine.coaching._patterns import Lexicon, PhraseSet, inflections
from heard.engine.coaching._text import lay_out, negated, opens_clause

LEXICON = Lexicon(
    groups={"doc": ["manual~", "user guide", "help (center|centre)"], "loop": ["@loop"]},
    irregular={"send": ["sent"]},
)


def _matches(pattern: str, text: str) -> list[str]:
    phrase_set = PhraseSet(LEXICON, [{"patterns": [pattern]}])
    return [m.group() for m, _ in phrase_set.finditer(text)]


def test_inflections_cover_regular_and_listed_forms() -> None:
    assert {"configures", "configured", "configuring"} <= inflections("configure", {})
    assert {"stopped", "stopping"} <= inflections("stop", {})
    assert {"replies", "replied"} <= inflections("reply", {})
    assert {"apologize", "apologised", "apologizing"} <= inflections("apologise", {})
    assert "sent" in inflections("send", {"send": ["sent"]})


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("read~ the @doc", "She reads the manuals.", ["reads the manuals"]),
        ("send~ you", "I sent you a link", ["sent you"]),
        (
            "see [the] @doc",
            "see manual, see the help centre",
            ["see manual", "see the help centre"],
        ),
        (
            "(as per|according to) our terms",
            "According to our terms, no.",
            ["According to our terms"],
        ),
        (
            "refer~ you to * @doc",
            "I referred you to our shiny new user guide",
            ["referred you to our shiny new user guide"],
        ),
        (
            "don't hesitate",
            "Dont hesitate, don\u2019t hesitate",
            ["Dont hesitate", "don\u2019t hesitate"],
        ),
        ("you", "you're yours you", ["you"]),
        ("re:\\d+ days", "in 5 days", ["5 days"]),
    ],
)
def test_patterns_match_meaning_not_one_string(
    pattern: str, text: str, expected: list[str]
) -> None:
    assert _matches(pattern, text) == expected


@pytest.mark.parametrize(
    "pattern", ["* gap first", "ends optional [x]", "(unbalanced", "a [*2] b", "@loop x"]
)
def test_malformed_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError):
        LEXICON.compile(pattern)


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("You don't need to read the manual", "read", True),
        ("There's no need to read the manual", "read", True),
        ("I won't ask you to dig through the FAQ", "dig", True),
        ("No, please read the manual", "read", False),
        ("I don't mind, but please read the manual", "read", False),
        ("It isn't hard, so read the manual", "read", False),
    ],
)
def test_negation_reaches_to_the_end_of_its_clause(text: str, word: str, expected: bool) -> None:
    assert negated(text, text.index(word)) is expected


def test_imperatives_must_open_their_clause() -> None:
    text = "If that fails, please just restart it. I restart it daily."
    first, second = (m.start() for m in re.finditer("restart", text))
    assert opens_clause(text, first) and not opens_clause(text, second)


def test_customer_words_inside_the_draft_are_set_apart() -> None:
    draft = 'Hi Ana,\n> YOU NEVER ANSWER\nYou wrote "read the manual". Sorry.\n\nBest,\nTom'
    layout = lay_out(draft)
    assert layout.in_quote(draft.index("NEVER"), draft.index("NEVER") + 5)
    assert layout.in_quote(draft.index("read"), draft.index("read") + 4)
    assert layout.greeting is not None and layout.signoff is not None
    assert draft[slice(*layout.greeting)] == "Hi Ana,"
    assert draft[slice(*layout.signoff)] == "Best,\nTom"
    assert [draft[s:e] for s, e in layout.sentences][2:] == ["Sorry.", "Best,", "Tom"]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Order No. 5 is late. Please help.", ["Order No. 5 is late.", "Please help."]),
        ("No. That doesn't work for me", ["No.", "That doesn't work for me"]),
        ("1. Open the app. 2. It crashes.", ["1. Open the app.", "2. It crashes."]),
        ("04587. Same as I wrote.", ["04587.", "Same as I wrote."]),
        ("Mr. Jones called. Thanks.", ["Mr. Jones called.", "Thanks."]),
    ],
)
def test_sentences_end_where_a_reader_would_end_them(text: str, sentences: list[str]) -> None:
    assert [text[s:e] for s, e in lay_out(text).sentences] == sentences
