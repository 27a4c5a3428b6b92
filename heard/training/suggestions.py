"""Where practice helps: assignments Heard suggests to a lead, each naming its evidence.

Two kinds of evidence, over the agents the lead sees:

- a finding repeated in the replies an agent sent: the same hurtful code (blame, rtfm, policy
  wall, dismissive, shouting, curt closing, robotic) in at least `REPEATS` replies within
  `WINDOW` (for example three policy walls in a week), with the tickets it was found on;
- an unhappy satisfaction answer (very unhappy or unhappy) within `SURVEY_WINDOW` on a ticket the
  agent replied on, with the ticket, the answer and the customer's comment.

Each suggests a case that practises what went wrong (its `practises` list names the code; for
an unhappy answer, a case in the feeling the ticket was in, else one that practises
acknowledging), one the agent has not done or been given yet. A suggestion disappears once the
lead assigns it (an open assignment with the same reason).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from heard.care.models import Rating, Survey
from heard.desk.models import Agent, Ticket
from heard.training.models import Assignment, Case, Exercise, Kind, ReplyCoaching, RolePlay

REPEATS = 3
WINDOW = timedelta(days=7)
SURVEY_WINDOW = timedelta(days=30)
REPEATED_CODES = (
    "blame", "rtfm", "policy_wall", "dismissive", "shouting", "curt_closing", "robotic",
)
CODE_WORDS = {
    "blame": "blamed the customer",
    "rtfm": "sent the customer off to read",
    "policy_wall": "answered with a policy wall",
    "dismissive": "waved the customer's feelings away",
    "shouting": "shouted (capitals or stacked exclamation marks)",
    "curt_closing": "closed the door on the customer",
    "robotic": "read like a template",
}
UNHAPPY = (Rating.VERY_UNHAPPY, Rating.UNHAPPY)


@dataclass(frozen=True)
class Suggestion:
    agent: Agent
    case: Case
    kind: str
    reason: str  # the evidence, in words; stored on the assignment
    tickets: tuple[Ticket, ...]

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label.lower()


def suggestions_for(
    lead: Agent, agents: list[Agent], now: datetime | None = None
) -> list[Suggestion]:
    now = now or timezone.now()
    cases = list(Case.objects.available_to(lead).order_by("slug"))
    taken = _taken(agents)
    found = [*_repeated_findings(agents, now), *_unhappy_answers(agents, now)]
    result = []
    for agent, want, kind, reason, tickets in found:
        if reason in taken["reasons"].get(agent.pk, set()):
            continue
        case = _pick(cases, want, taken["cases"].get(agent.pk, set()))
        if case is not None:
            result.append(Suggestion(agent, case, kind, reason, tickets))
    return result


Found = tuple[Agent, tuple[str, str], str, str, tuple[Ticket, ...]]


def _repeated_findings(agents: list[Agent], now: datetime) -> list[Found]:
    by_id = {a.pk: a for a in agents}
    hits: dict[tuple[int, str], list[int]] = defaultdict(list)
    rows = ReplyCoaching.objects.filter(agent__in=by_id, sent_at__gte=now - WINDOW)
    for agent_id, ticket_id, codes in rows.order_by("sent_at").values_list(
        "agent_id", "ticket_id", "codes"
    ):
        for code in set(codes) & set(REPEATED_CODES):
            hits[(agent_id, code)].append(ticket_id)
    tickets = Ticket.objects.in_bulk({t for ids in hits.values() for t in ids})
    found: list[Found] = []
    for (agent_id, code), ticket_ids in sorted(hits.items()):
        if len(ticket_ids) < REPEATS:
            continue
        shown = tuple(dict.fromkeys(tickets[t] for t in ticket_ids))
        refs = ", ".join(t.reference for t in shown)
        reason = (
            f"{len(ticket_ids)} replies in the last {WINDOW.days} days "
            f"{CODE_WORDS[code]} ({refs})"
        )
        found.append((by_id[agent_id], ("practises", code), Kind.EXERCISE, reason, shown))
    return found


def _unhappy_answers(agents: list[Agent], now: datetime) -> list[Found]:
    by_id = {a.pk: a for a in agents}
    surveys = (
        Survey.objects.filter(rating__in=UNHAPPY, answered_at__gte=now - SURVEY_WINDOW)
        .select_related("ticket")
        .order_by("answered_at")
    )
    survey_list = list(surveys)
    helpers: dict[int, set[int]] = defaultdict(set)
    for ticket_id, agent_id in ReplyCoaching.objects.filter(
        ticket__in=[s.ticket_id for s in survey_list], agent__in=by_id
    ).values_list("ticket_id", "agent_id"):
        helpers[ticket_id].add(agent_id)
    found: list[Found] = []
    for survey in survey_list:
        ticket = survey.ticket
        if survey.rating is None:
            continue
        who = helpers.get(ticket.pk) or ({ticket.assignee_id} & set(by_id))
        answer = Rating(survey.rating).label.lower()
        said = f": “{survey.comment[:80]}”" if survey.comment else ""
        reason = f"{ticket.reference} was answered “{answer}”{said}"
        want = ("feeling", ticket.mood) if ticket.mood else ("practises", "no_acknowledgement")
        for agent_id in sorted(a for a in who if a is not None):
            found.append((by_id[agent_id], want, Kind.ROLE_PLAY, reason, (ticket,)))
    return found


def _taken(agents: list[Agent]) -> dict[str, dict[int, set[str]]]:
    """Per agent: the reasons of their open assignments, and the slugs of cases they have been
    given or have practised (a suggestion offers something new)."""
    reasons: dict[int, set[str]] = defaultdict(set)
    cases: dict[int, set[str]] = defaultdict(set)
    for agent_id, reason, slug in Assignment.objects.filter(agent__in=agents).values_list(
        "agent_id", "reason", "case__slug"
    ):
        reasons[agent_id].add(reason)
        cases[agent_id].add(slug)
    for model in (Exercise, RolePlay):
        for agent_id, slug in model.objects.filter(agent__in=agents).values_list(
            "agent_id", "case__slug"
        ):
            cases[agent_id].add(slug)
    return {"reasons": reasons, "cases": cases}


def _pick(cases: list[Case], want: tuple[str, str], done: set[str]) -> Case | None:
    """The first case that fits what went wrong and is new to the agent (else any that fits)."""
    field, value = want
    if field == "practises":
        fitting = [c for c in cases if value in c.practises]
    else:
        fitting = [c for c in cases if c.feeling == value] or [
            c for c in cases if "no_acknowledgement" in c.practises
        ]
    fresh = [c for c in fitting if c.slug not in done]
    chosen = fresh or fitting
    return chosen[0] if chosen else None
