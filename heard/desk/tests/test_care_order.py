from __future__ import annotations

from datetime import UTC, datetime, timedelta

from heard.desk.care_order import CareSignals, care_at, care_credit, care_reason, mood_trend

DUE = datetime(2026, 11, 24, 10, tzinfo=UTC)


def test_a_calm_first_message_gets_no_credit() -> None:
    assert care_credit(CareSignals(emotion="neutral", confidence=0.9, unanswered=1)) == timedelta()
    assert care_at(DUE, CareSignals()) == DUE


def test_distress_urgency_churn_and_repeats_add_up_to_at_most_twenty_hours() -> None:
    worst = CareSignals(emotion="anger", confidence=1.0, urgency=1.0, churn_risk=1.0, unanswered=9)
    assert care_credit(worst) == timedelta(hours=20)
    some = CareSignals(emotion="anxiety", confidence=0.5, urgency=0.5, unanswered=2)
    assert care_credit(some) == timedelta(hours=0.4 * 4 + 3 + 2)


def test_it_is_none_when_not_waiting_on_us() -> None:
    assert care_at(None, CareSignals(emotion="anger", confidence=1.0)) is None


def test_the_reason_says_it_in_a_few_words() -> None:
    signals = CareSignals(
        emotion="anger", confidence=0.9, unanswered=3,
        cue_labels=("deadline today", "cancel my subscription", "charged twice"),
    )
    assert care_reason(signals) == "angry · wrote 3 times · deadline today · cancel my subscription"
    assert care_reason(CareSignals(emotion="happiness", unanswered=1)) == ""


def test_the_reason_says_when_the_customer_asked_for_a_manager() -> None:
    signals = CareSignals(emotion="anger", unanswered=2, asked_for_manager=True)
    assert care_reason(signals) == "angry · asked for a manager · wrote 2 times"


def test_the_trend_follows_negativity_between_two_messages() -> None:
    calm = {"neutral": 0.9, "anger": 0.05}
    angry = {"anger": 0.8, "frustration": 0.1}
    assert mood_trend(None, angry) == ""
    assert mood_trend(calm, angry) == "heating up"
    assert mood_trend(angry, calm) == "calming down"
    assert mood_trend(angry, angry) == "steady"
    # written again before any answer: not calming down, unless now happy
    assert mood_trend(angry, calm, answered=False) == "steady"
    assert mood_trend(angry, {"happiness": 0.9, "anger": 0.05}, answered=False) == "calming down"
