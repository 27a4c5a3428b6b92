"""The cue rules in data/cues.toml and how they add up to urgency and churn risk."""

from __future__ import annotations

import pytest

from heard.engine import Emotion, EngineConfig, read
from heard.engine._rules import rulebook

CALM = dict.fromkeys(Emotion, 0.0) | {Emotion.NEUTRAL: 1.0}
ANGRY = dict.fromkeys(Emotion, 0.0) | {Emotion.ANGER: 1.0}


def test_every_rule_has_a_known_kind_and_a_weight_in_range() -> None:
    book = rulebook()
    assert book.rules
    for rule in book.rules:
        assert rule.kind in book.kinds
        assert 0.0 < rule.weight <= 1.0, rule.label


def test_cue_text_is_the_span_of_the_text() -> None:
    text = (
        "Third time writing!! Our website is down, we're losing money, cancel my plan by tonight."
    )
    cues = rulebook().cues(text)
    assert {cue.label for cue in cues} >= {
        "written several times",
        "service down",
        "losing money",
        "cancel my subscription",
        "needed today",
    }
    for cue in cues:
        assert text[cue.start : cue.end] == cue.text


def test_a_weaker_cue_inside_a_stronger_one_of_its_kind_is_dropped() -> None:
    labels = [cue.label for cue in rulebook().cues("I'm writing again about my refund.")]
    assert "writing again" in labels
    assert "happened again" not in labels


def test_urgency_and_churn_stay_between_0_and_1() -> None:
    text = "URGENT!!! Fourth time, nobody answered, locked out, losing money, cancel my account."
    cues = rulebook().cues(text)
    for target in ("urgency", "churn"):
        assert 0.0 <= rulebook().score(target, cues, ANGRY) <= 1.0


def test_no_rush_damps_urgency() -> None:
    pressing = rulebook().cues("Please fix it today.")
    calm = rulebook().cues("No rush: please fix it today.")
    assert rulebook().score("urgency", calm, CALM) < rulebook().score("urgency", pressing, CALM)


def test_loyalty_counts_towards_churn_only_when_the_message_is_negative() -> None:
    cues = rulebook().cues("Customer for twelve years.")
    assert rulebook().score("churn", cues, CALM) == 0.0
    assert rulebook().score("churn", cues, ANGRY) > 0.5


@pytest.mark.parametrize("threshold", [0.2, 0.9])
def test_urgent_follows_the_configured_threshold(threshold: float) -> None:
    reading = read("Our shop is offline today.", EngineConfig(urgent_threshold=threshold))
    assert reading.urgent is (reading.urgency >= threshold)
