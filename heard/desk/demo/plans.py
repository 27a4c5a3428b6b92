"""Planning one ticket: its scenario, customer, channel, priority, mood, script, times and
slots, all drawn from the demo's random generator."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

from heard.desk.demo import text as words
from heard.desk.demo.people import TEAMS, CustomerSpec, TeamSpec
from heard.desk.demo.scripts import ARCS, PRAISE_ARCS, Script, Step
from heard.desk.demo.slots import ticket_slots, when_phrase
from heard.desk.demo.timing import place
from heard.desk.models import Customer, Priority
from heard.desk.sla import BusinessCalendar

CHANNELS = {"email": 55, "portal": 18, "chat": 14, "phone": 8}  # "api" is for API tickets


@dataclass
class Plan:
    customer: Customer
    spec: CustomerSpec
    team: TeamSpec
    subject: str
    channel: str
    priority: str
    mood: str
    steps: list[Step]
    times: list[datetime]
    slots: dict[str, object] = field(default_factory=dict)


def plan_ticket(rng: random.Random, customers: list[tuple[Customer, CustomerSpec]],
                calendars: dict[str, BusinessCalendar], now: datetime) -> Plan:
    scenario = rng.choice([s for s in words.SCENARIOS for _ in range(1 if s.praise else 3)])
    team = next(team for team in TEAMS if team.slug == scenario.team)
    customer, spec = rng.choice(customers)
    channel = "api" if scenario.key == "api_tokens" else \
        rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0]
    priority = rng.choice(scenario.priorities)
    if scenario.moods != ("happy",) and rng.random() < 0.04:
        priority = Priority.URGENT
    mood = rng.choice(scenario.moods)
    script = Script(rng, scenario, mood, channel, spec.language != "en", team.sla[priority])
    arcs = PRAISE_ARCS if scenario.praise else ARCS
    arc = rng.choices([a for a, _ in arcs], weights=[w for _, w in arcs])[0]
    steps, placement = arc(script, priority)
    times = place(steps, placement, team, priority, calendars[team.slug], now)
    slots = ticket_slots(rng, spec, scenario, team, times[0])
    slots["first_when"] = when_phrase(times[0], now, spec.time_zone)
    subject = rng.choice(scenario.subjects).format_map(slots)
    slots["subject"] = subject
    return Plan(customer, spec, team, subject, channel, priority, mood, steps, times, slots)

