"""Who the token is: its agent, scope, teams, expiry and rate limit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router

from heard.api import outputs
from heard.api.routers import ERRORS, caller
from heard.api.schemas import MeOut

router = Router(tags=["token"])


@router.get("/me", response={200: MeOut, **ERRORS}, summary="This token")
def me(request: HttpRequest) -> dict[str, Any]:
    who = caller(request)
    return {
        "agent": outputs.agent(who.agent),
        "role": who.agent.role,
        "token": who.token.name,
        "scope": who.token.scope,
        "teams": [outputs.team(team) for team in who.teams().order_by("name")],
        "expires_at": who.token.expires_at,
        "rate_per_minute": settings.HEARD_API_RATE_PER_MINUTE,
    }
