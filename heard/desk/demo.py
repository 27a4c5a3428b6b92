"""Realistic demo data: three teams, their agents, 230 customers and 320 conversations.

`load_demo()` builds everything through the real desk actions with timestamps relative to `now`
(the last ~30 days, busiest in the last few), so SLA clocks, audit events, round-robin assignment
and escalations are genuine. A fixed seed makes the data the same on every load. The words live
in heard.desk.demo_text.
"""

from __future__ import annotations

import math
import random
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TextIO, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from heard.desk import actions
from heard.desk import demo_text as words
from heard.desk.models import (
    Agent,
    Customer,
    CustomerEmail,
    Holiday,
    Message,
    Priority,
    Role,
    SlaPolicy,
    Status,
    Team,
    Ticket,
)
from heard.desk.sla import BusinessCalendar

DEMO_PASSWORD = "heard-demo"  # noqa: S105 - every demo login uses it; documented in the output
SEED = 2026
CUSTOMER_COUNT = 230
TICKET_COUNT = 320
AGENT_DOMAIN = "northlight.example"
CUSTOMER_DOMAINS = ("example.com", "example.net", "example.org")

T = TypeVar("T")


class DemoError(Exception):
    """The demo cannot be loaded here, with a message saying why."""


# --- teams and agents -------------------------------------------------------------------------

@dataclass(frozen=True)
class TeamSpec:
    slug: str
    name: str
    time_zone: str
    weekly_hours: dict[str, list[list[str]]]
    holidays: tuple[tuple[int, int, str], ...]  # (month, day, name), every year
    closed_day: tuple[int, str]  # a one-off closed weekday, this many days before now
    sla: dict[str, tuple[int, int]]  # priority: (first, next) response in business minutes


Shifts = list[list[str]]


def _week(weekdays: Shifts, fri: Shifts, sat: Shifts) -> dict[str, Shifts]:
    days = dict.fromkeys(("mon", "tue", "wed", "thu"), weekdays)
    return {**days, "fri": fri, "sat": sat, "sun": []}


TEAMS = (
    TeamSpec(
        "billing", "Billing", "Europe/Ljubljana",
        _week([["08:00", "12:00"], ["13:00", "17:00"]], [["08:00", "12:00"], ["13:00", "15:00"]],
              []),
        ((1, 1, "New Year's Day"), (2, 8, "Prešeren Day"), (6, 25, "Statehood Day"),
         (12, 25, "Christmas Day")),
        (9, "Team training day"),
        {"urgent": (60, 120), "high": (240, 480), "normal": (480, 960), "low": (1440, 2880)},
    ),
    TeamSpec(
        "technical-support", "Technical support", "America/New_York",
        _week([["08:00", "20:00"]], [["08:00", "20:00"]], [["10:00", "16:00"]]),
        ((1, 1, "New Year's Day"), (7, 4, "Independence Day"), (11, 11, "Veterans Day"),
         (12, 25, "Christmas Day")),
        (12, "Company offsite"),
        {"urgent": (30, 60), "high": (120, 240), "normal": (240, 480), "low": (960, 1920)},
    ),
    TeamSpec(
        "orders-delivery", "Orders & delivery", "Asia/Singapore",
        _week([["09:00", "18:00"]], [["09:00", "18:00"]], [["09:00", "13:00"]]),
        ((1, 1, "New Year's Day"), (5, 1, "Labour Day"), (8, 9, "National Day"),
         (12, 25, "Christmas Day")),
        (16, "Warehouse stock-take"),
        {"urgent": (60, 120), "high": (180, 360), "normal": (360, 720), "low": (1440, 2880)},
    ),
)
TEAM_SLUGS = tuple(team.slug for team in TEAMS)


@dataclass(frozen=True)
class AgentSpec:
    username: str
    first: str
    last: str
    role: str
    teams: tuple[str, ...]
    styles: tuple[float, float, float]  # how often they write warm, curt, robotic replies
    max_open: int = 25
    accepts: bool = True


AGENTS = (
    AgentSpec("nina", "Nina", "Kranjc", Role.LEAD, ("billing",), (0.9, 0.1, 0), 12),
    AgentSpec("maya", "Maya", "Horvat", Role.AGENT, ("billing",), (0.85, 0.15, 0)),
    AgentSpec("luka", "Luka", "Petek", Role.AGENT, ("billing", "orders-delivery"),
              (0.4, 0.45, 0.15)),
    AgentSpec("marcus", "Marcus", "Bell", Role.LEAD, ("technical-support",), (0.7, 0.3, 0), 12),
    AgentSpec("priya", "Priya", "Natarajan", Role.AGENT, ("technical-support",), (0.9, 0.1, 0)),
    AgentSpec("diego", "Diego", "Ferreira", Role.AGENT, ("technical-support",), (0.3, 0.25, 0.45)),
    AgentSpec("hannah", "Hannah", "Brooks", Role.AGENT, ("technical-support",), (0.75, 0.25, 0),
              accepts=False),  # on leave: no new assignments
    AgentSpec("sam", "Sam", "Okafor", Role.AGENT, ("technical-support", "orders-delivery"),
              (0.5, 0.5, 0)),
    AgentSpec("weiling", "Wei Ling", "Tan", Role.LEAD, ("orders-delivery",), (0.8, 0.2, 0), 12),
    AgentSpec("arjun", "Arjun", "Mehta", Role.AGENT, ("orders-delivery",), (0.6, 0.2, 0.2)),
    AgentSpec("sofia", "Sofia", "Reyes", Role.AGENT, ("orders-delivery",), (0.85, 0.15, 0)),
    AgentSpec("ines", "Ines", "Kovač", Role.ADMIN, (), (1, 0, 0), accepts=False),
)
STYLES = {agent.username: agent.styles for agent in AGENTS}
LOGINS = (("Agent", "maya"), ("Team lead", "nina"), ("Admin", "ines"))


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    teams: int
    agents: int
    customers: int
    tickets: int
    messages: int
    escalations: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        head = (
            f"Loaded the demo in {self.seconds:.1f} s: {self.teams} teams, {self.agents} agents, "
            f"{self.customers} customers, {self.tickets} tickets, {self.messages} messages, "
            f"{self.escalations} escalations."
            if self.created
            else "The demo data is already loaded; run `heard demo --reset` to load it afresh."
        )
        logins = [f"{label}: {username} / {DEMO_PASSWORD}" for label, username in LOGINS]
        return [head, *logins]


# --- customers --------------------------------------------------------------------------------

@dataclass(frozen=True)
class CustomerSpec:
    name: str
    preferred: str
    pool: words.NamePool
    language: str
    time_zone: str
    emails: tuple[tuple[str, bool], ...]  # (address, bouncing); the first is primary
    birthday: date | None
    consents: tuple[bool, bool, bool]  # follow-up, surveys, birthday
    notes: str
    days_known: int

    @property
    def address_name(self) -> str:
        return self.preferred or self.name.split()[0]


_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
                        "ı": "i", "æ": "ae", "'": "", " ": "", "-": ""})  # noqa: RUF001


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return folded.encode("ascii", "ignore").decode().lower()


def customer_specs() -> list[CustomerSpec]:
    """The demo customers; the same on every call (they do not depend on the time)."""
    rng = random.Random(SEED)
    pools = [pool for pool in words.POOLS for _ in range(pool.weight)]
    specs: list[CustomerSpec] = []
    names: set[str] = set()
    addresses: set[str] = set()
    notes = list(words.CUSTOMER_NOTES)
    while len(specs) < CUSTOMER_COUNT:
        pool = rng.choice(pools)
        name, preferred = _person(rng, pool)
        if name in names:
            continue
        names.add(name)
        note = notes.pop() if notes and rng.random() < 0.08 else ""
        specs.append(_customer_spec(rng, pool, name, preferred, addresses, note))
    return specs


def _person(rng: random.Random, pool: words.NamePool) -> tuple[str, str]:
    if pool.full and (not pool.first or rng.random() < 0.6):
        return rng.choice(pool.full)
    first, last = rng.choice(pool.first), rng.choice(pool.last)
    nickname = words.PREFERRED_NAMES.get(first, "")
    return f"{first} {last}", nickname if rng.random() < 0.5 else ""


def _customer_spec(
    rng: random.Random, pool: words.NamePool, name: str, preferred: str, taken: set[str],
    note: str,
) -> CustomerSpec:
    emails = [(_email(rng, name, taken), rng.random() < 0.03)]
    if rng.random() < 0.12:
        company = _ascii(rng.choice(words.COMPANIES)).replace("&", "")
        emails.append((_unique(f"{_ascii(name.split()[0])}@{company}.example", taken), False))
    has_birthday = rng.random() < 0.45
    birthday = date(rng.randint(1952, 2004), rng.randint(1, 12), rng.randint(1, 28))
    return CustomerSpec(
        name=name, preferred=preferred, pool=pool,
        language="en" if pool.language == "en" or rng.random() < 0.75 else pool.language,
        time_zone=rng.choice(pool.zones), emails=tuple(emails),
        birthday=birthday if has_birthday else None,
        consents=(rng.random() < 0.85, rng.random() < 0.6, has_birthday and rng.random() < 0.5),
        notes=note, days_known=rng.randint(35, 1400),
    )


def _email(rng: random.Random, name: str, taken: set[str]) -> str:
    parts = [_ascii(part) for part in name.split()]
    first, last = parts[0], parts[-1]
    number = rng.randint(1, 99)
    local = rng.choice([f"{first}.{last}", f"{first}{last}", f"{first[0]}{last}",
                        f"{first}.{last}{number}", f"{first}_{number}", f"{last}.{first}"])
    return _unique(f"{local}@{rng.choice(CUSTOMER_DOMAINS)}", taken)


def _unique(address: str, taken: set[str]) -> str:
    local, _, domain = address.partition("@")
    candidate, number = address, 1
    while candidate in taken:
        number += 1
        candidate = f"{local}{number}@{domain}"
    taken.add(candidate)
    return candidate


def demo_customer_addresses() -> list[str]:
    return [address for spec in customer_specs() for address, _ in spec.emails]


# --- one ticket's script ----------------------------------------------------------------------

@dataclass
class Step:
    kind: str  # open, customer, reply, note, status, priority, assign
    text: str = ""
    wait: timedelta = timedelta(0)
    business: bool = False  # the wait runs in the team's business hours (agents at work)
    share: float = 0.0  # after a waiting ticket's pin: this part of the time from pin to now
    status: str | None = None
    priority: str | None = None
    style: str | None = None  # warm, curt or robotic; None is the agent's habit
    first: bool = False  # the first reply: warm replies open with empathy
    sorry: bool = False  # warm replies apologise for the wait
    by_lead: bool = False
    by_system: bool = False


@dataclass(frozen=True)
class Waiting:
    """The ticket waits on us: step `pin` started the clock, `elapsed` of the target ago."""

    pin: int
    elapsed: float


@dataclass(frozen=True)
class Ending:
    """The ticket's last step happened `ago` before now."""

    ago: timedelta


Placement = Waiting | Ending
STATES = {"fresh": (0.05, 0.6), "at_risk": (0.84, 0.96), "breached": (1.15, 2.5)}
MAX_AGENT_WAIT_MINUTES = 1000


@dataclass
class Script:
    """Builds the steps of one ticket for a scenario, a mood and a channel."""

    rng: random.Random
    scenario: words.Scenario
    mood: str
    channel: str
    foreign: bool
    targets: tuple[int, int]  # first and next response targets, business minutes

    def pick(self, options: Sequence[T]) -> T:
        return self.rng.choice(options)

    def hours(self, low: float, high: float) -> timedelta:
        return timedelta(hours=self.rng.uniform(low, high))

    def customer_wait(self) -> timedelta:
        return timedelta(minutes=math.exp(self.rng.uniform(math.log(15), math.log(1800))))

    def agent_wait(self, first: bool) -> timedelta:
        """Mostly within the target, sometimes late; never more than about two working days."""
        target = self.targets[0 if first else 1]
        late = self.rng.random() < 0.15
        minutes = target * self.rng.uniform(*((1.05, 1.8) if late else (0.04, 0.85)))
        return timedelta(minutes=min(minutes, MAX_AGENT_WAIT_MINUTES))

    def opener(self) -> Step:
        mood = self.mood
        closing = self.pick(words.MOOD_CLOSINGS[mood]) if mood != "neutral" or \
            self.rng.random() < 0.5 else ""
        core = " ".join(filter(None, (self.pick(words.MOOD_OPENINGS[mood]),
                                      self.pick(self.scenario.openers), closing)))
        if self.channel in ("chat", "phone"):
            return Step("open", core)
        sorry = self.pick(words.SORRY_FOR_MY_ENGLISH) if self.foreign and \
            self.rng.random() < 0.3 else ""
        signoff = self.pick(words.CUSTOMER_SIGNOFFS[mood])
        greeting = self.pick(words.CUSTOMER_GREETINGS[mood]) if self.channel == "email" else ""
        return Step("open", "\n\n".join(filter(None, (greeting, core, sorry, signoff))))

    def customer(self, options: Sequence[str], *, share: float = 0.0) -> Step:
        text = self.pick(options)
        if self.channel == "email" and self.rng.random() < 0.6:
            text += "\n\n{first_name}"
        return Step("customer", text, self.customer_wait(), share=share)

    def reply(self, options: Sequence[str], status: str | None = None, *, first: bool = False,
              **extra: object) -> Step:
        return Step("reply", self.pick(options), self.agent_wait(first), business=True,
                    status=status, first=first, **extra)  # type: ignore[arg-type]

    def note(self, options: Sequence[str], *, by_lead: bool = False, share: float = 0.0) -> Step:
        wait = timedelta(minutes=self.rng.uniform(2, 25))
        return Step("note", self.pick(options), wait, share=share, by_lead=by_lead)

    def status(self, status: str, *, system: bool = False) -> Step:
        if system:
            wait = timedelta(days=settings.HEARD_AUTO_CLOSE_DAYS, minutes=self.rng.uniform(1, 90))
            return Step("status", wait=wait, status=status, by_system=True)
        wait = timedelta(minutes=self.rng.uniform(5, 90))
        return Step("status", wait=wait, business=True, status=status)

    def waiting(self, pin: int, states: dict[str, int]) -> Waiting:
        state = self.rng.choices(list(states), weights=list(states.values()))[0]
        return Waiting(pin, self.rng.uniform(*STATES[state]))

    def extras(self, priority: str) -> list[Step]:
        """Now and then, triage or a reassignment before the first reply."""
        steps: list[Step] = []
        roll = self.rng.random()
        if roll < 0.12:
            raised = priority != Priority.URGENT
            new = Priority(priority).raised() if raised else Priority.HIGH
            steps.append(Step("priority", wait=self.hours(0.1, 0.6), business=True, priority=new))
            steps.append(self.note(words.TRIAGE_NOTES[:1] if raised else words.TRIAGE_NOTES[1:]))
        elif roll < 0.2:
            steps.append(Step("assign", wait=self.hours(0.1, 1.0), business=True, by_lead=True))
        if self.channel == "phone":
            steps.insert(0, self.note(words.PHONE_NOTES))
        return steps


# --- conversation arcs ------------------------------------------------------------------------

Arc = Callable[[Script, str], tuple[list[Step], Placement]]
MIXED = {"fresh": 5, "at_risk": 2, "breached": 3}


def _unanswered(s: Script, priority: str) -> tuple[list[Step], Placement]:
    return [s.opener()], s.waiting(0, {"fresh": 9, "at_risk": 5, "breached": 6})


def _written_again(s: Script, priority: str) -> tuple[list[Step], Placement]:
    nudge = s.customer(words.SECOND_NUDGES, share=s.rng.uniform(0.35, 0.85))
    return [s.opener(), nudge], s.waiting(0, {"at_risk": 1, "breached": 2})


def _third_time(s: Script, priority: str) -> tuple[list[Step], Placement]:
    second = s.customer(words.SECOND_NUDGES, share=s.rng.uniform(0.2, 0.45))
    third = s.customer(words.THIRD_NUDGES, share=s.rng.uniform(0.6, 0.95))
    return [s.opener(), second, third], s.waiting(0, {"at_risk": 1, "breached": 3})


def _pending_info(s: Script, priority: str) -> tuple[list[Step], Placement]:
    steps = [s.opener(), *s.extras(priority), s.reply(s.scenario.asks, Status.PENDING, first=True)]
    return steps, Ending(s.hours(0.7, 72))


def _info_then_waiting(s: Script, priority: str) -> tuple[list[Step], Placement]:
    steps = [s.opener(), s.reply(s.scenario.asks, Status.PENDING, first=True),
             s.customer(s.scenario.details)]
    return steps, s.waiting(2, MIXED)


def _in_progress(s: Script, priority: str) -> tuple[list[Step], Placement]:
    steps = [s.opener(), *s.extras(priority), s.reply(s.scenario.updates, first=True),
             s.note(s.scenario.notes)]
    return steps, Ending(s.hours(0.5, 48))


def _chase(s: Script, priority: str) -> tuple[list[Step], Placement]:
    steps = [s.opener(), s.reply(s.scenario.updates, first=True), s.note(s.scenario.notes),
             s.customer(words.CHASES)]
    return steps, s.waiting(3, MIXED)


def _curt_then_annoyed(s: Script, priority: str) -> tuple[list[Step], Placement]:
    steps = [s.opener(), s.reply(s.scenario.curt, Status.PENDING, first=True, style="curt"),
             s.customer(words.ANNOYED_AFTER_CURT),
             s.note(words.CURT_COACHING_NOTES, by_lead=True, share=s.rng.uniform(0.2, 0.7))]
    return steps, s.waiting(2, MIXED)


def _reopened(s: Script, priority: str) -> tuple[list[Step], Placement]:
    steps = [s.opener(), s.reply(s.scenario.fixes, Status.SOLVED, first=True),
             s.customer(words.STILL_BROKEN)]
    return steps, s.waiting(2, MIXED)


def _solved_steps(s: Script, priority: str) -> list[Step]:
    """A conversation that ends solved: quick, with thanks, or with a question first."""
    head = [s.opener(), *s.extras(priority)]
    if s.scenario.praise:
        return [*head, s.reply(s.scenario.fixes, Status.SOLVED, first=True, style="warm")]
    shape = s.rng.choice(("quick", "thanks", "dialogue"))
    if shape == "quick":
        return [*head, s.reply(s.scenario.fixes, Status.SOLVED, first=True)]
    if shape == "thanks":
        close = (s.reply(words.SOLVED_AFTER_THANKS, Status.SOLVED) if s.rng.random() < 0.5
                 else s.status(Status.SOLVED))
        return [*head, s.reply(s.scenario.fixes, Status.PENDING, first=True),
                s.customer(words.THANKS), close]
    notes = [s.note(s.scenario.notes)] if s.rng.random() < 0.5 else []
    return [*head, s.reply(s.scenario.asks, Status.PENDING, first=True),
            s.customer(s.scenario.details), *notes, s.reply(s.scenario.fixes, Status.SOLVED)]


def _solved(s: Script, priority: str) -> tuple[list[Step], Placement]:
    return _solved_steps(s, priority), Ending(s.hours(0.5, 80))


def _closed(s: Script, priority: str) -> tuple[list[Step], Placement]:
    steps = [*_solved_steps(s, priority), s.status(Status.CLOSED, system=True)]
    return steps, Ending(s.hours(3, 20 * 24))


def _closed_after_complaint(s: Script, priority: str) -> tuple[list[Step], Placement]:
    steps = [s.opener(), s.reply(s.scenario.curt, Status.PENDING, first=True, style="curt"),
             s.customer(words.ANNOYED_AFTER_CURT), s.note(words.CURT_COACHING_NOTES, by_lead=True),
             s.reply(s.scenario.fixes, Status.SOLVED, style="warm", sorry=True, by_lead=True),
             s.status(Status.CLOSED, system=True)]
    return steps, Ending(s.hours(3, 20 * 24))


def _follow_up(s: Script, priority: str) -> tuple[list[Step], Placement]:
    steps = [*_solved_steps(s, priority), s.status(Status.CLOSED, system=True),
             s.customer(words.AFTER_CLOSED)]
    return steps, Ending(s.hours(1, 48))


def _duplicate(s: Script, priority: str) -> tuple[list[Step], Placement]:
    steps = [s.opener(), s.note(words.DUPLICATE_NOTES),
             s.reply(words.DUPLICATE_REPLY, Status.CLOSED, first=True, style="warm")]
    return steps, Ending(s.hours(24, 25 * 24))


ARCS: tuple[tuple[Arc, int], ...] = (
    (_unanswered, 30), (_written_again, 12), (_third_time, 8), (_pending_info, 28),
    (_info_then_waiting, 18), (_in_progress, 22), (_chase, 12), (_curt_then_annoyed, 12),
    (_reopened, 8), (_solved, 60), (_closed, 85), (_closed_after_complaint, 10),
    (_follow_up, 5), (_duplicate, 5),
)
PRAISE_ARCS: tuple[tuple[Arc, int], ...] = ((_solved, 1), (_closed, 2))
CHANNELS = {"email": 55, "portal": 18, "chat": 14, "phone": 8}  # "api" is for API tickets


# --- placing a script in time ----------------------------------------------------------------

def _schedule(steps: Sequence[Step], start: datetime, calendar: BusinessCalendar) -> list[datetime]:
    times, moment = [], start
    for step in steps:
        moment = calendar.add(moment, step.wait) if step.business else moment + step.wait
        times.append(moment)
    return times


def _rough_span(steps: Sequence[Step]) -> timedelta:
    return sum((step.wait * (3 if step.business else 1) for step in steps), timedelta(0))


def _rewind(calendar: BusinessCalendar, end: datetime, business: timedelta) -> datetime:
    """The latest moment from which `business` time of business hours passes until `end`."""
    span = max(business, timedelta(hours=1))
    while calendar.between(end - span, end) < business:
        span *= 2
    low, high = end - span, end
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        low, high = (middle, high) if calendar.between(middle, end) >= business else (low, middle)
    return low


def _fit_before(steps: Sequence[Step], end: datetime,
                calendar: BusinessCalendar) -> list[datetime]:
    """Times for `steps` that all fall at least half an hour before `end`."""
    limit = end - timedelta(minutes=30)
    start = limit - _rough_span(steps)
    times = _schedule(steps, start, calendar)
    while times[-1] > limit:
        start -= times[-1] - limit + timedelta(minutes=30)
        times = _schedule(steps, start, calendar)
    return times


def _fit_ending(steps: Sequence[Step], end: datetime,
                calendar: BusinessCalendar) -> list[datetime]:
    """Times for `steps` such that the last one lands just before `end`.

    The last step's time only grows with the start time, so the latest start is bisected.
    """
    if steps[-1].business and not calendar.is_open(end):
        end = _rewind(calendar, end, timedelta(minutes=1)) + timedelta(minutes=1)
    span = _rough_span(steps) + timedelta(hours=1)
    low = end - span
    while _schedule(steps, low, calendar)[-1] > end:
        low -= span
    high = end
    while high - low > timedelta(minutes=10):
        middle = low + (high - low) / 2
        low, high = (middle, high) if _schedule(steps, middle, calendar)[-1] <= end else \
            (low, middle)
    return _schedule(steps, low, calendar)


def place(steps: Sequence[Step], placement: Placement, team: TeamSpec, priority: str,
          calendar: BusinessCalendar, now: datetime) -> list[datetime]:
    """When each step happens, so the ticket ends up where its placement says."""
    if isinstance(placement, Ending):
        return _fit_ending(steps, now - placement.ago, calendar)
    pin = placement.pin
    first = not any(step.kind == "reply" for step in steps[:pin])
    target = team.sla[priority][0 if first else 1]
    pin_at = _rewind(calendar, now, timedelta(minutes=target * placement.elapsed))
    times = _fit_before(steps[:pin], pin_at, calendar) if pin else []
    times.append(pin_at)
    times.extend(pin_at + (now - pin_at) * step.share for step in steps[pin + 1:])
    return times


# --- slots: the details that make each ticket its own ----------------------------------------

PLAN_PRICED = {"double_charge", "card_declined", "price_increase", "charged_after_cancel",
               "currency", "annual_switch"}


def _slots(rng: random.Random, spec: CustomerSpec, scenario: words.Scenario, team: TeamSpec,
           created: datetime) -> dict[str, object]:
    lead, colleague = _team_people(rng, team)
    people = {"name": spec.address_name, "first_name": spec.address_name,
              "full_name": spec.name, "lead": lead, "colleague": colleague, "agent": ""}
    return {**people, **_order_slots(rng, spec, scenario), **_date_slots(rng, spec, created),
            **_tech_slots(rng)}


def _order_slots(rng: random.Random, spec: CustomerSpec,
                 scenario: words.Scenario) -> dict[str, object]:
    pool = spec.pool
    (product, price), (other, _) = rng.sample(words.PRODUCTS, 2)
    plan, plan_price = rng.choice(words.PLANS)
    if scenario.key in PLAN_PRICED:
        amount = plan_price * (10 if scenario.key == "annual_switch" else 1)
    else:
        amount = price * rng.choice((1, 1, 1, 2))
    qty = rng.randint(2, 4)
    return {
        "product": product, "other_product": other, "plan": plan,
        "order": rng.randint(104_000, 189_999), "amount": _money(pool, amount),
        "old_amount": _money(pool, amount * 0.8), "credit": _money(pool, max(2.0, amount * 0.15)),
        "last4": f"{rng.randint(0, 9999):04d}", "coupon": rng.choice(words.COUPONS),
        "percent": rng.choice((10, 15, 20, 25)), "invoice": rng.randint(200_000, 299_999),
        "vat": f"{pool.country}{rng.randint(10**7, 10**8 - 1)}",
        "company": rng.choice(words.COMPANIES), "postcode": rng.randint(1000, 99999),
        "city": rng.choice(pool.cities), "carrier": rng.choice(pool.carriers),
        "tracking": _tracking(rng, pool), "tracking2": _tracking(rng, pool),
        "qty": qty, "qty_less": qty - 1, "weight": f"{rng.uniform(1.2, 6.5):.1f}",
    }


def _date_slots(rng: random.Random, spec: CustomerSpec, created: datetime) -> dict[str, object]:
    def day(days: int) -> str:
        local = (created + timedelta(days=days)).astimezone(ZoneInfo(spec.time_zone))
        return f"{local:%B} {local.day}" if spec.pool.month_first else f"{local.day} {local:%B}"

    return {"date": day(-rng.randint(2, 20)), "due_date": day(rng.randint(6, 20)),
            "arrive_date": day(rng.randint(2, 4)), "days": rng.randint(8, 21),
            "years": rng.randint(2, 7)}


def _tech_slots(rng: random.Random) -> dict[str, object]:
    minor, patch, hour = rng.randint(2, 9), rng.randint(0, 3), rng.randint(6, 20)
    return {
        "device": rng.choice(words.DEVICES), "app_version": f"4.{minor}.{patch}",
        "app_version_next": f"4.{minor}.{patch + 1}", "bug": f"APP-{rng.randint(2100, 2999)}",
        "room": rng.choice(words.ROOMS), "time_from": f"{hour:02d}:{rng.randint(0, 29):02d}",
        "time_to": f"{hour + 1:02d}:{rng.randint(30, 59):02d}",
    }


def _money(pool: words.NamePool, value: float) -> str:
    return f"{pool.currency}{value:,.2f}"


def example_slots() -> dict[str, object]:
    """Every slot a template may use, filled for one customer, so tests can check templates."""
    created = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    slots = _slots(random.Random(SEED), customer_specs()[0], words.SCENARIOS[0], TEAMS[0], created)
    return {**slots, "first_when": "yesterday", "subject": "Charged twice"}


def _team_people(rng: random.Random, team: TeamSpec) -> tuple[str, str]:
    """The team lead's first name, and a colleague elsewhere who once helped the customer."""
    lead = next(a for a in AGENTS if team.slug in a.teams and a.role == Role.LEAD)
    others = [a for a in AGENTS if a.teams and team.slug not in a.teams]
    return lead.first, rng.choice(others).first


def _tracking(rng: random.Random, pool: words.NamePool) -> str:
    return f"{rng.choice(('JD', 'RR', 'CX', 'LX'))}{rng.randint(10**8, 10**9 - 1)}{pool.country}"


def _when(moment: datetime, now: datetime, zone: str) -> str:
    """'earlier today', 'yesterday', 'on Monday' or 'on 3 March', as the customer would say."""
    local, today = moment.astimezone(ZoneInfo(zone)), now.astimezone(ZoneInfo(zone)).date()
    days = (today - local.date()).days
    if days <= 0:
        return "earlier today"
    if days == 1:
        return "yesterday"
    return f"on {local:%A}" if days < 6 else f"on {local.day} {local:%B}"


# --- planning and running ---------------------------------------------------------------------

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


def _plan(rng: random.Random, customers: list[tuple[Customer, CustomerSpec]],
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
    slots = _slots(rng, spec, scenario, team, times[0])
    slots["first_when"] = _when(times[0], now, spec.time_zone)
    subject = rng.choice(scenario.subjects).format_map(slots)
    slots["subject"] = subject
    return Plan(customer, spec, team, subject, channel, priority, mood, steps, times, slots)


@dataclass
class _Run:
    """What the loader knows while it replays one plan."""

    plan: Plan
    ticket: Ticket
    agent: Agent
    lead: Agent
    rng: random.Random
    members: list[Agent]
    last_agent: Agent | None = None

    def render(self, text: str, agent: Agent | None = None) -> str:
        person = agent or self.last_agent or self.agent
        return text.format_map({**self.plan.slots, "agent": person.first_name()})


def _agent_text(run: _Run, step: Step, agent: Agent, styles: tuple[float, float, float]) -> str:
    rng = run.rng
    style = step.style or rng.choices(("warm", "curt", "robotic"), weights=styles)[0]
    parts = [rng.choice(words.AGENT_GREETINGS[style])]
    mood_line = ""
    if style == "warm":
        mood = run.plan.mood
        sorry = rng.choice(words.SORRY_FOR_THE_WAIT) if step.sorry else ""
        empathy = rng.choice(words.EMPATHY[mood]) if step.first else ""
        mood_line = " ".join(filter(None, (sorry, empathy)))
    if style == "robotic":
        parts.append(rng.choice(words.ROBOTIC_PREFIXES))
    parts += [" ".join(filter(None, (mood_line, step.text)))]
    if style == "robotic":
        parts.append(rng.choice(words.ROBOTIC_SUFFIXES))
    parts.append(rng.choice(words.AGENT_SIGNOFFS[style]))
    return run.render("\n\n".join(filter(None, parts)), agent)


def _run_step(run: _Run, step: Step, at: datetime) -> None:
    ticket = run.ticket
    agent = run.lead if step.by_lead else run.agent
    if step.kind == "customer":
        actions.record_customer_message(ticket, run.render(step.text), at=at)
    elif step.kind == "reply":
        if step.style == "curt" and agent == run.lead:  # leads coach the curt, not themselves
            agent = run.rng.choice([m for m in run.members if m != run.lead] or [agent])
        text = _agent_text(run, step, agent, STYLES[agent.user.username])
        actions.post_agent_reply(ticket, agent, text, status=step.status, at=at)
        run.last_agent = agent
    elif step.kind == "note":
        actions.add_internal_note(ticket, agent, run.render(step.text), at=at)
    elif step.kind == "status":
        actor = None if step.by_system else agent.user
        actions.change_status(ticket, actor, step.status or "", at=at)
    elif step.kind == "priority":
        actions.change_priority(ticket, agent.user, step.priority or "", at=at)
    elif step.kind == "assign":
        others = [member for member in run.members if member != run.agent] or [run.agent]
        run.agent = run.rng.choice(others)
        actions.assign(ticket, run.lead.user, run.agent, at=at)
        note = run.render(run.rng.choice(words.REASSIGN_NOTES), run.agent)
        actions.add_internal_note(ticket, run.lead, note, at=at)


def _replay(plan: Plan, team: Team, members: list[Agent], lead: Agent,
            rng: random.Random) -> None:
    opening, *rest = plan.steps
    slots = {**plan.slots, "agent": ""}
    ticket = actions.open_ticket(
        customer=plan.customer, team=team, subject=plan.subject,
        text=opening.text.format_map(slots), channel=plan.channel, priority=plan.priority,
        at=plan.times[0],
    )
    workers = [member for member in members if member.accepts_assignments] or members
    agent = ticket.assignee or rng.choice(workers)
    run = _Run(plan, ticket, agent, lead, rng, workers)
    for step, at in zip(rest, plan.times[1:], strict=True):
        _run_step(run, step, at)


# --- loading and resetting --------------------------------------------------------------------

def demo_loaded() -> bool:
    return Team.objects.filter(slug__in=TEAM_SLUGS).exists()


def load_demo(*, now: datetime | None = None, stdout: TextIO | None = None) -> DemoSummary:
    """Load the demo unless it is there already; report what happened on `stdout`."""
    now = now or timezone.now()
    if demo_loaded():
        summary = DemoSummary(False, 0, 0, 0, 0, 0)
    else:
        _check_no_clashes()
        summary = _load(now, stdout)
    if stdout is not None:
        for line in summary.lines():
            stdout.write(line + "\n")
    return summary


def _check_no_clashes() -> None:
    usernames = [agent.username for agent in AGENTS]
    clashes = [
        *User.objects.filter(username__in=usernames).values_list("username", flat=True),
        *Team.objects.filter(name__in=[team.name for team in TEAMS]).values_list("name", flat=True),
        *CustomerEmail.objects.filter(address__in=demo_customer_addresses())
        .values_list("address", flat=True)[:3],
    ]
    if clashes:
        raise DemoError(
            f"The demo needs names that are taken already ({', '.join(clashes)}). If they are "
            "left over from an earlier demo, `heard demo --reset` removes them; otherwise load "
            "the demo into an empty database."
        )


def _load(now: datetime, stdout: TextIO | None) -> DemoSummary:
    started = time.monotonic()
    if stdout is not None:
        stdout.write("Loading the demo: teams, agents, customers and conversations...\n")
    with transaction.atomic():
        teams = _create_teams(now)
        agents = _create_agents(teams, now)
        customers = _create_customers(now)
        _create_tickets(teams, agents, customers, now)
        escalations = actions.run_watchdog(now=now)
    team_ids = [team.pk for team in teams.values()]
    return DemoSummary(
        True, len(teams), len(agents), len(customers),
        Ticket.objects.filter(team__in=team_ids).count(),
        Message.objects.filter(ticket__team__in=team_ids).count(),
        escalations, time.monotonic() - started,
    )


def _create_teams(now: datetime) -> dict[str, Team]:
    teams = {}
    for spec in TEAMS:
        team = Team.objects.create(name=spec.name, slug=spec.slug, time_zone=spec.time_zone,
                                   weekly_hours=spec.weekly_hours)
        Holiday.objects.bulk_create(_holidays(team, spec, now))
        SlaPolicy.objects.bulk_create(
            SlaPolicy(team=team, priority=priority, first_response_minutes=first,
                      next_response_minutes=after)
            for priority, (first, after) in spec.sla.items()
        )
        teams[spec.slug] = team
    return teams


def _holidays(team: Team, spec: TeamSpec, now: datetime) -> list[Holiday]:
    days_back, name = spec.closed_day
    closed = (now - timedelta(days=days_back)).date()
    while closed.weekday() >= 5:
        closed -= timedelta(days=1)
    rows = {closed: name}
    for year in (now.year, now.year + 1):
        for month, day, holiday in spec.holidays:
            rows.setdefault(date(year, month, day), holiday)
    return [Holiday(team=team, date=day, name=name) for day, name in sorted(rows.items())]


def _create_agents(teams: dict[str, Team], now: datetime) -> dict[str, Agent]:
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    agents = {}
    for spec in AGENTS:
        admin = spec.role == Role.ADMIN
        user = User.objects.create(
            username=spec.username, first_name=spec.first, last_name=spec.last,
            email=f"{spec.username}@{AGENT_DOMAIN}", password=password, is_staff=admin,
            is_superuser=admin, date_joined=now - timedelta(days=400),
        )
        agent = Agent.objects.create(user=user, role=spec.role, max_open_tickets=spec.max_open,
                                     accepts_assignments=spec.accepts)
        agent.teams.set([teams[slug] for slug in spec.teams])
        agents[spec.username] = agent
        if spec.role == Role.LEAD:
            for slug in spec.teams:
                Team.objects.filter(pk=teams[slug].pk).update(lead=user)
                teams[slug].lead = user
    return agents


def _create_customers(now: datetime) -> list[tuple[Customer, CustomerSpec]]:
    specs = customer_specs()
    customers = Customer.objects.bulk_create(
        Customer(
            name=spec.name, preferred_name=spec.preferred, language=spec.language,
            time_zone=spec.time_zone, birthday=spec.birthday,
            consent_follow_up=spec.consents[0], consent_surveys=spec.consents[1],
            consent_birthday=spec.consents[2], notes=spec.notes,
            created_at=now - timedelta(days=spec.days_known),
        )
        for spec in specs
    )
    CustomerEmail.objects.bulk_create(
        CustomerEmail(customer=customer, address=address, is_primary=index == 0,
                      bouncing=bouncing, created_at=customer.created_at)
        for customer, spec in zip(customers, specs, strict=True)
        for index, (address, bouncing) in enumerate(spec.emails)
    )
    return list(zip(customers, specs, strict=True))


def _create_tickets(teams: dict[str, Team], agents: dict[str, Agent],
                    customers: list[tuple[Customer, CustomerSpec]], now: datetime) -> None:
    rng = random.Random(SEED + 1)
    calendars = {slug: team.calendar() for slug, team in teams.items()}
    regulars = customers[:40] * 2 + customers  # some customers write more often than others
    plans = sorted((_plan(rng, regulars, calendars, now) for _ in range(TICKET_COUNT)),
                   key=lambda plan: plan.times[0])
    members = {
        spec.slug: [agents[a.username] for a in AGENTS if spec.slug in a.teams] for spec in TEAMS
    }
    leads = {slug: next(a for a in team_agents if a.role == Role.LEAD)
             for slug, team_agents in members.items()}
    for plan in plans:
        slug = plan.team.slug
        _replay(plan, teams[slug], members[slug], leads[slug], rng)


def reset_demo() -> int:
    """Delete the demo teams, their tickets, the demo customers and agents; returns tickets."""
    with transaction.atomic():
        teams = Team.objects.filter(slug__in=TEAM_SLUGS)
        customers = Customer.objects.filter(emails__address__in=demo_customer_addresses())
        tickets = Ticket.objects.filter(Q(team__in=teams) | Q(customer__in=customers))
        count = tickets.count()
        tickets.delete()
        Customer.objects.filter(pk__in=list(customers.values_list("pk", flat=True))).delete()
        teams.delete()
        User.objects.filter(
            username__in=[agent.username for agent in AGENTS], email__endswith=f"@{AGENT_DOMAIN}"
        ).delete()
    return count
