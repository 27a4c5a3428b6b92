"""Tickets: list (filters, search, cursor pages), get, open, and change status, priority,
assignee and team, each through the desk's own action."""

from __future__ import annotations

from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from heard.api import expected, outputs
from heard.api.access import Caller
from heard.api.errors import ApiError, not_found
from heard.api.pagination import MAX_LIMIT, Key, Ordering, page
from heard.api.routers import ERRORS, caller
from heard.api.schemas import (
    MoodName,
    PriorityName,
    StatusName,
    TicketDetail,
    TicketIn,
    TicketOut,
    TicketPage,
    TicketPatch,
)
from heard.desk import actions
from heard.desk.errors import ErrorCode
from heard.desk.models import ACTIVE_STATUSES, Agent, Ticket, TicketQuerySet
from heard.desk.queue_filter import search

router = Router(tags=["tickets"])

ORDERS = {
    "newest": Ordering("newest", (Key("id", descending=True),)),
    "oldest": Ordering("oldest", (Key("id"),)),
    "updated": Ordering("updated", (Key("updated_at", descending=True), Key("id", True))),
    # The queue's order: who is waiting and hurting most first (heard.desk.care_order).
    "care": Ordering("care", (Key("care_at", nullable=True), Key("created_at"), Key("id"))),
}


class TicketFilters(Schema):
    status: StatusName | None = None
    active: bool | None = Field(default=None, description="true: new, open or pending.")
    priority: PriorityName | None = None
    team: str | None = Field(default=None, max_length=100, description="A slug or id.")
    assignee: str | None = Field(
        default=None, max_length=20, description="'me', 'none' or an agent's id."
    )
    customer: int | None = Field(default=None, ge=1, le=2**53)
    escalated: bool | None = None
    waiting: bool | None = Field(default=None, description="true: waiting on our reply.")
    mood: MoodName | None = None
    q: str | None = Field(
        default=None,
        max_length=200,
        description="A reference (HRD-1042), an email address, or words in the subject, the "
        "customer's name or their messages: the console's search.",
    )
    order: Literal["newest", "oldest", "updated", "care"] = "newest"
    cursor: str | None = Field(default=None, max_length=1000)
    limit: int = Field(default=50, ge=1, le=MAX_LIMIT)


@router.get("", response={200: TicketPage, **ERRORS}, summary="List tickets")
def list_tickets(request: HttpRequest, filters: Query[TicketFilters]) -> dict[str, Any]:
    """The tickets of the token's teams, newest first unless `order` says otherwise; follow
    `next_cursor` for the next page."""
    who = caller(request)
    rows = _filtered(who, who.tickets(), filters)
    found, next_cursor = page(
        outputs.tickets_loaded(rows), ORDERS[filters.order], filters.cursor, filters.limit
    )
    return {"items": [outputs.ticket(row) for row in found], "next_cursor": next_cursor}


def _filtered(who: Caller, rows: TicketQuerySet, filters: TicketFilters) -> TicketQuerySet:
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.active is not None:
        rows = rows.filter(status__in=ACTIVE_STATUSES) if filters.active else rows.exclude(
            status__in=ACTIVE_STATUSES
        )
    if filters.priority:
        rows = rows.filter(priority=filters.priority)
    if filters.team:
        rows = rows.filter(team=who.team(filters.team))
    if filters.assignee:
        rows = rows.filter(**_assignee(who.agent, filters.assignee))
    if filters.customer:
        rows = rows.filter(customer=filters.customer)
    if filters.escalated is not None:
        rows = rows.filter(escalated=filters.escalated)
    if filters.waiting is not None:
        rows = rows.filter(reply_due_at__isnull=not filters.waiting)
    if filters.mood:
        rows = rows.filter(mood=filters.mood)
    return search(rows, filters.q or "")


def _assignee(agent: Agent, value: str) -> dict[str, Any]:
    if value == "me":
        return {"assignee": agent}
    if value == "none":
        return {"assignee__isnull": True}
    if value.isdigit():
        return {"assignee": int(value)}
    raise ApiError(400, ErrorCode.INVALID, "assignee: 'me', 'none' or an agent's id.")


@router.get("/{ticket_id}", response={200: TicketDetail, **ERRORS}, summary="Get a ticket")
def get_ticket(
    request: HttpRequest,
    ticket_id: int,
    expected_reply: bool = Query(
        False,
        description="true: while the customer waits on a reply, also when one is expected: "
        "the live queue's forecast (a few more queries over the team's queue).",
    ),
) -> dict[str, Any]:
    """The ticket; with `expected_reply=true`, while its customer waits on a reply, when one
    is expected."""
    ticket = caller(request).ticket(ticket_id, outputs.tickets_loaded(Ticket.objects.all()))
    forecast = expected.for_ticket(ticket) if expected_reply else None
    return outputs.ticket(ticket) | {"expected_reply": forecast}


@router.post("", response={201: TicketDetail, **ERRORS}, summary="Open a ticket")
def create_ticket(request: HttpRequest, data: TicketIn) -> Status[dict[str, Any]]:
    """Open a ticket for a customer (found by email, or made) in one of the token's teams, as
    any new request: its reply clock starts, it is assigned as the team assigns, and its words
    are read by the engine. The answer says when a person is expected to reply."""
    who = caller(request)
    team = who.team(data.team)
    with transaction.atomic():
        customer = actions.find_or_create_customer(data.customer.email, data.customer.name)
        opened = actions.open_ticket(
            customer=customer,
            team=team,
            subject=data.subject,
            text=data.text,
            channel=data.channel,
            priority=data.priority,
        )
    ticket = outputs.tickets_loaded(Ticket.objects.filter(pk=opened.pk)).get()
    return Status(201, outputs.ticket(ticket) | {"expected_reply": expected.for_ticket(ticket)})


@router.patch("/{ticket_id}", response={200: TicketOut, **ERRORS}, summary="Change a ticket")
def update_ticket(request: HttpRequest, ticket_id: int, data: TicketPatch) -> dict[str, Any]:
    """Change what is given of status, priority, assignee and team, all or none of it, each
    through the desk's action (the same as the console's ticket form and "Move to team")."""
    who = caller(request)
    ticket = who.ticket(ticket_id)
    team = who.team(data.team) if data.team else None
    with transaction.atomic():
        if data.status and data.status != ticket.status:
            ticket = actions.change_status(ticket, who.agent, data.status)
        if data.priority and data.priority != ticket.priority:
            ticket = actions.change_priority(ticket, who.agent, data.priority)
        if data.unassign or data.assignee is not None:
            ticket = actions.assign(ticket, who.agent, _agent(data.assignee, data.unassign))
        if team is not None:
            ticket = actions.move_ticket(ticket, team, who.agent, data.reason)
    return outputs.ticket(outputs.tickets_loaded(Ticket.objects.filter(pk=ticket.pk)).get())


def _agent(agent_id: int | None, unassign: bool) -> Agent | None:
    if unassign:
        if agent_id is not None:
            raise ApiError(400, ErrorCode.INVALID, "Give an assignee or unassign, not both.")
        return None
    agent = Agent.objects.select_related("user").filter(pk=agent_id or 0).first()
    if agent is None:
        raise not_found("agent")
    return agent
