"""Loading and resetting the demo: rows created through the real desk actions, each planned
ticket replayed step by step, then the watchdog run once."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from heard.desk import actions, signals
from heard.desk.demo import text as words
from heard.desk.demo.people import (
    AGENT_DOMAIN,
    AGENTS,
    DEMO_PASSWORD,
    LOGINS,
    SEED,
    STYLES,
    TEAM_SLUGS,
    TEAMS,
    CustomerSpec,
    TeamSpec,
    customer_specs,
    demo_customer_addresses,
)
from heard.desk.demo.plans import Plan, plan_ticket
from heard.desk.demo.scripts import Step
from heard.desk.models import (
    Agent,
    ConsentKind,
    Customer,
    CustomerEmail,
    Holiday,
    Macro,
    Message,
    Role,
    RoutingKind,
    RoutingRule,
    SlaPolicy,
    Team,
    Ticket,
)

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

TICKET_COUNT = 320


class DemoError(Exception):
    """The demo cannot be loaded here, with a message saying why."""


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
        return [head, *logins, _portal_line()]


def _portal_line() -> str:
    """Where a demo customer signs in: their link is emailed (to var/mail/ with no SMTP host)."""
    example = next(a for spec in customer_specs() for a, bouncing in spec.emails if not bouncing)
    where = f"{settings.SITE_URL.rstrip('/')}{reverse('portal:sign_in')}"
    inbox = "" if settings.EMAIL_HOST else f"; the link is written to {settings.EMAIL_FILE_PATH}/"
    return f"Customer portal: {where} (any demo customer, e.g. {example}{inbox})"


# --- replaying a plan -------------------------------------------------------------------------

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
        # The demo replays replies that went out, curt ones included: each passed the coach's
        # question as it would in the console ("Send anyway?"), recorded in the history.
        actions.post_agent_reply(ticket, agent, text, status=step.status, at=at, send_anyway=True)
        run.last_agent = agent
    elif step.kind == "note":
        actions.add_internal_note(ticket, agent, run.render(step.text), at=at)
    elif step.kind == "status":
        actor = None if step.by_system else agent
        actions.change_status(ticket, actor, step.status or "", at=at)
    elif step.kind == "priority":
        actions.change_priority(ticket, agent, step.priority or "", at=at)
    elif step.kind == "assign":
        others = [member for member in run.members if member != run.agent] or [run.agent]
        run.agent = run.rng.choice(others)
        actions.assign(ticket, run.lead, run.agent, at=at)
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


def load_demo(
    *, now: datetime | None = None, stdout: SupportsWrite[str] | None = None
) -> DemoSummary:
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


def _load(now: datetime, stdout: SupportsWrite[str] | None) -> DemoSummary:
    started = time.monotonic()
    if stdout is not None:
        stdout.write("Loading the demo: teams, agents, customers and conversations...\n")
    with transaction.atomic():
        teams = _create_teams(now)
        agents = _create_agents(teams, now)
        customers = _create_customers(now)
        _create_macros()
        _create_tickets(teams, agents, customers, now)
        signals.demo_loaded.send(sender=Team, now=now)
        escalations = actions.run_watchdog(now=now)
    team_ids = [team.pk for team in teams.values()]
    return DemoSummary(
        True, len(teams), len(agents), len(customers),
        Ticket.objects.filter(team__in=team_ids).count(),
        Message.objects.filter(ticket__team__in=team_ids).count(),
        escalations, time.monotonic() - started,
    )


# Canned responses for every team: two the coach likes, one it will mark (robotic and curt),
# so that a demo shows what inserting a template does.
DEMO_MACROS = {
    "Refund on its way": (
        "Hi {customer_name},\n\nI'm sorry about the double charge. I have refunded the second "
        "payment today; your bank shows it within 3 working days.\n\nIf anything is still not "
        "right, just reply to this email and I'll pick it up.\n\n{agent_name}"
    ),
    "Password reset steps": (
        "Hi {customer_name},\n\nI'm sorry you're locked out. Here is how to get back in:\n"
        "1. Open the sign-in page and choose 'Forgot password'.\n2. Enter your email address.\n"
        "3. Use the link we send within 10 minutes.\n\nIf the email doesn't arrive, reply here "
        "and I'll reset it for you.\n\n{agent_name}"
    ),
    "Old template (do not use)": (
        "Dear Customer,\n\nWe have received your complaint. Please read the user guide. "
        "I hope this answers all your questions."
    ),
}


def _create_macros() -> None:
    for name, text in DEMO_MACROS.items():
        Macro.objects.get_or_create(name=name, team=None, defaults={"text": text})


def _create_teams(now: datetime) -> dict[str, Team]:
    teams: dict[str, Team] = {}
    for spec in TEAMS:
        team = Team.objects.create(name=spec.name, slug=spec.slug, time_zone=spec.time_zone,
                                   weekly_hours=spec.weekly_hours, email=spec.email)
        if spec.words:  # so that an email to the general address reaches the right team
            RoutingRule.objects.create(team=team, kind=RoutingKind.WORDS,
                                       value=", ".join(spec.words), position=10 * len(teams) + 10)
        Holiday.objects.bulk_create(_holidays(team, spec, now))
        team.holidays_changed()  # a bulk insert sends no signal
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
            time_zone=spec.time_zone, birthday=spec.birthday, notes=spec.notes,
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
    for number, (customer, spec) in enumerate(zip(customers, specs, strict=True)):
        _give_consents(customer, spec, number, now)
    return list(zip(customers, specs, strict=True))


def _give_consents(customer: Customer, spec: CustomerSpec, number: int, now: datetime) -> None:
    """Consent given explicitly (source "demo") on the day they became a customer, as the spec
    says; the rest were never asked, except every third who declined surveys: they agreed and
    withdrew later, so the demo shows all three states."""
    kinds = (ConsentKind.FOLLOW_UP, ConsentKind.SURVEYS, ConsentKind.BIRTHDAY)
    for kind, given in zip(kinds, spec.consents, strict=True):
        if given:
            actions.record_consent(customer, kind, True, "demo", at=customer.created_at)
    if not spec.consents[1] and number % 3 == 0:
        actions.record_consent(customer, ConsentKind.SURVEYS, True, "demo", at=customer.created_at)
        withdrew = customer.created_at + (now - customer.created_at) / 2
        actions.record_consent(customer, ConsentKind.SURVEYS, False, "demo", at=withdrew)


def _create_tickets(teams: dict[str, Team], agents: dict[str, Agent],
                    customers: list[tuple[Customer, CustomerSpec]], now: datetime) -> None:
    rng = random.Random(SEED + 1)
    calendars = {slug: team.calendar() for slug, team in teams.items()}
    regulars = customers[:40] * 2 + customers  # some customers write more often than others
    plans = sorted((plan_ticket(rng, regulars, calendars, now) for _ in range(TICKET_COUNT)),
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
