"""What a support scenario is, the moods customers write in, and the demo teams' slugs."""

from __future__ import annotations

from dataclasses import dataclass

MOODS = ("angry", "anxious", "confused", "disappointed", "happy", "neutral")
PROBLEM_MOODS = ("angry", "anxious", "confused", "disappointed", "neutral")


@dataclass(frozen=True)
class Scenario:
    """One support situation: what the customer writes and what agents answer."""

    key: str
    team: str  # the demo team's slug
    subjects: tuple[str, ...]
    openers: tuple[str, ...]  # the problem, told plainly; the mood is added around it
    asks: tuple[str, ...]  # an agent asks for what they need
    details: tuple[str, ...]  # the customer's answer to that
    fixes: tuple[str, ...]  # the agent's resolution
    curt: tuple[str, ...]  # a blunt answer, for the agents who write those
    updates: tuple[str, ...]  # on it, not done yet
    notes: tuple[str, ...]  # internal notes
    moods: tuple[str, ...] = PROBLEM_MOODS
    priorities: tuple[str, ...] = ("normal", "normal", "high", "low")
    praise: bool = False  # a thank-you rather than a problem


BILLING, TECH, ORDERS = "billing", "technical-support", "orders-delivery"
