"""The acknowledgement's restatement: only what happened to the customer or went wrong, never
their own plain actions or wishes, in one well-formed sentence (suggestion and mail alike)."""

from __future__ import annotations

import re
from typing import NamedTuple

import pytest

from heard.engine import Emotion
from heard.engine.coaching import acknowledgement
from heard.engine.coaching._data import load
from heard.engine.coaching._restate import restatement
from heard.engine.coaching._text import lay_out

EMOTIONS = tuple(str(emotion) for emotion in Emotion)
PROBE = {emotion: "<<{restated}>>" for emotion in EMOTIONS}
PLAIN = {emotion: "--" for emotion in EMOTIONS}


class Case(NamedTuple):
    message: str
    emotion: str
    has: tuple[str, ...] = ()  # the restatement says this (empty: anything, or nothing)
    lacks: tuple[str, ...] = ()  # ... and never this
    plain: bool = False  # nothing restates safely: the plain line is used


CASES = [
    Case(
        "I cancelled my subscription weeks ago and I'm still being charged every month!",
        "anger",
        has=("you're still being charged every month",),
        lacks=("you cancelled",),
    ),
    Case("I cancelled weeks ago.", "anger", plain=True),
    Case(
        "I ordered a smart thermostat three weeks ago and it still hasn't arrived. Unacceptable.",
        "anger",
        has=("your smart thermostat still hasn't arrived",),
        lacks=("you ordered",),
    ),
    Case(
        "I ordered a bike lock (order 1042) two weeks ago and it still has not arrived.",
        "anxiety",
        has=("your bike lock still has not arrived",),
    ),
    Case(
        "We bought the [Pro] plan last week and it keeps logging us out.",
        "frustration",
        has=("your [Pro] plan keeps logging you out",),
    ),
    Case("My parcel (I paid for express, and it was not cheap) never arrived.", "anger"),
    Case(
        "inbound was late and i've missed my connection to Singapore. i'm at gate C12.",
        "anxiety",
        has=("inbound was late",),
    ),
    Case(
        "Daniel fixed my boiler in ten minutes, and Daniel was lovely about it.",
        "happiness",
        has=("Daniel fixed your boiler",),
    ),
    Case("04587. Same as I wrote twice already.", "frustration", plain=True),
    Case(
        "That's your negligence, and I want the return flight and the lost hotel nights paid for.",
        "anger",
        lacks=("paid for",),
    ),
    Case(
        "I want say the driver park in front of my garage again and I cannot go out for 20 min.",
        "frustration",
        has=("you cannot go out",),
    ),
    Case(
        "I want a refund and the parcel was never delivered.",
        "anger",
        has=("the parcel was never delivered",),
    ),
    Case("I ordered a smart thermostat.", "neutral", plain=True),
    Case("I ordered a smart thermostat last week.", "frustration", plain=True),
    Case("I'd like to move my delivery to Friday.", "neutral", plain=True),
    Case("I would like to upgrade to the Pro plan, please.", "neutral", plain=True),
    Case("I am writing to ask about your opening hours.", "neutral", plain=True),
    Case("I want to change the email address on my account.", "neutral", plain=True),
    Case(
        "My order arrived broken and I'm really annoyed.",
        "frustration",
        has=("your order arrived broken",),
        lacks=("annoyed",),
    ),
    Case(
        "Since your last update, my screen reader can't read the buttons on the checkout page "
        "anymore. I'm blind and I literally cannot complete a purchase. This is frustrating.",
        "frustration",
        lacks=("you're blind", "frustrat"),
    ),
    Case(
        "I returned the jacket 40 days ago and I STILL don't have my refund. Nobody answers my "
        "emails. This is outrageous.",
        "anger",
        has=("you still don't have your refund",),
        lacks=("you returned",),
    ),
    Case(
        "You charged me twice for the same invoice.",
        "anger",
        has=("we charged you twice for the same invoice",),
    ),
    Case(
        "I ordered the boots in size 39 and received size 42. Pretty disappointing.",
        "disappointment",
        lacks=("you ordered",),
    ),
    Case(
        "I think I accidentally deleted our whole project folder. Is everything gone?? "
        "We have a client presentation tomorrow morning and I'm panicking.",
        "anxiety",
        lacks=("you think", "you accidentally deleted", "panicking", "you have a client"),
    ),
    Case(
        "My prescription delivery was supposed to come yesterday and it still hasn't. "
        "I'm scared I'll run out.",
        "anxiety",
        has=("your prescription delivery was supposed to come yesterday",),
        lacks=("scared",),
    ),
    Case(
        "I don't understand why I was charged twice this month.",
        "confusion",
        has=("you were charged twice this month",),
        lacks=("you don't understand",),
    ),
    Case(
        "I've been trying to log in for an hour. The password reset email never arrives, I've "
        "checked spam three times. This is so annoying.",
        "frustration",
        has=("the password reset email never arrives",),
        lacks=("you've checked", "you've been trying"),
    ),
    Case(
        "This is the third time I'm writing about the broken invoice download.",
        "anger",
        has=("the broken invoice download",),
    ),
    Case(
        "Thank you so much, the replacement arrived today and works perfectly!",
        "happiness",
        has=("the replacement arrived today and works perfectly",),
    ),
    Case(
        "We arrived at 11pm after a seven-hour drive and were told our prepaid room had been "
        "given away. I am absolutely livid.",
        "anger",
        has=("you were told your prepaid room had been given away",),
        lacks=("that you arrived", "livid"),
    ),
    Case(
        "I paid invoice 2024-118 by bank transfer on Monday but my account still shows it as "
        "unpaid. Can you check?",
        "neutral",
        has=("your account still shows it as unpaid",),
        lacks=("you paid",),
    ),
    Case(
        "I lost my phone and now I can't log in because of two-factor authentication.",
        "anxiety",
        has=("you can't log in",),
        lacks=("you lost",),
    ),
    Case(
        "My father passed away last month and I need to close his account.",
        "disappointment",
        lacks=("you need",),
    ),
    Case(
        "I've tried to reset my password four times and the link keeps expiring.",
        "frustration",
        has=("the link keeps expiring",),
        lacks=("you've tried",),
    ),
    Case(
        "I signed up for the monthly plan but you charged me €540 for a whole year. That's my "
        "rent money.",
        "anger",
        has=("we charged you €540 for a whole year",),
        lacks=("you signed up",),
    ),
    Case(
        "The app keeps crashing when I open it.",
        "frustration",
        has=("the app keeps crashing when you open it",),
    ),
    Case(
        "That's the second time my parcel has been lost.",
        "anger",
        has=("the second time your parcel has been lost",),
    ),
    Case(
        "I'm worried because my card was charged €300 that I don't recognise.",
        "anxiety",
        has=("your card was charged €300 that you don't recognise",),
        lacks=("worried",),
    ),
    Case(
        "I was really looking forward to the concert, but it was cancelled.",
        "disappointment",
        lacks=("looking forward",),
    ),
    Case("Could you please send me a copy of my invoice?", "neutral", plain=True),
    Case(
        "You people have taken money from my account without permission.",
        "anger",
        has=("we have taken money from your account without permission",),
        lacks=("we people",),
    ),
    Case(
        "Daniel fixed my sync problem in ten minutes yesterday and everything works perfectly "
        "now. You guys are great.",
        "happiness",
        has=("Daniel fixed your sync problem",),
    ),
    Case("Hello, I want to cancel my order #5512.", "neutral", plain=True),
    Case(
        "I have been waiting two weeks for an answer. This is outrageous.",
        "anger",
        has=("you have been waiting two weeks for an answer",),
    ),
    Case(
        "I'm so frustrated. I need the invoice for my accountant by Friday.",
        "frustration",
        plain=True,
    ),
    Case(
        "I just realised my order is going to my old address! I moved out last week.",
        "anxiety",
        lacks=("you just realised", "you moved out"),
    ),
]

#: Wording that apologises for, or thanks them for, what the customer did or wants.
NEVER = re.compile(
    r"(?:sorry|worrying it is|confusing|know|hear) that (?:you|although you) (?:"
    r"ordered|cancell?ed|canceled|would like|'d like|want|wanted|need|are writing|'re writing|"
    r"am writing|wrote|returned|bought|paid|signed up|tried|'ve tried|have tried|think|"
    r"accidentally|moved|arrived|were really looking|are really|'re really|are so|'re so)",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"(?<![\w'])(?:I|I'm|I've|I'd|me|my|mine|myself)(?![\w'])")
_BAD_AGREEMENT = re.compile(
    r"\b(?:you (?:was|is|am|has|doesn't)|we (?:was|is|am|has|doesn't)|we (?:guys|people|lot))\b",
    re.IGNORECASE,
)
_ENDS = re.compile(r"[.!?](?:\s|$)")


def restated(message: str, emotion: str) -> str | None:
    """What the acknowledgement would restate (before it checks the whole line with the
    coach, which may still fall back to the plain line)."""
    said = restatement(message, emotion)
    if said is not None:
        probe = acknowledgement(message, emotion, PROBE, PLAIN)
        assert probe in {f"<<{said}>>", "--"}, probe
    return said


def assert_well_formed(text: str) -> None:
    """One clause-level piece of a sentence: it reads after "We're sorry that ..."."""
    words = re.findall(r"[\w'\u2019]+", text.lower())
    assert len(words) >= 3, text
    assert words[0] not in {"and", "but", "so", "because", "or", "which", "that", "then"}, text
    ends = set(load("lexicon.toml")["words"]["dangling_ends"]) - {"that", "this"}
    assert words[-1] not in ends, text
    assert not re.search(r"\bthat that\b", text, re.I), text
    assert not re.search(r"\b(\w+) \1\b", text, re.I), text  # "you you", "the the"
    assert not _ENDS.search(text), f"more than one sentence: {text}"
    assert not _FIRST_PERSON.search(text), f"pronouns not turned round: {text}"
    assert not _BAD_AGREEMENT.search(text), text
    assert text == text.strip() and "  " not in text, text
    for opening, closing in (("(", ")"), ("[", "]"), ("{", "}"), ("\u201c", "\u201d")):
        assert text.count(opening) == text.count(closing), f"unbalanced {opening}{closing}: {text}"
    assert not re.search(r"\b[A-Z]{4,}\b", text), f"still shouting: {text}"
    assert not text[:1].isupper() or text.split()[0] in {"Daniel"}, text
    sentence = f"We're sorry that {text}."
    assert len(lay_out(sentence).sentences) == 1, sentence


def test_there_are_enough_realistic_messages_in_every_mood() -> None:
    assert len(CASES) >= 25
    assert {case.emotion for case in CASES} == set(EMOTIONS)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.message[:40]) for c in CASES])
def test_the_restatement_says_only_what_happened_to_them(case: Case) -> None:
    said = restated(case.message, case.emotion)
    if case.plain:
        assert said is None, said
        return
    if case.has:
        assert said is not None, case.message
    if said is None:
        return
    assert_well_formed(said)
    for text in case.has:
        assert text in said, said
    for text in case.lacks:
        assert text.lower() not in said.lower(), said


@pytest.mark.parametrize("case", [pytest.param(c, id=c.message[:40]) for c in CASES])
def test_no_opening_apologises_for_what_the_customer_did(case: Case) -> None:
    for wording in ("suggest.toml",):
        texts = load(wording)
        for emotion in EMOTIONS:
            line = acknowledgement(
                case.message, emotion, texts["acknowledge"], texts["acknowledge_plain"]
            )
            assert not NEVER.search(line), line
            assert not re.search(r"\bthat that\b", line, re.I), line


def test_a_leading_that_is_not_doubled() -> None:
    said = acknowledgement(
        "That's the second time my parcel has been lost.",
        "anger",
        {"anger": "I'm sorry that {restated}."},
        {"anger": "I'm sorry."},
    )
    assert said == "I'm sorry that this is the second time your parcel has been lost."
