"""One ticket's script: the steps of its conversation, how long each waits, and the arcs
that conversations follow."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from django.conf import settings

from heard.desk.demo import text as words
from heard.desk.models import Priority, Status

T = TypeVar("T")


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
