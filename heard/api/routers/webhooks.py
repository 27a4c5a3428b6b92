"""Webhook subscriptions of the token's teams, and each one's delivery log. Managing them needs
the admin scope, and the token's agent must lead the team or be an administrator."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from heard.api import actions, outputs
from heard.api.auth import TokenAuth
from heard.api.models import Delivery, Scope
from heard.api.pagination import MAX_LIMIT, Key, Ordering, page
from heard.api.routers import ERRORS, caller
from heard.api.schemas import (
    DeliveryPage,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
)

router = Router(tags=["webhooks"], auth=TokenAuth(Scope.ADMIN))

NEWEST = Ordering("newest", (Key("id", descending=True),))


class Paging(Schema):
    cursor: str | None = Field(default=None, max_length=1000)
    limit: int = Field(default=50, ge=1, le=MAX_LIMIT)


@router.get("", response={200: list[WebhookOut], **ERRORS}, summary="List webhooks")
def list_webhooks(request: HttpRequest) -> list[dict[str, Any]]:
    """The webhooks of the token's teams."""
    rows = caller(request).subscriptions().select_related("team")
    return [outputs.webhook(row) for row in rows[:200]]


@router.post("", response={201: WebhookCreated, **ERRORS}, summary="Add a webhook")
def create_webhook(request: HttpRequest, data: WebhookIn) -> Status[dict[str, Any]]:
    """Tell `url` of these events on the team's tickets. The answer holds the secret that signs
    every delivery (HMAC-SHA256 over "timestamp.body"); keep it, it is shown only now."""
    who = caller(request)
    team = who.team(data.team)
    actions.check_manages_webhooks(who.agent, team)
    made = actions.create_subscription(
        team,
        url=data.url,
        events=data.events,
        description=data.description,
        created_by=who.agent.user,
    )
    return Status(201, outputs.webhook(made) | {"secret": made.secret})


@router.get("/{webhook_id}", response={200: WebhookOut, **ERRORS}, summary="Get a webhook")
def get_webhook(request: HttpRequest, webhook_id: int) -> dict[str, Any]:
    return outputs.webhook(caller(request).subscription(webhook_id))


@router.patch("/{webhook_id}", response={200: WebhookOut, **ERRORS}, summary="Change a webhook")
def update_webhook(request: HttpRequest, webhook_id: int, data: WebhookPatch) -> dict[str, Any]:
    """Change its address, events or description, or switch it off and on (on again after
    Heard disabled it for failing: its failure count starts anew)."""
    who = caller(request)
    found = who.subscription(webhook_id)
    actions.check_manages_webhooks(who.agent, found.team)
    changed = actions.update_subscription(
        found,
        url=data.url,
        events=data.events,
        description=data.description,
        active=data.active,
    )
    return outputs.webhook(who.subscription(changed.pk))


@router.delete("/{webhook_id}", response={204: None, **ERRORS}, summary="Remove a webhook")
def delete_webhook(request: HttpRequest, webhook_id: int) -> Status[None]:
    who = caller(request)
    found = who.subscription(webhook_id)
    actions.check_manages_webhooks(who.agent, found.team)
    found.delete()
    return Status(204, None)


@router.get(
    "/{webhook_id}/deliveries", response={200: DeliveryPage, **ERRORS}, summary="Delivery log"
)
def deliveries(request: HttpRequest, webhook_id: int, paging: Query[Paging]) -> dict[str, Any]:
    """Each event sent to it, newest first: its state, attempts, and the last answer's status
    code or error."""
    found = caller(request).subscription(webhook_id)
    rows = Delivery.objects.filter(subscription=found).select_related("event")
    items, next_cursor = page(rows, NEWEST, paging.cursor, paging.limit)
    return {"items": [outputs.delivery(row) for row in items], "next_cursor": next_cursor}
