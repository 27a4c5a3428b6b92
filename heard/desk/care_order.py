"""Care priority: who is waiting and hurting most comes first.

The queue is ordered by `care_at`, a moment computed from the reply clock:

    care_at = reply_due_at - care credit

The credit is how much earlier than its response target a ticket deserves to be served, given
what the customer's latest message carries:

    credit (hours) = 4 x emotion intensity      (anger 1.0, frustration and anxiety 0.8,
                                                 disappointment 0.6, confusion 0.3, else 0;
                                                 times the reading's confidence)
                   + 6 x urgency                (0..1, from the engine's urgency cues)
                   + 4 x churn risk             (0..1)
                   + 2 x extra messages unanswered (at most 3)

so the largest credit is 20 hours. Because the credit is a shift in time, SLA slack still counts
fully: a calm ticket already overdue stays above an upset one due next week, while an angry
customer writing a third time about a deadline today overtakes calm tickets due a few hours
sooner.

The escalation's care bump: while a ticket is escalated (the watchdog's reasons, or a request
for a manager) its care_at is no later than the moment it escalated,

    care_at = min(reply_due_at - credit, escalated_at)

so an escalation moves it ahead of every calm ticket not yet due, while tickets already overdue
stay ahead of it; the forecast of its reply (and the update email the customer then gets) counts
only who still stands before it. An agent's answer clears the escalation and the bump with it.

A ticket that needs a person rather than a reply target (an email Heard could not read: there
is nobody to answer yet, only a message for an agent to look at) has no clock, so its care_at is
null and it stands after every customer waiting on a reply; its row says why ("needs a person:
this email could not be read").

Storing care_at keeps the queue one indexed query; it changes only when the clock, the reading
or the escalation does, never merely because time passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

EMOTION_WEIGHT = {
    "anger": 1.0,
    "frustration": 0.8,
    "anxiety": 0.8,
    "disappointment": 0.6,
    "confusion": 0.3,
}
ADJECTIVE = {
    "anger": "angry",
    "frustration": "frustrated",
    "anxiety": "anxious",
    "disappointment": "disappointed",
    "confusion": "confused",
    "happiness": "happy",
    "neutral": "calm",
}
NEGATIVE = ("anger", "frustration", "anxiety", "disappointment")
TREND_STEP = 0.15  # change in negativity between two messages that counts as a trend


@dataclass(frozen=True)
class CareSignals:
    """What the latest customer message and the conversation say about the person."""

    emotion: str = "neutral"
    confidence: float = 0.0
    urgency: float = 0.0
    churn_risk: float = 0.0
    unanswered: int = 0
    cue_labels: tuple[str, ...] = ()
    asked_for_manager: bool = False  # an unanswered message asks for one (the ticket escalated)
    escalated_at: datetime | None = None  # escalated and not yet answered: the care bump
    needs_person: str = ""  # "needs a person: ..." when no reply clock applies (see above)


def care_credit(signals: CareSignals) -> timedelta:
    intensity = EMOTION_WEIGHT.get(signals.emotion, 0.0) * signals.confidence
    repeats = min(max(signals.unanswered - 1, 0), 3)
    hours = 4 * intensity + 6 * signals.urgency + 4 * signals.churn_risk + 2 * repeats
    return timedelta(hours=hours)


def care_at(reply_due_at: datetime | None, signals: CareSignals) -> datetime | None:
    """When to serve the ticket in care order; None when it is not waiting on us (or needs a
    person rather than a reply). An escalated ticket is served no later than when it escalated."""
    if reply_due_at is None or signals.needs_person:
        return None
    at = reply_due_at - care_credit(signals)
    if signals.escalated_at is not None:
        at = min(at, signals.escalated_at)
    return at


NEEDS_PERSON = "needs a person: "  # how a care cue that takes the ticket off the clock begins


def needs_person(reason: str) -> str:
    """The cue stored on a ticket that needs a person, not a reply target: "needs a person: this
    email could not be read"."""
    return NEEDS_PERSON + reason


def care_reason(signals: CareSignals) -> str:
    """The few words the queue shows after "waiting 3 h": "angry · wrote 3 times · deadline"."""
    parts = [signals.needs_person] if signals.needs_person else []
    if signals.emotion in EMOTION_WEIGHT:
        parts.append(ADJECTIVE[signals.emotion])
    if signals.asked_for_manager:
        parts.append("asked for a manager")
    if signals.unanswered >= 2:
        parts.append(f"wrote {signals.unanswered} times")
    parts += signals.cue_labels[:2]
    return " · ".join(parts)


def negativity(scores: dict[str, float]) -> float:
    return sum(scores.get(emotion, 0.0) for emotion in NEGATIVE)


def mood_trend(
    previous: dict[str, float] | None, latest: dict[str, float], *, answered: bool = True
) -> str:
    """"heating up", "calming down" or "steady" between two messages' emotion scores.

    A customer who wrote again before anyone answered is not calming down, whatever their words
    (a terse "any news?" reads less negative than the complaint before it), unless they now
    write happily ("never mind, it works now!")."""
    if previous is None:
        return ""
    change = negativity(latest) - negativity(previous)
    if change >= TREND_STEP:
        return "heating up"
    happy = max(latest, key=latest.__getitem__, default="") == "happiness"
    if change <= -TREND_STEP and (answered or happy):
        return "calming down"
    return "steady"
