"""Assigning tickets to agents and moving them between teams."""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL

from heard.desk import sql
from heard.desk.actions.base import Actor, _now, record_event
from heard.desk.actions.clock import _retarget
from heard.desk.errors import DeskError, ErrorCode
from heard.desk.models import (
    ACTIVE_STATUSES,
    Agent,
    Priority,
    Role,
    Status,
    Team,
    Ticket,
)


def check_assignee(ticket: Ticket, agent: Agent | None) -> None:
    if agent is not None and not agent.teams.filter(pk=ticket.team_id).exists():
        raise DeskError(f"{agent} is not in the {ticket.team} team.", ErrorCode.NOT_IN_TEAM)


@transaction.atomic
def assign(
    ticket: Ticket, actor: Actor | None, agent: Agent | None, at: datetime | None = None
) -> Ticket:
    """Manual (re)assignment; None unassigns."""
    check_assignee(ticket, agent)
    at = _now(at)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    before = ticket.assignee
    if before == agent:
        return ticket
    ticket.assignee = agent
    ticket.updated_at = at
    ticket.save(update_fields=["assignee", "updated_at"])
    record_event(ticket, actor, "assignee", before or "", agent or "", at=at)
    return ticket


def check_move(ticket: Ticket, team: Team, agent: Actor) -> None:
    """An agent of the ticket's team or of the new one, or a lead or administrator, may move an
    open ticket to another team."""
    if (
        agent.role not in (Role.LEAD, Role.ADMIN)
        and not agent.teams.filter(pk__in=[ticket.team_id, team.pk]).exists()
    ):
        raise DeskError(
            f"Only an agent of {ticket.team} or {team}, or a lead, may move it.",
            ErrorCode.NOT_ALLOWED,
        )
    if team.pk == ticket.team_id:
        raise DeskError(f"{ticket.reference} is in the {team} team already.", ErrorCode.SAME_TEAM)
    if ticket.status == Status.CLOSED:
        raise DeskError(
            f"{ticket.reference} is closed; it stays where it was answered.", ErrorCode.CLOSED
        )


@transaction.atomic
def move_ticket(
    ticket: Ticket, team: Team, agent: Actor, reason: str = "", at: datetime | None = None
) -> Ticket:
    """Re-route a ticket to another team: its running reply clock is recomputed from when the
    wait began with the new team's calendar and targets, an assignee who is not in the new team
    is cleared (and the new team's round-robin picks someone if it assigns automatically), and
    the move is audited with its reason."""
    at = _now(at)
    ticket = Ticket.objects.select_for_update().select_related("team").get(pk=ticket.pk)
    check_move(ticket, team, agent)
    before = ticket.team
    ticket.team = team
    _retarget(ticket, Priority(ticket.priority))  # the new team's calendar and SLA policy
    ticket.updated_at = at
    foreign = (
        ticket.assignee_id is not None and not team.agents.filter(pk=ticket.assignee_id).exists()
    )
    if foreign:
        record_event(ticket, agent, "assignee", ticket.assignee, "", f"not in {team}", at=at)
        ticket.assignee = None
    ticket.save()  # care_at follows the new target
    record_event(ticket, agent, "team", before, team, reason.strip(), at=at)
    if (
        ticket.assignee_id is None
        and team.auto_assign
        and ticket.is_active()
        and not ticket.needs_person()
    ):
        assign_round_robin(ticket, at=at)
    return ticket


def open_ticket_counts(team: Team) -> dict[int, int]:
    rows = Agent.objects.filter(teams=team).annotate(
        open_count=Count("tickets", filter=Q(tickets__status__in=ACTIVE_STATUSES))
    )
    return {agent.pk: agent.open_count for agent in rows}  # type: ignore[attr-defined]


@transaction.atomic
def assign_round_robin(ticket: Ticket, at: datetime | None = None) -> Agent | None:
    """Give the ticket to the team's agent assigned longest ago who still has capacity."""
    at = _now(at)
    agent = next_round_robin_agent(ticket.team, at)
    if agent is None:
        return None
    Ticket.objects.filter(pk=ticket.pk).update(assignee=agent)
    ticket.assignee = agent
    record_event(ticket, None, "assignee", "", agent, "round-robin", at=at)
    return agent


def next_round_robin_agent(team: Team, at: datetime) -> Agent | None:
    """The team's agent assigned longest ago who still has capacity, marked as assigned `at`
    (the caller gives them the ticket, in the same transaction).

    The team row is locked so two tickets arriving at once go to two different agents (SQLite
    needs no lock: it lets one transaction write at a time). One query finds the agent, with
    their open tickets counted; its choice is written out as SQL (for every new ticket, the
    ORM's aggregate cost several times the CPU of running it), with every value a parameter.
    """
    if connection.features.has_select_for_update:
        Team.objects.select_for_update().filter(pk=team.pk).first()
    statuses = ", ".join(["%s"] * len(ACTIVE_STATUSES))
    query = _NEXT_AGENT.format_map(sql.tables()).replace("%(statuses)s", statuses)
    chosen = RawSQL(query, [team.pk, *ACTIVE_STATUSES])  # noqa: S611  (values are parameters)
    agent = Agent.objects.select_related("user").filter(pk=chosen).first()
    if agent is not None:
        Agent.objects.filter(pk=agent.pk).update(last_assigned_at=at)
        agent.last_assigned_at = at
    return agent


_NEXT_AGENT = (
    "(SELECT a.id FROM {agents} a JOIN {agent_teams} m ON m.agent_id = a.id "
    "JOIN {users} u ON u.id = a.user_id WHERE m.team_id = %s AND a.accepts_assignments "
    "AND u.is_active AND (SELECT COUNT(*) FROM {tickets} t WHERE t.assignee_id = a.id "
    "AND t.status IN (%(statuses)s)) < a.max_open_tickets "
    "ORDER BY a.last_assigned_at IS NOT NULL, a.last_assigned_at, a.id LIMIT 1)"
)
