"""Care: satisfaction surveys and follow-ups with their answers, and the care moments.

An answer posted here is the customer's own, given to another system (a chat asked them): it
goes through the same action as the portal's Send button (`heard.care.surveys.answer`,
`heard.care.follow_ups.answer`), with everything that follows from it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from heard.api import outputs
from heard.api.errors import ApiError
from heard.api.pagination import MAX_LIMIT, Key, Ordering, page
from heard.api.routers import ERRORS, caller
from heard.api.schemas import (
    FollowUpAnswered,
    FollowUpAnswerIn,
    FollowUpOut,
    FollowUpPage,
    MomentOut,
    SurveyAnswerIn,
    SurveyOut,
    SurveyPage,
)
from heard.care import follow_ups, surveys
from heard.care.models import Greeting
from heard.desk.errors import ErrorCode
from heard.desk.models import Ticket

router = Router(tags=["care"])

NEWEST = Ordering("newest", (Key("id", descending=True),))


class AnswerFilters(Schema):
    ticket: int | None = Field(default=None, ge=1, le=2**53)
    answered: bool | None = None
    cursor: str | None = Field(default=None, max_length=1000)
    limit: int = Field(default=50, ge=1, le=MAX_LIMIT)


def _narrowed(rows: Any, filters: AnswerFilters) -> Any:
    if filters.ticket is not None:
        rows = rows.filter(ticket=filters.ticket)
    if filters.answered is not None:
        rows = rows.filter(answered_at__isnull=not filters.answered)
    return rows.select_related("ticket")


@router.get("/surveys", response={200: SurveyPage, **ERRORS}, summary="List surveys")
def list_surveys(request: HttpRequest, filters: Query[AnswerFilters]) -> dict[str, Any]:
    """Satisfaction surveys on the token's teams' tickets, newest first, with their answers."""
    rows = _narrowed(caller(request).surveys(), filters)
    found, next_cursor = page(rows, NEWEST, filters.cursor, filters.limit)
    return {"items": [outputs.survey(row) for row in found], "next_cursor": next_cursor}


@router.get("/surveys/{survey_id}", response={200: SurveyOut, **ERRORS}, summary="Get a survey")
def get_survey(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    return outputs.survey(caller(request).survey(survey_id))


@router.post(
    "/surveys/{survey_id}/answer", response={200: SurveyOut, **ERRORS}, summary="Answer a survey"
)
def answer_survey(request: HttpRequest, survey_id: int, data: SurveyAnswerIn) -> dict[str, Any]:
    """Record the customer's own answer (1 very unhappy … 5 very happy) while the survey is
    open; an unhappy one is told to the agent who helped and the team lead."""
    survey = caller(request).survey(survey_id)
    try:
        answered = surveys.answer(survey, data.rating, data.comment)
    except surveys.SurveyError as error:
        raise ApiError(409, ErrorCode.CLOSED, str(error)) from error
    return outputs.survey(answered)


@router.get("/follow-ups", response={200: FollowUpPage, **ERRORS}, summary="List follow-ups")
def list_follow_ups(request: HttpRequest, filters: Query[AnswerFilters]) -> dict[str, Any]:
    """Follow-ups ("is it better now?") on the token's teams' tickets, newest first."""
    rows = _narrowed(caller(request).follow_ups(), filters)
    found, next_cursor = page(rows, NEWEST, filters.cursor, filters.limit)
    return {"items": [outputs.follow_up(row) for row in found], "next_cursor": next_cursor}


@router.get(
    "/follow-ups/{follow_up_id}", response={200: FollowUpOut, **ERRORS}, summary="Get a follow-up"
)
def get_follow_up(request: HttpRequest, follow_up_id: int) -> dict[str, Any]:
    return outputs.follow_up(caller(request).follow_up(follow_up_id))


@router.post(
    "/follow-ups/{follow_up_id}/answer",
    response={200: FollowUpAnswered, **ERRORS},
    summary="Answer a follow-up",
)
def answer_follow_up(
    request: HttpRequest, follow_up_id: int, data: FollowUpAnswerIn
) -> dict[str, Any]:
    """Record the customer's own answer: "better" closes a ticket still solved; "not yet" or
    "broken" becomes their message on it (reopening it, back to the agent who helped,
    escalated). `ticket` is where the request goes on."""
    follow_up = caller(request).follow_up(follow_up_id)
    try:
        answered = follow_ups.answer(follow_up, data.answer, data.words)
    except follow_ups.FollowUpError as error:
        raise ApiError(409, ErrorCode.CLOSED, str(error)) from error
    ticket = outputs.tickets_loaded(Ticket.objects.filter(pk=answered.ticket.pk)).get()
    return {"follow_up": outputs.follow_up(answered.follow_up), "ticket": outputs.ticket(ticket)}


@router.get("/moments", response={200: list[MomentOut], **ERRORS}, summary="List care moments")
def list_moments(request: HttpRequest) -> list[dict[str, Any]]:
    """The care moments (birthdays, anniversaries, set days) of the token's teams and those for
    every team, with this month's greetings counted by state."""
    moments = list(caller(request).moments().select_related("team")[:200])
    month = Greeting.objects.in_month(timezone.now().date()).filter(moment__in=moments)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in month.values("moment", "state").annotate(n=Count("pk")):
        counts[row["moment"]][row["state"]] = row["n"]
    return [outputs.moment(moment, counts[moment.pk]) for moment in moments]
