"""Weeks of desk history built through the real actions, from a seed: tickets on business days
for Billing (Alice writes warmly, Bob curtly) and Tech (Olga), readings set by the lead,
promises, second messages calmer or not, solves, watchdog breaches, surveys and follow-ups.
Used where a test needs many days of varied history (the direct computation, the browser)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from heard.care import follow_ups, surveys
from heard.care.models import FollowUp, Survey
from heard.desk import actions
from heard.desk.models import Agent, Customer, Direction, Status, Team, Ticket
from heard.test import make_customer

OPENINGS = {
    "anger": "I was charged twice and nobody answers. I am furious!",
    "frustration": "Third time asking: where is my invoice? This is getting tiresome.",
    "anxiety": "I'm worried my card was charged for a plan I cancelled. Please help soon.",
    "disappointment": "I expected better: the refund you promised never came.",
    "confusion": "I don't understand the new bill, which line is the VAT?",
    "neutral": "Could you change the address on my invoices, please?",
}
AGAIN = {
    "happiness": "Thank you so much, that sorted it!",
    "neutral": "Thanks. One more thing: can I get a copy by email?",
    "anger": "That did not fix anything. I am still charged twice!",
}
WARM = ("Hi {name},\n\nI'm so sorry about the trouble, and I can see why you're upset. I've "
        "fixed it today and you'll see the change within 3 working days.\n\nIf anything is "
        "still not right, just reply here and I'll pick it up.\n\n{agent}")
CURT = "Dear Customer,\n\nPlease read the billing guide. This is user error.\n\nRegards"


def business_days(first: date, count: int) -> list[date]:
    days: list[date] = []
    day = first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def seed_history(billing: Team, tech: Team, lead: Agent, agents: dict[str, Agent],
                 first: date, days: int, seed: int = 5) -> list[Ticket]:
    """`agents`: "warm" and "curt" in Billing, "tech" in Tech. Returns the tickets opened."""
    rng = random.Random(seed)
    customers = [make_customer(f"Customer {n}", f"customer{n}@example.com") for n in range(15)]
    opened = []
    for day in business_days(first, days):
        for _ in range(rng.randint(2, 4)):
            opened.append(_ticket(rng, day, billing, tech, lead, agents, customers))
        actions.run_watchdog(now=_at(day, 17, 30))
    return opened


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _ticket(rng: random.Random, day: date, billing: Team, tech: Team, lead: Agent,
            agents: dict[str, Agent], customers: list[Customer]) -> Ticket:
    in_tech = rng.random() < 0.25
    team = tech if in_tech else billing
    agent = agents["tech"] if in_tech else agents[rng.choice(["warm", "warm", "curt"])]
    feeling = rng.choice(list(OPENINGS))
    customer = rng.choice(customers)
    when = _at(day, 9) + timedelta(minutes=rng.randint(0, 420))
    ticket = actions.open_ticket(customer=customer, team=team, subject=f"About {feeling}",
                                 text=OPENINGS[feeling], at=when)
    actions.correct_emotion(ticket.messages.get(direction=Direction.CUSTOMER), lead, feeling)
    calendar = team.calendar()
    if rng.random() < 0.7:
        promised = calendar.add(when, timedelta(minutes=rng.choice([30, 60, 120, 240])))
        actions.record_promise(ticket, promised, at=when + timedelta(seconds=30))
    if rng.random() < 0.15:
        return ticket  # nobody has answered it yet
    at = calendar.add(when, timedelta(minutes=rng.randint(10, 600)))
    _reply(ticket, agent, at, rng.random() < 0.5)
    if rng.random() < 0.6:
        feeling = rng.choice(list(AGAIN))
        at += timedelta(minutes=rng.randint(20, 180))
        message = actions.record_customer_message(ticket, AGAIN[feeling], at=at)
        actions.correct_emotion(message, lead, feeling)
        at = calendar.add(at, timedelta(minutes=rng.randint(5, 300)))
        _reply(ticket, agent, at, True)
    ticket.refresh_from_db()
    if ticket.status == Status.SOLVED:
        _answers(rng, ticket, at)
    return ticket


def _reply(ticket: Ticket, agent: Agent, at: datetime, solve: bool) -> None:
    curt = agent.user.username == "bob"
    text = CURT if curt else WARM.format(name=ticket.customer.address_name(),
                                         agent=agent.first_name())
    actions.post_agent_reply(ticket, agent, text, status=Status.SOLVED if solve else None, at=at,
                             send_anyway=curt)


def _answers(rng: random.Random, ticket: Ticket, solved: datetime) -> None:
    if rng.random() < 0.6:
        asked = solved + timedelta(hours=rng.randint(1, 30))
        survey = Survey.objects.create(ticket=ticket, created_at=asked)
        surveys.answer(survey, rng.choice([1, 2, 3, 4, 5, 5, 4]), now=asked + timedelta(hours=2))
    if rng.random() < 0.4:
        asked = solved + timedelta(days=1, hours=rng.randint(0, 8))
        follow_up = FollowUp.objects.create(ticket=ticket, created_at=asked)
        follow_ups.answer(follow_up, rng.choice(["better", "better", "not_yet", "broken"]),
                          now=asked + timedelta(hours=3))
