"""A ticket's conversation: list it; post a reply (with the coach's check, as in the console) or
an internal note."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from heard.api import outputs
from heard.api.pagination import MAX_LIMIT, Key, Ordering, page
from heard.api.routers import ERRORS, caller
from heard.api.schemas import MessageOut, MessagePage, NoteIn, ReplyIn, ReplyOut
from heard.desk import actions
from heard.desk.coach import coach_draft, severe_findings
from heard.desk.models import Direction, Message, Ticket

router = Router(tags=["messages"])

CONVERSATION = Ordering("conversation", (Key("created_at"), Key("id")))


class MessageFilters(Schema):
    public: bool = Field(
        default=False, description="true: only what the customer sees (no notes, no system)."
    )
    cursor: str | None = Field(default=None, max_length=1000)
    limit: int = Field(default=50, ge=1, le=MAX_LIMIT)


@router.get(
    "/{ticket_id}/messages", response={200: MessagePage, **ERRORS}, summary="List messages"
)
def list_messages(
    request: HttpRequest, ticket_id: int, filters: Query[MessageFilters]
) -> dict[str, Any]:
    """The conversation, oldest first: the customer's messages with their readings, agents'
    replies, internal notes (`kind` note) and what Heard wrote (`kind` system)."""
    ticket = caller(request).ticket(ticket_id)
    rows = Message.objects.filter(ticket=ticket)
    if filters.public:
        rows = rows.filter(direction__in=(Direction.CUSTOMER, Direction.AGENT))
    found, next_cursor = page(
        outputs.messages_loaded(rows), CONVERSATION, filters.cursor, filters.limit
    )
    return {"items": [outputs.message(row) for row in found], "next_cursor": next_cursor}


@router.post(
    "/{ticket_id}/replies", response={201: ReplyOut, **ERRORS}, summary="Reply to the customer"
)
def reply(request: HttpRequest, ticket_id: int, data: ReplyIn) -> Status[dict[str, Any]]:
    """Send the customer a reply as the token's agent, through the same checks as the console:
    empty, too long or a closed ticket are refused, and a reply in which the coach finds words
    that would hurt (a severe finding) is refused with code `severe_finding` and the coaching,
    unless `send_anyway` is true; then the history records which findings it was sent despite,
    exactly as when an agent presses "Send anyway" in the console."""
    who = caller(request)
    ticket = who.ticket(ticket_id)
    sent = actions.post_agent_reply(
        ticket, who.agent, data.text, status=data.status, send_anyway=data.send_anyway
    )
    ticket = outputs.tickets_loaded(Ticket.objects.filter(pk=ticket.pk)).get()
    coaching = coach_draft(ticket, data.text)  # as it was sent: the customer's words are as then
    message = outputs.messages_loaded(Message.objects.filter(pk=sent.pk)).get()
    return Status(
        201,
        {
            "message": outputs.message(message),
            "ticket": outputs.ticket(ticket),
            "coaching": outputs.coaching(coaching),
            "sent_despite": sorted({f.code for f in severe_findings(coaching)}),
        },
    )


@router.post(
    "/{ticket_id}/notes", response={201: MessageOut, **ERRORS}, summary="Add an internal note"
)
def note(request: HttpRequest, ticket_id: int, data: NoteIn) -> Status[dict[str, Any]]:
    """A note for the team; the customer never sees it."""
    who = caller(request)
    ticket = who.ticket(ticket_id)
    added = actions.add_internal_note(ticket, who.agent, data.text)
    loaded = outputs.messages_loaded(Message.objects.filter(pk=added.pk)).get()
    return Status(201, outputs.message(loaded))
