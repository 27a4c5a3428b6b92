"""Which team a new email goes to: the teams' ordered routing rules, then the triage team.

`choose(table, email)` is pure: it reads the routing table (every team with its active rules, one
query: `routing_table()`) and what the email says, and returns a `Route` with the team, the rule
that matched and why, in words an agent reads in the ticket's history. `route(...)` loads the
table and the customer's earlier team and calls it. The order:

1. The address written to: a team's own address (`Team.email`, not the triage team's, which is
   the address for "we do not know yet"), then `recipient` rules.
2. Every other rule (`sender_domain`, `words`, `earlier_team`) in position order across teams.
3. No match: the triage team, if one is marked, else the first team.

Words match whole words or phrases in the subject or the text, in any case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import F, FilteredRelation, OuterRef, Q, QuerySet, Subquery

from heard.desk.models import Customer, CustomerEmail, RoutingKind, RoutingRule, Team, Ticket

_RULE_FIELDS = ("pk", "kind", "value", "position")


@dataclass(frozen=True)
class RoutingTable:
    """Every team (by pk) and the active rules in the order they are tried."""

    teams: list[Team]
    rules: list[RoutingRule]


@dataclass(frozen=True)
class Email:
    """What routing looks at in a new email."""

    recipients: tuple[str, ...] = ()
    sender: str = ""
    subject: str = ""
    text: str = ""
    earlier_team_id: int | None = None  # the team of the customer's most recent ticket


@dataclass(frozen=True)
class Route:
    team: Team
    rule: RoutingRule | None
    why: str  # "rule 'words: broadband'", "written to billing@acme.example", …
    matched: bool = field(default=True)  # False: nothing matched, the fallback team

    def event_note(self) -> str:
        """'routed to Support by rule 'words: broadband'' for the ticket's history."""
        return f"routed to {self.team.name} {self.why}"


def routing_table() -> RoutingTable:
    """Every team with its active rules, in one query (a left join of teams to their rules)."""
    rows = (
        Team.objects.annotate(
            active_rule=FilteredRelation("routing_rules", condition=Q(routing_rules__active=True))
        )
        .annotate(**{f"rule_{name}": F(f"active_rule__{name}") for name in _RULE_FIELDS})
        .order_by("pk", "rule_position", "rule_pk")
    )
    teams: dict[int, Team] = {}
    rules = []
    for row in rows:
        team = teams.setdefault(row.pk, row)
        if row.rule_pk is not None:  # type: ignore[attr-defined]
            rule = RoutingRule(team=team, active=True)
            for name in _RULE_FIELDS:
                setattr(rule, name, getattr(row, f"rule_{name}"))
            rules.append(rule)
    rules.sort(key=lambda rule: (rule.position, rule.team_id, rule.pk))
    return RoutingTable(list(teams.values()), rules)


def choose(table: RoutingTable, email: Email) -> Route:
    """The team the email goes to, and why (see the module's docstring for the order)."""
    if not table.teams:
        raise ValueError("There is no team to route to.")
    written_to = {address.strip().lower() for address in email.recipients if address.strip()}
    for team in table.teams:
        if team.email and not team.is_triage and team.email.lower() in written_to:
            return Route(team, None, f"as written to {team.email.lower()}")
    addressed = [rule for rule in table.rules if rule.kind == RoutingKind.RECIPIENT]
    others = [rule for rule in table.rules if rule.kind != RoutingKind.RECIPIENT]
    for rule in addressed + others:
        matched = _matched_part(rule, email, written_to)
        if matched is not None:
            return Route(rule.team, rule, f"by rule '{matched}'")
    triage = next((team for team in table.teams if team.is_triage), None)
    if triage is not None:
        return Route(triage, None, "as no rule matched", matched=False)
    return Route(table.teams[0], None, "as no rule matched (the first team)", matched=False)


def route(
    recipients: Iterable[str],
    sender: str,
    subject: str,
    text: str,
    customer: Customer | None,
    table: RoutingTable | None = None,
) -> Route:
    """Route a new email from `customer` (None: not known yet)."""
    earlier = None
    if customer is not None and customer.pk is not None:
        latest = Ticket.objects.filter(customer=customer).order_by("-created_at", "-pk")
        earlier = latest.values_list("team_id", flat=True).first()
    facts = Email(tuple(recipients), sender, subject, text, earlier)
    return choose(table or routing_table(), facts)


def with_routing_facts(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Annotate each ticket with what routing needs beyond its own columns, at no extra query:
    `routing_earlier_team` (the team of the customer's ticket before it) and `routing_sender`
    (the customer's primary address)."""
    before = Ticket.objects.filter(customer=OuterRef("customer")).filter(
        Q(created_at__lt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
    )
    addresses = CustomerEmail.objects.filter(customer=OuterRef("customer"))
    return tickets.annotate(
        routing_earlier_team=Subquery(before.order_by("-created_at", "-pk").values("team_id")[:1]),
        routing_sender=Subquery(addresses.order_by("-is_primary", "pk").values("address")[:1]),
    )


def suggestion(
    table: RoutingTable, ticket: Ticket, text: str, recipients: Iterable[str] = ()
) -> Route | None:
    """The route the rules would pick now for the ticket's first email, when it is not the
    ticket's team (a ticket waiting in triage, or rules changed since); None otherwise. The
    ticket comes annotated by `with_routing_facts`."""
    facts = Email(
        recipients=tuple(recipients),
        sender=getattr(ticket, "routing_sender", None) or "",
        subject=ticket.subject,
        text=text,
        earlier_team_id=getattr(ticket, "routing_earlier_team", None),
    )
    if not table.teams:
        return None
    chosen = choose(table, facts)
    if chosen.team.pk == ticket.team_id or not chosen.matched:
        return None
    return chosen


def _matched_part(rule: RoutingRule, email: Email, written_to: set[str]) -> str | None:
    """What of the rule matched ('words: broadband'), None if nothing did."""
    kind = rule.kind
    if kind == RoutingKind.EARLIER_TEAM:
        return "earlier team" if email.earlier_team_id == rule.team_id else None
    if kind == RoutingKind.RECIPIENT:
        found = [a for a in rule.values() if a in written_to]
    elif kind == RoutingKind.SENDER_DOMAIN:
        domain = email.sender.strip().lower().rpartition("@")[2]
        found = [d for d in rule.values() if domain and (domain == d or domain.endswith("." + d))]
    elif kind == RoutingKind.WORDS:
        said = f"{email.subject}\n{email.text}"
        found = [word for word in rule.values() if _word(word).search(said)]
    else:
        return None
    return f"{rule.describe().partition(':')[0]}: {found[0]}" if found else None


@lru_cache(maxsize=1024)
def _word(word: str) -> re.Pattern[str]:
    """A whole word or phrase in any case; spaces in a phrase match any run of spaces."""
    pattern = r"\s+".join(re.escape(part) for part in word.split())
    return re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE)
