"""The coach's sentence classifier: paraphrases flagged, sound sentences left alone, and the
shipped artifact in the layout scripts/train_coach.py writes.

The sentences below are in neither the training sentences nor any evaluation set.
"""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from heard.engine.coaching import coach
from heard.engine.coaching._classify import (
    ARRAYS,
    ARTIFACT,
    CODES,
    classifier,
    grams,
    read_arrays,
)
from heard.engine.coaching._data import load

DATA = resources.files("heard.engine.coaching").joinpath("data")
TRAINING = Path(str(DATA)) / "training" / "sentences.jsonl"
BLIND = Path(__file__).parent / "cases" / "coach_blind.jsonl"

PARAPHRASES = [
    ("blame", "The blender cracked because it was run empty for too long."),
    ("blame", "The lamp stopped working because someone plugged it into a dimmer switch."),
    ("dismissive", "I think you're overdoing it a bit over one missing email."),
    ("dismissive", "There's no need to get quite so heated about a voucher."),
    ("policy_wall", "The membership rules don't allow refunds once the month has started."),
    ("rtfm", "The answer is in the installation booklet, so give that a look."),
]

SOUND = [
    "You don't need to read the manual, I'll walk you through it.",
    "No need to read through the guide, I've done it for you.",
    "Don't worry, your photos are safe and nothing has been deleted.",
    "I'm sorry, that's a really frustrating way to start the week.",
    "Even though the policy says 30 days, I've refunded you in full.",
    "I've refunded the order and the money will be back by Friday.",
]


@pytest.mark.parametrize(("code", "sentence"), PARAPHRASES)
def test_it_flags_a_paraphrase_it_was_not_trained_on(code: str, sentence: str) -> None:
    assert code in classifier().flags(sentence)


@pytest.mark.parametrize("sentence", SOUND)
def test_it_leaves_negated_reassuring_and_helpful_sentences_alone(sentence: str) -> None:
    assert classifier().flags(sentence) == []


def test_it_finds_a_paraphrase_in_a_draft_with_the_codes_own_why() -> None:
    draft = "Hi Jo,\n\nThe blender cracked because it was run empty for too long.\n\nSam"
    found = [f for f in coach(draft).findings if f.code == "blame"]
    assert len(found) == 1
    assert draft[found[0].start : found[0].end] == found[0].text
    assert found[0].text == "The blender cracked because it was run empty for too long."
    assert found[0].why == load("codes.toml")["blame"]["why"]


def test_it_never_reads_the_customers_quoted_words_as_the_agents() -> None:
    draft = (
        'Hi Jo, you were told "the answer is in the installation booklet, so give that a '
        "look\", and I'm sorry: I've sent you the steps below and set it up from my side."
    )
    assert "rtfm" not in coach(draft).codes


def test_it_narrows_a_flagged_sentence_to_its_clause() -> None:
    draft = (
        "Hi Jo, I've sent a new charger today; the blender cracked because it was run empty "
        "for too long.\n\nSam"
    )
    (found,) = [f for f in coach(draft).findings if f.code == "blame"]
    assert found.text == "the blender cracked because it was run empty for too long."


def test_a_link_beside_real_help_is_forgiven_as_the_rules_forgive_it() -> None:
    draft = (
        "Hi Jo,\n\nI've reset your password and sent it by text. The answer is in the "
        "installation booklet, so give that a look.\n\nLet me know if anything else comes up."
        "\n\nSam"
    )
    assert "rtfm" not in coach(draft).codes


def test_the_shipped_artifact_has_the_layout_the_training_script_writes() -> None:
    data = DATA.joinpath(ARTIFACT).read_bytes()
    assert len(data) < 2 * 1024 * 1024
    arrays = read_arrays(data)
    assert set(arrays) == set(ARRAYS)
    for name, (kind, dims) in ARRAYS.items():
        assert arrays[name].dtype.kind == kind, name
        assert arrays[name].ndim == dims, name
    assert tuple(arrays["codes"]) == CODES
    columns = len(arrays["vocabulary"])
    assert arrays["idf"].shape == (columns,)
    assert arrays["coef"].shape == (len(CODES), columns)
    assert arrays["intercept"].shape == arrays["threshold"].shape == (len(CODES),)
    assert ((arrays["threshold"] >= 0.5) & (arrays["threshold"] < 1)).all()
    assert len(set(arrays["vocabulary"].tolist())) == columns


@pytest.mark.parametrize("sentence", [text for _, text in PARAPHRASES] + SOUND)
def test_the_fast_lookup_finds_the_training_analyzers_features(sentence: str) -> None:
    model = classifier()
    expected = Counter(c for c in map(model.vocabulary.get, grams(sentence)) if c is not None)
    assert model.columns(sentence) == dict(expected)


def test_the_training_sentences_are_labelled_and_never_taken_from_the_blind_sets() -> None:
    """Neither from the blind drafts nor from the warm/cold pairs, whose test half is blind."""
    rows = [json.loads(line) for line in TRAINING.read_text("utf-8").splitlines()]
    blind = BLIND.read_text("utf-8") + (BLIND.parent / "coach_pairs.jsonl").read_text("utf-8")
    assert len({row["text"] for row in rows}) == len(rows)
    for row in rows:
        assert set(row["codes"]) <= set(CODES), row
        assert row["text"] not in blind, row
    counts = Counter(code for row in rows for code in row["codes"] or ["none"])
    assert min(counts[code] for code in CODES) >= 100
    assert counts["none"] >= 250


def test_probabilities_are_probabilities() -> None:
    p = classifier().probabilities("Thanks, I've fixed it.")
    assert p.shape == (len(CODES),)
    assert np.all((p > 0) & (p < 1))
