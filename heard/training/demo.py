"""The demo's practice: the cases, assignments from each team lead, and completed attempts.

Every agent of a team gets two assignments from their lead, due in the days ahead. Most agents
have practised already, over the last few weeks: written-tone exercises whose first reply is in
their own style (the demo's curt and template-prone agents write as they do on tickets) and
whose rewrite is warmer, and role-plays that ended resolved or, for the curt, lost. All of it
goes through the studio's actions, dated in the past, so progress shows a trend.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from heard.desk.demo.people import AGENTS
from heard.desk.models import Agent, Role
from heard.training import actions
from heard.training.models import Case, Kind

SEED = 2030
FEELING_WORDS = {
    "anger": "angry",
    "anxiety": "worried",
    "frustration": "fed up",
    "disappointment": "disappointed",
    "confusion": "confused",
}
CURT = (
    "Hi {first},\n\nWe will look into it. Please check the help pages in the meantime.\n\n"
    "Regards"
)
TEMPLATE = (
    "Dear Customer,\n\nThank you for contacting us. Your request has been logged and will be "
    "handled in due course.\n\nKind regards"
)
WARMER = (
    "Hi {first},\n\nI'm so sorry about this, and I can see why you're {feels}. I'm looking into "
    "it now, and I'll write to you by 4 pm today with what I've found and what happens next."
    "\n\nIf anything changes before then, just reply here."
)
ASSIGNED_REASONS = ("Practice before the busy season", "")


def seed_training(now: datetime, **_: Any) -> None:
    """Assignments and completed attempts for the demo's agents (the cases are loaded by
    `heard migrate`; loading them again here changes nothing)."""
    actions.load_shipped_cases()
    rng = random.Random(SEED)
    cases = list(Case.objects.filter(team__isnull=True).order_by("slug"))
    agents = {
        a.user.username: a
        for a in Agent.objects.select_related("user").filter(
            user__username__in=[spec.username for spec in AGENTS]
        )
    }
    styles = {spec.username: spec.styles for spec in AGENTS}
    for spec in AGENTS:
        agent = agents.get(spec.username)
        if agent is None or spec.role != Role.AGENT:
            continue
        lead = _lead_of(agent, agents)
        if lead is not None:
            _assign(lead, agent, rng.sample(cases, 2), now, rng)
        if spec.accepts:  # the agent on leave has not practised
            _practise(agent, styles[spec.username], rng.sample(cases, 3), now, rng)


def _lead_of(agent: Agent, agents: dict[str, Agent]) -> Agent | None:
    teams = set(agent.teams.values_list("pk", flat=True))
    return next(
        (a for a in agents.values()
         if a.role == Role.LEAD and teams & set(a.teams.values_list("pk", flat=True))),
        None,
    )


def _assign(
    lead: Agent, agent: Agent, cases: list[Case], now: datetime, rng: random.Random
) -> None:
    for number, (case, kind) in enumerate(zip(cases, (Kind.EXERCISE, Kind.ROLE_PLAY),
                                              strict=True)):
        due = (now + timedelta(days=rng.randint(2, 10))).date()
        actions.assign(lead, agent, case, kind, due, ASSIGNED_REASONS[number % 2],
                       at=now - timedelta(days=1))


def _first_reply(case: Case, styles: tuple[float, float, float], rng: random.Random) -> str:
    """The reply the agent would normally send, in their style on tickets."""
    style = rng.choices(("warm", "curt", "robotic"), weights=styles)[0]
    spec = case.spec()
    if style == "robotic":
        return TEMPLATE
    if style == "curt":
        return CURT.format(first=spec.first_name())
    return WARMER.format(first=spec.first_name(), feels=FEELING_WORDS[spec.feeling])


def _practise(
    agent: Agent,
    styles: tuple[float, float, float],
    cases: list[Case],
    now: datetime,
    rng: random.Random,
) -> None:
    """Two exercises a fortnight apart and one role-play last week."""
    for weeks_ago, case in zip((3, 1), cases[:2], strict=True):
        at = now - timedelta(weeks=weeks_ago, hours=rng.randint(1, 48))
        exercise = actions.start_exercise(agent, case, at=at)
        named = list(case.feelings[: 1 + rng.randint(0, 1)])
        actions.name_feelings(exercise, agent, named, "what their message says first")
        actions.submit_reply(exercise, agent, _first_reply(case, styles, rng))
        spec = case.spec()
        rewrite = WARMER.format(first=spec.first_name(), feels=FEELING_WORDS[spec.feeling])
        actions.submit_rewrite(exercise, agent, rewrite, at=at + timedelta(minutes=12))
    case = cases[2]
    at = now - timedelta(days=rng.randint(2, 6))
    role_play = actions.start_role_play(agent, case, seed=rng.randrange(1000), at=at)
    spec = case.spec()
    curt = styles[1] >= 0.4
    replies = (
        [CURT.format(first=spec.first_name()), TEMPLATE]
        if curt
        else [WARMER.format(first=spec.first_name(), feels=FEELING_WORDS[spec.feeling]),
              spec.exemplary_text()]
    )
    for number, reply in enumerate(replies):
        if role_play.finished_at is not None:
            break
        role_play = actions.reply_in_role_play(
            role_play, agent, reply, at=at + timedelta(minutes=5 * (number + 1))
        )
