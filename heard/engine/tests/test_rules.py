"""The cue rules in data/cues.toml and how they add up to urgency and churn risk."""

from __future__ import annotations

import pytest

from heard.engine import Emotion, EngineConfig, read
from heard.engine._rules import _expand, rulebook

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


ASKS_FOR_A_MANAGER = [
    "Let me speak to a manager.",
    "I want your supervisor.",
    "Put me through to someone in charge.",
    "Escalate this to someone more senior.",
    "I'd like to file a formal complaint.",
    "Get me your boss.",
    "I demand to speak to a manager about the way I've been treated.",
    "Can I talk to your supervisor please?",
    "I want to speak with someone more senior, now.",
    "Please escalate this to your team leader.",
    "Transfer me to a manager right away.",
    "I wish to make a formal complaint about the engineer.",
    "Have your manager call me today.",
    "I'd like this escalated to management.",
    "Pass me on to your line manager.",
    "Is there a supervisor I can speak to?",
    "This is a formal complaint.",
    "I want to lodge a complaint.",
    "Who is your manager?",
    "I'm not happy, so let me talk to whoever is in charge.",
    "Please escalate my complaint.",
    "Can I have your manager\u2019s email address?",
    "LET ME SPEAK TO A MANAGER",
    "Put your supervisor on the phone.",
    "I want to complain to your CEO.",
]

NOT_ASKING_FOR_A_MANAGER = [
    "My manager asked me to contact you about the invoice.",
    "The account manager feature doesn't load.",
    "Our IT manager says the export is broken.",
    "The password manager won't autofill on your login page.",
    "I need a manager account for my colleague.",
    "Your manager promised a refund and then denied ever saying it.",
    "I'll forward your answer to my boss.",
    "I'll raise this with my manager tomorrow.",
    "I spoke to your supervisor yesterday and it's sorted, thanks.",
    "I don't want to speak to a manager, I just want it fixed.",
    "No need to escalate this, it's a small thing.",
    "I'm not going to file a formal complaint, but please be more careful.",
    "I'm not asking for a manager, just an answer.",
    "The situation escalated quickly once the pipe burst.",
    "I'm the manager of the shop and I need a second login.",
    "Can you add a supervisor role for our team leads?",
    "Ten years with you and never a complaint.",
    "Who is in charge of the billing address on the invoice?",
    "I asked the store manager and he said to email you.",
    "Please escalate this to engineering.",
    "Surely one missed delivery isn't worth a formal complaint.",
]


@pytest.mark.parametrize("text", ASKS_FOR_A_MANAGER)
def test_a_request_for_a_manager_is_an_escalation_cue(text: str) -> None:
    assert [cue.kind for cue in rulebook().cues(text)].count("escalation") == 1, text


@pytest.mark.parametrize("text", NOT_ASKING_FOR_A_MANAGER)
def test_a_manager_mentioned_or_a_request_declined_is_no_escalation_cue(text: str) -> None:
    assert "escalation" not in [cue.kind for cue in rulebook().cues(text)], text


def test_asking_for_a_manager_raises_urgency_without_making_it_urgent_alone() -> None:
    plain = rulebook().cues("About my order.")
    manager = rulebook().cues("About my order: let me speak to a manager.")
    assert rulebook().score("urgency", manager, ANGRY) > rulebook().score("urgency", plain, ANGRY)
    # The label guide flags a manager request as an escalation, not as urgent by itself.
    assert rulebook().score("urgency", manager, ANGRY) < 0.5


def test_phrases_expand_as_groups_and_leave_counted_repeats_alone() -> None:
    assert _expand(r"!{2,}{boss}", {"boss": "manager|boss"}) == r"!{2,}(?:manager|boss)"
    with pytest.raises(ValueError, match="not a phrase"):
        _expand("{later}", {})


def test_a_request_taken_back_is_no_cue_but_a_later_one_is() -> None:
    text = "I don't want to speak to a manager. OK, now I do: get me your boss."
    [cue] = [cue for cue in rulebook().cues(text) if cue.kind == "escalation"]
    assert cue.text == "get me your boss"
