"""The words of the demo data: people's names and the support conversations.

Everything here was written for Heard's demo company, Northlight Home, which sells smart lamps, a
hub and an app with a paid plan. Templates use str.format slots ({name}, {order}, {amount}, ...)
that heard.desk.demo fills per ticket; `all_templates()` lists every template so a test can check
each slot is known.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields

from heard.desk.demo.text import billing, orders, praise, technical
from heard.desk.demo.text.catalogue import COUPONS, DEVICES, PLANS, PRODUCTS, ROOMS
from heard.desk.demo.text.names import (
    COMPANIES,
    CUSTOMER_NOTES,
    POOLS,
    PREFERRED_NAMES,
    NamePool,
)
from heard.desk.demo.text.phrases import (
    AFTER_CLOSED,
    AGENT_GREETINGS,
    AGENT_SIGNOFFS,
    ANNOYED_AFTER_CURT,
    CHASES,
    CURT_COACHING_NOTES,
    CUSTOMER_GREETINGS,
    CUSTOMER_SIGNOFFS,
    DUPLICATE_NOTES,
    DUPLICATE_REPLY,
    EMPATHY,
    GENERIC_NOTES,
    MOOD_CLOSINGS,
    MOOD_OPENINGS,
    PHONE_NOTES,
    REASSIGN_NOTES,
    REPEAT_NOTES,
    ROBOTIC_PREFIXES,
    ROBOTIC_SUFFIXES,
    SECOND_NUDGES,
    SOLVED_AFTER_THANKS,
    SORRY_FOR_MY_ENGLISH,
    SORRY_FOR_THE_WAIT,
    STILL_BROKEN,
    THANKS,
    THIRD_NUDGES,
    TRIAGE_NOTES,
)
from heard.desk.demo.text.scenario import MOODS, Scenario

__all__ = [
    "AFTER_CLOSED",
    "AGENT_GREETINGS",
    "AGENT_SIGNOFFS",
    "ANNOYED_AFTER_CURT",
    "CHASES",
    "COMPANIES",
    "COUPONS",
    "CURT_COACHING_NOTES",
    "CUSTOMER_GREETINGS",
    "CUSTOMER_NOTES",
    "CUSTOMER_SIGNOFFS",
    "DEVICES",
    "DUPLICATE_NOTES",
    "DUPLICATE_REPLY",
    "EMPATHY",
    "MOODS",
    "MOOD_CLOSINGS",
    "MOOD_OPENINGS",
    "PHONE_NOTES",
    "PLANS",
    "POOLS",
    "PREFERRED_NAMES",
    "PRODUCTS",
    "REASSIGN_NOTES",
    "ROBOTIC_PREFIXES",
    "ROBOTIC_SUFFIXES",
    "ROOMS",
    "SCENARIOS",
    "SECOND_NUDGES",
    "SOLVED_AFTER_THANKS",
    "SORRY_FOR_MY_ENGLISH",
    "SORRY_FOR_THE_WAIT",
    "STILL_BROKEN",
    "THANKS",
    "THIRD_NUDGES",
    "TRIAGE_NOTES",
    "NamePool",
    "Scenario",
    "all_templates",
]

# The demo draws from this tuple by position, so its order is part of what the seed gives.
SCENARIOS: tuple[Scenario, ...] = (
    *billing.SCENARIOS, *technical.SCENARIOS, *orders.SCENARIOS, *praise.SCENARIOS,
)


def all_templates() -> Iterator[str]:
    """Every template string of the demo text, for checking that each slot gets filled."""
    for scenario in SCENARIOS:
        for field in fields(scenario):
            value = getattr(scenario, field.name)
            if isinstance(value, tuple) and field.name not in {"moods", "priorities"}:
                yield from value
    groups: list[object] = [
        MOOD_OPENINGS, MOOD_CLOSINGS, CUSTOMER_GREETINGS, CUSTOMER_SIGNOFFS, AGENT_GREETINGS,
        EMPATHY, AGENT_SIGNOFFS, SECOND_NUDGES, THIRD_NUDGES, CHASES, ANNOYED_AFTER_CURT,
        THANKS, STILL_BROKEN, AFTER_CLOSED, SORRY_FOR_THE_WAIT, ROBOTIC_PREFIXES,
        ROBOTIC_SUFFIXES, SOLVED_AFTER_THANKS, DUPLICATE_REPLY, GENERIC_NOTES,
        CURT_COACHING_NOTES, REASSIGN_NOTES, TRIAGE_NOTES, DUPLICATE_NOTES, PHONE_NOTES,
        REPEAT_NOTES,
    ]
    for group in groups:
        values = group.values() if isinstance(group, dict) else [group]
        for texts in values:
            yield from texts  # type: ignore[misc]
