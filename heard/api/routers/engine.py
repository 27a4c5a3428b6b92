"""Heard's difference, for other systems: the reading of any text, the coach on a draft, and
the honest expected reply time for a new request. These read (a read-only token may call them)
although they are POSTs: their input is a text."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from ninja import Router

from heard.api import expected, outputs
from heard.api.auth import TokenAuth
from heard.api.errors import from_desk
from heard.api.models import Scope
from heard.api.routers import ERRORS, caller
from heard.api.schemas import (
    CoachIn,
    CoachingOut,
    EngineReading,
    ExpectedIn,
    ExpectedOut,
    ReadingIn,
    TeamOut,
    TurnIn,
)
from heard.desk import actions
from heard.desk.coach import coach_draft
from heard.engine import Turn, coach, read

router = Router(tags=["engine"])
READS = TokenAuth(Scope.READ)


def _history(turns: list[TurnIn]) -> list[Turn]:
    return [Turn(turn.author, turn.text) for turn in turns]


@router.post("/readings", auth=READS, response={200: EngineReading, **ERRORS}, summary="Read")
def reading(request: HttpRequest, data: ReadingIn) -> dict[str, Any]:
    """The engine's reading of any text, as `heard analyze` gives it: the emotion with its
    scores and confidence, urgency, churn risk and the words behind them (`cues`, code-point
    offsets into `text`). `history`, the conversation before it oldest first, reads it in
    context. Nothing is stored."""
    return outputs.reading(read(data.text, history=_history(data.history)))


@router.post("/coach", auth=READS, response={200: CoachingOut, **ERRORS}, summary="Coach a draft")
def coach_a_draft(request: HttpRequest, data: CoachIn) -> dict[str, Any]:
    """The coach on a draft reply: score, dimensions, the findings with their words and why,
    and a better wording. With `ticket`, as a reply to that ticket's customer (their latest
    message and its reading, the name to greet them with), exactly as in the console's editor;
    otherwise to `customer_message` and `customer_name`. Nothing is sent."""
    if data.ticket is not None:
        ticket = caller(request).ticket(data.ticket)
        return outputs.coaching(coach_draft(ticket, data.draft))
    coaching = coach(
        data.draft,
        customer_message=data.customer_message,
        customer_name=data.customer_name,
        history=_history(data.history),
    )
    return outputs.coaching(coaching)


@router.post(
    "/expected-reply",
    auth=READS,
    response={200: ExpectedOut, **ERRORS},
    summary="Expected reply time for a new request",
)
def expected_reply(request: HttpRequest, data: ExpectedIn) -> dict[str, Any]:
    """When a person of the team would reply to a request written now: the live queue's
    forecast, the same the acknowledgement email gives (who stands before it in care order,
    the agents on shift, the team's recent pace, its business hours). `text` (the request's
    words) lets its reading place it in care order; `time_zone` is the customer's, for `said`."""
    team = caller(request).team(data.team)
    try:
        zone = actions.check_time_zone(data.time_zone)
    except actions.DeskError as error:
        raise from_desk(error) from error
    forecast = expected.for_new_request(team, data.priority, data.text, ZoneInfo(zone))
    return forecast | {"team": outputs.team(team)}


@router.get("/teams", response={200: list[TeamOut], **ERRORS}, summary="List teams")
def teams(request: HttpRequest) -> list[dict[str, Any]]:
    """The teams the token reaches."""
    return [outputs.team(team) for team in caller(request).teams().order_by("name")]
